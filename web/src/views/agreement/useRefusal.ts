/*
 * A refused agreement action in words: the rule the problem names (immutable, signed_already,
 * not_signable, not_a_party, not_in_force) in this module's own sentence, a 403 as the right
 * that is missing, anything else as the console's general text.
 */
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';
import { useProblemText } from '@/composables/useProblem';

export function useAgreementRefusal() {
  const { t, te } = useI18n();
  const { describe } = useProblemText();

  /* The rule's own sentence, or null when the problem names no rule this module knows. */
  function ruleText(e: unknown): string | null {
    const rule = e instanceof ApiError ? e.problem.rule : undefined;
    return rule && te(`agr.rule.${rule}`) ? t(`agr.rule.${rule}`) : null;
  }

  function refusal(e: unknown, action: 'sign' | 'write'): string {
    const known = ruleText(e);
    if (known) return known;
    if (e instanceof ApiError && e.status === 403) return action === 'sign' ? t('agr.rule.signForbidden') : t('agr.rule.writeForbidden');
    return describe(e);
  }

  return { refusal, ruleText };
}
