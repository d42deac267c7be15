/*
 * test_orders.c - orders (T5-8.2e, T5-5.3c): application with a justification, approval against
 * the catalogue and a budget line (T5-8.2c), delivery through allocations (T5-6.2b), the trial
 * period of T5-7.2d, acceptance, rejection, changes and release, and the feedback thread
 * (T5-8.2e, T5-10.2e). Each rule is shown refusing the wrong thing and allowing the right one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "db/db.h"
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
#define U2_ADMIN  (&T->who[W_U2_ADMIN])

static char body[2048], path[256];
static int year;

static int current_year(void)
{
    if (!year)
        year = (int)strtol(today(th_ctx()), NULL, 10);
    return year;
}

/* An online product of P, moved through its lifecycle by the services. */
static int64_t online_product(void)
{
    struct product_input in;
    struct product p;
    struct metric m, mo;
    struct product_test t, to;
    struct ctx *c = th_ctx();
    c->caller.institution_id = T->p;
    memset(&in, 0, sizeof(in));
    in.v.name = arena_printf(c->arena, "订单测试产品%d", ++T->serial);
    in.v.category = "operation_maintenance";
    in.v.description = "7x24 运行维护服务";
    in.v.region = "520000";
    memset(&m, 0, sizeof(m));
    m.name = "服务时长";
    m.unit = "月";
    m.method = "按自然月计";
    m.list_price_fen = 1200000;
    if (product_create(c, &in, &p) < 0 || metric_add(c, p.id, &m, &mo) < 0 ||
        product_act(c, p.id, "submit", NULL, &p) < 0 || product_test_assign(c, p.id, T->e, &t) < 0)
        fail_msg("product: %s", c->err.message);
    memset(&to, 0, sizeof(to));
    to.status = "passed";
    to.report_ref = "R-O-1";
    to.tested_on = "2025-01-01";
    if (product_test_record(c, t.id, &to, &to) < 0 || product_act(c, p.id, "launch", NULL, &p) < 0)
        fail_msg("product launch: %s", c->err.message);
    return p.id;
}

static int64_t untested_pool_of(int64_t provider, int64_t capacity)
{
    struct pool_input in;
    struct pool out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.has = POOL_F_PROVIDER;
    in.v.provider_id = provider;
    in.v.name = arena_printf(c->arena, "订单资源池%d", ++T->serial);
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

/* A pool whose conformity test passed: only such a pool is ordered (T5-6.2c). */
static int64_t pool_of(int64_t provider, int64_t capacity)
{
    struct conformity_test t, res;
    int64_t id = untested_pool_of(provider, capacity);
    struct ctx *c = th_ctx();
    if (conformity_assign(c, id, T->e, &t) < 0)
        fail_msg("conformity test: %s", c->err.message);
    memset(&res, 0, sizeof(res));
    res.status = "passed";
    res.report_ref = "R-P-1";
    res.tested_on = "2025-01-01";
    if (conformity_record(c = th_ctx(), t.id, &res, &res) < 0)
        fail_msg("conformity result: %s", c->err.message);
    return id;
}

static int64_t pool_allocated(int64_t pool)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT allocated FROM resource_pools WHERE id = %lld",
             (long long)pool);
    return th_sql_int(sql);
}

static struct th_resp *new_line(struct who *w, int64_t user, int fiscal_year, long long fen)
{
    snprintf(body, sizeof(body),
             "{\"user_id\":%lld,\"fiscal_year\":%d,\"code\":\"ZX-%d\",\"name\":\"政务云服务费\","
             "\"amount_fen\":%lld}",
             (long long)user, fiscal_year, ++T->serial, fen);
    return th_call("POST", "/api/v1/budget-lines", w, body);
}

static int64_t line(int64_t user, long long fen)
{
    struct th_resp *r = new_line(M_ADMIN, user, current_year(), fen);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static struct th_resp *apply(struct who *w, int64_t budget, long long fen, int64_t product,
                             int64_t pool, int64_t qty)
{
    char items[256];
    size_t o = 0;
    items[0] = 0;
    if (product)
        o += (size_t)snprintf(items + o, sizeof(items) - o, ",\"product_ids\":[%lld]",
                              (long long)product);
    if (pool)
        snprintf(items + o, sizeof(items) - o, ",\"pool_ids\":[%lld],\"quantities\":[%lld]",
                 (long long)pool, (long long)qty);
    snprintf(body, sizeof(body),
             "{\"application\":\"不动产登记系统\",\"justification\":\"不动产登记业务上云，"
             "需要运维服务和计算资源\",\"budget_line_id\":%lld,\"estimated_fen\":%lld%s}",
             (long long)budget, fen, items);
    return th_call("POST", "/api/v1/orders", w, body);
}

static int64_t applied(int64_t budget, long long fen, int64_t product, int64_t pool, int64_t qty)
{
    struct th_resp *r = apply(U1_ADMIN, budget, fen, product, pool, qty);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "state"), "applied");
    return jint(r->json, "id");
}

