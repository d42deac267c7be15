/* Console routes of the billing pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';
import type { InstitutionKind } from '@/api/types';

const trail = [{ title: 'billing.nav.group' }];
const MU: InstitutionKind[] = ['management', 'user'];
const MP: InstitutionKind[] = ['management', 'provider'];

export const billingRoutes: RouteRecordRaw[] = [
  { path: 'bills', name: 'bills', component: () => import('@/views/billing/BillsView.vue'), meta: { title: 'billing.nav.bills', perm: 'billing.read', kinds: MU, trail } },
  { path: 'bills/:id(\\d+)', name: 'bill', component: () => import('@/views/billing/BillDetailView.vue'), props: true, meta: { title: 'billing.bills.detailTitle', perm: 'billing.read', kinds: MU, trail: [...trail, { title: 'billing.nav.bills', to: 'bills' }] } },
  { path: 'settlements', name: 'settlements', component: () => import('@/views/billing/SettlementsView.vue'), meta: { title: 'billing.nav.settlements', perm: 'billing.read', kinds: MP, trail } },
  { path: 'settlements/:id(\\d+)', name: 'settlement', component: () => import('@/views/billing/SettlementDetailView.vue'), props: true, meta: { title: 'billing.settlements.detailTitle', perm: 'billing.read', kinds: MP, trail: [...trail, { title: 'billing.nav.settlements', to: 'settlements' }] } },
  { path: 'quality-coefficients', name: 'quality-coefficients', component: () => import('@/views/billing/CoefficientsView.vue'), meta: { title: 'billing.nav.coefficients', perm: 'billing.read', kinds: MP, trail } },
  { path: 'budget-alerts', name: 'budget-alerts', component: () => import('@/views/billing/BudgetAlertsView.vue'), meta: { title: 'billing.nav.alerts', perm: 'billing.read', kinds: MU, trail } },
  { path: 'spend', name: 'spend', component: () => import('@/views/billing/SpendView.vue'), meta: { title: 'billing.nav.spend', perm: 'billing.read', kinds: ['management', 'provider', 'user'], trail } },
];
