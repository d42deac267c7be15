/*
 * A refused order action in words. The server gives every refusal a stable rule code (the
 * problem's `rule`, or the rule of its first field error) and the figures it speaks of in
 * `params` (the budget's remaining and needed amounts, the trial's end date, the trial's
 * length); the code is translated through order.refusal.<rule>, and with its figures through
 * order.refusalDetail.<rule>. Anything else falls back to the console's general problem text,
 * and that to the server's own sentence.
 */
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';
import { useProblemText } from '@/composables/useProblem';
import { useFormat } from '@/utils/format';

type Params = Record<string, string | number | undefined>;

/* Which params a detailed message names, and how each is shown. */
const FIGURES: Record<string, (p: Params, f: ReturnType<typeof useFormat>) => Record<string, string> | null> = {
  budget_exceeded: (p, f) =>
    p.remaining_fen === undefined || p.needed_fen === undefined
      ? null
      : { line: String(p.budget_line ?? ''), remaining: f.money(Number(p.remaining_fen)), asked: f.money(Number(p.needed_fen)) },
  trial_not_over: (p, f) => (p.trial_ends_on ? { date: f.date(String(p.trial_ends_on)) } : null),
  trial_too_short: (p) => (p.trial_months === undefined ? null : { months: String(p.trial_months) }),
};

export function ruleOf(err: unknown): string {
  if (!(err instanceof ApiError)) return '';
  return err.problem.rule || err.problem.errors?.[0]?.rule || '';
}

export function useOrderRefusal() {
  const { t, te } = useI18n();
  const { describe } = useProblemText();
  const format = useFormat();

  function refusal(err: unknown): string {
    const rule = ruleOf(err);
    const problem = err instanceof ApiError ? err.problem : undefined;
    const figures = FIGURES[rule]?.((problem?.params ?? {}) as Params, format);
    if (figures) return t(`order.refusalDetail.${rule}`, figures);
    if (rule && te(`order.refusal.${rule}`)) return t(`order.refusal.${rule}`);
    return describe(err) || problem?.detail || '';
  }

  return { refusal };
}
