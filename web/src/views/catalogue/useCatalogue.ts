/*
 * Published catalogue editions, shared by the public portal and the console: the editions of a
 * catalogue (newest first), the publishers among them, the newest edition of the chosen
 * publisher and its signed body. Only public routes are called, so nothing here needs a login.
 */
import { computed, ref, watch } from 'vue';
import { useRoute } from 'vue-router';
import { catalogueApi } from '@/api/endpoints';
import type { CatalogueName, Edition, ProductEditionBody, ResourceEditionBody } from '@/api/types';
import { useLoad } from '@/composables/useLoad';

export function sortEditions(items: Edition[]): Edition[] {
  return [...items].sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? '') || (b.edition ?? 0) - (a.edition ?? 0));
}

export function useEditions(cat: CatalogueName) {
  const editions = useLoad(() => catalogueApi.editions(cat).then((p) => sortEditions(p.items)));
  /* Publishers, the one that published last first. */
  const publishers = computed(() => {
    const seen = new Map<number, string>();
    for (const e of editions.data.value ?? []) if (e.publisher_id && !seen.has(e.publisher_id)) seen.set(e.publisher_id, e.publisher_name ?? '');
    return [...seen.entries()].map(([id, name]) => ({ id, name }));
  });
  return { editions, publishers };
}

export function useLatestEdition<B extends ResourceEditionBody | ProductEditionBody>(cat: CatalogueName) {
  const { editions, publishers } = useEditions(cat);
  const publisherId = ref<number | null>(null);
  watch(publishers, (ps) => {
    if (ps.length && !ps.some((p) => p.id === publisherId.value)) publisherId.value = ps[0].id;
  });
  const latest = computed(() => (editions.data.value ?? []).find((e) => e.publisher_id === publisherId.value) ?? null);
  const body = useLoad(async () => (latest.value ? catalogueApi.edition<B>(cat, latest.value.edition!, latest.value.publisher_id!) : null));
  watch(latest, (e, old) => {
    if (e && (e.edition !== old?.edition || e.publisher_id !== old?.publisher_id)) void body.run();
  });
  return { editions, publishers, publisherId, latest, body };
}

/* The portal (no login) and the console show the same pages under their own route names. */
export function useCatalogueRoutes() {
  const route = useRoute();
  const portal = computed(() => route.path.startsWith('/portal'));
  return {
    portal,
    product: computed(() => (portal.value ? 'portal-product' : 'catalogue-product')),
    editions: computed(() => (portal.value ? 'portal-editions' : 'catalogue-editions')),
    browse: computed(() => (portal.value ? 'portal' : 'catalogue')),
  };
}

/* Case-insensitive substring match over some texts (Chinese substrings included). */
export function matches(q: string, ...texts: (string | undefined)[]): boolean {
  const s = q.trim().toLowerCase();
  return !s || texts.some((x) => (x ?? '').toLowerCase().includes(s));
}
