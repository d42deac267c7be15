/*
 * Dates and numbers in the chosen language. Times (created_at, audit `at`) are shown in the
 * logged-in institution's time zone; plain dates (valid_to) are calendar dates and never shift.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useSessionStore } from '@/stores/session';

export function useFormat() {
  const { locale } = useI18n();
  const session = useSessionStore();
  const tz = computed(() => session.timezone);

  function dateTime(iso: string | null | undefined): string {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return new Intl.DateTimeFormat(locale.value, {
      timeZone: tz.value, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }).format(d);
  }

  function date(ymd: string | null | undefined): string {
    if (!ymd) return '—';
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
    if (!m) return ymd;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return new Intl.DateTimeFormat(locale.value, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  }

  function month(ym: string): string {
    const m = /^(\d{4})-(\d{2})/.exec(ym);
    if (!m) return ym;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return new Intl.DateTimeFormat(locale.value, { timeZone: 'UTC', year: 'numeric', month: 'short' }).format(d);
  }

  function number(n: number | null | undefined): string {
    if (n === null || n === undefined) return '—';
    return new Intl.NumberFormat(locale.value).format(n);
  }

  /*
   * Money held as integer fen, shown as yuan with two decimals in the locale's way (¥1,234.50).
   * Integer arithmetic only: the locale formats the whole yuan (an integer, exact) and the two
   * fen digits replace its fraction, so no amount is ever divided into a binary fraction.
   */
  function money(fen: number | null | undefined): string {
    if (fen === null || fen === undefined) return '—';
    if (!Number.isSafeInteger(fen)) return String(fen);
    const { yuan, cents } = splitFen(fen);
    const nf = new Intl.NumberFormat(locale.value, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    /* -0 keeps the sign of an amount under one yuan */
    return nf.formatToParts(fen < 0 ? -yuan : yuan).map((p) => (p.type === 'fraction' ? cents : p.value)).join('');
  }

  return { dateTime, date, month, number, money, tz };
}

/*
 * A yuan amount typed by a person ("1234.5", "1,234.50") as integer fen, or null when it is not
 * one. Parsed as text, digit by digit: money never passes through floating point on its way in.
 */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/[,，\s]/g, ''));
  if (!m) return null;
  const cents = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(cents);
}

/* Whole yuan and the two fen digits of an amount's magnitude, by integer arithmetic. */
export function splitFen(fen: number): { yuan: number; cents: string } {
  const a = Math.abs(fen);
  const c = a % 100;
  return { yuan: (a - c) / 100, cents: String(c).padStart(2, '0') };
}

/* Integer fen as the plain yuan text a form shows ("1234.50"). */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const { yuan, cents } = splitFen(fen);
  return `${sign}${yuan}.${cents}`;
}

/*
 * Exact decimals (docs/billing.md: tier starts and unit prices travel as decimal strings, never
 * as floating point). A yuan amount with at most 6 decimals becomes the fen decimal the API
 * takes ("0.125" yuan → "12.5" fen) by moving the point, and back for display.
 */
function trimDecimal(whole: string, frac: string): string {
  const w = whole.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}
export function parseDecimal(text: string, places: number): string | null {
  const m = /^\s*(\d{1,15})(?:\.(\d+))?\s*$/.exec(text.replace(/[,，]/g, ''));
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > places) return null;
  return trimDecimal(m[1], frac);
}
export function yuanToFenDecimal(text: string): string | null {
  const d = parseDecimal(text, 6);
  if (d === null) return null;
  const [w, f = ''] = d.split('.');
  const padded = f.padEnd(2, '0');
  return trimDecimal(w + padded.slice(0, 2), padded.slice(2));
}
export function fenDecimalToYuan(fen: string): string {
  const [w, f = ''] = fen.split('.');
  const whole = w.padStart(3, '0');
  return trimDecimal(whole.slice(0, -2), whole.slice(-2) + f);
}

/* Today and today + n days as YYYY-MM-DD in the given zone. */
export function isoDay(tz: string, plusDays = 0): string {
  const d = new Date(Date.now() + plusDays * 86400000);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return parts; /* en-CA formats as YYYY-MM-DD */
}

/* Days from today (in tz) until a YYYY-MM-DD date; negative when past. */
export function daysUntil(ymd: string | undefined, tz: string): number {
  if (!ymd) return 0;
  const today = Date.parse(`${isoDay(tz)}T00:00:00Z`);
  const then = Date.parse(`${ymd.slice(0, 10)}T00:00:00Z`);
  return Math.round((then - today) / 86400000);
}
