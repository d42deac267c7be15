// Service resources and products (issue 4), the main flow of each institution kind, in order:
// the provider creates a pool, allocates and expands it, creates a product with a priced metric
// and submits it (refused first without a metric, the reason shown); management assigns the
// related evaluator (refused: the interest relation in words) then the independent one; the
// evaluator records passes and publishes a price basis; the provider launches; management
// recommends and publishes both catalogues; the public portal, logged out, shows the product with
// its price and the edition's signature details (verified in the browser); the user agency
// browses the catalogue and sees its allocation. Last, a failed retest makes it a candidate for
// elimination, and management eliminates it with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, RUN, apiSession, choose, dialog, field, fill, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

const POOL = `贵阳云主机资源池${RUN}`;
const PRODUCT = `政务云主机托管服务${RUN}`;
const METRIC = `云主机2核4G${RUN}`;

/* An Element Plus number input: type, then leave the field so that it takes the value. */
async function fillNumber(scope, label, value) {
  const input = field(scope, label).locator('input').first();
  await input.fill(String(value));
  await input.press('Tab');
}

/* The message Element Plus shows after a write. */
const toast = (page, text) => waitForText(page.locator('.el-message'), text);

describe('service resources and products: the supply chain from provider to public catalogue', () => {
  const ids = {};

  before(async () => {
    const gz = await apiSession('gz.admin');
    const users = await gz.call('GET', `/institutions?kind=user&q=${encodeURIComponent('贵州省公安厅')}`);
    ids.user = users.body.items[0].id;
  });

  test('provider (qy.admin) creates a pool, allocates and expands it, creates a product with a metric and submits it', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin');
        await page.getByTestId('nav-pools').click();
        await page.getByTestId('pool-create').click();
        const form = page.getByTestId('pool-form');
        await fill(form, '资源池名称', POOL);
        await choose(form, '资源类型', '计算资源');
        await choose(form, '计量单位', '虚拟CPU核');
        await fillNumber(form, '总容量', 200);
        await fill(form, '所在区域', '520100');
        await choose(form, '安全保护等级', '第 3 级');
        await fill(form, '规格说明', 'x86 通用型 2.6GHz，单实例最大 64 核');
        await page.getByTestId('pool-save').click();
        await waitForText(page.getByTestId('pool-title'), POOL);
        await waitForText(page.getByTestId('pool-capacity'), '已分配 0，可分配 200，总容量 200（虚拟CPU核）');
        ids.pool = Number(page.url().match(/resource-pools\/(\d+)/)[1]);

        // Configure (配置) 40 vCPU for 贵州省公安厅, typed by its institution number.
        await page.getByTestId('alloc-configure').click();
        const cfg = dialog(page, '配置资源');
        await cfg.getByTestId('alloc-user').click();
        await cfg.getByTestId('alloc-user').locator('input').fill(String(ids.user));
        await cfg.getByTestId('alloc-user').locator('input').press('Enter');
        await fill(cfg, '应用系统', '警务云平台');
        await fillNumber(cfg, '数量（虚拟CPU核）', 40);
        // Delivered at the premium service level (prices are graded by it).
        await choose(cfg, '服务等级', '高级');
        await page.getByTestId('alloc-save').click();
        await toast(page, '已为 贵州省公安厅 配置 40 虚拟CPU核');
        const row = page.locator('.el-table__body tr', { hasText: '警务云平台' });
        await waitForText(row, '贵州省公安厅');
        await waitForText(row, '高级');
        await waitForText(page.getByTestId('pool-capacity'), '已分配 40，可分配 160');

        // Expand (扩容) by 10, with the reason.
        await row.getByRole('button', { name: '扩容' }).click();
        const ch = dialog(page, '变更分配');
        await fillNumber(ch, '扩容数量', 10);
        await waitForText(ch.getByTestId('alloc-after'), '40 → 50');
        await fill(ch, '原因', '业务高峰期扩容');
        await page.getByTestId('alloc-change-save').click();
        await toast(page, '已为 贵州省公安厅 扩容');
        await waitForText(page.getByTestId('pool-capacity'), '已分配 50，可分配 150');

        // The pool's lifecycle buttons are the ones the server offers (T5-3.4): an active pool
        // may be suspended or retired, not resumed; retiring a pool in use is refused in words.
        await page.getByTestId('pool-act-suspend').waitFor();
        assert.equal(await page.getByTestId('pool-act-resume').count(), 0);
        await page.getByTestId('pool-act-retire').click();
        await page.locator('.el-message-box').getByRole('button', { name: '退役' }).click();
        await waitForText(page.getByTestId('pool-refusal'), '仍有 50 个单位已分配，须先释放这些分配才能退役');

        // A product made of the pool.
        await page.getByTestId('nav-products').click();
        await page.getByTestId('product-create').click();
        const pf = page.getByTestId('product-form');
        await fill(pf, '产品名称', PRODUCT);
        await choose(pf, '产品类别', '运行维护');
        await choose(pf, '资源组成', POOL);
        await page.keyboard.press('Escape');
        await fill(pf, '产品说明', '为省直部门提供云主机托管与运行维护服务');
        await page.getByTestId('product-save').click();
        await waitForText(page.getByTestId('product-title'), PRODUCT);
        await waitForText(page.getByTestId('product-state'), '草稿');
        ids.product = Number(page.url().match(/products\/(\d+)/)[1]);

        // Submitting without a priced metric is refused, and the reason is given in words.
        await page.getByTestId('act-submit').click();
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('product-action-error'), '产品至少需要一个带价格的计量指标才能提交测试（T5-7.1');
        await waitForText(page.getByTestId('product-state'), '草稿');

        // The metric, priced in yuan (stored as fen).
        await page.getByRole('tab', { name: '计量与价格' }).click();
        await page.getByTestId('metric-add').click();
        const md = dialog(page, '添加计量指标');
        await fill(md, '指标名称', METRIC);
        await fill(md, '计量单位', '台·月');
        await fill(md, '计量方法', '按自然月计费，不足一月按天折算');
        await fill(md, '目录价（元）', '1280.5');
        await page.getByTestId('metric-save').click();
        await waitForText(page.getByTestId(`metric-list-${METRIC}`), '¥1,280.50');
        const api = await apiSession('qy.admin');
        const metrics = await api.call('GET', `/products/${ids.product}/metrics`);
        assert.equal(metrics.body.items[0].list_price_fen, 128050);

        await page.getByTestId('act-submit').click();
        await page.getByTestId('act-reason').fill('资料齐备，申请测试');
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('product-state'), '已提交测试');
      });
    } finally {
      await b.close();
    }
  });

  test('management (gz.admin) is refused the related evaluator, with the relation in words, and assigns the independent one', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-products').click();
        await page.getByTestId('product-search').fill(PRODUCT);
        await page.getByTestId('product-search-submit').click();
        await settled(page);
        await page.locator('.el-table__body a', { hasText: PRODUCT }).click();
        await waitForText(page.getByTestId('product-state'), '已提交测试');

        await page.getByTestId('act-assign').click();
        const box = dialog(page, '指派评估机构');
        await waitForText(box, '与服务提供机构（黔云数据科技有限公司）存在已申报利益关系的评估机构不能被指派');
        await choose(box, '评估机构', '贵州数字政府工程监理有限公司');
        await page.getByTestId('assign-save').click();
        const refusal = page.getByTestId('assign-refusal');
        await waitForText(refusal, '不能指派 贵州数字政府工程监理有限公司');
        await waitForText(refusal, '贵州数字政府工程监理有限公司 与服务提供机构 黔云数据科技有限公司 之间存在已申报的股权关系');
        await waitForText(refusal, '不能承担其产品测试（T5-8.2f）');
        // The same reason sits on the field.
        assert.match(await field(box, '评估机构').locator('.el-form-item__error').textContent(), /股权关系/);

        await choose(box, '评估机构', '黔安信息安全测评中心有限公司');
        await page.getByTestId('assign-save').click();
        await toast(page, '已指派 黔安信息安全测评中心有限公司 承担测试');
        await waitForText(page.getByTestId('product-state'), '测试中');
        await waitForText(page.locator('.el-table__body'), '黔安信息安全测评中心有限公司');

        // The pool's conformity test goes to the independent evaluator as well.
        await page.goto(`/resource-pools/${ids.pool}?tab=tests`);
        await page.getByTestId('pool-assign-test').click();
        const pbox = dialog(page, '指派评估机构');
        await choose(pbox, '评估机构', '贵州数字政府工程监理有限公司');
        await page.getByTestId('assign-save').click();
        await waitForText(page.getByTestId('assign-refusal'), '不能承担其资源测试（T5-8.2f）');
        await choose(pbox, '评估机构', '黔安信息安全测评中心有限公司');
        await page.getByTestId('assign-save').click();
        await toast(page, '已指派 黔安信息安全测评中心有限公司 承担测试');
        await waitForText(page.getByTestId('pool-latest-test'), '待测试');
      });
    } finally {
      await b.close();
    }
  });

  test('evaluator (qa.admin) records the passes from its queue and publishes the price basis', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qa.admin');
        await page.getByTestId('nav-test-queue').click();
        await settled(page);
        await page.getByTestId(`queue-record-${PRODUCT}`).click();
        const rec = dialog(page, `录入测试结果：${PRODUCT}`);
        await fill(rec, '报告编号', `QA-${RUN}-P`);
        await fill(rec, '测试发现', '功能、性能与安全测试均符合要求');
        await page.getByTestId('record-save').click();
        await toast(page, '测试结果已录入');
        await page.getByTestId(`queue-price-${PRODUCT}`).waitFor();

        await page.getByRole('tab', { name: '资源符合性测试' }).click();
        await page.getByTestId(`queue-record-${POOL}`).click();
        await fill(dialog(page, `录入测试结果：${POOL}`), '报告编号', `QA-${RUN}-R`);
        await page.getByTestId('record-save').click();
        await toast(page, '测试结果已录入');

        // The price basis, from the product it tested.
        await page.getByRole('tab', { name: '产品测试' }).click();
        await page.getByTestId(`queue-price-${PRODUCT}`).click();
        await waitForText(page.getByTestId('product-state'), '测试通过');
        await page.getByTestId(`price-publish-${METRIC}`).click();
        const pd = dialog(page, '发布价格基础');
        await fill(pd, '价格基础（元）', '1200');
        // Two graduated tiers of the standard level: the first 10 units at ¥1200, beyond at
        // ¥999.995 (exact: 99999.5 fen, never a float).
        await page.getByTestId('rate-add').click();
        await page.getByTestId('rate-price-0').fill('1200');
        await page.getByTestId('rate-add').click();
        await page.getByTestId('rate-tier-1').fill('10');
        await page.getByTestId('rate-price-1').fill('999.995');
        await fill(pd, '计量结果', '实测 2 核 4G 实例月可用率 99.95%');
        const until = `${new Date().getFullYear() + 3}-12-31`;
        const to = field(pd, '截止日期').locator('input');
        await to.fill(until);
        await to.press('Enter');
        await page.getByTestId('price-save').click();
        await toast(page, `已发布 ${METRIC} 的价格基础`);
        await waitForText(page.getByTestId(`metric-price-${METRIC}`), '¥1,200.00');
        await waitForText(page.getByTestId(`metric-rates-${METRIC}`), '标准：≥ 0 台·月：¥1200；≥ 10 台·月：¥999.995');
        const api = await apiSession('qa.admin');
        const prices = await api.call('GET', `/products/${ids.product}/prices`);
        assert.deepEqual(prices.body.items[0].rates, [
          { service_level: 'standard', tier_from: '0', unit_price_fen: '120000' },
          { service_level: 'standard', tier_from: '10', unit_price_fen: '99999.5' },
        ]);
        // The prices tab lists them too.
        await page.getByRole('tab', { name: '价格基础' }).click();
        await waitForText(page.getByTestId(`rates-in-force-${METRIC}`), '≥ 10 台·月：¥999.995');
      });
    } finally {
      await b.close();
    }
  });

  test('provider launches the product once its test passed', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin', { path: `/products/${ids.product}` });
        await waitForText(page.getByTestId('product-state'), '测试通过');
        await page.getByTestId('act-launch').click();
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('product-state'), '已上线');
        // The lifecycle, on the standard's stages.
        await page.getByRole('tab', { name: '生命周期' }).click();
        const tl = page.getByTestId('lifecycle-timeline');
        await waitForText(tl, '测试通过 → 已上线');
        await waitForText(tl, '发布·交付·运行');
        await waitForText(tl, '草稿 → 已提交测试');
        await waitForText(tl, '原因：资料齐备，申请测试');
        await waitForText(tl, '操作机构：黔安信息安全测评中心有限公司');
      });
    } finally {
      await b.close();
    }
  });

  test('management recommends the product and publishes both catalogues', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin', { path: `/products/${ids.product}` });
        await waitForText(page.getByTestId('product-state'), '已上线');
        await page.getByTestId('act-recommend').click();
        await page.getByTestId('act-reason').fill('运行稳定，价格合理');
        await page.getByTestId('act-confirm').click();
        await page.getByTestId('product-recommended').waitFor();

        await page.getByTestId('nav-catalogue-publish').click();
        for (const [c, name] of [['products', '服务产品目录'], ['resources', '服务资源目录']]) {
          await page.getByTestId(`publish-${c}-btn`).click();
          await dialog(page, '请确认').getByRole('button', { name: '发布新版' }).click();
          await toast(page, `已发布${name}第`);
        }
        const eds = await (await fetch(`${BASE}/api/v1/catalogues/products/editions`)).json();
        const mine = eds.items.filter((e) => e.publisher_name === '贵州省大数据发展管理局').sort((a, b) => b.edition - a.edition)[0];
        ids.edition = mine;
        await waitForText(page.getByTestId('publish-products'), `第 ${mine.edition} 版`);
      });
    } finally {
      await b.close();
    }
  });

  test('the public portal, logged out, shows the product with its price and the edition signature', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await page.goto('/login');
        await page.getByTestId('login-portal').click();
        await waitForText(page.locator('h1'), '公开服务目录');
        await page.getByTestId('catalogue-search').fill(PRODUCT);
        const table = page.getByTestId('catalogue-products');
        await waitForText(table, PRODUCT);
        await waitForText(page.getByTestId('catalogue-count'), '显示 1 / ');
        const row = table.locator('.el-table__body tr', { hasText: PRODUCT });
        await waitForText(row, '黔云数据科技有限公司');
        await waitForText(row, `${METRIC}：¥1,200.00 / 台·月`);
        await waitForText(row, '推荐');
        // A search for something absent says so.
        await page.getByTestId('catalogue-search').fill(`不存在的产品${RUN}`);
        await waitForText(table, '没有符合条件的条目');
        await page.getByTestId('catalogue-search').fill(PRODUCT);

        await row.locator('a', { hasText: PRODUCT }).click();
        await waitForText(page.getByTestId('cat-product-title'), PRODUCT);
        await waitForText(page.getByTestId('cat-product-info'), '运行维护');
        await waitForText(page.getByTestId(`cat-price-${METRIC}`), '¥1,200.00');
        await waitForText(page.getByTestId('cat-product-metrics'), '¥1,280.50');
        await waitForText(page.getByTestId('cat-product-metrics'), '评估机构：黔安信息安全测评中心有限公司');

        await page.getByRole('link', { name: '如何核验这一版目录' }).click();
        const sig = page.getByTestId('edition-signature');
        await waitForText(sig, `第 ${ids.edition.edition} 版`);
        assert.equal((await page.getByTestId('edition-key-id').textContent()).trim(), ids.edition.key_id);
        assert.equal((await page.getByTestId('edition-sig').textContent()).trim(), ids.edition.signature);
        const cmds = await page.getByTestId('edition-commands').textContent();
        assert.match(cmds, /openssl pkeyutl -verify -pubin -inkey egov\.pem -rawin -in products-edition-\d+\.json -sigfile products-edition-\d+\.sig/);
        assert.ok(cmds.includes(`${BASE}/api/v1/catalogues/products/editions/${ids.edition.edition}?publisher_id=${ids.edition.publisher_id}`));
        await waitForText(page.getByTestId('public-key'), 'BEGIN PUBLIC KEY');
        await page.getByTestId('edition-verify').click();
        await waitForText(page.getByTestId('edition-verdict'), '签名有效');

        // The resource catalogue lists the pool that passed its conformity test.
        await page.getByTestId('portal-nav-catalogue').click();
        await page.getByRole('tab', { name: '服务资源目录' }).click();
        await page.getByTestId('catalogue-res-search').fill(POOL);
        await waitForText(page.getByTestId('catalogue-resources'), '黔安信息安全测评中心有限公司');
        assert.equal(b.errors.length, 0, b.errors.join('\n'));
      });
    } finally {
      await b.close();
    }
  });

  test('the user agency (u.gat.admin) browses the catalogue and sees its allocation', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.admin');
        await page.getByTestId('nav-catalogue').click();
        await page.getByTestId('catalogue-search').fill(PRODUCT);
        await choose(page, '产品类别', '运行维护');
        const row = page.getByTestId('catalogue-products').locator('.el-table__body tr', { hasText: PRODUCT });
        await waitForText(row, '¥1,200.00');
        await row.locator('a', { hasText: PRODUCT }).click();
        await waitForText(page.getByTestId('cat-product-title'), PRODUCT);
        // Logged in, the price basis in force today shows beside the edition's.
        await waitForText(page.getByTestId('cat-product-metrics'), '今日');
        await page.getByTestId('nav-allocations').click();
        await settled(page);
        await waitForText(page.locator('.el-table__body'), POOL);
        await waitForText(page.locator('.el-table__body tr', { hasText: POOL }), '50');
      });
    } finally {
      await b.close();
    }
  });

  test('management retests, finds the product among the elimination candidates and eliminates it with a reason', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin', { path: `/products/${ids.product}` });
        await waitForText(page.getByTestId('product-state'), '已上线');
        await page.getByTestId('act-assign').click();
        await choose(dialog(page, '指派评估机构'), '评估机构', '黔安信息安全测评中心有限公司');
        await page.getByTestId('assign-save').click();
        await toast(page, '已指派 黔安信息安全测评中心有限公司 承担测试');

        // The evaluator finds the retest failing (through the API: its console path is covered above).
        const qa = await apiSession('qa.admin');
        const queue = await qa.call('GET', `/product-tests?product_id=${ids.product}&status=assigned`);
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
        const r = await qa.call('PATCH', `/product-tests/${queue.body.items[0].id}`, { result: 'failed', findings: '复测发现备份恢复超时', report_ref: `QA-${RUN}-RT`, tested_on: today });
        assert.equal(r.status, 200);

        await page.getByTestId('nav-elimination-candidates').click();
        await page.locator('.el-table__body a', { hasText: PRODUCT }).click();
        await page.getByTestId('act-eliminate').click();
        await page.getByTestId('act-confirm').click();
        await waitForText(field(dialog(page, '淘汰'), '原因').locator('.el-form-item__error'), '淘汰须说明理由，至少 4 个字');
        await page.getByTestId('act-reason').fill('复测未通过，恢复时间不达标');
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('product-state'), '已淘汰');
        await waitForText(page.getByTestId('product-eliminate-note'), '复测未通过，恢复时间不达标');
        await page.getByRole('tab', { name: '生命周期' }).click();
        await waitForText(page.getByTestId('lifecycle-timeline'), '已上线 → 已淘汰');
        await waitForText(page.getByTestId('lifecycle-timeline'), '原因：复测未通过，恢复时间不达标');
        // Eliminated products cannot be recommended or eliminated again: the buttons are gone.
        assert.equal(await page.getByTestId('act-eliminate').count(), 0);
        assert.equal(await page.getByTestId('act-recommend').count(), 0);
      });
    } finally {
      await b.close();
    }
  });
});
