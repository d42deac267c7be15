/*
 * What the billing pages share: the colours of the states, billing months (China Standard Time,
 * as the server counts them), the quality coefficient as typed text, and budget use in per cent
 * by integer arithmetic.
 */
import { isoDay } from '@/utils/format';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export function billStateType(s?: string): TagType {
  if (s === 'draft') return 'warning';
  if (s === 'issued') return 'success';
  return 'info';
}

/* Billing months are those of UTC+08:00 whatever the viewer's zone (docs/billing.md). */
export function thisMonth(): string {
  return isoDay('Asia/Shanghai').slice(0, 7);
}

/* The newest month that can be rated: a month that has not ended is refused (issue 12). */
export function lastMonth(): string {
  return monthsBefore(thisMonth(), 1);
}

export function monthsBefore(period: string, n: number): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7)) - 1 - n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}`;
}

/* A coefficient as the API takes it: 0 to 2 with at most four decimals ("0.9500"). */
export function coefficientOk(text: string): boolean {
  const m = /^(\d)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) return false;
  const whole = Number(m[1]);
  return whole < 2 || (whole === 2 && /^0*$/.test(m[2] ?? ''));
}

/* "0.95" → "0.9500": the form sends four places. */
export function coefficientText(text: string): string {
  const [w, f = ''] = text.trim().split('.');
  return `${w}.${f.padEnd(4, '0')}`;
}

/* Whole per cent of use (rounded down) for a progress bar, by integer arithmetic. */
export function usePct(used: number | null | undefined, amount: number | null | undefined): number {
  if (!used || !amount || amount <= 0) return 0;
  const x = used * 100;
  return (x - (x % amount)) / amount;
}

/* The default thresholds of budget alerts (configuration key budget_alert_thresholds). */
export const ALERT_THRESHOLDS = [80, 100] as const;

/* The bar's colour at the thresholds: normal below the first, warning from it, exception at 100. */
export function pctStatus(pct: number): '' | 'warning' | 'exception' {
  if (pct >= ALERT_THRESHOLDS[1]) return 'exception';
  if (pct >= ALERT_THRESHOLDS[0]) return 'warning';
  return '';
}
