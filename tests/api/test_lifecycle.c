/*
 * test_lifecycle.c - lifecycles as data (T5-3.4): every transition of the four tables refuses
 * with its own rule code and the state it found; a refusal over HTTP carries the rule and the
 * figures it speaks of; the `actions` of an answer are exactly what the caller can do (each
 * listed action succeeds, each action not listed is refused and changes nothing), walked
 * through every reachable state of products, orders, procurement projects and pools; and the
 * pool lifecycle is recorded with who, when and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/order/order.h"
#include "domain/procurement/procurement.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "domain/validate.h"

#define M_ADMIN   (&T->who[W_M_ADMIN])
#define M1_ADMIN  (&T->who[W_M1_ADMIN])
#define M2_ADMIN  (&T->who[W_M2_ADMIN])
#define P_ADMIN   (&T->who[W_P_ADMIN])
#define P_MEMBER  (&T->who[W_P_MEMBER])
#define E_ADMIN   (&T->who[W_E_ADMIN])
#define U1_ADMIN  (&T->who[W_U1_ADMIN])
#define U1_MEMBER (&T->who[W_U1_MEMBER])

static char body[2048], path[256];

/* ---------- every refusal of every table carries its rule ---------- */

struct table_case {
    const struct lifecycle *lc;
    const char *const *states;
    void *obj;
};

static void test_every_transition_refuses_with_its_rule(void **state)
{
    struct product pr;
    struct order o;
    struct project pj;
    struct pool pl;
    const struct table_case cases[] = {
        {&product_lifecycle, product_states, &pr},
        {&order_lifecycle, order_states, &o},
        {&project_lifecycle, project_states, &pj},
        {&pool_lifecycle, pool_statuses, &pl},
    };
    (void)state;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const struct lifecycle *lc = cases[c].lc;
        assert_true(lc->n_transitions > 0);
        for (int i = 0; i < lc->n_transitions; i++) {
            const struct lc_transition *t = &lc->transitions[i];
            int refused = 0;
            assert_non_null(t->rule);
            assert_true(strlen(t->rule) > 0);
            assert_non_null(t->refusal);
            assert_non_null(t->audit_action);
            assert_non_null(t->permission);
            assert_non_null(t->from[0]);
            /* Every state the transition does not leave from is refused with its rule and
             * names the state it found. */
            for (int s = 0; cases[c].states[s]; s++) {
                int allowed = 0;
                for (int k = 0; t->from[k]; k++)
                    allowed |= !strcmp(t->from[k], cases[c].states[s]);
                if (allowed)
                    continue;
                struct ctx *ctx = th_ctx();
                memset(cases[c].obj, 0, lc->size);
                lc->set_state(cases[c].obj, cases[c].states[s]);
                assert_int_equal(lifecycle_check(ctx, lc, cases[c].obj, t->action), -1);
                assert_int_equal(ctx->err.kind, ERR_CONFLICT);
                if (strcmp(ctx->err.rule, t->rule) != 0)
                    fail_msg("%s %s from %s: rule %s, expected %s", lc->entity, t->action,
                             cases[c].states[s], ctx->err.rule, t->rule);
                assert_true(ctx->err.n_params >= 1);
                assert_string_equal(ctx->err.params[0].name, "state");
                assert_string_equal(ctx->err.params[0].value, cases[c].states[s]);
                assert_non_null(strstr(ctx->err.message, cases[c].states[s]));
                refused++;
            }
            (void)refused;
        }
        /* An action the table does not know is a validation error naming the field. */
        struct ctx *ctx = th_ctx();
        memset(cases[c].obj, 0, lc->size);
        lc->set_state(cases[c].obj, cases[c].states[0]);
        assert_int_equal(lifecycle_check(ctx, lc, cases[c].obj, "fly"), -1);
        assert_int_equal(ctx->err.kind, ERR_INVALID);
        assert_string_equal(ctx->err.fields[0].field, "action");
    }
}

/* ---------- fixtures ---------- */

