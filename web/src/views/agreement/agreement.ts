/*
 * What the agreement pages share: the state tags, the completeness rules of T5-8.2a as the server
 * checks them before signing (so that a draft shows which clauses are still empty), availability
 * in percent ↔ basis points (parsed as text, never through floating point), and the reading of a
 * refused signature (problem+json `errors`) as the list of what is missing.
 */
import { ApiError } from '@/api/client';
import { AGREEMENT_CLAUSES, type Agreement, type AgreementClause } from '@/api/types';

/* The expiry warning: agreements in force that end within this many days. */
export const EXPIRY_DAYS = 30;

export function stateType(s: string | undefined): 'info' | 'warning' | 'success' | 'danger' | 'primary' {
  switch (s) {
    case 'draft': return 'info';
    case 'signing': return 'warning';
    case 'in_force': return 'success';
    case 'expired': return 'danger';
    default: return 'info';
  }
}

/* The content that decides completeness: what the form holds, or what the agreement holds. */
export interface Content {
  clauses: Record<string, string>;
  availability_bp: number;
  response_minutes: number[];
  resolution_minutes: number[];
  product_ids: number[];
  pool_ids: number[];
  valid_from: string;
  valid_to: string;
}

export function contentOf(a: Agreement): Content {
  return {
    clauses: { ...(a.clauses ?? {}) },
    availability_bp: a.availability_bp ?? 0,
    response_minutes: [...(a.response_minutes ?? [])],
    resolution_minutes: [...(a.resolution_minutes ?? [])],
    product_ids: [...(a.product_ids ?? [])],
    pool_ids: [...(a.pool_ids ?? [])],
    valid_from: a.valid_from ?? '',
    valid_to: a.valid_to ?? '',
  };
}

/* Characters, not UTF-16 units: the server counts code points (utf8_length). */
const chars = (s: string | undefined) => [...(s ?? '')].length;

/* Whether one clause is complete, by the server's rules (check_complete in agreement.c). */
export function clauseComplete(c: AgreementClause, v: Content): boolean {
  if (chars(v.clauses[c]) < 2) return false;
  if (c === 'service_content') return v.product_ids.length + v.pool_ids.length > 0;
  if (c === 'quality_standards') return v.availability_bp > 0 && v.response_minutes.length === 4 && v.resolution_minutes.length === 4;
  return true;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function periodComplete(v: Content): boolean {
  return DATE.test(v.valid_from) && DATE.test(v.valid_to) && v.valid_from < v.valid_to;
}

export function missingClauses(v: Content): AgreementClause[] {
  return AGREEMENT_CLAUSES.filter((c) => !clauseComplete(c, v));
}

/* "99.95" → 9995; null when it is not a percentage with at most two decimals. */
export function percentToBp(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10000 ? bp : null;
}

/* 9995 → "99.95"; 0 → "". */
export function bpToPercent(bp: number | undefined): string {
  if (!bp) return '';
  const frac = bp % 100;
  return frac ? `${Math.floor(bp / 100)}.${String(frac).padStart(2, '0').replace(/0$/, '')}` : String(bp / 100);
}

/* One unmet requirement of a refused signature: a clause, or another part of the agreement. */
export interface Gap {
  key: 'clause' | 'items_required' | 'availability_bp' | 'response_minutes' | 'valid_to' | 'other';
  clause?: AgreementClause;
  message?: string;
}

/* The unmet requirements a 409 of POST …/signatures lists in `errors`, or null for other errors. */
export function signingGaps(err: unknown): Gap[] | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const errors = err.problem.errors ?? [];
  if (!errors.length) return null;
  return errors.map((e): Gap => {
    const f = e.field ?? '';
    if ((AGREEMENT_CLAUSES as string[]).includes(f) && e.rule === 'required_for_signing') return { key: 'clause', clause: f as AgreementClause };
    if (e.rule === 'items_required') return { key: 'items_required' };
    if (f === 'availability_bp' || f === 'response_minutes' || f === 'valid_to') return { key: f };
    return { key: 'other', message: e.message };
  });
}

/* The newer versions and the older ones of an agreement, oldest first, from the agreements seen. */
export function versionChain(current: Agreement, all: Agreement[]): Agreement[] {
  const byId = new Map(all.map((a) => [a.id!, a]));
  byId.set(current.id!, current);
  const chain: Agreement[] = [current];
  const seen = new Set<number>([current.id!]);
  for (let p = current.previous_id; p && byId.has(p) && !seen.has(p); p = byId.get(p)!.previous_id) {
    seen.add(p);
    chain.unshift(byId.get(p)!);
  }
  for (;;) {
    const last = chain[chain.length - 1];
    const next = all.find((a) => a.previous_id === last.id && !seen.has(a.id!));
    if (!next) break;
    seen.add(next.id!);
    chain.push(next);
  }
  return chain;
}
