// Sets up, through the API, what the pages of issue 4 show: a provider's pool and an online
// product with a priced metric that passed its test by the independent evaluator, a price basis,
// and published editions of both catalogues. Names carry the run's suffix.
import { RUN, apiSession } from './harness.mjs';

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function seedSupply(tag = 'a11y') {
  const [qy, gz, qa] = await Promise.all([apiSession('qy.admin'), apiSession('gz.admin'), apiSession('qa.admin')]);
  const evaluator = (await ok(gz.call('GET', '/institutions?kind=evaluator&limit=50'), 'evaluators')).items.find((i) => i.name.startsWith('黔安'));
  const pool = await ok(qy.call('POST', '/resource-pools', {
    name: `对象存储资源池${tag}${RUN}`, kind: 'storage', unit: 'object_gib', specification: '三副本对象存储', capacity: 10240, region: '520100', security_level: 3,
  }), 'pool');
  const test = await ok(gz.call('POST', `/resource-pools/${pool.id}/conformity-tests`, { evaluator_id: evaluator.id }), 'conformity test');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  await ok(qa.call('PATCH', `/conformity-tests/${test.id}`, { result: 'passed', report_ref: `R-${tag}${RUN}`, tested_on: today }), 'conformity result');
  const product = await ok(qy.call('POST', '/products', {
    name: `政务数据备份服务${tag}${RUN}`, category: 'operation_maintenance', description: '异地容灾备份', region: '520100', pool_ids: [pool.id],
  }), 'product');
  const metric = await ok(qy.call('POST', `/products/${product.id}/metrics`, { name: '备份容量', unit: 'TB·月', method: '按月末占用量计', list_price_fen: 50000 }), 'metric');
  await ok(qy.call('POST', `/products/${product.id}/submit`, {}), 'submit');
  const ptest = await ok(gz.call('POST', `/products/${product.id}/tests`, { evaluator_id: evaluator.id }), 'product test');
  await ok(qa.call('PATCH', `/product-tests/${ptest.id}`, { result: 'passed', report_ref: `P-${tag}${RUN}`, tested_on: today }), 'product result');
  await ok(qa.call('POST', `/products/${product.id}/metrics/${metric.id}/price-basis`, {
    price_fen: 45000, measurement: '实测恢复时间 4 小时', valid_from: today, valid_to: `${Number(today.slice(0, 4)) + 2}-12-31`,
  }), 'price basis');
  await ok(qy.call('POST', `/products/${product.id}/launch`, {}), 'launch');
  const products = await ok(gz.call('POST', '/catalogues/products/editions'), 'publish products');
  await ok(gz.call('POST', '/catalogues/resources/editions'), 'publish resources');
  return { pool, product, metric, edition: products.edition, publisher: gz.session.institution.id };
}