static int64_t draft_product(int with_metric)
{
    struct product_input in;
    struct product p;
    struct metric m, mo;
    struct ctx *c = th_ctx();
    c->caller.institution_id = T->p;
    memset(&in, 0, sizeof(in));
    in.v.name = arena_printf(c->arena, "生命周期产品%d", ++T->serial);
    in.v.category = "operation_maintenance";
    in.v.description = "7x24 运行维护服务";
    in.v.region = "520000";
    memset(&m, 0, sizeof(m));
    m.name = "服务时长";
    m.unit = "月";
    m.method = "按自然月计";
    m.list_price_fen = 1200000;
    if (product_create(c, &in, &p) < 0 || (with_metric && metric_add(c, p.id, &m, &mo) < 0))
        fail_msg("product: %s", c->err.message);
    return p.id;
}

/* A product of P moved by the services to "passed" or "failed" (through a test). */
static int64_t tested_product(const char *result)
{
    struct product p;
    struct product_test t, to;
    int64_t id = draft_product(1);
    struct ctx *c = th_ctx();
    c->caller.institution_id = T->p;
    if (product_act(c, id, "submit", NULL, &p) < 0 || product_test_assign(c, id, T->e, &t) < 0)
        fail_msg("product: %s", c->err.message);
    memset(&to, 0, sizeof(to));
    to.status = result;
    to.report_ref = "R-LC-1";
    to.tested_on = "2025-01-01";
    to.findings = "响应时间不达标";
    if (product_test_record(c, t.id, &to, &to) < 0)
        fail_msg("test: %s", c->err.message);
    return id;
}

static int64_t seed_draft_product(void)
{
    return draft_product(1);
}

static int64_t seed_bare_draft_product(void)
{
    return draft_product(0);
}

static int64_t seed_passed_product(void)
{
    return tested_product("passed");
}

static int64_t seed_failed_product(void)
{
    return tested_product("failed");
}

static int64_t new_pool(int64_t capacity)
{
    struct pool_input in;
    struct pool out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.has = POOL_F_PROVIDER;
    in.v.provider_id = T->p;
    in.v.name = arena_printf(c->arena, "生命周期资源池%d", ++T->serial);
    in.v.kind = "compute";
    in.v.unit = "vcpu";
    in.v.specification = "2.6GHz x86";
    in.v.capacity = capacity;
    in.v.region = "520000";
    in.v.security_level = 3;
    if (pool_create(c, &in, &out) < 0)
        fail_msg("pool: %s", c->err.message);
    return out.id;
}

/* A pool whose conformity test passed: only such a pool is ordered (T5-6.2c, issue 12). */
static int64_t conformant_pool(int64_t capacity)
{
    struct conformity_test t, res;
    int64_t id = new_pool(capacity);
    struct ctx *c = th_ctx();
    if (conformity_assign(c, id, T->e, &t) < 0)
        fail_msg("conformity test: %s", c->err.message);
    memset(&res, 0, sizeof(res));
    res.status = "passed";
    res.report_ref = "R-LC-1";
    res.tested_on = "2025-01-01";
    if (conformity_record(c = th_ctx(), t.id, &res, &res) < 0)
        fail_msg("conformity result: %s", c->err.message);
    return id;
}

static int64_t seed_pool(void)
{
    return new_pool(100);
}

