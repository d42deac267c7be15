/*
 * The server explains a refused action (409, some 403 and 422) in one English sentence and, for
 * most of them, without a machine-readable rule code. This table recognises those sentences and
 * gives each its own message key, so that a refusal reads as the rule's reason in the chosen
 * language, with the names, states and relations it mentions. A sentence not in the table is
 * shown as the server wrote it. One table for every module: add a row when the API adds a rule.
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
  R(/^only the provider of (.+) may change it/, 'refusal.notProvider', 'text'),
  /* products (T5-7.1, T5-7.2a, T5-7.2b, T5-7.2e) */
  R(/^the provider already has a product named (.+)$/, 'refusal.productNameTaken', 'text'),
  R(/^the product already has a metric named (.+)$/, 'refusal.metricNameTaken', 'text'),
  R(/^a product needs at least one priced metric before it is tested/, 'refusal.needsMetric'),
  R(/^(.+) cannot go online: only a product whose newest test by an independent evaluator passed may be launched \(T5-7\.2e\); its state is (\w+) and its newest test (.+)$/, 'refusal.launch', 'text', 'state', 'test'),
  R(/^only a draft is submitted for test \(now (\w+)\)/, 'refusal.submitDraftOnly', 'state'),
  R(/^only an online product is taken offline \(now (\w+)\)/, 'refusal.withdrawOnlineOnly', 'state'),
  R(/^only a failed or offline product goes back to draft \(now (\w+)\)/, 'refusal.reviseOnly', 'state'),
  R(/^(.+) is eliminated already/, 'refusal.eliminatedAlready', 'text'),
  R(/^only an online product is recommended \(now (\w+)\)/, 'refusal.recommendOnlineOnly', 'state'),
  R(/^metrics are added in draft \(now (\w+)\)/, 'refusal.metricDraftOnly', 'state'),
  R(/^a product is tested when submitted, or retested when online or offline \(now (\w+)\)/, 'refusal.testableOnly', 'state'),
  R(/^name, category and resources change only in draft \(now (\w+)\)/, 'refusal.notDraft', 'state'),
  R(/^an eliminated product cannot change/, 'refusal.eliminatedFrozen'),
  R(/^elimination \(淘汰\) needs a reason/, 'refusal.eliminateReason'),
  R(/^only an evaluator that tested this product publishes its price basis/, 'refusal.priceNotTester'),
  R(/^a price basis of (.+) is already in force within (\S+)\.\.(\S+);/, 'refusal.priceOverlap', 'text', 'text', 'text'),
  R(/^the provider of (.+) is outside your jurisdiction/, 'refusal.outsideJurisdiction', 'text'),
  R(/^pool (\d+) is not a resource pool of this provider/, 'refusal.ownPool', 'text'),
];

const PREFIX: Record<Exclude<Part, 'text'>, string> = {
  state: 'prodState', test: 'testStatus', relation: 'relKind', what: 'refusal.what', poolStatus: 'poolStatus',
};

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
