/*
 * A refused procurement action in words: the server's rule code (problem.rule, or the rule of
 * its first field error) translated through procurement.refusal.*, with the server's English
 * sentence — which names the lot, the provider, the relation or the bar's period — as the
 * particulars. An error without a known rule is described the console's usual way.
 */
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';
import { useProblemText } from '@/composables/useProblem';

export interface Refusal {
  rule: string;
  reason: string; /* the rule's reason in the chosen language */
  detail: string; /* the server's particulars (English), '' when none */
}

export function useRefusal() {
  const { t, te } = useI18n();
  const { describe } = useProblemText();
  const current = ref<Refusal | null>(null);

  function explain(err: unknown): Refusal {
    if (err instanceof ApiError && err.status !== 412) {
      const p = err.problem;
      const first = p.errors?.[0];
      const rule = p.rule ?? first?.rule ?? '';
      const key = `procurement.refusal.${rule}`;
      if (rule && te(key)) return { rule, reason: t(key), detail: first?.message ?? p.detail ?? '' };
    }
    /* A check of the page itself (a missing amount): its message is already in words. */
    if (err instanceof Error && !(err instanceof ApiError)) return { rule: '', reason: err.message, detail: '' };
    return { rule: '', reason: describe(err), detail: '' };
  }

  function show(err: unknown): void {
    current.value = explain(err);
  }

  function clear(): void {
    current.value = null;
  }

  return { current, explain, show, clear };
}