static struct th_resp *act(int64_t order, const char *action, struct who *w, const char *b)
{
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/%s", (long long)order, action);
    return th_call("POST", path, w, b ? b : "{}");
}

static const char *rule_of(struct th_resp *r)
{
    const char *rule = jstr(r->json, "rule");
    return rule ? rule : "";
}

static struct th_resp *get_order(int64_t order, struct who *w)
{
    snprintf(path, sizeof(path), "/api/v1/orders/%lld", (long long)order);
    return th_call("GET", path, w, NULL);
}

/* An order of U1 for a product and pool capacity, approved with a trial of `months` (a
 * shorter one with a justification) and delivered. */
static int64_t delivered(int64_t product, int64_t pool, int64_t qty, int months)
{
    int64_t id = applied(line(T->u1, 10000000), 500000, product, pool, qty);
    snprintf(body, sizeof(body),
             "{\"trial_months\":%d,\"trial_justification\":\"系统迁移验证，试用期缩短\"}", months);
    assert_status(act(id, "approve", M1_ADMIN, body), 200);
    assert_status(act(id, "deliver", P_ADMIN, "{\"note\":\"已开通\"}"), 200);
    return id;
}

static void test_budget_lines(void **state)
{
    (void)state;
    struct th_resp *r = new_line(M1_ADMIN, T->u1, current_year(), 500000000);
    assert_status(r, 201);
    assert_int_equal(jint(r->json, "remaining_fen"), 500000000);
    assert_int_equal(jint(r->json, "used_fen"), 0);
    int64_t id = jint(r->json, "id");
    /* (agency, year, code) is unique. */
    snprintf(body, sizeof(body),
             "{\"user_id\":%lld,\"fiscal_year\":%d,\"code\":\"%s\",\"name\":\"重复\","
             "\"amount_fen\":100}",
             (long long)T->u1, current_year(), jstr(r->json, "code"));
    r = th_call("POST", "/api/v1/budget-lines", M_ADMIN, body);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "code", "unique"));
    /* Only for user agencies in the caller's jurisdiction. */
    r = new_line(M2_ADMIN, T->u1, current_year(), 100);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "user_id", "user_agency"));
    r = new_line(M_ADMIN, T->p, current_year(), 100);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "user_id", "user_agency"));
    r = new_line(M_ADMIN, T->u1, current_year(), 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "amount_fen", "range"));
    assert_status(new_line(U1_ADMIN, T->u1, current_year(), 100), 403);
    /* The agency reads its own lines, nobody else's. */
    snprintf(path, sizeof(path), "/api/v1/budget-lines?user_id=%lld", (long long)T->u1);
    r = th_call("GET", path, U1_MEMBER, NULL);
    assert_status(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 1);
    r = th_call("GET", path, U2_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    r = th_call("GET", path, M2_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    (void)id;
}

static void test_application_rules(void **state)
{
    (void)state;
    int64_t product = online_product(), pool = pool_of(T->p, 100);
    int64_t budget = line(T->u1, 10000000);
    /* T5-5.3c: the business need is required. */
    snprintf(body, sizeof(body),
             "{\"application\":\"办公系统\",\"justification\":\"\",\"budget_line_id\":%lld,"
             "\"estimated_fen\":100,\"product_ids\":[%lld]}",
             (long long)budget, (long long)product);
    struct th_resp *r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "justification", "required") ||
                has_field_error(r->json, "justification", "length"));
    r = apply(U1_ADMIN, budget, 100, 0, 0, 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "product_ids", "items_required"));
    snprintf(body, sizeof(body),
             "{\"application\":\"办公系统\",\"justification\":\"办公业务需要\",\"budget_line_id\":"
             "%lld,\"estimated_fen\":100,\"pool_ids\":[%lld],\"quantities\":[]}",
             (long long)budget, (long long)pool);
    r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "quantities", "per_pool"));
    /* The budget line must be the agency's own. */
    int64_t other = line(T->u2, 10000000);
    r = apply(U1_ADMIN, other, 100, product, 0, 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "budget_line_id", "own_line"));
    /* Only online products (T5-7.2b). */
    struct ctx *c = th_ctx();
    struct product_input pin;
    struct product draft;
    c->caller.institution_id = T->p;
    memset(&pin, 0, sizeof(pin));
    pin.v.name = arena_printf(c->arena, "草稿产品%d", ++T->serial);
    pin.v.category = "training_promotion";
    pin.v.description = "培训";
    pin.v.region = "520000";
    if (product_create(c, &pin, &draft) < 0)
        fail_msg("draft: %s", c->err.message);
    r = apply(U1_ADMIN, budget, 100, draft.id, 0, 0);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "catalogue_state");
    /* One provider per order. */
    int64_t p2 = th_institution(T->m, "provider", "provincial");
    int64_t foreign = pool_of(p2, 100);
    r = apply(U1_ADMIN, budget, 100, product, foreign, 2);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "one_provider");
    /* Capacity of an active pool only. */
    int64_t retired = pool_of(T->p, 10);
    snprintf(path, sizeof(path), "UPDATE resource_pools SET status = 'suspended' WHERE id = %lld",
             (long long)retired);
    assert_int_equal(th_sql(path), 0);
    r = apply(U1_ADMIN, budget, 100, 0, retired, 2);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "pool_state");
    /* Only user agencies order, and only administrators or post holders. */
    assert_status(apply(M_ADMIN, budget, 100, product, 0, 0), 403);
    assert_status(apply(U1_MEMBER, budget, 100, product, 0, 0), 403);
    /* Right: a product and pool capacity of one provider. */
    r = apply(U1_ADMIN, budget, 300000, product, pool, 4);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "state"), "applied");
    assert_int_equal(jint(r->json, "provider_id"), T->p);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    assert_int_equal(jint(r->json, "trial_months"), 6);
    int64_t id = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/transitions", (long long)id);
    r = th_call("GET", path, U1_MEMBER, NULL);
    assert_status(r, 200);
    json_t *t0 = json_array_get(json_object_get(r->json, "items"), 0);
    assert_string_equal(jstr(t0, "to_state"), "applied");
    assert_int_equal(jint(t0, "by_person"), U1_ADMIN->person_id);
}

