// Evaluator: its administrator reviews the institution's qualifications (recorded by the
// management institution, so read-only here) and defines a post with its duties.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RUN, dialog, fill, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('evaluator administrator (qa.admin)', () => {
  let b;
  before(async () => { b = await openBrowser(); await login(b.page, 'qa.admin'); });
  after(async () => { await b?.close(); });

  test('views its qualifications', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.getByTestId('nav-qualifications').click();
      await waitForText(page.locator('h1'), '黔安信息安全测评中心有限公司 的资质');
      await settled(page);
      await waitForText(page.locator('.el-table__body'), '等级保护测评资质');
      await waitForText(page.locator('.el-alert'), '资质由管理机构登记和维护');
      assert.equal(await page.getByTestId('qual-add').count(), 0, 'an evaluator cannot record qualifications');
      assert.match(await page.getByTestId('list-total').textContent(), /共 \d+ 条/);
    });
  });

  test('defines a post with its duties', async (t) => {
    const { page } = b;
    const name = `现场测评岗${RUN}`;
    await shot(t, page, async () => {
      await page.getByTestId('nav-posts').click();
      await waitForText(page.locator('.el-table__body'), '测评师岗');
      await page.getByTestId('post-add').click();
      const box = dialog(page, '设置岗位');
      await fill(box, '岗位名称', name);
      await fill(box, '岗位职责', '按测评方案开展现场测评，记录测评证据并出具测评记录');
      await fill(box, '持证要求', 'evaluator');
      await page.getByTestId('post-save').click();
      await waitForText(page.locator('.el-message'), '岗位已设置');
      const row = page.locator('.el-table__body tr', { hasText: name });
      await row.waitFor();
      assert.match(await row.textContent(), /现场测评/);
      assert.match(await row.textContent(), /evaluator/);
    });
  });
});
