/* Shared by the dashboards: what expires in the next 90 days, counted by month. */
import { agreementApi, certificateApi, qualificationApi } from '@/api/endpoints';
import type { Agreement, Certificate, Qualification } from '@/api/types';
import { isoDay } from '@/utils/format';

export const HORIZON_DAYS = 90;

export async function expiringCertificates(tz: string): Promise<{ items: Certificate[]; total: number }> {
  const p = await certificateApi.list({ expiring_before: isoDay(tz, HORIZON_DAYS), limit: 500, total: true });
  return { items: p.items, total: p.total ?? p.items.length };
}

export async function expiringQualifications(tz: string): Promise<{ items: Qualification[]; total: number }> {
  const p = await qualificationApi.list({ expiring_before: isoDay(tz, HORIZON_DAYS), limit: 500, total: true });
  return { items: p.items, total: p.total ?? p.items.length };
}

/* The months from this one through the horizon, as YYYY-MM. */
export function horizonMonths(tz: string): string[] {
  const first = isoDay(tz).slice(0, 7);
  const last = isoDay(tz, HORIZON_DAYS).slice(0, 7);
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number);
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    out.push(ym);
    if (ym >= last) break;
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

/* Counts per month; dates before this month (already expired) count in the first. */
export function countByMonth(dates: (string | undefined)[], months: string[]): number[] {
  const counts = months.map(() => 0);
  for (const d of dates) {
    if (!d) continue;
    const ym = d.slice(0, 7);
    let i = months.indexOf(ym);
    if (i < 0) i = ym < months[0] ? 0 : months.length - 1;
    counts[i] += 1;
  }
  return counts;
}

/* Service agreements in force whose period ends within `days` days (T5-8.2a expiry warning). */
export async function expiringAgreements(tz: string, days: number): Promise<{ items: Agreement[]; total: number }> {
  const p = await agreementApi.list({ expiring_before: isoDay(tz, days + 1), limit: 100, total: true });
  const items = [...p.items].sort((a, b) => (a.valid_to ?? '').localeCompare(b.valid_to ?? ''));
  return { items, total: p.total ?? p.items.length };
}
