// Billing (docs/billing.md): usage becomes money. Set up through the API (lib/billing.mjs): an
// online product priced by the evaluator's basis, a small budget line of 贵州省公安厅, an order
// charged to it and delivered, one usage record sent as NDJSON. In the browser, management
// (gz.admin) runs billing for the month and finds the draft bill with the exact amount (rounded
// half up once per line), issues it after the confirmation, downloads the CSV and the XLSX;
// runs settlement (net = gross at 1.0000), sets the provider's quality coefficient to 0.9500 and
// runs it again (net = gross × 0.95, rounded once). The agency (u.gat.admin) sees the billed
// amount and per cent on its budget line and the alert the issue raised, and acknowledges it.
// The spend page draws its charts from the bills.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { axe, dialog, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';
import { seedBilling, yuan } from '../lib/billing.mjs';

async function pick(page, testid, option) {
  await page.getByTestId(testid).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}
const toast = (page, text) => waitForText(page.locator('.el-message'), text);

describe('billing: rating, issue, exports, settlement with a quality coefficient, budget alerts, spend', () => {
  let s;
  const AGENCY = '贵州省公安厅';

  before(async () => {
    s = await seedBilling('bill');
  });

  test('management runs billing for the month, finds the exact amount and issues the bill', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-bills').click();
        await page.getByTestId('bills-run').click();
        await pick(page, 'run-party', AGENCY);
        await page.getByTestId('run-submit').click();
        await toast(page, '计费完成');
        await settled(page);
        const row = page.locator('.el-table__body tr', { hasText: AGENCY }).filter({ hasText: '草稿' }).filter({ hasText: s.period }).first();
        await row.getByTestId('bill-link').click();
        await waitForText(page.getByTestId('bill-state'), '草稿');
        const line = page.getByTestId('bill-lines').locator('.el-table__body tr', { hasText: s.product.name });
        await waitForText(line.getByTestId('line-amount'), yuan(s.amount));
        assert.equal(yuan(s.amount), '¥1,172.84');
        await waitForText(line.getByTestId('line-quantity'), '2.345678');
        await waitForText(line, s.code);
        await waitForText(line, s.application);
        await waitForText(line, '目录价'); // last month: the basis is in force from today only
        await waitForText(line, '标准');
        assert.deepEqual(await page.evaluate(() => document.querySelectorAll('[data-testid=bill-versions] .el-table__body tr').length > 0), true);
        assert.deepEqual(await axe(page), []);

        await page.getByTestId('bill-issue').click();
        const box = dialog(page, '确认出账');
        await waitForText(box, yuan(s.amount));
        await box.locator('.el-button--primary').click();
        await toast(page, '账单已出账');
        await waitForText(page.getByTestId('bill-state'), '已出账');
        assert.equal(await page.getByTestId('bill-issue').count(), 0);
        s.bill = Number(page.url().match(/bills\/(\d+)/)[1]);
      });
    } finally {
      await b.close();
    }
  });

  test('the issued bill downloads as CSV and XLSX', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin', { path: `/bills/${s.bill}` });
        await waitForText(page.getByTestId('bill-state'), '已出账');
        const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
        const text = readFileSync(await csv.path(), 'utf8');
        assert.ok(text.includes(s.product.name), `the CSV names the product: ${text.slice(0, 400)}`);
        assert.ok(text.includes('1172.84') || text.includes('117284'), `the CSV has the amount: ${text.slice(0, 400)}`);
        const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
        const bytes = readFileSync(await xlsx.path());
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
      });
    } finally {
      await b.close();
    }
  });

  test('settlement: net = gross at 1.0000; a coefficient of 0.9500 and a new run give the rounded net', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    const openStatement = async () => {
      await settled(page);
      const row = page.locator('.el-table__body tr', { hasText: s.providerName }).filter({ hasText: '草稿' }).filter({ hasText: s.period }).first();
      await row.getByTestId('settlement-link').click();
      await waitForText(page.getByTestId('settlement-state'), '草稿');
    };
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-settlements').click();
        await page.getByTestId('settlements-run').click();
        await pick(page, 'run-party', s.providerName);
        await page.getByTestId('run-submit').click();
        await toast(page, '张结算单');
        await openStatement();
        await waitForText(page.getByTestId('settlement-gross'), yuan(s.amount));
        await waitForText(page.getByTestId('settlement-coefficient'), '1.0000');
        await waitForText(page.getByTestId('settlement-net-amount'), yuan(s.amount));
        await waitForText(page.getByTestId('settlement-lines'), AGENCY);

        await page.getByTestId('nav-quality-coefficients').click();
        await page.getByTestId('coefficient-set').click();
        await pick(page, 'coefficient-provider', s.providerName);
        await page.getByTestId('coefficient-input').fill('0.95');
        await page.getByTestId('coefficient-note').fill('季度考核结果');
        await page.getByTestId('coefficient-save').click();
        await toast(page, '质量系数已保存');
        const crow = page.locator('.el-table__body tr', { hasText: s.providerName }).filter({ hasText: s.period });
        await waitForText(crow.getByTestId('coefficient-value'), '0.9500');

        await page.getByTestId('nav-settlements').click();
        await page.getByTestId('settlements-run').click();
        await pick(page, 'run-party', s.providerName);
        await page.getByTestId('run-submit').click();
        await toast(page, '张结算单');
        await openStatement();
        await waitForText(page.getByTestId('settlement-coefficient'), '0.9500');
        // 117284 × 0.95 = 111419.8 → 111420 fen.
        const net = Number((BigInt(s.amount) * 9500n + 5000n) / 10000n);
        await waitForText(page.getByTestId('settlement-net-amount'), yuan(net));
        assert.equal(yuan(net), '¥1,114.20');
        assert.deepEqual(await axe(page), []);
        const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
        assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1'), 'PK');
        const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
        const text = readFileSync(await csv.path(), 'utf8');
        assert.ok(text.includes(AGENCY) && text.includes('1172.84'), `the statement's CSV: ${text.slice(0, 400)}`);
      });
    } finally {
      await b.close();
    }
  });

  test('the agency sees the billed per cent on its budget line and the alert, and acknowledges it', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.admin');
        // 117284 of 134000 fen: 87.52 %, over the 80 % threshold.
        await waitForText(page.getByTestId('alert-badge'), '1');
        await page.getByTestId('nav-budget-lines').click();
        await settled(page);
        const row = page.locator('.el-table__body tr', { hasText: s.code });
        await waitForText(row.getByTestId('budget-billed'), yuan(s.amount));
        await waitForText(row.getByTestId('budget-billed-pct'), '87');
        const alert = page.getByTestId('budget-alerts').locator('.el-table__body tr', { hasText: s.code });
        await waitForText(alert.getByTestId('alert-threshold'), '80%');
        await waitForText(alert.getByTestId('alert-status'), '未处理');
        assert.deepEqual(await axe(page), []);
        await alert.getByTestId('alert-ack').click();
        await toast(page, '已确认预警');
        await waitForText(page.getByTestId('budget-alerts').locator('.el-table__body tr', { hasText: s.code }).getByTestId('alert-status'), '已确认');
      });
    } finally {
      await b.close();
    }
  });

  test('the spend page draws the month, the providers and the products from the bills', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-spend').click();
        for (const id of ['spend-months', 'spend-providers', 'spend-products']) await page.getByTestId(id).locator('canvas').first().waitFor();
        const product = page.getByTestId('spend-products').locator('.el-table__body tr', { hasText: s.product.name });
        await waitForText(product.getByTestId('spend-product-total'), yuan(s.amount));
        await waitForText(page.getByTestId('spend-providers'), s.providerName);
        assert.deepEqual(await axe(page), []);
        assert.deepEqual(b.errors, []);
      });
    } finally {
      await b.close();
    }
  });
});
