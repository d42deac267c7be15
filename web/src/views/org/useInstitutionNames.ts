/* Names of the institutions a person may see, for showing and choosing an institution by name. */
import { computed, onMounted } from 'vue';
import { institutionApi } from '@/api/endpoints';
import type { Institution } from '@/api/types';
import { useLoad } from '@/composables/useLoad';
import { useSessionStore } from '@/stores/session';

export function useInstitutionNames() {
  const session = useSessionStore();
  const all = useLoad(async () => {
    if (!session.isManagement) {
      const own = session.institution;
      return own ? [{ id: own.id, name: own.name, kind: own.kind } as Institution] : [];
    }
    const out: Institution[] = [];
    let cursor: string | undefined;
    do {
      const p = await institutionApi.list({ limit: 500, cursor });
      out.push(...p.items);
      cursor = p.next_cursor ?? undefined;
    } while (cursor && out.length < 20000);
    return out;
  });
  const byId = computed(() => new Map((all.data.value ?? []).map((i) => [i.id!, i])));
  onMounted(() => void all.run());
  return { institutions: computed(() => all.data.value ?? []), byId, loading: all.loading };
}