static void test_trial_shorter_than_six_months_needs_a_justification(void **state)
{
    (void)state;
    int64_t product = online_product(), budget = line(T->u1, 10000000);
    int64_t id = applied(budget, 1000, product, 0, 0);
    /* T5-7.2d: three months without a reason is refused. */
    struct th_resp *r = act(id, "approve", M_ADMIN, "{\"trial_months\":3}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "trial_too_short");
    r = act(id, "approve", M_ADMIN, "{\"trial_months\":3,\"trial_justification\":\" \"}");
    assert_status(r, 409);
    r = act(id, "approve", M_ADMIN, "{\"trial_months\":-1}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "trial_months", "range"));
    assert_string_equal(jstr(get_order(id, U1_ADMIN)->json, "state"), "applied");
    /* With the reason recorded it is allowed. */
    r = act(id, "approve", M_ADMIN,
            "{\"trial_months\":3,\"trial_justification\":\"省级统一试点，已有同类系统验证\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "approved");
    assert_int_equal(jint(r->json, "trial_months"), 3);
    assert_string_equal(jstr(r->json, "trial_justification"), "省级统一试点，已有同类系统验证");
    /* Six months by default, no reason needed. */
    int64_t id2 = applied(budget, 1000, product, 0, 0);
    r = act(id2, "approve", M_ADMIN, "{}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "trial_months"), 6);
    /* Approving twice is refused. */
    r = act(id2, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_applied");
}

/* Issue 12: white space of any kind is no justification and no reason. */
static void test_blank_texts_are_not_present(void **state)
{
    (void)state;
    int64_t product = online_product(), budget = line(T->u1, 10000000);
    int64_t id = applied(budget, 1000, product, 0, 0);
    static const char *const blanks[] = {
        "{\"trial_months\":3,\"trial_justification\":\"        \"}",
        "{\"trial_months\":3,\"trial_justification\":\"\\u3000\\u3000\\u3000\\u3000\"}",
        "{\"trial_months\":3,\"trial_justification\":\" \\u00a0\\u2002\\u2009\\u200a\\u3000 \"}",
        "{\"trial_months\":3,\"trial_justification\":\"\\u2028\\u2029\\u202f\\u205f\\ufeff\"}",
    };
    for (size_t i = 0; i < sizeof(blanks) / sizeof(blanks[0]); i++) {
        struct th_resp *r = act(id, "approve", M_ADMIN, blanks[i]);
        assert_status(r, 409);
        assert_string_equal(rule_of(r), "trial_too_short");
    }
    assert_string_equal(jstr(get_order(id, U1_ADMIN)->json, "state"), "applied");
    /* A refusal's reason, and an application's justification, are not white space either. */
    struct th_resp *r = act(id, "refuse", M_ADMIN, "{\"reason\":\"\\u3000\\u3000\\u3000\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    snprintf(body, sizeof(body),
             "{\"application\":\"不动产登记系统\",\"justification\":\"\\u3000 \\u3000 \\u3000\","
             "\"budget_line_id\":%lld,\"estimated_fen\":100,\"product_ids\":[%lld]}",
             (long long)budget, (long long)product);
    r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "justification", "required"));
    /* A real reason with white space around it counts. */
    r = act(id, "approve", M_ADMIN,
            "{\"trial_months\":3,\"trial_justification\":\"\\u3000省级统一试点\\u3000\"}");
    assert_status(r, 200);
}

/* Issue 12: an estimate of 0 fen reserved nothing and passed an exhausted budget line. */
static void test_estimate_must_be_positive(void **state)
{
    (void)state;
    int64_t product = online_product(), budget = line(T->u1, 1000);
    assert_status(act(applied(budget, 1000, product, 0, 0), "approve", M_ADMIN, "{}"), 200);
    /* The line is exhausted: 0 fen is refused when applying ... */
    struct th_resp *r = apply(U1_ADMIN, budget, 0, product, 0, 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "estimated_fen", "positive"));
    r = apply(U1_ADMIN, budget, -5, product, 0, 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "estimated_fen", "positive"));
    /* ... and 1 fen is refused by the budget, with the figures. */
    int64_t one = applied(budget, 1, product, 0, 0);
    r = act(one, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "budget_exceeded");
    json_t *params = json_object_get(r->json, "params");
    assert_int_equal(jint(params, "remaining_fen"), 0);
    assert_int_equal(jint(params, "estimated_fen"), 1);
    /* An order stored with 0 fen before the rule (or by any other path) is not approved. */
    char sql[128];
    snprintf(sql, sizeof(sql), "UPDATE orders SET estimated_fen = 0 WHERE id = %lld",
             (long long)one);
    assert_int_equal(th_sql(sql), 0);
    r = act(one, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "estimate_not_positive");
    assert_string_equal(jstr(get_order(one, U1_ADMIN)->json, "state"), "applied");
}

/* Issue 12: an order names only pools whose newest conformity test passed (T5-6.2c); a count
 * is not "an id". */
static void test_pool_items_need_a_passed_conformity_test(void **state)
{
    (void)state;
    int64_t budget = line(T->u1, 10000000);
    int64_t untested = untested_pool_of(T->p, 10), failed = untested_pool_of(T->p, 10);
    struct conformity_test t, res;
    struct ctx *c = th_ctx();
    if (conformity_assign(c, failed, T->e, &t) < 0)
        fail_msg("assign: %s", c->err.message);
    memset(&res, 0, sizeof(res));
    res.status = "failed";
    res.findings = "存储未加密";
    res.report_ref = "R-F-1";
    res.tested_on = "2025-01-01";
    if (conformity_record(c = th_ctx(), t.id, &res, &res) < 0)
        fail_msg("record: %s", c->err.message);
    struct th_resp *r = apply(U1_ADMIN, budget, 100, 0, untested, 2);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "pool_not_conformant");
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-6.2c"));
    r = apply(U1_ADMIN, budget, 100, 0, failed, 2);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "pool_not_conformant");
    /* A conformant pool is ordered; a quantity of 0 is refused in words that fit. */
    int64_t pool = pool_of(T->p, 10);
    r = apply(U1_ADMIN, budget, 100, 0, pool, 0);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "quantities", "positive"));
    assert_null(strstr(r->body, "not a valid id"));
    assert_non_null(strstr(r->body, "quantities[0] must be a positive integer"));
    assert_status(apply(U1_ADMIN, budget, 100, 0, pool, 2), 201);
}

