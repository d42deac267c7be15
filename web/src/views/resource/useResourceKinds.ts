/*
 * The resource kinds of T5-6.1 and their measurement units, read once per page load from
 * GET /resource-kinds: the unit's name in the chosen language, and the units of a kind.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { resourceApi } from '@/api/endpoints';
import type { ResourceKind } from '@/api/types';
import { useLoad } from '@/composables/useLoad';

let cached: Promise<ResourceKind[]> | null = null;
function loadKinds(): Promise<ResourceKind[]> {
  cached ??= resourceApi.kinds().then((p) => p.items).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}

export function useResourceKinds() {
  const { locale } = useI18n();
  const kinds = useLoad(loadKinds);
  void kinds.run();
  const units = computed(() => {
    const m = new Map<string, { kind: string; zh: string; en: string }>();
    for (const k of kinds.data.value ?? []) for (const u of k.units ?? []) m.set(u.code ?? '', { kind: k.kind ?? '', zh: u.name_zh ?? '', en: u.name_en ?? '' });
    return m;
  });
  /* A unit code (vcpu) as its name in the chosen language (虚拟CPU核 / vCPU); the code when unknown. */
  function unitName(code: string | undefined): string {
    const u = units.value.get(code ?? '');
    if (!u) return code ?? '';
    return locale.value === 'en' ? u.en : u.zh;
  }
  function unitsOf(kind: string): { code: string; name: string }[] {
    const k = (kinds.data.value ?? []).find((x) => x.kind === kind);
    return (k?.units ?? []).map((u) => ({ code: u.code ?? '', name: unitName(u.code) }));
  }
  return { kinds, unitName, unitsOf };
}
