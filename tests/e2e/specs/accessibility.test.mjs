// axe-core over each main page of the console: no serious or critical WCAG 2 A/AA violation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiSession, axe, login, openBrowser, shot } from '../lib/harness.mjs';
import { seedSupply } from '../lib/supply.mjs';
import { seedAgreements } from '../lib/agreements.mjs';

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

// Issue 4: the pages of service resources, products and catalogues, one browser per institution kind.
describe('accessibility: resources, products and catalogues', () => {
  let seed;
  before(async () => { seed = await seedSupply('a11y'); });

  describe('provider (qy.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'qy.admin'); });
    after(async () => { await b?.close(); });
    const h1 = (text) => () => b.page.locator('h1', { hasText: text }).waitFor();
    test('resource pools', async (t) => scan(t, b.page, '/resource-pools', h1('资源池')));
    test('pool form', async (t) => scan(t, b.page, '/resource-pools/new', () => b.page.getByTestId('pool-form').waitFor()));
    test('pool detail with allocations', async (t) => scan(t, b.page, `/resource-pools/${seed.pool.id}`, () => b.page.getByTestId('pool-capacity').waitFor()));
    test('allocations', async (t) => scan(t, b.page, '/allocations', h1('资源分配')));
    test('products', async (t) => scan(t, b.page, '/products', h1('产品管理')));
    test('product form', async (t) => scan(t, b.page, '/products/new', () => b.page.getByTestId('product-form').waitFor()));
    test('product detail', async (t) => scan(t, b.page, `/products/${seed.product.id}`, () => b.page.getByTestId('product-info').waitFor()));
    test('product metrics', async (t) => scan(t, b.page, `/products/${seed.product.id}?tab=metrics`, () => b.page.getByTestId('metrics-table').waitFor()));
    test('product lifecycle', async (t) => scan(t, b.page, `/products/${seed.product.id}?tab=lifecycle`, () => b.page.getByTestId('lifecycle-timeline').waitFor()));
  });

  describe('management (gz.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'gz.admin'); });
    after(async () => { await b?.close(); });
    test('catalogue publishing', async (t) => scan(t, b.page, '/catalogue/publish', () => b.page.getByTestId('publish-products').waitFor()));
    test('elimination candidates', async (t) => scan(t, b.page, '/elimination-candidates', () => b.page.locator('h1', { hasText: '淘汰候选' }).waitFor()));
    test('pool conformity tests', async (t) => scan(t, b.page, `/resource-pools/${seed.pool.id}?tab=tests`, () => b.page.getByTestId('pool-assign-test').waitFor()));
    test('product tests', async (t) => scan(t, b.page, `/products/${seed.product.id}?tab=tests`, () => b.page.getByTestId('product-stages').waitFor()));
  });

  describe('evaluator (qa.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'qa.admin'); });
    after(async () => { await b?.close(); });
    test('test queue', async (t) => scan(t, b.page, '/tests', () => b.page.getByTestId('queue-status').waitFor()));
  });

  describe('user agency (u.gat.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'u.gat.admin'); });
    after(async () => { await b?.close(); });
    test('catalogue', async (t) => scan(t, b.page, '/catalogue', () => b.page.getByTestId('catalogue-count').waitFor()));
  });

  describe('public portal (no login)', () => {
    let b;
    before(async () => { b = await openBrowser(); });
    after(async () => { await b?.close(); });
    test('catalogue', async (t) => scan(t, b.page, '/portal', () => b.page.getByTestId('catalogue-count').waitFor()));
    test('resource catalogue', async (t) => scan(t, b.page, '/portal?tab=resources', () => b.page.getByTestId('catalogue-resources').waitFor()));
    test('catalogue product', async (t) => scan(t, b.page, `/portal/products/${seed.publisher}/${seed.edition}/${seed.product.id}`, () => b.page.getByTestId('cat-product-metrics').waitFor()));
    test('editions and signatures', async (t) => scan(t, b.page, '/portal/editions', () => b.page.getByTestId('edition-commands').waitFor()));
  });
});

// T5-8.2a: the agreement pages, a draft (editable by management) and one in force with a breach.
describe('accessibility: service agreements', () => {
  let seed;
  before(async () => { seed = await seedAgreements('a11y'); });

  describe('management (gz.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'gz.admin'); });
    after(async () => { await b?.close(); });
    test('agreements', async (t) => scan(t, b.page, '/agreements', () => b.page.getByTestId(`agr-row-${seed.signed.id}`).waitFor()));
    test('agreement form', async (t) => scan(t, b.page, '/agreements/new', () => b.page.getByTestId('agr-create-form').waitFor()));
    test('draft agreement', async (t) => scan(t, b.page, `/agreements/${seed.draft.id}`, () => b.page.getByTestId('agr-text-fee_payment').waitFor()));
    test('agreement in force', async (t) => scan(t, b.page, `/agreements/${seed.signed.id}`, () => b.page.getByTestId('agr-sla-table').waitFor()));
    test('agreement breaches', async (t) => scan(t, b.page, `/agreements/${seed.signed.id}?tab=breaches`, () => b.page.getByTestId('agr-breaches').locator('.el-table__body tr').first().waitFor()));
    test('agreement versions', async (t) => scan(t, b.page, `/agreements/${seed.signed.id}?tab=versions`, () => b.page.getByTestId('agr-version-1').waitFor()));
  });

  describe('provider (qy.admin)', () => {
    let b;
    before(async () => { b = await openBrowser(); await login(b.page, 'qy.admin'); });
    after(async () => { await b?.close(); });
    test('agreements', async (t) => scan(t, b.page, '/agreements', () => b.page.getByTestId(`agr-row-${seed.signed.id}`).waitFor()));
    test('draft agreement to sign', async (t) => scan(t, b.page, `/agreements/${seed.draft.id}`, () => b.page.getByTestId('agr-sign-provider').waitFor()));
  });
});
