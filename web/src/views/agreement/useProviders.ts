/* The providers a management institution may make agreements with: those of its jurisdiction. */
import { institutionApi } from '@/api/endpoints';
import type { Institution } from '@/api/types';
import { useLoad } from '@/composables/useLoad';

export function useProviders() {
  return useLoad(async () => {
    const out: Institution[] = [];
    let cursor: string | undefined;
    do {
      const p = await institutionApi.list({ kind: 'provider', limit: 500, cursor });
      out.push(...p.items);
      cursor = p.next_cursor ?? undefined;
    } while (cursor && out.length < 5000);
    return out;
  });
}
