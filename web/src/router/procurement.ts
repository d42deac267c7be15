/* Console routes of the procurement pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';

export const procurementRoutes: RouteRecordRaw[] = [];
