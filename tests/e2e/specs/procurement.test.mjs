// Procurement projects (issue 5), one project from declaration to evaluation, each step by the
// institution that takes it: the user agency declares; management compiles the budget, adds lots
// and opens procurement; two providers bid; management bars a third, whose bid is then refused in
// words (T5-12.2c), and lifts the bar; management awards, is refused in words when it would give
// service design to the planning & consulting winner (T5-8.2b), is refused the supervisor that
// holds an interest relation with the winner (T5-8.2f) and assigns the independent one, then
// starts supervision; the supervisor records supervision; management starts the evaluation; the
// supervisor evaluates; management closes; the market-concentration view shows the HHI.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RUN, apiSession, axe, dialog, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';

const TITLE = `省公安厅视频云平台建设项目${RUN}`;
const QY = '黔云数据科技有限公司';
const ZC = '筑城云计算服务有限公司';
const LOT_PLAN = `规划咨询标段${RUN}`;
const LOT_DESIGN = `服务设计标段${RUN}`;
const LOT_BUILD = `集成实施标段${RUN}`;
const ZS = '遵义智算信息技术有限公司';
const BAR_REASON = `围标串标查实，限制投标${RUN}`;
const ymd = (days) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86400000));

/* The text box of an Element Plus input (the test id sits on the native box or around it). */
const box = (page, id) => page.locator(`input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`).first();

const toast = (page, text) => waitForText(page.locator('.el-message'), text);

