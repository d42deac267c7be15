/*
 * Routes of the console. Each names the permission (and institution kinds) it needs; the guard
 * sends a person without them to the "no access" page — the API refuses them anyway. A session
 * that ends (401 on any call) leads to the login page and back to the same route.
 */
import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { setUnauthorizedHandler } from '@/api/client';
import { useSessionStore } from '@/stores/session';
import type { InstitutionKind } from '@/api/types';
import { agreementRoutes } from './agreement';
import { billingRoutes } from './billing';
import { orderRoutes } from './order';
import { procurementRoutes } from './procurement';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    public?: boolean;
    perm?: string;
    kinds?: InstitutionKind[];
    /* breadcrumb trail before this page: i18n keys with their route names */
    trail?: { title: string; to?: string }[];
  }
}

const M: InstitutionKind[] = ['management'];
const P: InstitutionKind[] = ['provider'];
const E: InstitutionKind[] = ['evaluator'];
const orgTrail = [{ title: 'nav.org' }];
const resTrail = [{ title: 'nav.resources' }];
const prodTrail = [{ title: 'nav.productsGroup' }];
const catTrail = [{ title: 'nav.catalogue' }];

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/auth/LoginView.vue'), meta: { public: true, title: 'login.title' } },
    /* The public portal: published catalogues and their signatures, no login (only public API routes). */
    {
      path: '/portal',
      component: () => import('@/layouts/PortalLayout.vue'),
      meta: { public: true },
      children: [
        { path: '', name: 'portal', component: () => import('@/views/catalogue/CatalogueView.vue'), meta: { public: true, title: 'portal.heading' } },
        { path: 'editions', name: 'portal-editions', component: () => import('@/views/catalogue/EditionsView.vue'), meta: { public: true, title: 'nav.editions' } },
        { path: 'products/:publisher(\\d+)/:edition(\\d+)/:product(\\d+)', name: 'portal-product', component: () => import('@/views/catalogue/CatalogueProductView.vue'), props: true, meta: { public: true, title: 'cat.productTitle' } },
      ],
    },
    {
      path: '/',
      component: () => import('@/layouts/ConsoleLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: 'nav.home' } },
        { path: 'institutions', name: 'institutions', component: () => import('@/views/org/InstitutionsView.vue'), meta: { title: 'nav.institutions', perm: 'institution.read', kinds: M, trail: orgTrail } },
        { path: 'institutions/new', name: 'institution-new', component: () => import('@/views/org/InstitutionFormView.vue'), meta: { title: 'inst.createTitle', perm: 'institution.write', kinds: M, trail: [...orgTrail, { title: 'nav.institutions', to: 'institutions' }] } },
        { path: 'institutions/:id(\\d+)', name: 'institution', component: () => import('@/views/org/InstitutionDetailView.vue'), props: true, meta: { title: 'inst.detailTitle', perm: 'institution.read', trail: [...orgTrail, { title: 'nav.institutions', to: 'institutions' }] } },
        { path: 'institutions/:id(\\d+)/edit', name: 'institution-edit', component: () => import('@/views/org/InstitutionFormView.vue'), props: true, meta: { title: 'inst.editTitle', perm: 'institution.write', kinds: M, trail: [...orgTrail, { title: 'nav.institutions', to: 'institutions' }] } },
        { path: 'my-institution', name: 'my-institution', component: () => import('@/views/org/InstitutionDetailView.vue'), meta: { title: 'nav.myInstitution', perm: 'institution.read', trail: orgTrail } },
        { path: 'qualifications', name: 'qualifications', component: () => import('@/views/org/QualificationsView.vue'), meta: { title: 'nav.qualifications', perm: 'institution.read', kinds: ['provider', 'evaluator'], trail: orgTrail } },
        { path: 'posts', name: 'posts', component: () => import('@/views/org/PostsView.vue'), meta: { title: 'nav.posts', perm: 'institution.read', trail: orgTrail } },
        { path: 'people', name: 'people', component: () => import('@/views/org/PeopleView.vue'), meta: { title: 'nav.people', perm: 'person.read', trail: orgTrail } },
        { path: 'people/new', name: 'person-new', component: () => import('@/views/org/PersonFormView.vue'), meta: { title: 'person.createTitle', perm: 'person.write', trail: [...orgTrail, { title: 'nav.people', to: 'people' }] } },
        { path: 'people/:id(\\d+)', name: 'person', component: () => import('@/views/org/PersonDetailView.vue'), props: true, meta: { title: 'person.detailTitle', perm: 'person.read', trail: [...orgTrail, { title: 'nav.people', to: 'people' }] } },
        { path: 'people/:id(\\d+)/edit', name: 'person-edit', component: () => import('@/views/org/PersonFormView.vue'), props: true, meta: { title: 'person.editTitle', perm: 'person.write', trail: [...orgTrail, { title: 'nav.people', to: 'people' }] } },
        { path: 'resource-pools', name: 'pools', component: () => import('@/views/resource/PoolsView.vue'), meta: { title: 'nav.pools', perm: 'resource.read', trail: resTrail } },
        { path: 'resource-pools/new', name: 'pool-new', component: () => import('@/views/resource/PoolFormView.vue'), meta: { title: 'pool.createTitle', perm: 'pool.write', kinds: P, trail: [...resTrail, { title: 'nav.pools', to: 'pools' }] } },
        { path: 'resource-pools/:id(\\d+)', name: 'pool', component: () => import('@/views/resource/PoolDetailView.vue'), props: true, meta: { title: 'pool.detailTitle', perm: 'resource.read', trail: [...resTrail, { title: 'nav.pools', to: 'pools' }] } },
        { path: 'resource-pools/:id(\\d+)/edit', name: 'pool-edit', component: () => import('@/views/resource/PoolFormView.vue'), props: true, meta: { title: 'pool.editTitle', perm: 'pool.write', kinds: P, trail: [...resTrail, { title: 'nav.pools', to: 'pools' }] } },
        { path: 'allocations', name: 'allocations', component: () => import('@/views/resource/AllocationsView.vue'), meta: { title: 'nav.allocations', perm: 'resource.read', kinds: ['management', 'provider', 'user'], trail: resTrail } },
        { path: 'products', name: 'products', component: () => import('@/views/product/ProductsView.vue'), meta: { title: 'nav.products', perm: 'product.read', trail: prodTrail } },
        { path: 'products/new', name: 'product-new', component: () => import('@/views/product/ProductFormView.vue'), meta: { title: 'prod.createTitle', perm: 'product.write', kinds: P, trail: [...prodTrail, { title: 'nav.products', to: 'products' }] } },
        { path: 'products/:id(\\d+)', name: 'product', component: () => import('@/views/product/ProductDetailView.vue'), props: true, meta: { title: 'prod.detailTitle', perm: 'product.read', trail: [...prodTrail, { title: 'nav.products', to: 'products' }] } },
        { path: 'products/:id(\\d+)/edit', name: 'product-edit', component: () => import('@/views/product/ProductFormView.vue'), props: true, meta: { title: 'prod.editTitle', perm: 'product.write', kinds: P, trail: [...prodTrail, { title: 'nav.products', to: 'products' }] } },
        { path: 'tests', name: 'test-queue', component: () => import('@/views/product/TestQueueView.vue'), meta: { title: 'nav.testQueue', perm: 'test.record', kinds: E, trail: prodTrail } },
        { path: 'elimination-candidates', name: 'elimination-candidates', component: () => import('@/views/product/EliminationCandidatesView.vue'), meta: { title: 'nav.eliminationCandidates', perm: 'product.govern', kinds: M, trail: prodTrail } },
        { path: 'catalogue', name: 'catalogue', component: () => import('@/views/catalogue/CatalogueView.vue'), meta: { title: 'nav.catalogueBrowse', trail: catTrail } },
        { path: 'catalogue/editions', name: 'catalogue-editions', component: () => import('@/views/catalogue/EditionsView.vue'), meta: { title: 'nav.editions', trail: catTrail } },
        { path: 'catalogue/publish', name: 'catalogue-publish', component: () => import('@/views/catalogue/PublishView.vue'), meta: { title: 'nav.publish', perm: 'catalogue.publish', kinds: M, trail: catTrail } },
        { path: 'catalogue/products/:publisher(\\d+)/:edition(\\d+)/:product(\\d+)', name: 'catalogue-product', component: () => import('@/views/catalogue/CatalogueProductView.vue'), props: true, meta: { title: 'cat.productTitle', trail: [...catTrail, { title: 'nav.catalogueBrowse', to: 'catalogue' }] } },
        { path: 'audit', name: 'audit', component: () => import('@/views/audit/AuditView.vue'), meta: { title: 'nav.audit', perm: 'audit.read', kinds: M } },
        ...agreementRoutes,
        ...procurementRoutes,
        ...orderRoutes,
        ...billingRoutes,
        { path: 'forbidden', name: 'forbidden', component: () => import('@/views/error/ForbiddenView.vue'), meta: { title: 'error.forbiddenTitle' } },
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/error/NotFoundView.vue'), meta: { title: 'error.notFoundTitle' } },
      ],
    },
  ],
});

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) {
    const hadSession = session.hasCsrf();
    await session.load();
    if (!session.loggedIn && hadSession && !to.meta.public)
      return { name: 'login', query: { redirect: to.fullPath, reason: 'expired' } };
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.loggedIn && session.hasCsrf()) {
      const back = typeof to.query.redirect === 'string' ? to.query.redirect : '/';
      return back.startsWith('/') && !back.startsWith('//') ? back : '/';
    }
    return true;
  }
  if (!session.loggedIn || !session.hasCsrf()) {
    /* A valid cookie without this tab's CSRF token cannot write: log in again in this tab. */
    const q: Record<string, string> = { redirect: to.fullPath };
    if (session.loggedIn) q.reason = 'tab';
    return { name: 'login', query: q } as RouteLocationRaw;
  }
  const kindOk = !to.meta.kinds || (session.kind !== '' && to.meta.kinds.includes(session.kind));
  const permOk = !to.meta.perm || session.can(to.meta.perm);
  if (!kindOk || !permOk) return { name: 'forbidden', query: { from: to.fullPath } };
  return true;
});

setUnauthorizedHandler(() => {
  const session = useSessionStore();
  session.clear();
  const cur = router.currentRoute.value;
  if (cur.name === 'login') return;
  void router.push({ name: 'login', query: { redirect: cur.fullPath, reason: 'expired' } });
});
