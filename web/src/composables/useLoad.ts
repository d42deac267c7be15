/* One asynchronous read with its loading and error state (for non-paged sections). */
import { ref, shallowRef, type Ref } from 'vue';

export function useLoad<T>(fn: () => Promise<T>) {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref<unknown>(null);
  let seq = 0;
  async function run(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    error.value = null;
    try {
      const v = await fn();
      if (mine === seq) data.value = v;
    } catch (e) {
      if (mine === seq) error.value = e;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  return { data, loading, error, run };
}
