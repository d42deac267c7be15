// Orders (issue 5): from application to acceptance. Management (gz.admin) records a budget line
// for 贵州省公安厅; the agency (u.gat.admin) applies for an online product with its business
// need; management first tries a 3-month trial without a reason (refused, the rule in words),
// then approves with the default six months; the provider (qy.admin) delivers; the agency tries
// to accept before the trial is over (refused in words). A second order, approved with a
// justified zero-month trial and delivered through the API (the browser cannot move the server's
// clock), is accepted in the browser with a rating and a comment; the provider answers the
// feedback and the thread shows both.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RUN, apiSession, axe, dialog, fill, login, openBrowser, settled, shot, waitForText } from '../lib/harness.mjs';
import { budgetLineId, deliveredOrder, seedOrders } from '../lib/orders.mjs';

const CODE = `GA-${RUN}`;
const APP = `警务数据备份${RUN}`;
const APP2 = `户籍数据备份${RUN}`;
const COMMENT = `备份恢复演练顺利${RUN}`;
const ANSWER = `感谢反馈，将每季度组织一次恢复演练${RUN}`;

/* Picks the option of an Element Plus select found by its test id. */
async function pick(page, testid, option) {
  await page.getByTestId(testid).locator('.el-select__wrapper').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

const toast = (page, text) => waitForText(page.locator('.el-message'), text);

describe('orders: application, approval, delivery, trial and acceptance with feedback', () => {
  const ids = {};

  before(async () => {
    const seed = await seedOrders(`ord${RUN}`);
    ids.product = seed.product.id;
    ids.productName = seed.product.name;
  });

  test('management (gz.admin) records a budget line for 贵州省公安厅', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin');
        await page.getByTestId('nav-budget-lines').click();
        await page.getByTestId('budget-create').click();
        const d = dialog(page, '新增预算科目');
        await pick(page, 'budget-agency', '贵州省公安厅');
        await fill(d, '科目编码', CODE);
        await fill(d, '科目名称', '政务云服务费');
        await fill(d, '预算金额（元）', '500000.00');
        await page.getByTestId('budget-save').click();
        await toast(page, '预算科目已保存');
        const row = page.locator('.el-table__body tr', { hasText: CODE });
        await waitForText(row, '贵州省公安厅');
        await waitForText(row, '¥500,000.00');
      });
    } finally {
      await b.close();
    }
  });

  test('the agency (u.gat.admin) applies with its business need', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.admin');
        await page.getByTestId('nav-order-new').click();
        await page.getByTestId('order-application').fill(APP);
        await page.getByTestId('order-justification').fill('公安业务数据需要异地容灾备份，满足等保三级要求');
        await pick(page, 'order-budget', CODE);
        await page.getByTestId('order-estimate').fill('1200.00');
        await pick(page, 'order-products', ids.productName);
        await page.keyboard.press('Escape');
        // The price basis in force (T5-7.2e) is shown as the reference for the estimate.
        await waitForText(page.getByTestId('order-price-basis'), '¥450.00/TB·月');
        await page.getByTestId('order-submit').click();
        await waitForText(page.getByTestId('order-title'), APP);
        await waitForText(page.getByTestId('order-state'), '已申请');
        ids.order = Number(page.url().match(/orders\/(\d+)/)[1]);
        // Only the management institution approves: the agency has no such button.
        assert.equal(await page.getByTestId('act-approve').count(), 0);
      });
    } finally {
      await b.close();
    }
  });

  test('management refuses a 3-month trial without a reason (in words), then approves six months', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin', { path: `/orders/${ids.order}` });
        await waitForText(page.getByTestId('order-state'), '已申请');
        await page.getByTestId('act-approve').click();
        const trial = page.locator('[data-testid=approve-trial-months] input, input[data-testid=approve-trial-months]').first();
        await trial.fill('3');
        await trial.press('Tab');
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('order-refusal'), '试用期 3 个月短于 6 个月，须填写缩短理由（T5-7.2d）');
        await waitForText(page.getByTestId('order-state'), '已申请');
        // The default six months needs no reason.
        await page.getByTestId('act-approve').click();
        await page.getByTestId('act-confirm').click();
        await toast(page, '订单已批准');
        await waitForText(page.getByTestId('order-state'), '已批准');
        await waitForText(page.getByTestId('order-trial-months'), '6');
      });
    } finally {
      await b.close();
    }
  });

  test('the provider (qy.admin) delivers; the trial starts', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin');
        await page.getByTestId('nav-orders').click();
        await settled(page);
        await page.getByTestId('order-link').filter({ hasText: APP }).click();
        await waitForText(page.getByTestId('order-state'), '已批准');
        await page.getByTestId('act-deliver').click();
        await page.getByTestId('deliver-note').fill('备份空间已开通');
        await page.getByTestId('act-confirm').click();
        await toast(page, '已交付，试用期开始');
        await waitForText(page.getByTestId('order-state'), '试用中');
        await waitForText(page.getByTestId('order-trial-countdown'), '试用期剩余');
      });
    } finally {
      await b.close();
    }
  });

  test('the agency cannot accept before the trial is over (in words); accepts a justified short trial with a rating', async (t) => {
    ids.line = await budgetLineId(CODE);
    ids.order2 = await deliveredOrder({ product: ids.product, line: ids.line, application: APP2 });
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.admin', { path: `/orders/${ids.order}` });
        await waitForText(page.getByTestId('order-state'), '试用中');
        await page.getByTestId('act-accept').click();
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('order-refusal'), '试用期至');
        await waitForText(page.getByTestId('order-refusal'), '结束，届时方可验收（T5-7.2d）');
        await waitForText(page.getByTestId('order-state'), '试用中');

        // The second order's trial (zero months, justified by management) is over.
        await page.goto(`/orders/${ids.order2}`);
        await waitForText(page.getByTestId('order-state'), '试用中');
        await waitForText(page.getByTestId('order-trial-countdown'), '试用期已结束，可以验收');
        await page.getByTestId('act-accept').click();
        await page.locator('[data-testid=accept-rating] .el-rate__item, [data-testid=accept-rating].el-rate .el-rate__item').nth(3).click();
        await page.getByTestId('accept-comment').fill(COMMENT);
        await page.getByTestId('act-confirm').click();
        await toast(page, '已验收，订单进入服务期');
        await waitForText(page.getByTestId('order-state'), '服务中');
        await page.getByRole('tab', { name: '反馈与评价' }).click();
        await waitForText(page.getByTestId('feedback-comment'), COMMENT);
      });
    } finally {
      await b.close();
    }
  });

  test('in English the same refusal reads the rule in English', async (t) => {
    const b = await openBrowser({ locale: 'en' });
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'u.gat.admin', { path: `/orders/${ids.order}` });
        await waitForText(page.getByTestId('order-state'), 'In trial');
        await page.getByTestId('act-accept').click();
        await page.getByTestId('act-confirm').click();
        await waitForText(page.getByTestId('order-refusal'), 'The trial runs until');
        await waitForText(page.getByTestId('order-refusal'), 'accept it on or after that day (T5-7.2d)');
      });
    } finally {
      await b.close();
    }
  });

  test('the provider answers the feedback; the thread shows both', async (t) => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin', { path: `/orders/${ids.order2}` });
        await waitForText(page.getByTestId('order-state'), '服务中');
        await page.getByRole('tab', { name: '反馈与评价' }).click();
        const entry = page.getByTestId('feedback-entry').filter({ hasText: COMMENT });
        await entry.getByTestId('feedback-answer-input').fill(ANSWER);
        await entry.getByTestId('feedback-answer-submit').click();
        await toast(page, '已答复');
        await waitForText(entry.getByTestId('feedback-answer'), ANSWER);
        await waitForText(entry, COMMENT);
      });
    } finally {
      await b.close();
    }
    // The agency reads the same thread: its rating and comment with the provider's answer.
    const gat = await apiSession('u.gat.admin');
    const r = await gat.call('GET', `/orders/${ids.order2}/feedback`);
    assert.equal(r.status, 200);
    assert.equal(r.body.items[0].rating, 4);
    assert.equal(r.body.items[0].comment, COMMENT);
    assert.equal(r.body.items[0].answers[0].text, ANSWER);
  });

  test('the order pages have no serious or critical WCAG 2 A/AA violation (axe)', async (t) => {
    for (const who of ['u.gat.admin', 'gz.admin', 'qy.admin']) {
      const b = await openBrowser();
      const { page } = b;
      try {
        await shot(t, page, async () => {
          await login(page, who);
          const pages = [
            ['/orders', () => page.getByTestId('order-state-tabs').waitFor()],
            [`/orders/${ids.order2}`, () => page.getByTestId('order-info').waitFor()],
          ];
          if (who !== 'qy.admin') pages.push(['/budget-lines', () => page.locator('h1', { hasText: '预算科目' }).waitFor()]);
          if (who === 'u.gat.admin') pages.push(['/orders/new', () => page.getByTestId('order-submit').waitFor()]);
          for (const [path, ready] of pages) {
            await page.goto(path);
            await ready();
            const v = await axe(page);
            assert.equal(v.length, 0, `axe on ${path} as ${who}:\n${v.map((x) => `${x.impact} ${x.id}: ${x.help} — ${x.nodes.join(' | ')}`).join('\n')}`);
          }
          await page.goto(`/orders/${ids.order2}`);
          await page.getByRole('tab', { name: '反馈与评价' }).click();
          await page.getByTestId('feedback-entry').first().waitFor();
          const v = await axe(page);
          assert.equal(v.length, 0, `axe on the feedback thread as ${who}:\n${v.map((x) => `${x.impact} ${x.id}: ${x.help} — ${x.nodes.join(' | ')}`).join('\n')}`);
        });
      } finally {
        await b.close();
      }
    }
  });
});
