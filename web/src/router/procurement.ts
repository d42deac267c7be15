/* Console routes of the procurement pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';

const trail = [{ title: 'procurement.nav.group' }];

export const procurementRoutes: RouteRecordRaw[] = [
  { path: 'procurement-projects', name: 'procurement-projects', component: () => import('@/views/procurement/ProjectsView.vue'), meta: { title: 'procurement.title.list', perm: 'procurement.read', trail } },
  { path: 'procurement-projects/:id(\\d+)', name: 'procurement-project', component: () => import('@/views/procurement/ProjectDetailView.vue'), props: true, meta: { title: 'procurement.title.detail', perm: 'procurement.read', trail: [...trail, { title: 'procurement.nav.projects', to: 'procurement-projects' }] } },
  { path: 'provider-bars', name: 'provider-bars', component: () => import('@/views/procurement/BarsView.vue'), meta: { title: 'procurement.title.bars', perm: 'provider.bar', kinds: ['management'], trail } },
  { path: 'market-concentration', name: 'market-concentration', component: () => import('@/views/procurement/MarketView.vue'), meta: { title: 'procurement.title.market', perm: 'market.read', kinds: ['management'], trail } },
];
