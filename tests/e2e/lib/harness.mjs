// The browser harness of the e2e suite: Debian's chromium through playwright-core (never a
// downloaded browser), a fresh profile per session, logging in as a demo person, screenshots of
// failures, and an axe-core scan injected into the page.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.EGOV_E2E_URL ?? 'http://127.0.0.1:8080';
export const SHOTS = process.env.EGOV_E2E_SHOTS ?? join(tmpdir(), 'egov-e2e-shots');
export const PASSWORD = 'Egov-Demo-2026';
const CHROMIUM = process.env.EGOV_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/* A person at a browser: their own chromium with a fresh profile (so their own cookies). */
export async function openBrowser({ locale = null, base = BASE } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'egov-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    baseURL: base,
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  if (locale) await page.addInitScript((l) => localStorage.setItem('egov.locale', l), locale);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The console runs under its Content-Security-Policy (docs/security.md): a violation is an
  // error of the page like any other. Init scripts are not subject to the page's policy.
  const csp = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|CSP violation/.test(m.text())) {
      csp.push(m.text());
      errors.push(m.text());
    }
  });
  return {
    context, page, errors, csp,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/* Logs in through the login page and waits for the console frame. */
export async function login(page, who, { path = '/' } = {}) {
  await page.goto(path);
  await page.getByTestId('login-name').fill(who);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-institution').waitFor();
}

/* Runs one test body; on failure saves a screenshot named after the test and rethrows. */
export async function shot(t, page, fn) {
  try {
    await fn();
  } catch (e) {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${t.name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_').slice(0, 80)}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      console.error(`screenshot of the failure: ${file}`);
    } catch {
      /* the page may be gone */
    }
    throw e;
  }
}

/* Waits until the element shows the text (a condition, not a sleep). */
export async function waitForText(locator, text) {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

/* Waits for the table loading veils to go (lists are fetched from the server). */
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'));
}

/* axe-core in the page: serious and critical violations of WCAG 2 A/AA. */
export async function axe(page) {
  await settled(page);
  // Element Plus fades tags and messages in: scan the finished state, not a frame mid-transition.
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated, not added as an inline <script>: the console's CSP (script-src 'self') refuses
  // inline scripts, and the suite runs under that policy.
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/* Calls the API as a person (for setting up what a test needs, and for checking results). */
export async function apiSession(who, base = BASE) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: who, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`login ${who}: ${res.status}`);
  const s = await res.json();
  const call = async (method, path, body, headers = {}) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${s.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, etag: r.headers.get('ETag'), body: text ? JSON.parse(text) : null };
  };
  return { session: s, call };
}

/* A valid unified social credit code (GB 32100, with the GB 11714 organisation code inside). */
export function makeUscc(seed, region = '520100') {
  const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = String(seed % 100000000).padStart(8, '0');
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  const os = [...body].reduce((a, c, i) => a + parseInt(c, 36) * ow[i], 0);
  const oc = 11 - (os % 11);
  const org = body + (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc));
  const first17 = `91${region}${org}`;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const s = [...first17].reduce((a, c, i) => a + CH.indexOf(c) * w[i], 0);
  return first17 + CH[(31 - (s % 31)) % 31];
}

/* Unique per run, so that the suite can run twice against the same store. */
export const RUN = Date.now().toString(36).slice(-5);

const pageOf = (scope) => (typeof scope.page === 'function' ? scope.page() : scope);

/* The form item whose label reads exactly `label`, inside `scope` (a page or a dialog). */
export function field(scope, label) {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.locator('.el-form-item').filter({ has: pageOf(scope).locator('.el-form-item__label', { hasText: new RegExp(`^\\s*${esc}\\s*$`) }) });
}

export async function fill(scope, label, value) {
  const f = field(scope, label);
  const box = f.locator('textarea, input:not([type=radio]):not([type=checkbox])').first();
  await box.fill(value);
}

/* Picks an option of an Element Plus select (its dropdown lives at the end of <body>). */
export async function choose(scope, label, option) {
  const page = pageOf(scope);
  await field(scope, label).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

/* Types a date into an Element Plus date picker. */
export async function pickDate(scope, label, ymd) {
  const input = field(scope, label).locator('input').first();
  await input.fill(ymd);
  await input.press('Enter');
}

export async function fieldError(scope, label) {
  const err = field(scope, label).locator('.el-form-item__error');
  await err.waitFor({ state: 'visible' });
  return (await err.textContent()).trim();
}

/* The visible dialog whose title reads `title`. */
export function dialog(page, title) {
  return page.locator('.el-dialog:visible, .el-message-box:visible').filter({ hasText: title }).first();
}