/* Picks an option of the Element Plus select carrying a test id. */
async function pick(page, testId, option) {
  await page.getByTestId(testId).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

/* Opens the project as `who`, on a tab. */
async function openProject(page, who, id, tab) {
  await login(page, who);
  await page.goto(`/procurement-projects/${id}`);
  await waitForText(page.locator('.page-title'), TITLE);
  if (tab) await page.getByRole('tab', { name: tab }).click();
  await settled(page);
}

const state = (page, text) => waitForText(page.getByTestId('proc-state'), text);

/* Runs one person's part in a browser of their own. */
async function as(t, fn) {
  const b = await openBrowser();
  try {
    await shot(t, b.page, () => fn(b.page));
    assert.deepEqual(b.errors, [], `no script errors in the page: ${b.errors.join('; ')}`);
  } finally {
    await b.close();
  }
}

describe('procurement: a project from declaration to performance evaluation', () => {
  const ids = {};

  before(async () => {
    const gz = await apiSession('gz.admin');
    const ev = (await gz.call('GET', '/institutions?kind=evaluator&limit=50')).body.items;
    ids.qa = ev.find((i) => i.name.startsWith('黔安')).id;
  });

  test('the user agency (u.gat.admin) declares a project', async (t) => {
    await as(t, async (page) => {
      await login(page, 'u.gat.admin');
      await page.getByTestId('nav-procurement-projects').click();
      await page.getByTestId('proc-declare').click();
      await box(page, 'proc-form-title').fill(TITLE);
      await box(page, 'proc-form-requested').fill('2,000,000');
      await box(page, 'proc-form-description').fill('建设全省公安视频云平台，统一汇聚视频资源');
      await page.getByTestId('proc-form-submit').click();
      await toast(page, '项目已申报');
      await state(page, '已申报');
      ids.project = Number(page.url().match(/procurement-projects\/(\d+)/)[1]);
      await waitForText(page.locator('.el-descriptions'), '贵州省大数据发展管理局');
    });
  });

  test('management (gz.admin) compiles the budget, adds three lots and opens procurement', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'gz.admin', ids.project);
      await box(page, 'proc-budget-amount').fill('1800000');
      await box(page, 'proc-budget-line').fill('2040199');
      await page.getByTestId('proc-budget-submit').click();
      await toast(page, '预算已编报');
      await state(page, '已编报预算');
      await waitForText(page.getByTestId('proc-budget'), '1,800,000.00');

      await page.getByRole('tab', { name: '标段、投标与中标' }).click();
      for (const [category, title, amount] of [['规划咨询', LOT_PLAN, '200000'], ['服务设计', LOT_DESIGN, '400000'], ['集成实施', LOT_BUILD, '1000000']]) {
        await pick(page, 'proc-lot-category', category);
        await box(page, 'proc-lot-title').fill(title);
        await box(page, 'proc-lot-budget').fill(amount);
        await page.getByTestId('proc-lot-submit').click();
        await waitForText(page.getByTestId('proc-lots'), title);
      }
      // T5-8.2c: the lots stay within the budget, refused in words otherwise.
      await pick(page, 'proc-lot-category', '培训推广');
      await box(page, 'proc-lot-title').fill(`培训标段${RUN}`);
      await box(page, 'proc-lot-budget').fill('300000');
      await page.getByTestId('proc-lot-submit').click();
      await waitForText(page.getByTestId('proc-refusal'), '标段预算合计不得超过项目预算（T5-8.2c）');

      await page.getByTestId('proc-next').click();
      await toast(page, '项目已进入“组织采购”');
      await state(page, '组织采购');
    });
  });

  test('providers (qy.admin, zc.admin) bid on the lots', async (t) => {
    const bids = { 'qy.admin': [[LOT_PLAN, '180000'], [LOT_DESIGN, '380000']], 'zc.admin': [[LOT_DESIGN, '390000'], [LOT_BUILD, '950000']] };
    for (const [who, list] of Object.entries(bids)) {
      await as(t, async (page) => {
        await openProject(page, who, ids.project, '标段、投标与中标');
        for (const [lot, amount] of list) {
          await pick(page, 'proc-bid-lot', lot);
          await box(page, 'proc-bid-amount').fill(amount);
          await page.getByTestId('proc-bid-submit').click();
          await waitForText(page.getByTestId('proc-bids'), lot);
        }
        // Sealed bids: a provider sees its own only.
        const rows = page.getByTestId('proc-bids').locator('.el-table__body tr');
        assert.equal(await rows.count(), list.length);
      });
    }
  });

  test('management bars a provider (T5-12.2c); its bid is refused in words; management lifts the bar', async (t) => {
    await as(t, async (page) => {
      await login(page, 'gz.admin');
      await page.getByTestId('nav-provider-bars').click();
      await settled(page);
      await pick(page, 'bar-provider', ZS);
      const range = page.locator('.el-date-editor--daterange').first().locator('input.el-range-input');
      await range.nth(0).fill(ymd(0));
      await range.nth(1).fill(ymd(30));
      await range.nth(1).press('Enter');
      await page.keyboard.press('Escape');
      await box(page, 'bar-reason').fill(BAR_REASON);
      await page.getByTestId('bar-submit').click();
      await toast(page, '已限制投标');
      await waitForText(page.locator('.el-table__body tr', { hasText: BAR_REASON }), '生效中');
    });
    await as(t, async (page) => {
      await openProject(page, 'zs.admin', ids.project, '标段、投标与中标');
      await pick(page, 'proc-bid-lot', LOT_BUILD);
      await box(page, 'proc-bid-amount').fill('900000');
      await page.getByTestId('proc-bid-submit').click();
      await waitForText(page.getByTestId('proc-refusal'), '该服务提供机构已被限制投标（T5-12.2c）');
      await waitForText(page.getByTestId('proc-refusal-detail'), BAR_REASON);
      assert.equal(await page.getByTestId('proc-bids').locator('.el-table__body tr').count(), 0);
    });
    await as(t, async (page) => {
      await login(page, 'gz.admin');
      await page.getByTestId('nav-provider-bars').click();
      await settled(page);
      const row = page.locator('.el-table__body tr', { hasText: BAR_REASON });
      await row.getByTestId('bar-lift').click();
      const box2 = dialog(page, '请说明解除原因');
      await box2.locator('input').fill('经复核，违规事实不成立');
      await box2.getByRole('button', { name: '解除' }).click();
      await toast(page, '限制已解除');
      await waitForText(row, '已解除');
    });
  });

  test('management awards, is refused the separation and independence breaches in words, assigns the supervisor and starts supervision', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'gz.admin', ids.project, '标段、投标与中标');
      const award = (lot, provider) => page.locator(`[data-testid="proc-award"][data-lot="${lot}"][data-provider="${provider}"]`).click();
      await award(LOT_PLAN, QY);
      await toast(page, '标段已授予');
      await waitForText(page.getByTestId(`proc-lot-winner-${LOT_PLAN}`), QY);

      // T5-8.2b: the planning & consulting winner may not also design.
      await award(LOT_DESIGN, QY);
      const refusal = page.getByTestId('proc-refusal');
      await waitForText(refusal, '违反职责分离规则（T5-8.2b）');
      await waitForText(refusal, '承担规划咨询的机构不得同时承担服务设计或集成实施');
      await waitForText(page.getByTestId('proc-refusal-detail'), LOT_PLAN);
      assert.equal(await refusal.getAttribute('data-rule'), 'separation_of_duties');
      assert.equal((await page.getByTestId(`proc-lot-winner-${LOT_DESIGN}`).textContent()).trim(), '—');

      await award(LOT_DESIGN, ZC);
      await toast(page, '标段已授予');
      await waitForText(page.getByTestId(`proc-lot-winner-${LOT_DESIGN}`), ZC);
      await award(LOT_BUILD, ZC);
      await waitForText(page.getByTestId(`proc-lot-winner-${LOT_BUILD}`), ZC);

      // T5-8.2f: the supervisor part-owned by the planning winner is refused.
      await page.getByRole('tab', { name: '监理与绩效评价' }).click();
      await pick(page, 'proc-supervisor-select', '贵州数字政府工程监理有限公司');
      await page.getByTestId('proc-supervisor-submit').click();
      await waitForText(refusal, '违反独立性规则（T5-8.2f）');
      await waitForText(page.getByTestId('proc-refusal-detail'), QY);
      await waitForText(page.getByTestId('proc-supervisor'), '尚未指派监理机构');

      await pick(page, 'proc-supervisor-select', '黔安信息安全测评中心有限公司');
      await page.getByTestId('proc-supervisor-submit').click();
      await toast(page, '监理机构已指派');
      await waitForText(page.getByTestId('proc-supervisor'), '黔安信息安全测评中心有限公司');

      await page.getByTestId('proc-next').click();
      await toast(page, '项目已进入“项目监管”');
      await state(page, '项目监管');
    });
  });

  test('the supervisor (qa.admin) records supervision', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'qa.admin', ids.project, '监理与绩效评价');
      await box(page, 'proc-record-observation').fill('视频汇聚节点部署与设计方案一致，等保测评材料齐备');
      await page.getByTestId('proc-record-submit').click();
      await toast(page, '监理记录已提交');
      await waitForText(page.getByTestId('proc-records'), '视频汇聚节点部署与设计方案一致');
      await waitForText(page.getByTestId('proc-records'), '符合要求');
    });
  });

  test('management starts the performance evaluation', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'gz.admin', ids.project);
      // Closing before the evaluation is refused in words.
      await page.getByTestId('proc-next').click();
      await toast(page, '项目已进入“绩效评价”');
      await state(page, '绩效评价');
      await page.getByTestId('proc-next').click();
      await waitForText(page.getByTestId('proc-refusal'), '关闭项目前，须完成绩效评价');
      await state(page, '绩效评价');
    });
  });

  test('the supervisor (qa.admin) evaluates the performance', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'qa.admin', ids.project, '监理与绩效评价');
      const score = box(page, 'proc-eval-score');
      await score.fill('92');
      await score.press('Tab');
      await box(page, 'proc-eval-findings').fill('按期交付，平台运行稳定，视频调阅时延达标');
      await page.getByTestId('proc-eval-submit').click();
      await toast(page, '绩效评价已提交');
      await waitForText(page.getByTestId('proc-score'), '92');
    });
  });

  test('management closes the project, sees its recorded history and the market concentration', async (t) => {
    await as(t, async (page) => {
      await openProject(page, 'gz.admin', ids.project);
      await page.getByTestId('proc-next').click();
      await toast(page, '项目已进入“已关闭”');
      await state(page, '已关闭');
      await page.getByRole('tab', { name: '流转记录' }).click();
      const rows = page.getByTestId('proc-history').locator('.el-table__body tr');
      await waitForText(rows.last(), '已关闭');
      assert.equal(await rows.count(), 6);
      assert.deepEqual(await axe(page), [], 'no serious accessibility violations on the project page');

      await page.getByTestId('nav-market-concentration').click();
      await settled(page);
      const plan = page.locator('[data-testid="market-group"][data-region="520000"][data-category="planning_consulting"]');
      await waitForText(plan, QY);
      // One provider holds every planning & consulting award in the province: HHI 10000.
      await waitForText(plan.getByTestId('market-hhi'), '10,000');
      assert.equal(await plan.getByTestId('market-warning').getAttribute('data-warning'), 'true');
      await waitForText(plan.getByTestId('market-warning'), '集中度预警');
      assert.deepEqual(await axe(page), [], 'no serious accessibility violations on the market view');
    });
    const gz = await apiSession('gz.admin');
    const p = (await gz.call('GET', `/procurement-projects/${ids.project}`)).body;
    assert.equal(p.state, 'closed');
    assert.equal(p.score, 92);
    assert.equal(p.supervisor_id, ids.qa);
    assert.deepEqual(p.lots.map((l) => l.awarded_provider_name), [QY, ZC, ZC]);
  });
});
