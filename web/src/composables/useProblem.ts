/*
 * Turns an API error into what a person reads: field errors go next to the matching form field
 * (in Chinese when the rule is known, else the API's own words), everything else becomes one
 * sentence. A 412 (someone else changed the record) is reported as `stale` so the form can offer
 * to reload.
 */
import { reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/client';
import { translateRefusal, translateRule } from './refusals';

export function useProblemText() {
  const { t, te, locale } = useI18n();

  /* A refusal the server explained in English, in the chosen language (null when unknown). */
  function refusal(detail: string | undefined): string | null {
    if (locale.value === 'en') return null;
    return translateRefusal(detail, (k, list) => t(k, list), te);
  }

  /* A refusal with a rule code the console knows, in the chosen language (null otherwise). */
  function byRule(err: ApiError): string | null {
    const p = err.problem;
    return translateRule(p.rule, p.params as Record<string, string | number> | undefined, (k, list) => t(k, list), te);
  }

  /* One field error in the chosen language. */
  function fieldMessage(field: string, rule: string | undefined, message: string | undefined): string {
    if (locale.value !== 'en') {
      const known = refusal(message);
      if (known) return known;
      const specific = `problem.field.${field}.${rule}`;
      if (rule && te(specific)) return t(specific);
      const generic = `problem.rule.${rule}`;
      if (rule && te(generic)) return t(generic);
    }
    return message || t('problem.invalid');
  }

  /* A sentence for any error. */
  function describe(err: unknown): string {
    if (!(err instanceof ApiError)) return t('problem.unexpected');
    if (err.isNetwork) return t('problem.network');
    const p = err.problem;
    const detail = p.detail ?? '';
    if ((err.status === 403 || err.status === 409) && byRule(err)) return byRule(err)!;
    switch (err.status) {
      case 403:
        return locale.value === 'en' && detail ? detail : refusal(detail) ?? t('problem.forbidden');
      case 404:
        return t('problem.notFound');
      case 412:
        return t('problem.stale');
      case 422:
        if (locale.value === 'en' && detail) return detail;
        if (refusal(detail)) return refusal(detail)!;
        if (p.errors?.length) {
          const e = p.errors[0];
          return fieldMessage(e.field ?? '', e.rule, e.message);
        }
        return t('problem.invalid');
      case 409:
        if (locale.value === 'en') return detail || t('problem.conflict');
        return refusal(detail) ?? t('problem.conflictWith', { detail });
      case 429:
        return t('problem.tooMany');
      default:
        if (err.status >= 500) return t('problem.server', { id: p.request_id ?? '—' });
        return detail || t('problem.unexpected');
    }
  }

  return { describe, fieldMessage, refusal };
}

/* State of one form: per-field errors, a general error, and whether the record went stale. */
export function useFormProblem(fields: readonly string[]) {
  const { describe, fieldMessage } = useProblemText();
  const fieldErrors = reactive<Record<string, string>>({});
  const general = ref('');
  const stale = ref(false);

  function reset(): void {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k];
    general.value = '';
    stale.value = false;
  }

  /* Shows the error; returns true when it was handled as field errors or a stale record. */
  function apply(err: unknown): void {
    reset();
    if (err instanceof ApiError && err.status === 412) {
      stale.value = true;
      return;
    }
    let placed = false;
    if (err instanceof ApiError && err.problem.errors) {
      for (const e of err.problem.errors) {
        const f = e.field ?? '';
        if (fields.includes(f)) {
          fieldErrors[f] = fieldMessage(f, e.rule, e.message);
          placed = true;
        }
      }
    }
    if (!placed) general.value = describe(err);
  }

  return { fieldErrors, general, stale, reset, apply };
}
