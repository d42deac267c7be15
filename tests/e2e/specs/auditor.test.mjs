// Management official with the audit post: reads the trail, filters it, verifies the chain.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { choose, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('management auditor (gz.auditor)', () => {
  let b;
  before(async () => { b = await openBrowser(); await login(b.page, 'gz.auditor'); });
  after(async () => { await b?.close(); });

  test('verifies the audit chain and filters the trail', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.getByTestId('nav-audit').click();
      await settled(page);
      // Newest first: the auditor's own login leads the trail.
      const first = page.locator('.el-table__body > tbody > tr.el-table__row').first();
      await waitForText(first, 'gz.auditor');
      assert.match(await first.textContent(), /登录/);
      await page.getByTestId('audit-verify').click();
      const verdict = page.getByTestId('audit-verdict');
      await waitForText(verdict, '审计链完整');
      assert.match(await verdict.textContent(), /共核验 [\d,]+ 条记录，未发现篡改/);

      await choose(page, '操作', '登记机构');
      await page.getByTestId('audit-search').click();
      await settled(page);
      const rows = page.locator('.el-table__body > tbody > tr.el-table__row');
      await waitForText(rows.first(), '登记机构');
      const texts = await rows.allTextContents();
      assert.ok(texts.length > 0);
      for (const r of texts) assert.match(r, /登记机构/);
    });
  });

  test('may read but not register institutions', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.getByTestId('nav-institutions').click();
      await page.getByTestId('inst-tree').waitFor();
      await settled(page);
      assert.equal(await page.getByTestId('inst-create').count(), 0);
      await page.goto('/institutions/new');
      await waitForText(page.getByTestId('forbidden'), '无权访问');
    });
  });
});
