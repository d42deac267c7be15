/* What the layout shows about the current page beyond its route: the name of the record shown. */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useUiStore = defineStore('ui', () => {
  const recordTitle = ref('');
  return { recordTitle };
});