/* An order of U1 for capacity of a new pool of P, on a line of this year. */
static int64_t seed_order(void)
{
    int year = (int)strtol(today(th_ctx()), NULL, 10);
    int64_t pool = conformant_pool(100);
    snprintf(body, sizeof(body),
             "{\"user_id\":%lld,\"fiscal_year\":%d,\"code\":\"LC-%d\",\"name\":\"政务云服务费\","
             "\"amount_fen\":100000000}",
             (long long)T->u1, year, ++T->serial);
    struct th_resp *r = th_call("POST", "/api/v1/budget-lines", M_ADMIN, body);
    assert_status(r, 201);
    int64_t line = jint(r->json, "id");
    snprintf(body, sizeof(body),
             "{\"application\":\"政务服务平台\",\"justification\":\"承载网上办事\","
             "\"budget_line_id\":%lld,\"estimated_fen\":100000,\"pool_ids\":[%lld],"
             "\"quantities\":[2]}",
             (long long)line, (long long)pool);
    r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int64_t seed_project(void)
{
    snprintf(body, sizeof(body),
             "{\"title\":\"生命周期项目%d\",\"description\":\"建设需求\",\"subject\":\"product\","
             "\"requested_fen\":5000000}",
             ++T->serial);
    struct th_resp *r = th_call("POST", "/api/v1/procurement-projects", U1_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

/* ---------- the walk: actions are what the caller can do ---------- */

struct walk {
    const struct lifecycle *lc;
    const char *base; /* "/api/v1/products" */
    const char *state_key;
    struct who *callers[8];
    int64_t (*seeds[6])(void); /* NULL-terminated */
    /* Path and body of an action (NULL: POST base/id/action with body_of). */
    void (*request)(int64_t id, const char *action, char *p, size_t np, char *b, size_t nb);
    /* What the world does between transitions (tests, bids, the end of a trial). */
    void (*prepare)(int64_t id, const char *state);
};

struct step {
    struct who *w;
    const char *action;
};

#define MAX_DEPTH 10

static char visited[32][32];
static int n_visited;

static int is_visited(const char *state)
{
    for (int i = 0; i < n_visited; i++)
        if (!strcmp(visited[i], state))
            return 1;
    snprintf(visited[n_visited++], sizeof(visited[0]), "%s", state);
    return 0;
}

static void default_request(const struct walk *wk, int64_t id, const char *action, char *p,
                            size_t np, char *b, size_t nb)
{
    if (wk->request) {
        wk->request(id, action, p, np, b, nb);
        return;
    }
    snprintf(p, np, "%s/%lld/%s", wk->base, (long long)id, action);
    snprintf(b, nb, "{\"reason\":\"生命周期测试原因\"}");
}

static const char *state_of(const struct walk *wk, int64_t id, char *buf, size_t n)
{
    snprintf(path, sizeof(path), "%s/%lld", wk->base, (long long)id);
    struct th_resp *r = th_call("GET", path, wk->callers[0], NULL);
    assert_status(r, 200);
    snprintf(buf, n, "%s", jstr(r->json, wk->state_key));
    return buf;
}

static int listed(json_t *actions, const char *a)
{
    size_t i;
    json_t *v;
    json_array_foreach(actions, i, v)
    {
        if (!strcmp(json_string_value(v), a))
            return 1;
    }
    return 0;
}

static int64_t replay(const struct walk *wk, int64_t (*seed)(void), const struct step *steps, int n)
{
    char p[256], b[512], st[32];
    int64_t id = seed();
    if (wk->prepare)
        wk->prepare(id, state_of(wk, id, st, sizeof(st)));
    for (int i = 0; i < n; i++) {
        default_request(wk, id, steps[i].action, p, sizeof(p), b, sizeof(b));
        assert_status(th_call("POST", p, steps[i].w, b), 200);
        if (wk->prepare)
            wk->prepare(id, state_of(wk, id, st, sizeof(st)));
    }
    return id;
}

static void walk_from(const struct walk *wk, int64_t (*seed)(void), struct step *steps, int n)
{
    char p[256], b[512], before[32], after[32];
    struct step next[16];
    int n_next = 0;
    int64_t id = replay(wk, seed, steps, n);
    state_of(wk, id, before, sizeof(before));
    if (is_visited(before) || n >= MAX_DEPTH)
        return;
    for (int c = 0; wk->callers[c]; c++) {
        struct who *w = wk->callers[c];
        snprintf(path, sizeof(path), "%s/%lld", wk->base, (long long)id);
        struct th_resp *r = th_call("GET", path, w, NULL);
        json_t *actions = NULL;
        if (r->status == 200) {
            actions = json_incref(json_object_get(r->json, "actions"));
            assert_non_null(actions);
        } else {
            assert_status(r, 404);
        }
        for (int i = 0; i < wk->lc->n_transitions; i++) {
            const char *a = wk->lc->transitions[i].action;
            if (actions && listed(actions, a)) {
                next[n_next].w = w;
                next[n_next++].action = a;
                continue;
            }
            /* Not listed: refused, and nothing changes. */
            default_request(wk, id, a, p, sizeof(p), b, sizeof(b));
            r = th_call("POST", p, w, b);
            if (r->status != 403 && r->status != 404 && r->status != 409)
                fail_msg("%s %s by %s in %s: not listed but answered %d: %s", wk->lc->entity, a,
                         w->name, before, r->status, r->body);
            if (r->status == 409 || r->status == 403)
                assert_non_null(json_string_value(json_object_get(r->json, "rule")));
            assert_string_equal(state_of(wk, id, after, sizeof(after)), before);
        }
        json_decref(actions);
    }
    /* Listed: each succeeds (on an object of its own walked to the same state), and the walk
     * goes on from where it leads. */
    for (int k = 0; k < n_next; k++) {
        int64_t obj = k == 0 ? id : replay(wk, seed, steps, n);
        default_request(wk, obj, next[k].action, p, sizeof(p), b, sizeof(b));
        struct th_resp *r = th_call("POST", p, next[k].w, b);
        if (r->status != 200)
            fail_msg("%s %s by %s in %s: listed but answered %d: %s", wk->lc->entity,
                     next[k].action, next[k].w->name, before, r->status, r->body);
        steps[n] = next[k];
        walk_from(wk, seed, steps, n + 1);
    }
}

static void walk(const struct walk *wk)
{
    struct step steps[MAX_DEPTH + 1];
    n_visited = 0;
    for (int s = 0; wk->seeds[s]; s++)
        walk_from(wk, wk->seeds[s], steps, 0);
}

static void product_request(int64_t id, const char *action, char *p, size_t np, char *b, size_t nb)
{
    snprintf(p, np, "/api/v1/products/%lld/%s", (long long)id, action);
    snprintf(b, nb, "{\"reason\":\"生命周期测试原因\"}");
}

static void test_product_actions_are_what_the_caller_can_do(void **state)
{
    /* A draft without a metric is its own seed: submit is not listed (metric_required). */
    const struct walk wk = {
        .lc = &product_lifecycle,
        .base = "/api/v1/products",
        .state_key = "state",
        .callers = {P_ADMIN, P_MEMBER, M_ADMIN, M1_ADMIN, U1_ADMIN, NULL},
        .seeds = {seed_bare_draft_product, seed_draft_product, seed_passed_product,
                  seed_failed_product},
        .request = product_request,
    };
    (void)state;
    walk(&wk);
    assert_true(n_visited >= 6); /* draft submitted passed failed online offline eliminated */
}

static void order_request(int64_t id, const char *action, char *p, size_t np, char *b, size_t nb)
{
    snprintf(p, np, "/api/v1/orders/%lld/%s", (long long)id, action);
    if (!strcmp(action, "refuse") || !strcmp(action, "reject") || !strcmp(action, "release"))
        snprintf(b, nb, "{\"reason\":\"生命周期测试原因\"}");
    else
        snprintf(b, nb, "{}");
}

/* The trial of a delivered order ends today, so that acceptance is possible (T5-7.2d); the
 * refusal before that day is test_orders' test. */
static void order_prepare(int64_t id, const char *state)
{
    char sql[200];
    if (strcmp(state, "delivered") != 0)
        return;
    snprintf(sql, sizeof(sql), "UPDATE orders SET trial_ends_on = '%s' WHERE id = %lld",
             today(th_ctx()), (long long)id);
    th_sql(sql);
}

static void test_order_actions_are_what_the_caller_can_do(void **state)
{
    const struct walk wk = {
        .lc = &order_lifecycle,
        .base = "/api/v1/orders",
        .state_key = "state",
        .callers = {U1_ADMIN, U1_MEMBER, P_ADMIN, M1_ADMIN, M2_ADMIN, NULL},
        .seeds = {seed_order},
        .request = order_request,
        .prepare = order_prepare,
    };
    (void)state;
    walk(&wk);
    assert_int_equal(n_visited, 7); /* every state of an order */
}

static void project_request(int64_t id, const char *action, char *p, size_t np, char *b, size_t nb)
{
    if (!strcmp(action, "budget")) {
        snprintf(p, np, "/api/v1/procurement-projects/%lld/budget", (long long)id);
        snprintf(b, nb,
                 "{\"fiscal_year\":2026,\"amount_fen\":2000000,\"budget_line\":\"2130199\"}");
        return;
    }
    snprintf(p, np, "/api/v1/procurement-projects/%lld/transitions", (long long)id);
    snprintf(b, nb, "{\"to\":\"%s\",\"reason\":\"生命周期测试原因\"}", action);
}

/* What happens between stages: lots once budgeted, a bid, its award and the supervisor while
 * procuring, a supervision record while supervising, the evaluation while evaluating. */
static void project_prepare(int64_t id, const char *state)
{
    struct th_resp *r;
    char pp[128];
    if (!strcmp(state, "budgeted")) {
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld", (long long)id);
        r = th_call("GET", pp, M1_ADMIN, NULL);
        if (json_array_size(json_object_get(r->json, "lots")) > 0)
            return; /* a revision of the budget */
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/lots", (long long)id);
        r = th_call("POST", pp, M1_ADMIN,
                    "{\"category\":\"operation_maintenance\",\"title\":\"运维\",\"budget_fen\":"
                    "2000000}");
        assert_status(r, 201);
    } else if (!strcmp(state, "procuring")) {
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld", (long long)id);
        r = th_call("GET", pp, M1_ADMIN, NULL);
        int64_t lot = jint(json_array_get(json_object_get(r->json, "lots"), 0), "id");
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/bids", (long long)id);
        snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":1500000}", (long long)lot);
        r = th_call("POST", pp, P_ADMIN, body);
        assert_true(r->status == 200 || r->status == 201);
        snprintf(body, sizeof(body), "{\"bid_id\":%lld}", (long long)jint(r->json, "id"));
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/awards", (long long)id);
        assert_status(th_call("POST", pp, M1_ADMIN, body), 201);
        snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)T->e);
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/supervisor", (long long)id);
        assert_status(th_call("POST", pp, M1_ADMIN, body), 200);
    } else if (!strcmp(state, "supervising")) {
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/supervision-records",
                 (long long)id);
        assert_status(th_call("POST", pp, E_ADMIN,
                              "{\"observation\":\"部署符合方案\",\"conclusion\":\"conforming\"}"),
                      201);
    } else if (!strcmp(state, "evaluating")) {
        snprintf(pp, sizeof(pp), "/api/v1/procurement-projects/%lld/evaluation", (long long)id);
        assert_status(th_call("POST", pp, E_ADMIN, "{\"score\":88,\"findings\":\"达到预期\"}"),
                      200);
    }
}

