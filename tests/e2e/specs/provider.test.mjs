// Provider: its administrator adds an engineer and records the engineer's certificate.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN, dialog, fill, login, openBrowser, pickDate, settled, shot, waitForText } from '../lib/harness.mjs';

describe('provider administrator (qy.admin)', () => {
  let b;
  before(async () => { b = await openBrowser(); await login(b.page, 'qy.admin'); });
  after(async () => { await b?.close(); });

  test('sees the menus of a provider and no others', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      for (const m of ['nav-home', 'nav-my-institution', 'nav-qualifications', 'nav-people', 'nav-posts']) await page.getByTestId(m).waitFor();
      assert.equal(await page.getByTestId('nav-institutions').count(), 0);
      assert.equal(await page.getByTestId('nav-audit').count(), 0);
      await waitForText(page.getByTestId('header-institution'), '黔云数据科技有限公司');
      await waitForText(page.locator('h2'), '本机构概况');
    });
  });

  test('adds a person with a certificate', async (t) => {
    const { page } = b;
    const loginName = `qy.eng${RUN}`;
    const number = `CISP-${RUN}-0001`;
    await shot(t, page, async () => {
      await page.getByTestId('nav-people').click();
      await page.getByTestId('person-create').click();
      const form = page.getByTestId('person-form');
      await waitForText(form, '黔云数据科技有限公司');
      await fill(form, '账号', loginName);
      await fill(form, '姓名', '赵安全');
      await form.getByText('技术团队').click();
      await fill(form, '电话', '13800001111');
      await fill(form, '初始密码', 'Qy-Engineer-2026!');
      await page.getByTestId('person-save').click();

      await waitForText(page.getByTestId('person-title'), '赵安全');
      await waitForText(page.getByTestId('person-info'), loginName);
      await waitForText(page.locator('.el-table__empty-text'), '暂无证书');

      await page.getByTestId('cert-add').click();
      const box = dialog(page, '登记证书');
      await fill(box, '证书类型', 'cisp');
      await fill(box, '证书编号', number);
      await fill(box, '发证机构', '中国信息安全测评中心');
      await pickDate(box, '有效期至', '2028-06-30');
      await page.getByTestId('cert-save').click();
      await waitForText(page.locator('.el-message'), '证书已登记');
      const row = page.locator('.el-table__body tr', { hasText: number });
      await row.waitFor();
      assert.match(await row.textContent(), /cisp/);
      assert.match(await row.textContent(), /2028\/06\/30/);

      // The new person is in the institution's list.
      await page.getByTestId('nav-people').click();
      await page.getByTestId('person-search').fill(loginName);
      await page.getByTestId('person-search-submit').click();
      await settled(page);
      await waitForText(page.locator('.el-table__body'), '赵安全');
      await waitForText(page.getByTestId('list-total'), '共 1 条');
    });
  });
});
