// Chinese by default; English by the switch, remembered across visits; dates and numbers follow.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';
import { seedSupply } from '../lib/supply.mjs';

const RAW_KEY = /\b(nav|inst|person|common|list|login|home|audit|cert|qual|post|rel|problem|perm|kind|level|status|team|pool|alloc|test|prod|metric|price|doc|lifecycle|elim|cat|portal|refusal|resKind|resUnit|poolStatus|allocStatus|allocOp|testStatus|prodCat|prodState|stage|stdStage|docKind)\.[a-zA-Z_]+\b/;

describe('language', () => {
  let b;
  before(async () => { b = await openBrowser(); });
  after(async () => { await b?.close(); });

  test('switches to English, stays English, and switches back', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.goto('/login');
      await waitForText(page.locator('h1'), '用户登录');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

      await page.getByTestId('lang-switch').click();
      await page.getByTestId('lang-en').click();
      await waitForText(page.locator('h1'), 'Log in');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.getByTestId('login-name').fill('qy.admin');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('header-institution').waitFor();
      await waitForText(page.getByTestId('nav-people'), 'People');
      await waitForText(page.getByTestId('nav-my-institution'), 'My institution');
      await waitForText(page.locator('h2'), 'Certificates expiring soon');

      // Remembered: a new visit opens in English.
      await page.goto('/people');
      await settled(page);
      await waitForText(page.locator('h1'), 'People');
      await waitForText(page.getByTestId('list-total'), 'in total');
      await waitForText(page.locator('.el-table__header'), 'Name');
      assert.doesNotMatch(await page.locator('body').innerText(), RAW_KEY);
      // Element Plus speaks English too (its pager / empty texts come from its locale).
      assert.equal(await page.evaluate(() => document.title), 'People - Gov Cloud Service Management Platform');

      // Dates follow the language: a person's page shows English dates.
      await page.locator('.el-table__body a').first().click();
      await page.getByTestId('person-info').waitFor();
      await page.waitForFunction(() => /\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}/.test(document.querySelector('[data-testid=person-info]')?.textContent ?? ''));

      await page.getByTestId('lang-switch').click();
      await page.getByTestId('lang-zh-CN').click();
      await waitForText(page.getByTestId('nav-people'), '人员管理');
      await page.waitForFunction(() => /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/.test(document.querySelector('[data-testid=person-info]')?.textContent ?? ''));
      assert.doesNotMatch(await page.locator('body').innerText(), RAW_KEY);
      assert.equal(await page.evaluate(() => localStorage.getItem('egov.locale')), 'zh-CN');
    });
  });

  test('the public portal in English: prices in the English way, no raw message keys', async (t) => {
    const seed = await seedSupply('lang');
    const en = await openBrowser({ locale: 'en' });
    const { page } = en;
    try {
      await shot(t, page, async () => {
        await page.goto(`/portal/products/${seed.publisher}/${seed.edition}/${seed.product.id}`);
        await waitForText(page.locator('h2'), 'Metrics and price basis');
        await waitForText(page.getByTestId('cat-product-metrics'), 'CN¥450.00');
        await waitForText(page.getByTestId('cat-product-metrics'), 'CN¥500.00');
        await waitForText(page.getByTestId('cat-product-info'), 'Operation & maintenance');
        assert.doesNotMatch(await page.locator('body').innerText(), RAW_KEY);
        await page.getByTestId('portal-nav-editions').click();
        await waitForText(page.getByTestId('edition-signature'), 'Verify with OpenSSL');
        assert.doesNotMatch(await page.locator('body').innerText(), RAW_KEY);
      });
    } finally {
      await en.close();
    }
  });
});