static void test_project_actions_are_what_the_caller_can_do(void **state)
{
    const struct walk wk = {
        .lc = &project_lifecycle,
        .base = "/api/v1/procurement-projects",
        .state_key = "state",
        .callers = {M1_ADMIN, M2_ADMIN, U1_ADMIN, E_ADMIN, NULL},
        .seeds = {seed_project},
        .request = project_request,
        .prepare = project_prepare,
    };
    (void)state;
    walk(&wk);
    assert_int_equal(n_visited, 7); /* declared … closed, cancelled */
}

static void test_pool_actions_are_what_the_caller_can_do(void **state)
{
    const struct walk wk = {
        .lc = &pool_lifecycle,
        .base = "/api/v1/resource-pools",
        .state_key = "status",
        .callers = {P_ADMIN, P_MEMBER, M_ADMIN, NULL},
        .seeds = {seed_pool},
    };
    (void)state;
    walk(&wk);
    assert_int_equal(n_visited, 3);
}

/* ---------- refusals a program can read ---------- */

static void test_refusals_carry_rule_and_params(void **state)
{
    struct th_resp *r;
    (void)state;
    /* The state a transition found. */
    int64_t id = draft_product(1);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/withdraw", (long long)id);
    r = th_call("POST", path, P_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "not_online");
    assert_string_equal(jstr(json_object_get(r->json, "params"), "state"), "draft");
    /* Who may act: the provider's products are not another institution's to change. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld/eliminate", (long long)id);
    r = th_call("POST", path, M1_ADMIN, "{\"reason\":\"不符合要求\"}");
    assert_true(r->status == 403 || r->status == 404);
    /* The figures of a guard: the budget's remaining and needed amounts. */
    int64_t order = seed_order();
    snprintf(body, sizeof(body),
             "UPDATE budget_lines SET amount_fen = 60000 WHERE id = "
             "(SELECT budget_line_id FROM orders WHERE id = %lld)",
             (long long)order);
    th_sql(body);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld", (long long)order);
    r = th_call("GET", path, M1_ADMIN, NULL);
    assert_status(r, 200);
    assert_false(listed(json_object_get(r->json, "actions"), "approve"));
    assert_true(listed(json_object_get(r->json, "actions"), "refuse"));
    /* … and says why, with the same figures, before anyone tries. */
    json_t *blocked = json_array_get(json_object_get(r->json, "blocked_actions"), 0);
    assert_string_equal(jstr(blocked, "action"), "approve");
    assert_string_equal(jstr(blocked, "rule"), "budget_exceeded");
    assert_int_equal(jint(json_object_get(blocked, "params"), "remaining_fen"), 60000);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/approve", (long long)order);
    r = th_call("POST", path, M1_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "budget_exceeded");
    json_t *params = json_object_get(r->json, "params");
    assert_int_equal(jint(params, "remaining_fen"), 60000);
    assert_int_equal(jint(params, "needed_fen"), 100000);
    assert_true(strlen(jstr(params, "budget_line")) > 0);
    /* A trial shorter than six months names its length and the minimum. */
    r = th_call("POST", path, M1_ADMIN, "{\"trial_months\":3}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "trial_too_short");
    assert_int_equal(jint(json_object_get(r->json, "params"), "trial_months"), 3);
    assert_int_equal(jint(json_object_get(r->json, "params"), "minimum_months"), 6);
}

/* ---------- the pool lifecycle, recorded (T5-3.4) ---------- */

static void test_pool_lifecycle_is_recorded(void **state)
{
    struct th_resp *r;
    (void)state;
    int64_t pool = new_pool(10);
    /* Capacity in use keeps a pool from retiring. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body), "{\"user_id\":%lld,\"application\":\"政务服务\",\"quantity\":4}",
             (long long)T->u1);
    r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    int64_t alloc = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    r = th_call("GET", path, P_ADMIN, NULL);
    assert_false(listed(json_object_get(r->json, "actions"), "retire"));
    assert_true(listed(json_object_get(r->json, "actions"), "suspend"));
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/retire", (long long)pool);
    r = th_call("POST", path, P_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "pool_in_use");
    assert_int_equal(jint(json_object_get(r->json, "params"), "allocated"), 4);
    /* Suspended: nothing new is allocated; a member without the post cannot suspend. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/suspend", (long long)pool);
    assert_status(th_call("POST", path, P_MEMBER, "{}"), 403);
    r = th_call("POST", path, P_ADMIN, "{\"reason\":\"机房检修\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "status"), "suspended");
    assert_true(listed(json_object_get(r->json, "actions"), "resume"));
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body), "{\"user_id\":%lld,\"application\":\"政务服务\",\"quantity\":1}",
             (long long)T->u1);
    assert_status(th_call("POST", path, P_ADMIN, body), 409);
    /* A PATCH of status takes the same table: back to active, recorded. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    assert_status(th_call("PATCH", path, P_ADMIN, "{\"status\":\"active\"}"), 200);
    /* Released, then retired; retirement is final. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/changes",
             (long long)pool, (long long)alloc);
    assert_status(th_call("POST", path, P_ADMIN, "{\"op\":\"release\",\"reason\":\"到期\"}"), 200);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/retire", (long long)pool);
    assert_status(th_call("POST", path, P_ADMIN, "{\"reason\":\"设备退役\"}"), 200);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/resume", (long long)pool);
    r = th_call("POST", path, P_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "not_suspended");
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    r = th_call("PATCH", path, P_ADMIN, "{\"status\":\"active\"}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "not_suspended");
    /* The history: from, to, who, why, and the T5-3.4 stage. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/transitions", (long long)pool);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    static const char *const to[] = {"active", "suspended", "active", "retired"};
    assert_int_equal(json_array_size(items), 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *t = json_array_get(items, i);
        assert_string_equal(jstr(t, "to_state"), to[i]);
        if (i > 0)
            assert_int_equal(jint(t, "by_person"), P_ADMIN->person_id);
    }
    assert_string_equal(jstr(json_array_get(items, 0), "from_state"), "");
    assert_string_equal(jstr(json_array_get(items, 1), "reason"), "机房检修");
    assert_string_equal(jstr(json_array_get(items, 3), "lifecycle_stage"), "offline");
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/transitions", (long long)pool);
    assert_status(th_call("GET", path, M2_ADMIN, NULL), 404);
    /* Audited in the same transaction. */
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE object_id = %lld AND action IN "
             "('pool.suspend', 'pool.retire')",
             (long long)pool);
    assert_int_equal(th_sql_int(body), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition_refuses_with_its_rule),
        cmocka_unit_test(test_refusals_carry_rule_and_params),
        cmocka_unit_test(test_pool_lifecycle_is_recorded),
        cmocka_unit_test(test_product_actions_are_what_the_caller_can_do),
        cmocka_unit_test(test_order_actions_are_what_the_caller_can_do),
        cmocka_unit_test(test_project_actions_are_what_the_caller_can_do),
        cmocka_unit_test(test_pool_actions_are_what_the_caller_can_do),
    };
    return cmocka_run_group_tests(tests, th_setup, th_teardown);
}