static void test_approval_checks_budget_and_catalogue(void **state)
{
    (void)state;
    int64_t product = online_product();
    int64_t budget = line(T->u1, 1000000);
    int64_t big = applied(budget, 1500000, product, 0, 0);
    /* T5-8.2c: the estimate must fit the remaining amount. */
    struct th_resp *r = act(big, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "budget_exceeded");
    assert_non_null(strstr(jstr(r->json, "detail"), "1000000 fen remaining"));
    assert_non_null(strstr(jstr(r->json, "detail"), "1500000 fen"));
    int64_t a = applied(budget, 600000, product, 0, 0);
    int64_t b = applied(budget, 600000, product, 0, 0);
    assert_status(act(a, "approve", M_ADMIN, "{}"), 200);
    r = act(b, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "budget_exceeded");
    assert_non_null(strstr(jstr(r->json, "detail"), "400000 fen remaining"));
    /* A refusal needs a reason and commits nothing. */
    r = act(b, "refuse", M_ADMIN, "{}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    r = act(b, "refuse", M_ADMIN, "{\"reason\":\"预算不足，请调整需求\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "refused");
    snprintf(path, sizeof(path), "/api/v1/budget-lines?user_id=%lld", (long long)T->u1);
    r = th_call("GET", path, U1_ADMIN, NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (jint(it, "id") == budget) {
            assert_int_equal(jint(it, "used_fen"), 600000);
            assert_int_equal(jint(it, "remaining_fen"), 400000);
        }
    }
    /* A line of another fiscal year does not pay. */
    r = new_line(M_ADMIN, T->u1, current_year() - 1, 10000000);
    assert_status(r, 201);
    int64_t old = applied(jint(r->json, "id"), 100, product, 0, 0);
    r = act(old, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "budget_year");
    /* The product went offline after the application. */
    int64_t gone = online_product();
    int64_t late = applied(line(T->u1, 1000000), 100, gone, 0, 0);
    struct ctx *c = th_ctx();
    struct product p;
    c->caller.institution_id = T->p;
    if (product_act(c, gone, "withdraw", "下线维护", &p) < 0)
        fail_msg("withdraw: %s", c->err.message);
    r = act(late, "approve", M_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "catalogue_state");
    /* Management of another branch does not see it; the provider may not approve. */
    assert_status(act(a, "approve", M2_ADMIN, "{}"), 404);
    assert_status(act(late, "approve", P_ADMIN, "{}"), 403);
}

static void test_delivery_trial_and_acceptance(void **state)
{
    (void)state;
    int64_t product = online_product(), pool = pool_of(T->p, 10);
    int64_t id = applied(line(T->u1, 10000000), 500000, product, pool, 4);
    /* Delivery comes after approval, by the order's provider. */
    struct th_resp *r = act(id, "deliver", P_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_approved");
    assert_status(act(id, "approve", M_ADMIN, "{}"), 200);
    assert_status(act(id, "deliver", M_ADMIN, "{}"), 403);
    assert_status(act(id, "deliver", P_MEMBER, "{}"), 403);
    /* T5-6.2b: the pool's capacity rule holds at delivery; nothing is half-written. */
    int64_t greedy = applied(line(T->u1, 10000000), 100, 0, pool, 8);
    assert_status(act(greedy, "approve", M_ADMIN, "{}"), 200);
    assert_status(act(id, "deliver", P_ADMIN, "{}"), 200);
    assert_int_equal(pool_allocated(pool), 4);
    r = act(greedy, "deliver", P_ADMIN, "{}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "quantity", "capacity"));
    assert_int_equal(pool_allocated(pool), 4);
    assert_string_equal(jstr(get_order(greedy, U1_ADMIN)->json, "state"), "approved");
    /* The delivered order holds its allocation and the trial dates (six months). */
    r = get_order(id, U1_ADMIN);
    assert_string_equal(jstr(r->json, "state"), "delivered");
    const char *on = jstr(r->json, "delivered_on");
    assert_string_equal(on, today(th_ctx()));
    char want[32];
    long y = strtol(on, NULL, 10), m = strtol(on + 5, NULL, 10) + 6;
    if (m > 12) {
        m -= 12;
        y++;
    }
    snprintf(want, sizeof(want), "%04ld-%02ld", y, m);
    assert_int_equal(strncmp(jstr(r->json, "trial_ends_on"), want, 7), 0);
    json_t *items = json_object_get(r->json, "items");
    json_t *pool_item = jint(json_array_get(items, 0), "pool_id") ? json_array_get(items, 0)
                                                                  : json_array_get(items, 1);
    assert_true(jint(pool_item, "allocation_id") > 0);
    assert_string_equal(jstr(pool_item, "allocation_status"), "active");
    char ends[16];
    snprintf(ends, sizeof(ends), "%s", jstr(r->json, "trial_ends_on"));
    /* T5-7.2d: no acceptance before the trial is over. */
    r = act(id, "accept", U1_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "trial_not_over");
    assert_non_null(strstr(jstr(r->json, "detail"), ends));
    /* Seven months later the trial is over. A product in its trial is in use: not a candidate
     * for elimination. */
    time_set_offset_ms(7LL * 31 * 86400000);
    struct who later, mlater;
    memset(&later, 0, sizeof(later));
    memset(&mlater, 0, sizeof(mlater));
    th_session(&later, U1_ADMIN->person_id);
    th_session(&mlater, M_ADMIN->person_id);
    r = th_call("GET", "/api/v1/product-elimination-candidates", &mlater, NULL);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (jint(it, "id") == product)
            fail_msg("a product in its trial is listed as unused");
    }
    struct th_resp *bad = act(id, "accept", &later, "{\"rating\":6}");
    int bad_status = bad->status;
    int bad_rating = has_field_error(bad->json, "rating", "range");
    r = act(id, "accept", &later, "{\"rating\":4,\"comment\":\"运行稳定，响应及时\"}");
    int status = r->status;
    char state_after[32];
    snprintf(state_after, sizeof(state_after), "%s", jstr(r->json, "state"));
    time_set_offset_ms(0);
    assert_int_equal(bad_status, 422);
    assert_true(bad_rating);
    assert_int_equal(status, 200);
    assert_string_equal(state_after, "in_service");
    /* The rating given at acceptance is the first feedback. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback", (long long)id);
    r = th_call("GET", path, P_MEMBER, NULL);
    assert_status(r, 200);
    json_t *f0 = json_array_get(json_object_get(r->json, "items"), 0);
    assert_int_equal(jint(f0, "rating"), 4);
    assert_string_equal(jstr(f0, "comment"), "运行稳定，响应及时");
    /* Every transition is recorded. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/transitions", (long long)id);
    r = th_call("GET", path, M1_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 4);
    json_t *last = json_array_get(json_object_get(r->json, "items"), 3);
    assert_string_equal(jstr(last, "from_state"), "delivered");
    assert_string_equal(jstr(last, "to_state"), "in_service");
}

static void test_rejection_releases_and_refunds(void **state)
{
    (void)state;
    int64_t pool = pool_of(T->p, 10), budget = line(T->u1, 1000000);
    int64_t id = applied(budget, 800000, 0, pool, 5);
    assert_status(act(id, "approve", M_ADMIN, "{}"), 200);
    assert_status(act(id, "deliver", P_ADMIN, "{}"), 200);
    assert_int_equal(pool_allocated(pool), 5);
    struct th_resp *r = act(id, "reject", U1_ADMIN, "{}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    assert_status(act(id, "reject", U2_ADMIN, "{\"reason\":\"不是我们的\"}"), 404);
    assert_status(act(id, "reject", P_ADMIN, "{\"reason\":\"越权\"}"), 403);
    r = act(id, "reject", U1_ADMIN, "{\"reason\":\"试用期内性能不达标\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "rejected");
    assert_int_equal(pool_allocated(pool), 0);
    /* The estimate goes back to the line: another order of 800000 fits again. */
    int64_t again = applied(budget, 800000, 0, pool, 1);
    assert_status(act(again, "approve", M_ADMIN, "{}"), 200);
    r = act(id, "accept", U1_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_delivered");
}

static void test_changes_and_release(void **state)
{
    (void)state;
    int64_t product = online_product(), pool = pool_of(T->p, 10);
    int64_t id = delivered(product, pool, 3, 0);
    json_t *items = json_object_get(get_order(id, U1_ADMIN)->json, "items");
    int64_t product_item = 0, pool_item = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (jint(it, "pool_id"))
            pool_item = jint(it, "id");
        else
            product_item = jint(it, "id");
    }
    /* Changes come once the order is in service. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/changes", (long long)id);
    snprintf(body, sizeof(body),
             "{\"item_id\":%lld,\"op\":\"expand\",\"quantity\":2,"
             "\"reason\":\"业务量增长\"}",
             (long long)pool_item);
    struct th_resp *r = th_call("POST", path, U1_ADMIN, body);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_in_service");
    /* A zero-month trial (justified) is over on the day of delivery. */
    assert_status(act(id, "accept", U1_ADMIN, "{}"), 200);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/changes", (long long)id);
    snprintf(body, sizeof(body),
             "{\"item_id\":%lld,\"op\":\"expand\",\"quantity\":2,"
             "\"reason\":\"扩容\"}",
             (long long)product_item);
    r = th_call("POST", path, U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "item_id", "pool_item"));
    snprintf(body, sizeof(body),
             "{\"item_id\":%lld,\"op\":\"expand\",\"quantity\":2,"
             "\"reason\":\"业务量增长\"}",
             (long long)pool_item);
    r = th_call("POST", path, U1_ADMIN, body);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "status"), "requested");
    int64_t change = jint(r->json, "id");
    snprintf(body, sizeof(body),
             "{\"item_id\":%lld,\"op\":\"adjust\",\"quantity\":50,"
             "\"reason\":\"大幅扩容\"}",
             (long long)pool_item);
    r = th_call("POST", path, U1_ADMIN, body);
    assert_status(r, 201);
    int64_t too_big = jint(r->json, "id");
    /* The provider applies; the user agency cannot. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/changes/%lld/apply", (long long)id,
             (long long)change);
    assert_status(th_call("POST", path, U1_ADMIN, NULL), 403);
    r = th_call("POST", path, P_ADMIN, NULL);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "status"), "applied");
    assert_int_equal(jint(r->json, "quantity_before"), 3);
    assert_int_equal(jint(r->json, "quantity_after"), 5);
    assert_int_equal(pool_allocated(pool), 5);
    r = th_call("POST", path, P_ADMIN, NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "change_not_requested");
    /* Capacity is the pool's: 50 of 10 is refused and nothing changes. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/changes/%lld/apply", (long long)id,
             (long long)too_big);
    r = th_call("POST", path, P_ADMIN, NULL);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "quantity", "capacity"));
    assert_int_equal(pool_allocated(pool), 5);
    /* Release frees everything; the open request is cancelled. */
    r = act(id, "release", U1_ADMIN, "{\"reason\":\"系统下线\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "released");
    assert_int_equal(pool_allocated(pool), 0);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/changes", (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_string_equal(jstr(json_array_get(json_object_get(r->json, "items"), 1), "status"),
                        "cancelled");
    r = act(id, "release", U1_ADMIN, "{}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_in_service");
}

