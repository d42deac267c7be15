// Sets up, through the API, what the order pages need beyond the browser steps: the online
// product (seedSupply), the user agency's id, and an order taken to delivery with a justified
// zero-month trial (a browser cannot move the server's clock past a six-month trial).
import { apiSession } from './harness.mjs';
import { seedSupply } from './supply.mjs';

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function seedOrders(tag = 'ord') {
  const supply = await seedSupply(tag);
  const gz = await apiSession('gz.admin');
  const users = await ok(gz.call('GET', `/institutions?kind=user&q=${encodeURIComponent('贵州省公安厅')}`), 'user agency');
  return { ...supply, userId: users.items[0].id };
}

/* The id of the agency's budget line with this code. */
export async function budgetLineId(code) {
  const gat = await apiSession('u.gat.admin');
  const lines = await ok(gat.call('GET', '/budget-lines?limit=500'), 'budget lines');
  const line = lines.items.find((l) => l.code === code);
  if (!line) throw new Error(`no budget line ${code}`);
  return line.id;
}

/* An order of 贵州省公安厅 for the product, approved with a zero-month trial (justified) and
 * delivered: its trial is over on the day of delivery. */
export async function deliveredOrder({ product, line, application, estimateFen = 50000 }) {
  const [gat, gz, qy] = await Promise.all([apiSession('u.gat.admin'), apiSession('gz.admin'), apiSession('qy.admin')]);
  const o = await ok(gat.call('POST', '/orders', {
    application, justification: '户籍业务数据异地备份，满足等保三级容灾要求', budget_line_id: line, estimated_fen: estimateFen, product_ids: [product],
  }), 'apply');
  await ok(gz.call('POST', `/orders/${o.id}/approve`, { trial_months: 0, trial_justification: '该服务已在省政务云同类系统稳定运行一年，免于试用' }), 'approve');
  await ok(qy.call('POST', `/orders/${o.id}/deliver`, { note: '已开通备份空间' }), 'deliver');
  return o.id;
}
