// Logging in and out: failures explained in words (wrong password, the growing wait, the lock),
// a session that ends mid-work leads to the login page and back to the same place.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('session', () => {
  let b;
  before(async () => { b = await openBrowser(); });
  after(async () => { await b?.close(); });

  test('a wrong password, then repeated failures, are explained in words', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.goto('/');
      await page.waitForURL(/\/login/);
      await waitForText(page.locator('h1'), '用户登录');
      const err = page.getByTestId('login-error');
      await page.getByTestId('login-name').fill('gz.security');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await waitForText(err, '账号或密码不正确');
      await waitForText(err, '连续输错 3 次后');
      assert.doesNotMatch(await err.textContent(), /401|429/);
      // Keep failing: after the third failure each attempt must wait, and the page says how long.
      for (let i = 0; i < 6; i++) {
        const text = await err.textContent();
        if (/请等待 \d+ 秒后再试/.test(text)) break;
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST');
        await page.getByTestId('login-submit').click();
        await answered;
        await page.waitForFunction(() => !document.querySelector('[data-testid=login-submit]')?.classList.contains('is-loading'));
      }
      await waitForText(err, '连续登录失败次数过多');
      assert.match(await err.textContent(), /请等待 \d+ 秒后再试/);
      assert.doesNotMatch(await err.textContent(), /429|Retry-After/);
      const button = page.getByTestId('login-submit');
      assert.equal(await button.isDisabled(), true, 'the button waits out the delay');
      assert.match(await button.textContent(), /请等待 \d+ 秒/);
    });
  });

  test('an ended session returns the person to the same page after logging in again', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await login(page, 'u.gat.it');
      await page.getByTestId('nav-people').click();
      await settled(page);
      await waitForText(page.locator('.el-table__body'), 'u.gat.it');
      await page.getByTestId('person-search').fill('u.gat');
      const here = new URL(page.url()).pathname;
      assert.equal(here, '/people');
      // The session ends elsewhere (as when it expires, or an administrator disables it).
      const status = await page.evaluate(async () => {
        const r = await fetch('/api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': sessionStorage.getItem('egov.csrf') } });
        return r.status;
      });
      assert.equal(status, 204);
      await page.getByTestId('person-search-submit').click();
      await page.waitForURL(/\/login\?/);
      await waitForText(page.getByTestId('login-reason'), '您的登录会话已过期');
      await page.getByTestId('login-name').fill('u.gat.it');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((u) => u.pathname === '/people');
      await settled(page);
      await waitForText(page.locator('h1'), '人员管理');
      await waitForText(page.locator('.el-table__body'), 'u.gat.it');
    });
  });

  test('logging out ends the session', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await page.goto('/');
      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);
      await waitForText(page.locator('.el-message'), '您已安全退出');
      await page.goto('/people');
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/people');
      const who = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
      assert.equal(who, 401);
    });
  });
});
