/*
 * Server-side paging over a cursor API: a stack of the cursors that opened each page gives
 * "previous"; the total comes from `?total=true`. Used by every list of the console.
 */
import { computed, ref, shallowRef } from 'vue';
import type { Page } from '@/api/types';

export interface PageRequest {
  limit: number;
  cursor?: string;
  total?: boolean;
}

export function usePagedList<T>(fetchPage: (req: PageRequest) => Promise<Page<T>>, opts: { pageSize?: number; withTotal?: boolean } = {}) {
  const items = shallowRef<T[]>([]);
  const total = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  const pageSize = ref(opts.pageSize ?? 20);
  const cursors = ref<(string | undefined)[]>([undefined]); /* cursors[i] opened page i */
  const nextCursor = ref<string | null>(null);
  const withTotal = opts.withTotal ?? true;
  let seq = 0;

  const pageIndex = computed(() => cursors.value.length - 1);
  const pageCount = computed(() => (total.value === null ? null : Math.max(1, Math.ceil(total.value / pageSize.value))));
  const hasPrev = computed(() => pageIndex.value > 0);
  const hasNext = computed(() => nextCursor.value !== null);

  async function fetchAt(cursor: string | undefined): Promise<boolean> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const page = await fetchPage({ limit: pageSize.value, cursor, total: withTotal || undefined });
      if (mine !== seq) return false;
      items.value = page.items;
      nextCursor.value = page.next_cursor ?? null;
      if (page.total !== undefined) total.value = page.total;
      return true;
    } catch (e) {
      if (mine === seq) {
        error.value = e;
        items.value = [];
      }
      return false;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /* From the first page (filters changed, or after a write). */
  async function reload(): Promise<void> {
    cursors.value = [undefined];
    await fetchAt(undefined);
  }

  /* The same page again (after an edit in place). */
  async function refresh(): Promise<void> {
    await fetchAt(cursors.value[cursors.value.length - 1]);
  }

  async function next(): Promise<void> {
    if (!nextCursor.value) return;
    const c = nextCursor.value;
    if (await fetchAt(c)) cursors.value = [...cursors.value, c];
  }

  async function prev(): Promise<void> {
    if (cursors.value.length < 2) return;
    const stack = cursors.value.slice(0, -1);
    if (await fetchAt(stack[stack.length - 1])) cursors.value = stack;
  }

  async function setPageSize(n: number): Promise<void> {
    pageSize.value = n;
    await reload();
  }

  return { items, total, loading, error, pageSize, pageIndex, pageCount, hasPrev, hasNext, reload, refresh, next, prev, setPageSize };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;
