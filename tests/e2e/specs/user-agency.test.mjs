// User agency: its administrator adds a staff member and disables them; an official of the agency
// cannot reach the institution editor by typing its address.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN, apiSession, dialog, fill, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('user agency', () => {
  let b;
  before(async () => { b = await openBrowser(); });
  after(async () => { await b?.close(); });

  test('the administrator adds a staff member and disables them', async (t) => {
    const { page } = b;
    const loginName = `gat.staff${RUN}`;
    await shot(t, page, async () => {
      await login(page, 'u.gat.admin');
      await page.getByTestId('nav-people').click();
      await page.getByTestId('person-create').click();
      const form = page.getByTestId('person-form');
      await fill(form, '账号', loginName);
      await fill(form, '姓名', '钱运维');
      await form.getByText('技术团队').click();
      await page.getByTestId('person-save').click();
      // No password given: the server generates one, shown once.
      const shown = dialog(page, '人员已添加');
      await waitForText(shown, `账号 ${loginName} 的初始密码为`);
      await shown.getByRole('button', { name: '知道了' }).click();
      await waitForText(page.getByTestId('person-title'), '钱运维');

      await page.getByTestId('nav-people').click();
      await page.getByTestId('person-search').fill(loginName);
      await page.getByTestId('person-search-submit').click();
      await settled(page);
      await waitForText(page.getByTestId(`person-state-${loginName}`), '启用');
      await page.getByTestId(`person-toggle-${loginName}`).click();
      const confirm = dialog(page, '请确认');
      await waitForText(confirm, '将无法登录');
      await confirm.getByRole('button', { name: '停用' }).click();
      await waitForText(page.getByTestId(`person-state-${loginName}`), '已停用');
      await waitForText(page.locator('.el-message'), '已停用 钱运维');
      // The disabled person really cannot log in.
      const api = await apiSession('u.gat.admin');
      const list = await api.call('GET', `/people?q=${loginName}`);
      assert.equal(list.body.items[0].enabled, false);
    });
  });

  test('an official cannot reach the institution editor by typing its address', async (t) => {
    const other = await openBrowser();
    const { page } = other;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.it');
        const own = (await apiSession('u.gat.it')).session.institution.id;
        for (const m of ['nav-home', 'nav-my-institution', 'nav-people', 'nav-posts']) await page.getByTestId(m).waitFor();
        assert.equal(await page.getByTestId('nav-institutions').count(), 0);
        assert.equal(await page.getByTestId('nav-qualifications').count(), 0);
        await page.goto(`/institutions/${own}/edit`);
        await waitForText(page.getByTestId('forbidden'), '无权访问');
        assert.equal(await page.getByTestId('inst-form').count(), 0);
        await page.goto('/institutions/new');
        await waitForText(page.getByTestId('forbidden'), '无权访问');
        assert.equal(await page.getByTestId('inst-form').count(), 0);
        // Its own institution page offers no edit button either.
        await page.getByTestId('nav-my-institution').click();
        await waitForText(page.getByTestId('inst-title'), '贵州省公安厅');
        assert.equal(await page.getByTestId('inst-edit').count(), 0);
        // And the API refuses the change whatever the console shows.
        const api = await apiSession('u.gat.it');
        const r = await api.call('PATCH', `/institutions/${own}`, { contact_name: 'x' });
        assert.equal(r.status, 403);
      });
    } finally {
      await other.close();
    }
  });
});