static void test_feedback_thread(void **state)
{
    (void)state;
    int64_t product = online_product();
    int64_t waiting = applied(line(T->u1, 1000000), 100, product, 0, 0);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback", (long long)waiting);
    struct th_resp *r = th_call("POST", path, U1_MEMBER, "{\"rating\":3}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r), "not_delivered");
    int64_t id = delivered(product, 0, 0, 6);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback", (long long)id);
    r = th_call("POST", path, U1_MEMBER, "{\"rating\":0}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "rating", "range"));
    assert_status(th_call("POST", path, U1_MEMBER, "{\"comment\":\"没有评分\"}"), 422);
    /* Any member of the agency rates during the trial too. */
    r = th_call("POST", path, U1_MEMBER, "{\"rating\":2,\"comment\":\"响应偏慢\"}");
    assert_status(r, 201);
    int64_t fb = jint(r->json, "id");
    r = th_call("POST", path, P_MEMBER, "{\"rating\":5}");
    assert_status(r, 403);
    assert_string_equal(rule_of(r), "not_the_agency");
    /* 19.8: a refusal inside the handler is audited like the route's own. */
    assert_true(th_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND "
                           "changes LIKE '%not_the_agency%'") >= 1);
    assert_status(th_call("POST", path, U2_ADMIN, "{\"rating\":5}"), 404);
    /* The provider answers; the agency does not answer itself. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback/%lld/answers", (long long)id,
             (long long)fb);
    r = th_call("POST", path, U1_ADMIN, "{\"text\":\"自问自答\"}");
    assert_status(r, 403);
    assert_string_equal(rule_of(r), "not_the_provider");
    assert_status(th_call("POST", path, P_MEMBER, "{\"text\":\"\"}"), 422);
    assert_status(
        th_call("POST", path, P_MEMBER, "{\"text\":\"已扩充值班人员，承诺30分钟内响应\"}"), 201);
    assert_status(th_call("POST", path, P_ADMIN, "{\"text\":\"本月起按新流程执行\"}"), 201);
    /* Feedback of another order is not this order's. */
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback/%lld/answers", (long long)waiting,
             (long long)fb);
    assert_status(th_call("POST", path, P_MEMBER, "{\"text\":\"错位\"}"), 404);
    snprintf(path, sizeof(path), "/api/v1/orders/%lld/feedback", (long long)id);
    assert_status(th_call("POST", path, U1_MEMBER, "{\"rating\":4,\"comment\":\"有改善\"}"), 201);
    r = th_call("GET", path, M1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *all = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(all), 2);
    json_t *first = json_array_get(all, 0);
    assert_int_equal(jint(first, "rating"), 2);
    json_t *answers = json_object_get(first, "answers");
    assert_int_equal(json_array_size(answers), 2);
    assert_string_equal(jstr(json_array_get(answers, 0), "text"),
                        "已扩充值班人员，承诺30分钟内响应");
    assert_int_equal(jint(json_array_get(all, 1), "rating"), 4);
}

