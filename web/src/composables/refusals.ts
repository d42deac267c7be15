/*
 * A refused action in the chosen language. Refusals of a lifecycle transition (and the route
 * guard's permission refusal) carry a stable rule code and their figures (`params`): RULES
 * translates them by code, with no sentence parsing. The refusals of the resource and product
 * modules that still come without a rule code (names taken, tests already open or recorded,
 * capacity, the price basis …) are recognised by their English sentence in REFUSALS until the
 * server gives them codes too; a sentence in neither table is shown as the server wrote it.
 */

/* How a captured part is shown: as written, or translated through a message-key prefix. */
type Part = 'text' | 'state' | 'test' | 'relation' | 'what' | 'poolStatus';

interface Refusal {
  re: RegExp;
  key: string;
  parts: Part[];
}

const R = (re: RegExp, key: string, ...parts: Part[]): Refusal => ({ re, key, parts });

export const REFUSALS: Refusal[] = [
  /* T5-8.2f: independence of evaluators */
  R(/^(.+) has a declared (\w+) interest relation with the provider (.+) and cannot test its (resources|products)/, 'refusal.interestRelation', 'text', 'relation', 'text', 'what'),
  R(/^(?:conformity tests are assigned|products are tested|tests are assigned) (?:to|by) an active evaluation agency/, 'refusal.notEvaluator'),
  R(/^a conformity test of (.+) is already under way/, 'refusal.poolTestOpen', 'text'),
  R(/^a test of (.+) is already under way/, 'refusal.productTestOpen', 'text'),
  R(/^the result of this test is recorded already \((\w+)\)/, 'refusal.testRecorded', 'test'),
  R(/^only the assigned evaluator (.+) records this test/, 'refusal.notAssignedEvaluator', 'text'),
  /* resources (T5-6.2b) */
  R(/^the provider already has a pool named (.+)$/, 'refusal.poolNameTaken', 'text'),
  R(/^(\d+) units are allocated; capacity cannot go below that/, 'refusal.belowAllocated', 'text'),
  R(/^the pool changed meanwhile/, 'refusal.poolChanged'),
  R(/^the pool (.+) is (\w+): nothing can be allocated/, 'refusal.poolInactive', 'text', 'poolStatus'),
  R(/^only (\d+) of (\d+) (\S+) are free in (.+); (\d+) asked/, 'refusal.capacity', 'text', 'text', 'text', 'text', 'text'),
  R(/^the allocation was released already/, 'refusal.released'),
  R(/^allocations go to an active user agency/, 'refusal.notUserAgency'),
  R(/^(.+) is not a unit of (\w+) resources/, 'refusal.unitOfKind', 'text', 'text'),
  /* products (T5-7.1, T5-7.2a, T5-7.2b, T5-7.2e) */
  R(/^the provider already has a product named (.+)$/, 'refusal.productNameTaken', 'text'),
  R(/^the product already has a metric named (.+)$/, 'refusal.metricNameTaken', 'text'),
  R(/^only an online product is recommended \(now (\w+)\)/, 'refusal.recommendOnlineOnly', 'state'),
  R(/^metrics are added in draft \(now (\w+)\)/, 'refusal.metricDraftOnly', 'state'),
  R(/^a product is tested when submitted, or retested when online or offline \(now (\w+)\)/, 'refusal.testableOnly', 'state'),
  R(/^name, category and resources change only in draft \(now (\w+)\)/, 'refusal.notDraft', 'state'),
  R(/^an eliminated product cannot change/, 'refusal.eliminatedFrozen'),
  R(/^elimination \(淘汰\) needs a reason/, 'refusal.eliminateReason'),
  R(/^only an evaluator that tested this product publishes its price basis/, 'refusal.priceNotTester'),
  R(/^a price basis of (.+) is already in force within (\S+)\.\.(\S+);/, 'refusal.priceOverlap', 'text', 'text', 'text'),
  R(/^pool (\d+) is not a resource pool of this provider/, 'refusal.ownPool', 'text'),
];

const PREFIX: Record<Exclude<Part, 'text'>, string> = {
  state: 'prodState', test: 'testStatus', relation: 'relKind', what: 'refusal.what', poolStatus: 'poolStatus',
};

type Params = Record<string, string | number | undefined>;
interface RuleRow {
  key: (p: Params) => string;
  parts: [string, Part][];
}
const K = (key: string, ...parts: [string, Part][]): RuleRow => ({ key: () => key, parts });

/* Rule code → message key and the params it shows, in order ({0}, {1} …). One row per rule; a
 * code shared by two refusals picks its key by the action in params. */
export const RULES: Record<string, RuleRow> = {
  metric_required: K('refusal.needsMetric'),
  not_passed: K('refusal.launch', ['name', 'text'], ['state', 'state'], ['latest_test', 'test']),
  not_draft: K('refusal.submitDraftOnly', ['state', 'state']),
  not_online: {
    key: (p) => (p.action === 'withdraw' ? 'refusal.withdrawOnlineOnly' : 'refusal.recommendOnlineOnly'),
    parts: [['state', 'state']],
  },
  not_revisable: K('refusal.reviseOnly', ['state', 'state']),
  eliminated: K('refusal.eliminatedAlready', ['name', 'text']),
  not_the_provider: K('refusal.notProvider', ['name', 'text']),
  outside_jurisdiction: K('refusal.outsideJurisdiction', ['name', 'text']),
  permission: K('refusal.permission', ['permission', 'text']),
  not_active: K('refusal.poolNotActive', ['name', 'text'], ['state', 'poolStatus']),
  not_suspended: K('refusal.poolNotSuspended', ['name', 'text'], ['state', 'poolStatus']),
  retired: K('refusal.poolRetired', ['name', 'text']),
  pool_in_use: K('refusal.poolInUse', ['name', 'text'], ['allocated', 'text']),
};

/* The sentence for a refusal with a known rule code, else null. */
export function translateRule(
  rule: string | undefined,
  params: Params | undefined,
  t: (key: string, list: unknown[]) => string,
  te: (key: string) => boolean,
): string | null {
  const row = rule ? RULES[rule] : undefined;
  if (!row) return null;
  const p = params ?? {};
  const list = row.parts.map(([name, part]) => {
    const v = String(p[name] ?? (part === 'test' ? 'none' : ''));
    const key = part === 'text' ? '' : `${PREFIX[part]}.${v.replace(/\s+/g, '_') || 'none'}`;
    return key && te(key) ? t(key, []) : v;
  });
  return t(row.key(p), list);
}

/* The sentence for a refusal the table knows, else null. */
export function translateRefusal(
  detail: string | undefined,
  t: (key: string, list: unknown[]) => string,
  te: (key: string) => boolean,
): string | null {
  if (!detail) return null;
  for (const r of REFUSALS) {
    const m = r.re.exec(detail);
    if (!m) continue;
    const params = r.parts.map((p, i) => {
      const v = m[i + 1] ?? '';
      const key = p === 'text' ? '' : `${PREFIX[p]}.${v.replace(/\s+/g, '_')}`;
      return key && te(key) ? t(key, []) : v;
    });
    return t(r.key, params);
  }
  return null;
}
