// Issue 12 in the console: management records why a metric's price basis may start in a past month
// (until then such a basis is refused as price_backdated), and a provider states an allocation's
// earlier start of service with a reason (a service migrated onto the platform), which management
// then sees as a tag with the reason. Both dialogs pass axe.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RUN, apiSession, axe, dialog, fill, login, openBrowser, pickDate, settled, shot, waitForText } from '../lib/harness.mjs';
import { seedSupply } from '../lib/supply.mjs';

const cst = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
const today = cst(Date.now());
/* The first day of last month (CST) and the day before this month began. */
const monthStart = Date.parse(`${today.slice(0, 7)}-01T12:00:00+08:00`);
const lastMonthEnd = cst(monthStart - 86400000);
const lastMonthStart = `${lastMonthEnd.slice(0, 7)}-01`;

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

describe('issue 12: back-dating reasons and earlier service starts', () => {
  let seed;
  before(async () => {
    seed = await seedSupply(`bd${RUN}`);
  });

  test('management records why a price basis may start last month; the evaluator may then publish it', async (t) => {
    const qa = await apiSession('qa.admin');
    const basis = { price_fen: 40000, measurement: '迁移前的实测结果', valid_from: lastMonthStart, valid_to: lastMonthEnd };
    const path = `/products/${seed.product.id}/metrics/${seed.metric.id}/price-basis`;
    // Without a recorded reason the back-dated basis is refused.
    const refused = await qa.call('POST', path, basis);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));

    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'gz.admin', { path: `/products/${seed.product.id}?tab=metrics` });
        await page.getByTestId('price-backdate-备份容量').click();
        const d = dialog(page, '准许价格基础追溯生效');
        await d.waitFor();
        // A day of this month is not a back-dating: the form says so before asking the server.
        await pickDate(d, '最早生效日', today.slice(0, 8) + '01');
        await waitForText(d, '请选择本月第一天之前的日期');
        await pickDate(d, '最早生效日', lastMonthStart);
        await fill(d, '理由', `业务自${lastMonthStart}起已在原平台按此价格运行${RUN}`);
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        await page.getByTestId('backdate-save').click();
        await waitForText(page.locator('.el-message'), '备份容量：价格基础现可自');
        assert.equal(b.errors.length, 0, b.errors.join('\n'));
      });
    } finally {
      await b.close();
    }
    const accepted = await qa.call('POST', path, basis);
    assert.ok(accepted.status < 300, `${accepted.status} ${JSON.stringify(accepted.body)}`);
  });

  test('the provider states an earlier start of service; management sees the tag and the reason', async (t) => {
    const [qy, gat] = await Promise.all([apiSession('qy.admin'), apiSession('u.gat.admin')]);
    const application = `迁移上云系统${RUN}`;
    const alloc = await ok(qy.call('POST', `/resource-pools/${seed.pool.id}/allocations`, {
      user_id: gat.session.institution?.id ?? (await ok(gat.call('GET', '/session'), 'whoami')).institution.id, application, quantity: 5,
    }), 'allocation');
    const reason = `由自建机房迁移上云${RUN}`;

    const b = await openBrowser();
    const { page } = b;
    try {
      await shot(t, page, async () => {
        await login(page, 'qy.admin', { path: '/allocations' });
        await settled(page);
        await page.getByTestId(`alloc-service-start-${alloc.id}`).click();
        const d = dialog(page, '更早的服务开始时间');
        await d.waitFor();
        await pickDate(d, '服务开始时间', `${lastMonthStart} 00:00:00`);
        await fill(d, '理由', reason);
        const violations = await axe(page);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        await page.getByTestId('service-start-save').click();
        await waitForText(page.locator('.el-message'), '已记录更早的服务开始时间');
        await waitForText(page.locator('.el-table__body tr', { hasText: application }), '迁移上云');
        assert.equal(b.errors.length, 0, b.errors.join('\n'));
      });
    } finally {
      await b.close();
    }
    const list = await ok(qy.call('GET', `/resource-pools/${seed.pool.id}/allocations`), 'allocations');
    const got = list.items.find((a) => a.id === alloc.id);
    assert.equal(got.service_start_reason, reason);
    assert.equal(Date.parse(got.service_start), Date.parse(`${lastMonthStart}T00:00:00+08:00`));

    // Management sees it on its allocation list, with the reason in the tag's tooltip.
    const m = await openBrowser();
    try {
      await shot(t, m.page, async () => {
        await login(m.page, 'gz.admin', { path: '/allocations' });
        await settled(m.page);
        const row = m.page.locator('.el-table__body tr', { hasText: application });
        await row.getByTestId('alloc-migrated').hover();
        await waitForText(m.page.locator('.el-popper'), reason);
      });
    } finally {
      await m.close();
    }
  });
});