static void test_visibility_and_lists(void **state)
{
    (void)state;
    int64_t product = online_product();
    int64_t id = applied(line(T->u1, 1000000), 100, product, 0, 0);
    assert_status(get_order(id, U1_MEMBER), 200);
    assert_status(get_order(id, M1_ADMIN), 200);
    assert_status(get_order(id, M_ADMIN), 200);
    assert_status(get_order(id, P_MEMBER), 200);
    assert_status(get_order(id, M2_ADMIN), 404);
    assert_status(get_order(id, U2_ADMIN), 404);
    assert_status(get_order(id, E_ADMIN), 404);
    assert_status(th_call("GET", "/api/v1/orders", E_ADMIN, NULL), 403);
    struct th_resp *r = th_call("GET", "/api/v1/orders?state=applied&limit=500", U2_ADMIN, NULL);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        assert_int_equal(jint(it, "user_id"), T->u2);
    }
    snprintf(path, sizeof(path), "/api/v1/orders?state=applied&user_id=%lld&limit=1",
             (long long)T->u1);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_string_equal(jstr(json_array_get(json_object_get(r->json, "items"), 0), "state"),
                        "applied");
    assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
    r = th_call("GET", "/api/v1/orders?state=bogus", M_ADMIN, NULL);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "state", "enum"));
}

