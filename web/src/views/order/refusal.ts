/*
 * A refused order action in words. The server gives every refusal a stable rule code (the
 * problem's `rule`, or the rule of its first field error); the code is translated through
 * order.refusal.<rule>, and for the rules whose English detail carries figures (the budget's
 * remaining and asked amounts, the trial's end date, the trial's length) the figures are taken
 * from it into order.refusalDetail.<rule>. Anything else falls back to the console's general
 * problem text, and that to the server's own sentence.
 */
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';
import { useProblemText } from '@/composables/useProblem';
import { useFormat } from '@/utils/format';

const FIGURES: Record<string, { re: RegExp; names: string[]; money?: string[] }> = {
  budget_exceeded: { re: /budget line (.+) has (-?\d+) fen remaining; the order needs (\d+) fen/, names: ['line', 'remaining', 'asked'], money: ['remaining', 'asked'] },
  trial_not_over: { re: /runs until (\d{4}-\d{2}-\d{2})/, names: ['date'] },
  trial_too_short: { re: /trial period of (\d+) months/, names: ['months'] },
};

export function ruleOf(err: unknown): string {
  if (!(err instanceof ApiError)) return '';
  return err.problem.rule || err.problem.errors?.[0]?.rule || '';
}

export function useOrderRefusal() {
  const { t, te } = useI18n();
  const { describe } = useProblemText();
  const { money, date } = useFormat();

  function refusal(err: unknown): string {
    const rule = ruleOf(err);
    const detail = err instanceof ApiError ? err.problem.detail ?? '' : '';
    const fig = FIGURES[rule];
    const m = fig?.re.exec(detail) ?? (err instanceof ApiError ? fig?.re.exec(err.problem.errors?.[0]?.message ?? '') : null);
    if (fig && m) {
      const params: Record<string, string> = {};
      fig.names.forEach((n, i) => {
        const v = m[i + 1] ?? '';
        params[n] = fig.money?.includes(n) ? money(Number(v)) : n === 'date' ? date(v) : v;
      });
      return t(`order.refusalDetail.${rule}`, params);
    }
    if (rule && te(`order.refusal.${rule}`)) return t(`order.refusal.${rule}`);
    return describe(err) || detail;
  }

  return { refusal };
}
