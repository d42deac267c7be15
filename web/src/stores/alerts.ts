/*
 * The number of open budget alerts shown in the header for people who read billing: fetched
 * when the console opens and again after an alert is acknowledged or a bill is issued.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { budgetAlertApi } from '@/api/endpoints';

export const useAlertStore = defineStore('alerts', () => {
  const open = ref(0);
  async function refresh(): Promise<void> {
    try {
      const p = await budgetAlertApi.list({ open: true, limit: 100, total: true });
      open.value = p.total ?? p.items.length;
    } catch {
      /* the badge is a hint; the alert list shows the error */
    }
  }
  return { open, refresh };
});
