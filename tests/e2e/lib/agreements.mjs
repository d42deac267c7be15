// Sets up, through the API, what the agreement pages show (T5-8.2a): a pool of 黔云数据科技有限公司
// (qy) for the service content, a draft agreement made by gz.admin, and an agreement in force
// signed by both parties with one breach. Names carry the run's suffix.
import { RUN, apiSession } from './harness.mjs';

async function ok(p, what) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

export const CLAUSES = [
  'responsibilities', 'service_content', 'quality_standards', 'security', 'breach_liability',
  'dispute_handling', 'ip_ownership', 'performance', 'fee_payment',
];

/* YYYY-MM-DD in Asia/Shanghai, today plus `days`. */
export function day(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86400000));
}

/* The provider qy: its institution, and a pool of it named after the tag. */
export async function seedProviderPool(tag) {
  const qy = await apiSession('qy.admin');
  const pool = (await ok(qy.call('POST', '/resource-pools', {
    name: `协议存储资源池${tag}${RUN}`, kind: 'storage', unit: 'object_gib', specification: '三副本对象存储', capacity: 2048, region: '520100', security_level: 3,
  }), 'pool')).body;
  return { qy, pool, provider: qy.session.institution };
}

export async function seedAgreements(tag = 'a11y') {
  const { qy, pool, provider } = await seedProviderPool(tag);
  const gz = await apiSession('gz.admin');
  const draft = (await ok(gz.call('POST', '/agreements', { provider_id: provider.id, title: `服务协议草稿${tag}${RUN}` }), 'draft')).body;
  const full = {
    provider_id: provider.id, title: `服务协议${tag}${RUN}`, valid_from: day(-10), valid_to: day(20),
    availability_bp: 9995, response_minutes: [5, 15, 30, 60], resolution_minutes: [60, 240, 480, 1440], pool_ids: [pool.id],
    ...Object.fromEntries(CLAUSES.map((c) => [c, `${c} 条款的约定内容`])),
  };
  const signed = (await ok(gz.call('POST', '/agreements', full), 'agreement')).body;
  await ok(gz.call('POST', `/agreements/${signed.id}/signatures`), 'management signs');
  await ok(qy.call('POST', `/agreements/${signed.id}/signatures`), 'provider signs');
  await ok(gz.call('POST', `/agreements/${signed.id}/breaches`, {
    clause: 'quality_standards', facts: '对象存储服务中断 3 小时', evidence: '监控告警记录', liability: '扣减当月服务费 5%', occurred_on: day(-1),
  }), 'breach');
  return { pool, provider, draft, signed };
}
