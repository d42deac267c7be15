/* Console routes of the agreement pages, spread into the console's children by ./index.ts. */
import type { RouteRecordRaw } from 'vue-router';
import type { InstitutionKind } from '@/api/types';

const MP: InstitutionKind[] = ['management', 'provider'];
const listTrail = [{ title: 'agr.list', to: 'agreements' }];

export const agreementRoutes: RouteRecordRaw[] = [
  { path: 'agreements', name: 'agreements', component: () => import('@/views/agreement/AgreementsView.vue'), meta: { title: 'agr.list', perm: 'agreement.read', kinds: MP } },
  { path: 'agreements/new', name: 'agreement-new', component: () => import('@/views/agreement/AgreementFormView.vue'), meta: { title: 'agr.createTitle', perm: 'agreement.write', kinds: ['management'], trail: listTrail } },
  { path: 'agreements/:id(\\d+)', name: 'agreement', component: () => import('@/views/agreement/AgreementDetailView.vue'), props: true, meta: { title: 'agr.detailTitle', perm: 'agreement.read', kinds: MP, trail: listTrail } },
];