/* T5-7.2d: six calendar months from delivery; the day is clamped to the end of a shorter
 * month (31 August + 6 months is the last day of February, 29th in a leap year). */
static void test_trial_end_is_six_calendar_months_later(void **state)
{
    (void)state;
    int64_t id = applied(line(T->u1, 1000000), 100, online_product(), 0, 0);
    assert_status(act(id, "approve", M_ADMIN, "{}"), 200);
    int64_t then = 0;
    assert_int_equal(time_parse("2027-08-31T02:00:00Z", &then), 0);
    time_set_offset_ms(then - time_now_ms());
    struct who later;
    memset(&later, 0, sizeof(later));
    th_session(&later, P_ADMIN->person_id);
    struct th_resp *r = act(id, "deliver", &later, "{}");
    int status = r->status;
    char on[16] = "", ends[16] = "";
    if (status == 200) {
        snprintf(on, sizeof(on), "%s", jstr(r->json, "delivered_on"));
        snprintf(ends, sizeof(ends), "%s", jstr(r->json, "trial_ends_on"));
    }
    time_set_offset_ms(0);
    assert_int_equal(status, 200);
    assert_string_equal(on, "2027-08-31");
    assert_string_equal(ends, "2028-02-29");
}

/* curl's torture idea on the biggest write: fail each statement of a delivery in turn; nothing
 * of it may remain (no allocation, no capacity taken, no transition, no audit record). */
