/* The answer to a lost If-Match race: say so, and offer to load the current version. */
import { ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';

export function useStaleDialog() {
  const { t } = useI18n();
  /* Resolves true when the person chose to reload. */
  async function offerReload(): Promise<boolean> {
    try {
      await ElMessageBox.confirm(t('stale.body'), t('stale.title'), {
        type: 'warning',
        confirmButtonText: t('stale.reload'),
        cancelButtonText: t('stale.keep'),
        closeOnClickModal: false,
        customClass: 'stale-dialog',
      });
      return true;
    } catch {
      return false;
    }
  }
  return { offerReload };
}
