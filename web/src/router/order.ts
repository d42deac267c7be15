/* Console routes of the order pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';

export const orderRoutes: RouteRecordRaw[] = [];
