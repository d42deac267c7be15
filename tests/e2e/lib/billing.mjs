// Sets up, through the API, what the billing pages need: the online product of seedSupply (its
// metric listed at ¥500.00 per unit; the evaluator's basis is in force from today only), a small
// budget line of 贵州省公安厅, an order of the product's pool charged to that line, delivered
// (so its allocation carries the budget line), and one usage record of the allocation sent as
// NDJSON by the provider. The expected amounts are worked out here with integer arithmetic.
import { RUN, apiSession, BASE } from './harness.mjs';
import { seedSupply } from './supply.mjs';

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/* Today in China Standard Time, where billing months and days are counted. */
export const cstToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/* Integer fen as the console shows it in zh-CN (¥1,055.56). */
export function yuan(fen) {
  const c = fen % 100;
  return `¥${((fen - c) / 100).toLocaleString('en-US')}.${String(c).padStart(2, '0')}`;
}

/* Half up to the fen of quantity (millionths) × price (fen), by BigInt. */
export function rate(millionths, priceFen) {
  const x = BigInt(millionths) * BigInt(priceFen);
  return Number((x + 500000n) / 1000000n);
}

export async function seedBilling(tag = 'bill') {
  const supply = await seedSupply(`${tag}${RUN}`);
  const [gz, gat, qy] = await Promise.all([apiSession('gz.admin'), apiSession('u.gat.admin'), apiSession('qy.admin')]);
  const today = cstToday();
  // Only a month that has ended is rated (issue 12): the record lies on the last day of the
  // month before this one, where the basis published today is not yet in force (list price).
  const firstOfMonth = Date.parse(`${today.slice(0, 7)}-01T00:05:00+08:00`);
  const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(firstOfMonth - 86400000));
  const period = lastDay.slice(0, 7);
  const userId = gat.session.institution?.id ?? (await ok(gat.call('GET', '/session'), 'whoami')).institution.id;
  const code = `BL-${RUN}`;
  // The bill of `period` counts on a budget line of the period's fiscal year only (billing.h,
  // BILLING_BUDGET_BILLED_SQL), while an order is approved only on a line of today's fiscal year
  // (order.c, budget_year). In January the two differ: no line both takes the order and counts
  // December's bill, so say so here instead of timing out on the budget and spend steps.
  const fiscalYear = Number(period.slice(0, 4));
  if (fiscalYear !== Number(today.slice(0, 4))) {
    throw new Error(`billing seed: the billed month ${period} lies in fiscal year ${fiscalYear}, but an order is approved only on a line of ${today.slice(0, 4)} (budget_year); the bill would count on no line`);
  }
  // ¥1,172.84 billed of ¥1,340.00: 87.52 %, over the 80 % alert threshold, under 100 %.
  const line = await ok(gz.call('POST', '/budget-lines', {
    user_id: userId, fiscal_year: fiscalYear, code, name: '账单测试科目', amount_fen: 134000,
  }), 'budget line');
  const application = `计费测试系统${RUN}`;
  const order = await ok(gat.call('POST', '/orders', {
    application, justification: '计费联调：按量计费的对象存储', budget_line_id: line.id, estimated_fen: 10000,
    pool_ids: [supply.pool.id], quantities: [10],
  }), 'order');
  await ok(gz.call('POST', `/orders/${order.id}/approve`, { trial_months: 0, trial_justification: '计费联调环境，免于试用' }), 'approve');
  await ok(qy.call('POST', `/orders/${order.id}/deliver`, { note: '已开通' }), 'deliver');
  const delivered = await ok(gat.call('GET', `/orders/${order.id}`), 'order');
  const allocationId = delivered.items.find((i) => i.allocation_id)?.allocation_id;
  if (!allocationId) throw new Error(`order ${order.id} has no allocation: ${JSON.stringify(delivered.items)}`);

  // The service ran before the allocation (migrated onto the platform): the provider states its
  // start, or usage before the allocation's creation is refused (issue 12).
  await ok(qy.call('POST', `/resource-pools/${supply.pool.id}/allocations/${allocationId}/service-start`, {
    service_start: `${period}-01T00:00:00+08:00`, service_start_reason: '计费联调：业务由自建机房迁移上云',
  }), 'service start');
  // One record on the last day of last month (CST): 2.345678 units at the list price ¥500.00 =
  // 117283.9 fen → ¥1,172.84.
  const quantity = '2.345678';
  const start = new Date(Date.parse(`${lastDay}T00:05:00+08:00`)).toISOString();
  const end = new Date(Date.parse(`${lastDay}T01:05:00+08:00`)).toISOString();
  const ndjson = `${JSON.stringify({ id: `bill-${RUN}-1`, allocation_id: allocationId, metric_id: supply.metric.id, quantity, start, end })}\n`;
  const r = await fetch(`${BASE}/api/v1/usage`, {
    method: 'POST', headers: { Authorization: `Bearer ${qy.session.token}`, 'Content-Type': 'application/x-ndjson' }, body: ndjson,
  });
  const batch = await r.json();
  if (r.status !== 200 || batch.accepted !== 1) throw new Error(`usage: ${r.status} ${JSON.stringify(batch)}`);
  const amount = rate(2345678, 50000);
  return {
    ...supply, period, userId, code, line, application, order: order.id, allocationId, amount,
    providerName: qy.session.institution?.name ?? (await ok(qy.call('GET', '/session'), 'whoami')).institution.name,
  };
}
