// axe-core over each main page of the console: no serious or critical WCAG 2 A/AA violation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiSession, axe, login, openBrowser, shot } from '../lib/harness.mjs';

function report(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`).join('\n');
}

async function scan(t, page, path, ready) {
  await shot(t, page, async () => {
    await page.goto(path);
    await ready();
    const v = await axe(page);
    assert.equal(v.length, 0, `axe on ${path}:\n${report(v)}`);
  });
}

describe('accessibility: login page', () => {
  let b;
  before(async () => { b = await openBrowser(); });
  after(async () => { await b?.close(); });
  test('login', async (t) => scan(t, b.page, '/login', () => b.page.getByTestId('login-submit').waitFor()));
});

describe('accessibility: management pages (gz.admin)', () => {
  let b; let ids;
  before(async () => {
    b = await openBrowser();
    await login(b.page, 'gz.admin');
    const api = await apiSession('gz.admin');
    const provider = (await api.call('GET', '/institutions?kind=provider&limit=1')).body.items[0];
    const person = (await api.call('GET', `/people?institution_id=${provider.id}&limit=1`)).body.items[0];
    ids = { inst: provider.id, person: person.id };
  });
  after(async () => { await b?.close(); });
  const h1 = (text) => () => b.page.locator('h1', { hasText: text }).waitFor();
  test('home dashboard', async (t) => scan(t, b.page, '/', h1('您好')));
  test('institutions', async (t) => scan(t, b.page, '/institutions', () => b.page.getByTestId('inst-tree').waitFor()));
  test('institution detail', async (t) => scan(t, b.page, `/institutions/${ids.inst}`, () => b.page.getByTestId('inst-info').waitFor()));
  test('institution form', async (t) => scan(t, b.page, '/institutions/new', () => b.page.getByTestId('inst-form').waitFor()));
  test('people', async (t) => scan(t, b.page, '/people', h1('人员管理')));
  test('person detail', async (t) => scan(t, b.page, `/people/${ids.person}`, () => b.page.getByTestId('person-info').waitFor()));
  test('person form', async (t) => scan(t, b.page, '/people/new', () => b.page.getByTestId('person-form').waitFor()));
  test('posts', async (t) => scan(t, b.page, '/posts', h1('岗位')));
  test('audit log', async (t) => scan(t, b.page, '/audit', () => b.page.getByTestId('audit-verify').waitFor()));
});

describe('accessibility: provider pages (qy.admin)', () => {
  let b;
  before(async () => { b = await openBrowser(); await login(b.page, 'qy.admin'); });
  after(async () => { await b?.close(); });
  test('home dashboard', async (t) => scan(t, b.page, '/', () => b.page.getByTestId('stat-people').waitFor()));
  test('my institution', async (t) => scan(t, b.page, '/my-institution', () => b.page.getByTestId('inst-info').waitFor()));
  test('qualifications', async (t) => scan(t, b.page, '/qualifications', () => b.page.locator('h1', { hasText: '资质' }).waitFor()));
  test('forbidden page', async (t) => scan(t, b.page, '/audit', () => b.page.getByTestId('forbidden').waitFor()));
});
