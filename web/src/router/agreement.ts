/* Console routes of the agreement pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';

export const agreementRoutes: RouteRecordRaw[] = [];
