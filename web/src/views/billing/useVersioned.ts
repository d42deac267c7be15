/*
 * A bill or a settlement statement on its detail page: the document, every version of the same
 * owner and month (newest first), and "Issue" for a draft (billing.manage; confirmed first,
 * since an issued document never changes again).
 */
import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useLoad } from '@/composables/useLoad';
import { useProblemText } from '@/composables/useProblem';
import { useSessionStore } from '@/stores/session';

interface Versioned {
  id?: number;
  version?: number;
  state?: string;
}

export interface VersionedSource<T extends Versioned> {
  get: () => Promise<T>;
  /* the documents of the same owner and month */
  siblings: (doc: T) => Promise<T[]>;
  issue: (id: number) => Promise<unknown>;
  /* the confirmation text for this draft, and the message once issued */
  confirm: (doc: T) => string;
  done: string;
  afterIssue?: () => void;
}

export function useVersioned<T extends Versioned>(src: VersionedSource<T>) {
  const { t } = useI18n();
  const session = useSessionStore();
  const { describe } = useProblemText();
  const doc = useLoad(src.get);
  const versions = useLoad(async () => {
    const d = doc.data.value;
    if (!d) return [] as T[];
    return [...(await src.siblings(d))].sort((x, y) => (y.version ?? 0) - (x.version ?? 0));
  });
  const current = computed(() => doc.data.value);
  async function reload(): Promise<void> {
    await doc.run();
    await versions.run();
  }
  onMounted(reload);

  const canIssue = computed(() => current.value?.state === 'draft' && session.isManagement && session.can('billing.manage'));
  const issuing = ref(false);
  const refused = ref('');
  async function issue(): Promise<void> {
    const cur = current.value;
    if (!cur) return;
    try {
      await ElMessageBox.confirm(src.confirm(cur), t('billing.issue.title'), {
        type: 'warning', confirmButtonText: t('billing.issue.action'), cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    issuing.value = true;
    refused.value = '';
    try {
      await src.issue(cur.id!);
      ElMessage.success(src.done);
      await reload();
      src.afterIssue?.();
    } catch (e) {
      refused.value = describe(e);
    } finally {
      issuing.value = false;
    }
  }
  return { doc, versions, current, reload, canIssue, issuing, refused, issue };
}