static void test_delivery_is_all_or_nothing(void **state)
{
    (void)state;
    int64_t product = online_product(), pool = pool_of(T->p, 100);
    int64_t id = applied(line(T->u1, 10000000), 1000, product, pool, 7);
    assert_status(act(id, "approve", M_ADMIN, "{}"), 200);
    int64_t allocs = th_sql_int("SELECT COUNT(*) FROM allocations");
    int64_t moves = th_sql_int("SELECT COUNT(*) FROM order_transitions");
    int64_t audit = th_sql_int("SELECT COUNT(*) FROM audit_log");
    int n;
    for (n = 1; n < 60; n++) {
        db_fail_nth(T->app.db, n);
        struct th_resp *r = act(id, "deliver", P_ADMIN, "{}");
        db_fail_nth(T->app.db, 0);
        if (r->status < 300)
            break;
        assert_int_equal(r->status, 500);
        assert_int_equal(th_sql_int("SELECT COUNT(*) FROM allocations"), allocs);
        assert_int_equal(th_sql_int("SELECT COUNT(*) FROM order_transitions"), moves);
        assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log"), audit);
        assert_int_equal(pool_allocated(pool), 0);
        assert_string_equal(jstr(get_order(id, U1_ADMIN)->json, "state"), "approved");
    }
    assert_true(n > 5 && n < 60);
    assert_int_equal(pool_allocated(pool), 7);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM allocations"), allocs + 1);
    struct th_resp *v = th_call("GET", "/api/v1/audit/verify", M_ADMIN, NULL);
    assert_true(json_is_true(json_object_get(v->json, "ok")));
}

/* An order's pool items carry the service level asked (standard when absent); delivery
 * configures the allocation at it (docs/billing.md). */
static void test_service_level_of_pool_items(void **state)
{
    (void)state;
    int64_t product = online_product(), pool = pool_of(T->p, 100), pool2 = pool_of(T->p, 100);
    int64_t budget = line(T->u1, 10000000);
    const char *fmt = "{\"application\":\"不动产登记系统\",\"justification\":\"分级服务需要\","
                      "\"budget_line_id\":%lld,\"estimated_fen\":100,\"product_ids\":[%lld],"
                      "\"pool_ids\":[%lld,%lld],\"quantities\":[2,3]%s}";
    snprintf(body, sizeof(body), fmt, (long long)budget, (long long)product, (long long)pool,
             (long long)pool2, ",\"service_levels\":[\"premium\"]");
    struct th_resp *r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_levels", "per_pool"));
    snprintf(body, sizeof(body), fmt, (long long)budget, (long long)product, (long long)pool,
             (long long)pool2, ",\"service_levels\":[\"premium\",\"golden\"]");
    r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_levels[1]", "enum"));
    snprintf(body, sizeof(body), fmt, (long long)budget, (long long)product, (long long)pool,
             (long long)pool2, ",\"service_levels\":[\"premium\",\"basic\"]");
    r = th_call("POST", "/api/v1/orders", U1_ADMIN, body);
    assert_status(r, 201);
    int64_t id = jint(r->json, "id");
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 3);
    assert_string_equal(jstr(json_array_get(items, 0), "service_level"), "standard");
    assert_string_equal(jstr(json_array_get(items, 1), "service_level"), "premium");
    assert_string_equal(jstr(json_array_get(items, 2), "service_level"), "basic");
    assert_status(act(id, "approve", M1_ADMIN, "{}"), 200);
    r = act(id, "deliver", P_ADMIN, "{}");
    assert_status(r, 200);
    items = json_object_get(r->json, "items");
    assert_string_equal(jstr(json_array_get(items, 1), "service_level"), "premium");
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM allocations WHERE id = %lld AND service_level = 'premium'",
             (long long)jint(json_array_get(items, 1), "allocation_id"));
    assert_int_equal(th_sql_int(sql), 1);
    snprintf(path, sizeof(path), "/api/v1/allocations?pool_id=%lld", (long long)pool2);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_string_equal(jstr(json_array_get(json_object_get(r->json, "items"), 0), "service_level"),
                        "basic");
    /* Without service_levels every pool item is standard. */
    int64_t plain = applied(budget, 100, 0, pool, 1);
    r = get_order(plain, U1_ADMIN);
    assert_string_equal(jstr(json_array_get(json_object_get(r->json, "items"), 0), "service_level"),
                        "standard");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_lines),
        cmocka_unit_test(test_application_rules),
        cmocka_unit_test(test_trial_shorter_than_six_months_needs_a_justification),
        cmocka_unit_test(test_approval_checks_budget_and_catalogue),
        cmocka_unit_test(test_blank_texts_are_not_present),
        cmocka_unit_test(test_estimate_must_be_positive),
        cmocka_unit_test(test_pool_items_need_a_passed_conformity_test),
        cmocka_unit_test(test_delivery_trial_and_acceptance),
        cmocka_unit_test(test_rejection_releases_and_refunds),
        cmocka_unit_test(test_changes_and_release),
        cmocka_unit_test(test_feedback_thread),
        cmocka_unit_test(test_visibility_and_lists),
        cmocka_unit_test(test_trial_end_is_six_calendar_months_later),
        cmocka_unit_test(test_delivery_is_all_or_nothing),
        cmocka_unit_test(test_service_level_of_pool_items),
    };
    return cmocka_run_group_tests_name("orders", tests, th_setup, th_teardown);
}
