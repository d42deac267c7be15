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
      /* The list takes no `total`: a page of 100 open alerts says "99+" well enough. */
      const p = await budgetAlertApi.list({ open: 'true', limit: 100 });
      open.value = p.items.length;
    } catch {
      /* the badge is a hint; the alert list shows the error */
    }
  }
  return { open, refresh };
});
