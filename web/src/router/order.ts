/* Console routes of the order pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';

const trail = [{ title: 'order.nav.group' }];

export const orderRoutes: RouteRecordRaw[] = [
  { path: 'orders', name: 'orders', component: () => import('@/views/order/OrdersView.vue'), meta: { title: 'order.nav.orders', perm: 'order.read', kinds: ['management', 'provider', 'user'], trail } },
  { path: 'orders/new', name: 'order-new', component: () => import('@/views/order/OrderFormView.vue'), meta: { title: 'order.applyTitle', perm: 'order.apply', kinds: ['user'], trail: [...trail, { title: 'order.nav.orders', to: 'orders' }] } },
  { path: 'orders/:id(\\d+)', name: 'order', component: () => import('@/views/order/OrderDetailView.vue'), props: true, meta: { title: 'order.detailTitle', perm: 'order.read', kinds: ['management', 'provider', 'user'], trail: [...trail, { title: 'order.nav.orders', to: 'orders' }] } },
  { path: 'budget-lines', name: 'budget-lines', component: () => import('@/views/order/BudgetLinesView.vue'), meta: { title: 'order.nav.budget', perm: 'order.read', kinds: ['management', 'user'], trail } },
];
