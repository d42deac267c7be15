// The console under its Content-Security-Policy (docs/security.md, "HTTP layer"): the policy is
// sent with the pages, the console works under it — Vue, Element Plus popovers and dialogs,
// ECharts canvases — without a single violation, and no other page may
// frame it. Every other spec runs under the same policy (the harness reports violations as page
// errors); this one walks the parts most likely to need more than 'self'.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, axe, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

describe('Content-Security-Policy', () => {
  let b;
  before(async () => { b = await openBrowser(); });
  after(async () => { await b?.close(); });

  test('the console is sent with a CSP that allows scripts only from its origin and forbids framing', async () => {
    for (const path of ['/', '/login', '/assets/does-not-exist.js']) {
      const r = await fetch(`${BASE}${path}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, `${path}: ${csp}`);
      assert.doesNotMatch(csp, /unsafe-eval/, `${path}: ${csp}`);
      assert.ok(!/script-src[^;]*unsafe-inline/.test(csp), `${path}: inline scripts allowed by ${csp}`);
    }
  });

  test('logging in, the dashboard charts, menus, a form with a select and axe raise no CSP violation', async (t) => {
    const { page } = b;
    await shot(t, page, async () => {
      await login(page, 'gz.admin');
      await waitForText(page.locator('h2'), '辖区机构类型分布');
      await settled(page);
      assert.ok(await page.locator('.echart canvas').count() >= 4, 'the charts are drawn under the CSP');
      await page.getByTestId('nav-institutions').click();
      await page.getByTestId('inst-tree').waitFor();
      await page.getByTestId('inst-create').click();
      const form = page.getByTestId('inst-form');
      await form.waitFor();
      // An Element Plus select: its dropdown is positioned with inline styles set from script.
      await form.locator('.el-form-item', { hasText: '机构类型' }).locator('.el-select').click();
      await page.locator('.el-select-dropdown__item:visible').first().waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('nav-audit').click();
      await settled(page);
      assert.deepEqual(await axe(page), [], 'axe runs (injected without an inline script) and finds nothing serious');
      assert.deepEqual(b.csp, [], `CSP violations: ${b.csp.join('\n')}`);
      assert.deepEqual(b.errors, [], `page errors: ${b.errors.join('\n')}`);
    });
  });

  test('a page of another origin cannot frame the console', async (t) => {
    const other = await openBrowser();
    try {
      await shot(t, other.page, async () => {
        const refused = other.page.waitForEvent('console', { predicate: (m) => /frame-ancestors|X-Frame-Options/.test(m.text()) });
        await other.page.setContent(`<iframe src="${BASE}/login" title="framed"></iframe>`);
        await refused;
        const frame = other.page.frames().find((f) => f !== other.page.mainFrame());
        const framed = frame ? await frame.evaluate(() => document.querySelector('[data-testid=login-name]') !== null).catch(() => false) : false;
        assert.equal(framed, false, 'the login form was rendered inside a foreign frame');
      });
    } finally {
      await other.close();
    }
  });
});
