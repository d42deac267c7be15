/*
 * test_procurement.c - procurement projects (T5-6.2a, T5-7.2c, T5-8.2b, T5-8.2c, T5-8.2f,
 * T5-12.2c): declaration by an agency or management, the order of the stages and what each
 * needs, budgets bounding lots and bids, sealed bids, the separation rule, the independence rule
 * in both directions, bars, supervision and evaluation by the assigned evaluator, the recorded
 * transitions, and the market-concentration view. Each rule is shown refusing the wrong thing
 * and allowing the right one, on the store named by EGOV_TEST_STORE.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "http/http.h"
#include "domain/org/org.h"

#define M_ADMIN   (&T->who[W_M_ADMIN])
#define M_MEMBER  (&T->who[W_M_MEMBER])
#define M1_ADMIN  (&T->who[W_M1_ADMIN])
#define M2_ADMIN  (&T->who[W_M2_ADMIN])
#define P_ADMIN   (&T->who[W_P_ADMIN])
#define E_ADMIN   (&T->who[W_E_ADMIN])
#define U1_ADMIN  (&T->who[W_U1_ADMIN])
#define U1_MEMBER (&T->who[W_U1_MEMBER])
#define U2_ADMIN  (&T->who[W_U2_ADMIN])

static char body[2048], path[256];
/* A second provider and a second evaluator, with administrators. */
static struct who p2, e2;
static int64_t p2_id, e2_id;

static void fixture(void)
{
    if (p2_id)
        return;
    p2_id = th_institution(T->m, "provider", "provincial");
    e2_id = th_institution(T->m, "evaluator", "provincial");
    th_session(&p2, th_person(p2_id, true, "technical"));
    th_session(&e2, th_person(e2_id, true, "technical"));
    /* T5-8.2f: P holds equity in the second evaluator. */
    struct interest_relation in, out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.related_id = e2_id;
    in.kind = "equity";
    in.since = "2024-01-01";
    in.note = "P 持有 30% 股权";
    if (relation_create(c, T->p, &in, &out) < 0)
        fail_msg("relation: %s", c->err.message);
}

static const char *pp(int64_t id, const char *tail)
{
    snprintf(path, sizeof(path), "/api/v1/procurement-projects/%lld%s", (long long)id, tail);
    return path;
}

static int64_t declare_in(struct who *w, const char *region)
{
    snprintf(body, sizeof(body),
             "{\"title\":\"政务云项目%d\",\"description\":\"建设需求\",\"subject\":\"product\","
             "\"requested_fen\":50000000%s%s%s}",
             ++T->serial, region ? ",\"region\":\"" : "", region ? region : "", region ? "\"" : "");
    struct th_resp *r = th_call("POST", "/api/v1/procurement-projects", w, body);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "state"), "declared");
    return jint(r->json, "id");
}

static void budget(int64_t id, int64_t fen)
{
    snprintf(body, sizeof(body),
             "{\"fiscal_year\":2026,\"amount_fen\":%lld,\"budget_line\":\"2130199\"}",
             (long long)fen);
    assert_status(th_call("POST", pp(id, "/budget"), M_ADMIN, body), 200);
}

static int64_t lot(int64_t id, const char *category, int64_t fen)
{
    snprintf(body, sizeof(body), "{\"category\":\"%s\",\"title\":\"%s标段%d\",\"budget_fen\":%lld}",
             category, category, ++T->serial, (long long)fen);
    struct th_resp *r = th_call("POST", pp(id, "/lots"), M_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static struct th_resp *to(int64_t id, const char *state, const char *reason)
{
    snprintf(body, sizeof(body), "{\"to\":\"%s\"%s%s%s}", state, reason ? ",\"reason\":\"" : "",
             reason ? reason : "", reason ? "\"" : "");
    return th_call("POST", pp(id, "/transitions"), M_ADMIN, body);
}

static int64_t bid(int64_t id, struct who *w, int64_t lot_id, int64_t fen)
{
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":%lld}", (long long)lot_id,
             (long long)fen);
    struct th_resp *r = th_call("POST", pp(id, "/bids"), w, body);
    assert_true(r->status == 201 || r->status == 200);
    if (r->status >= 300)
        fprintf(stderr, "%s\n", r->body);
    return jint(r->json, "id");
}

static struct th_resp *award(int64_t id, int64_t bid_id)
{
    snprintf(body, sizeof(body), "{\"bid_id\":%lld}", (long long)bid_id);
    return th_call("POST", pp(id, "/awards"), M_ADMIN, body);
}

static struct th_resp *assign(int64_t id, int64_t evaluator)
{
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)evaluator);
    return th_call("POST", pp(id, "/supervisor"), M_ADMIN, body);
}

/* A project of M in procurement with the given lots (each 1,000,000 fen). */
static int64_t procuring(const char *region, const char *const *categories, int n, int64_t *lots)
{
    int64_t id = declare_in(M_ADMIN, region);
    budget(id, 10000000);
    for (int i = 0; i < n; i++)
        lots[i] = lot(id, categories[i], 1000000);
    assert_status(to(id, "procuring", NULL), 200);
    return id;
}

static const char *rule_of(json_t *problem)
{
    const char *r = jstr(problem, "rule");
    json_t *errs = json_object_get(problem, "errors");
    if (!r && json_array_size(errs))
        r = jstr(json_array_get(errs, 0), "rule");
    return r ? r : "";
}

static void test_declaration_and_visibility(void **state)
{
    (void)state;
    fixture();
    int64_t id = declare_in(U1_ADMIN, NULL);
    struct th_resp *r = th_call("GET", pp(id, ""), U1_MEMBER, NULL);
    assert_status(r, 200);
    /* T5-6.2a: an agency declares to its nearest management institution. */
    assert_int_equal(jint(r->json, "management_id"), T->m1);
    assert_int_equal(jint(r->json, "declared_by"), T->u1);
    assert_string_equal(jstr(r->json, "region"), "520000");
    assert_status(th_call("GET", pp(id, ""), M1_ADMIN, NULL), 200);
    assert_status(th_call("GET", pp(id, ""), M_MEMBER, NULL), 200);
    assert_status(th_call("GET", pp(id, ""), M2_ADMIN, NULL), 404);
    assert_status(th_call("GET", pp(id, ""), U2_ADMIN, NULL), 404);
    assert_status(th_call("GET", pp(id, ""), P_ADMIN, NULL), 404);
    assert_status(th_call("GET", pp(id, ""), E_ADMIN, NULL), 404);
    /* Management declares for itself. */
    int64_t own = declare_in(M_ADMIN, "520100");
    r = th_call("GET", pp(own, ""), M_ADMIN, NULL);
    assert_int_equal(jint(r->json, "management_id"), T->m);
    assert_string_equal(jstr(r->json, "region"), "520100");
    assert_status(th_call("GET", pp(own, ""), U1_ADMIN, NULL), 404);
    /* Providers and evaluators do not declare; bad bodies name the field. */
    assert_status(th_call("POST", "/api/v1/procurement-projects", P_ADMIN,
                          "{\"title\":\"自荐项目\",\"subject\":\"product\"}"),
                  403);
    r = th_call("POST", "/api/v1/procurement-projects", U1_ADMIN,
                "{\"title\":\"x\",\"subject\":\"service\",\"requested_fen\":-1,\"region\":\"99\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "title", "min_length"));
    assert_true(has_field_error(r->json, "subject", "enum"));
    assert_true(has_field_error(r->json, "requested_fen", "range"));
    assert_true(has_field_error(r->json, "region", NULL));
    /* Lists: the agency sees what it declared, filtered by state. */
    r = th_call("GET", "/api/v1/procurement-projects?state=declared", U1_ADMIN, NULL);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    int mine = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        assert_int_equal(jint(it, "declared_by"), T->u1);
        mine += jint(it, "id") == id;
    }
    assert_int_equal(mine, 1);
    assert_status(th_call("GET", "/api/v1/procurement-projects?state=lost", U1_ADMIN, NULL), 422);
}

static void test_stages_need_their_prerequisites(void **state)
{
    (void)state;
    fixture();
    int64_t id = declare_in(U1_ADMIN, NULL);
    struct th_resp *r = to(id, "procuring", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "illegal_transition");
    /* T5-8.2c: the budget compilation. */
    r = th_call("POST", pp(id, "/budget"), M_ADMIN,
                "{\"fiscal_year\":1999,\"amount_fen\":0,\"budget_line\":\"x\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "fiscal_year", "range"));
    assert_true(has_field_error(r->json, "amount_fen", "range"));
    assert_true(has_field_error(r->json, "budget_line", "min_length"));
    assert_status(th_call("POST", pp(id, "/budget"), U1_ADMIN,
                          "{\"fiscal_year\":2026,\"amount_fen\":100,\"budget_line\":\"2130199\"}"),
                  403);
    budget(id, 3000000);
    r = th_call("GET", pp(id, ""), U1_ADMIN, NULL);
    assert_string_equal(jstr(r->json, "state"), "budgeted");
    assert_int_equal(jint(r->json, "budget_fen"), 3000000);
    r = to(id, "procuring", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "no_lots");
    lot(id, "planning_consulting", 2000000);
    /* Lots stay within the budget, and the budget above the lots. */
    r = th_call("POST", pp(id, "/lots"), M_ADMIN,
                "{\"category\":\"service_design\",\"title\":\"设计\",\"budget_fen\":1000001}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "lots_exceed_budget");
    r = th_call("POST", pp(id, "/lots"), M_ADMIN,
                "{\"category\":\"cleaning\",\"title\":\"x\",\"budget_fen\":0}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "category", "enum"));
    assert_true(has_field_error(r->json, "budget_fen", "range"));
    r = th_call("POST", pp(id, "/budget"), M_ADMIN,
                "{\"fiscal_year\":2026,\"amount_fen\":1999999,\"budget_line\":\"2130199\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "lots_exceed_budget");
    assert_status(th_call("POST", pp(id, "/lots"), M_ADMIN,
                          "{\"category\":\"service_design\",\"title\":\"设计\",\"budget_fen\":"
                          "1000000}"),
                  201);
    assert_status(to(id, "procuring", NULL), 200);
    r = th_call("POST", pp(id, "/budget"), M_ADMIN,
                "{\"fiscal_year\":2026,\"amount_fen\":9000000,\"budget_line\":\"2130199\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "budget_frozen");
    /* Supervision needs every lot awarded and a supervisor. */
    r = to(id, "supervising", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "lot_unawarded");
    /* Cancelling needs a reason; with one it is allowed before supervision. */
    r = to(id, "cancelled", NULL);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    r = to(id, "closed", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "illegal_transition");
    assert_status(to(id, "cancelled", "需求已由其他项目覆盖"), 200);
    r = th_call("GET", pp(id, ""), U1_ADMIN, NULL);
    assert_string_equal(jstr(r->json, "state"), "cancelled");
    assert_string_equal(jstr(r->json, "cancel_reason"), "需求已由其他项目覆盖");
    r = to(id, "procuring", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "illegal_transition");
    /* Every transition is recorded, with who and why. */
    r = th_call("GET", pp(id, "/transitions"), U1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 4);
    static const char *const want[] = {"declared", "budgeted", "procuring", "cancelled"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(jstr(json_array_get(items, i), "to_state"), want[i]);
    assert_string_equal(jstr(json_array_get(items, 0), "from_state"), "");
    assert_string_equal(jstr(json_array_get(items, 3), "reason"), "需求已由其他项目覆盖");
    assert_int_equal(jint(json_array_get(items, 3), "by_institution"), T->m);
}

static void test_bids_sealed_and_within_budget(void **state)
{
    (void)state;
    fixture();
    int64_t id = declare_in(M_ADMIN, NULL);
    budget(id, 5000000);
    int64_t l = lot(id, "operation_maintenance", 1000000);
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":900000}", (long long)l);
    /* Not open yet: a provider does not even see the project. */
    assert_status(th_call("POST", pp(id, "/bids"), P_ADMIN, body), 404);
    assert_status(to(id, "procuring", NULL), 200);
    assert_status(th_call("POST", pp(id, "/bids"), M_ADMIN, body), 403);
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":1000001}", (long long)l);
    struct th_resp *r = th_call("POST", pp(id, "/bids"), P_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "amount_fen", "over_lot_budget"));
    r = th_call("POST", pp(id, "/bids"), P_ADMIN, "{\"lot_id\":1,\"amount_fen\":100}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "lot_id", "lot"));
    int64_t b1 = bid(id, P_ADMIN, l, 950000);
    /* One bid per provider per lot: a second one revises it. */
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":900000,\"note\":\"优惠\"}",
             (long long)l);
    r = th_call("POST", pp(id, "/bids"), P_ADMIN, body);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "id"), b1);
    assert_int_equal(jint(r->json, "amount_fen"), 900000);
    bid(id, &p2, l, 880000);
    /* Sealed: each provider sees its own; management sees all. */
    r = th_call("GET", pp(id, "/bids"), P_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = th_call("GET", pp(id, "/bids"), M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    assert_status(award(id, b1), 201);
    /* Awarded: no more bids, no second award. */
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":800000}", (long long)l);
    r = th_call("POST", pp(id, "/bids"), P_ADMIN, body);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "lot_awarded");
    r = award(id, b1);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "lot_awarded");
    r = th_call("GET", pp(id, "/bids"), M_ADMIN, NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
        assert_string_equal(jstr(it, "status"), jint(it, "id") == b1 ? "awarded" : "not_awarded");
    /* The provider still sees the project it bid on after procurement. */
    r = th_call("GET", pp(id, ""), P_ADMIN, NULL);
    assert_status(r, 200);
    json_t *lot0 = json_array_get(json_object_get(r->json, "lots"), 0);
    assert_int_equal(jint(lot0, "awarded_provider_id"), T->p);
    assert_int_equal(jint(lot0, "award_fen"), 900000);
}

/* T5-8.2b: the planner may not design or integrate within the same project, and the reverse. */
static void test_separation_of_duties(void **state)
{
    (void)state;
    fixture();
    static const char *const cats[] = {"planning_consulting", "service_design",
                                       "integration_implementation", "operation_maintenance"};
    int64_t lots[4];
    int64_t id = procuring(NULL, cats, 4, lots);
    int64_t plan = bid(id, P_ADMIN, lots[0], 500000);
    int64_t design_p = bid(id, P_ADMIN, lots[1], 600000);
    int64_t design_p2 = bid(id, &p2, lots[1], 700000);
    int64_t integ_p = bid(id, P_ADMIN, lots[2], 700000);
    int64_t om_p = bid(id, P_ADMIN, lots[3], 800000);
    assert_status(award(id, plan), 201);
    struct th_resp *r = award(id, design_p);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "separation_of_duties");
    char lot_ref[64];
    snprintf(lot_ref, sizeof(lot_ref), "lot %lld", (long long)lots[0]);
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-8.2b"));
    assert_non_null(strstr(jstr(r->json, "detail"), lot_ref));
    assert_non_null(strstr(jstr(r->json, "detail"), "planning_consulting标段"));
    r = award(id, integ_p);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "separation_of_duties");
    /* Allowed: another provider designs; the planner may operate and maintain. */
    assert_status(award(id, design_p2), 201);
    assert_status(award(id, om_p), 201);
    /* The reverse: the integrator may not then plan. */
    int64_t lots2[2];
    static const char *const cats2[] = {"integration_implementation", "planning_consulting"};
    int64_t id2 = procuring(NULL, cats2, 2, lots2);
    assert_status(award(id2, bid(id2, P_ADMIN, lots2[0], 100000)), 201);
    int64_t plan_p = bid(id2, P_ADMIN, lots2[1], 100000);
    r = award(id2, plan_p);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "separation_of_duties");
    snprintf(lot_ref, sizeof(lot_ref), "lot %lld", (long long)lots2[0]);
    assert_non_null(strstr(jstr(r->json, "detail"), lot_ref));
    assert_status(award(id2, bid(id2, &p2, lots2[1], 100000)), 201);
    /* Nothing was half-written by the refusals. */
    r = th_call("GET", pp(id2, ""), M_ADMIN, NULL);
    assert_int_equal(
        jint(json_array_get(json_object_get(r->json, "lots"), 1), "awarded_provider_id"), p2_id);
}

/* T5-8.2f: checked when the supervisor is assigned and when a lot is awarded. */
static void test_independent_supervisor(void **state)
{
    (void)state;
    fixture();
    static const char *const cats[] = {"integration_implementation", "training_promotion"};
    int64_t lots[2];
    int64_t id = procuring(NULL, cats, 2, lots);
    assert_status(award(id, bid(id, P_ADMIN, lots[0], 100000)), 201);
    struct th_resp *r = assign(id, e2_id);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "evaluator_id", "interest_relation"));
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-8.2f"));
    r = assign(id, T->p); /* not an evaluator */
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "evaluator_id", "evaluator"));
    r = assign(id, T->e);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "supervisor_id"), T->e);
    /* The other side: with the related evaluator assigned first, P cannot be awarded. */
    int64_t id2 = procuring(NULL, cats, 2, lots);
    assert_status(assign(id2, e2_id), 200);
    int64_t bp = bid(id2, P_ADMIN, lots[0], 100000);
    int64_t bp2 = bid(id2, &p2, lots[0], 120000);
    r = award(id2, bp);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "interest_relation");
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-8.2f"));
    assert_status(award(id2, bp2), 201);
    /* A relation declared after the assignment is caught when supervision starts. */
    int64_t e3 = th_institution(T->m, "evaluator", "provincial");
    int64_t id3 = procuring(NULL, cats, 1, lots);
    assert_status(assign(id3, e3), 200);
    assert_status(award(id3, bid(id3, &p2, lots[0], 100000)), 201);
    struct interest_relation rel, rel_out;
    struct ctx *c = th_ctx();
    memset(&rel, 0, sizeof(rel));
    rel.related_id = e3;
    rel.kind = "personnel";
    rel.since = "2025-06-01";
    if (relation_create(c, p2_id, &rel, &rel_out) < 0)
        fail_msg("relation: %s", c->err.message);
    r = to(id3, "supervising", NULL);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "interest_relation");
    assert_status(assign(id3, T->e), 200);
    assert_status(to(id3, "supervising", NULL), 200);
    /* The supervisor it could not have is not visible to it either. */
    assert_status(th_call("GET", pp(id, ""), &e2, NULL), 404);
    assert_status(th_call("GET", pp(id2, ""), &e2, NULL), 200);
}

/* T5-12.2c: a barred provider neither bids nor is awarded while the bar is in force. */
static void test_barred_provider(void **state)
{
    (void)state;
    fixture();
    char from[16], until[16];
    time_format_date(time_now_ms(), 8 * 60, from, sizeof(from));
    time_format_date(time_now_ms() + 30LL * 86400000, 8 * 60, until, sizeof(until));
    static const char *const cats[] = {"operation_maintenance", "training_promotion"};
    int64_t lots[2];
    int64_t id = procuring(NULL, cats, 2, lots);
    int64_t early = bid(id, &p2, lots[1], 100000);
    /* Validation and who may bar. */
    struct th_resp *r = th_call("POST", "/api/v1/provider-bars", M_ADMIN,
                                "{\"provider_id\":1,\"reason\":\"x\",\"valid_from\":"
                                "\"2026-02-01\",\"valid_to\":\"2026-01-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "min_length"));
    assert_true(has_field_error(r->json, "valid_to", "after_from"));
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"reason\":\"提供虚假材料\",\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\"}",
             (long long)T->u1, from, until);
    r = th_call("POST", "/api/v1/provider-bars", M_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "provider_id", "provider"));
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"reason\":\"围标串标，信用惩戒\",\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\"}",
             (long long)p2_id, from, until);
    assert_status(th_call("POST", "/api/v1/provider-bars", P_ADMIN, body), 403);
    assert_status(th_call("POST", "/api/v1/provider-bars", M_MEMBER, body), 403);
    r = th_call("POST", "/api/v1/provider-bars", M_ADMIN, body);
    assert_status(r, 201);
    assert_true(json_is_true(json_object_get(r->json, "in_force")));
    int64_t bar = jint(r->json, "id");
    /* Refused: a new bid, and the award of the bid made before the bar. */
    snprintf(body, sizeof(body), "{\"lot_id\":%lld,\"amount_fen\":90000}", (long long)lots[0]);
    r = th_call("POST", pp(id, "/bids"), &p2, body);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "provider_barred");
    assert_non_null(strstr(jstr(r->json, "detail"), "围标串标"));
    assert_non_null(strstr(jstr(r->json, "detail"), until));
    r = award(id, early);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "provider_barred");
    /* Allowed: another provider. A municipal bar does not reach the province's projects. */
    assert_status(award(id, bid(id, P_ADMIN, lots[0], 95000)), 201);
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"reason\":\"市级项目履约不良\",\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\"}",
             (long long)T->p, from, until);
    r = th_call("POST", "/api/v1/provider-bars", M1_ADMIN, body);
    assert_status(r, 201);
    int64_t m1_bar = jint(r->json, "id");
    /* Lists: M sees both (its own and its subtree's), M1 its own and its ancestors'. */
    r = th_call("GET", "/api/v1/provider-bars?in_force=true", M_ADMIN, NULL);
    assert_status(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 2);
    snprintf(path, sizeof(path), "/api/v1/provider-bars?provider_id=%lld", (long long)p2_id);
    r = th_call("GET", path, M2_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    /* Lifting: only within the jurisdiction that barred; once. */
    snprintf(path, sizeof(path), "/api/v1/provider-bars/%lld/lift", (long long)bar);
    assert_status(th_call("POST", path, M1_ADMIN, "{\"reason\":\"整改完成\"}"), 404);
    assert_status(th_call("POST", path, M_ADMIN, "{\"reason\":\"整改完成\"}"), 200);
    r = th_call("POST", path, M_ADMIN, "{\"reason\":\"整改完成\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "already_lifted");
    assert_status(award(id, early), 201);
    snprintf(path, sizeof(path), "/api/v1/provider-bars/%lld/lift", (long long)m1_bar);
    assert_status(th_call("POST", path, M1_ADMIN, "{\"reason\":\"误报\"}"), 200);
}

static void test_supervision_evaluation_and_close(void **state)
{
    (void)state;
    fixture();
    int64_t id = declare_in(U1_ADMIN, NULL);
    snprintf(body, sizeof(body),
             "{\"fiscal_year\":2026,\"amount_fen\":2000000,\"budget_line\":\"2130199\"}");
    assert_status(th_call("POST", pp(id, "/budget"), M1_ADMIN, body), 200);
    snprintf(body, sizeof(body),
             "{\"category\":\"operation_maintenance\",\"title\":\"运维\",\"budget_fen\":2000000}");
    struct th_resp *r = th_call("POST", pp(id, "/lots"), M1_ADMIN, body);
    assert_status(r, 201);
    int64_t l = jint(r->json, "id");
    snprintf(body, sizeof(body), "{\"to\":\"procuring\"}");
    assert_status(th_call("POST", pp(id, "/transitions"), M1_ADMIN, body), 200);
    int64_t b = bid(id, P_ADMIN, l, 1800000);
    snprintf(body, sizeof(body), "{\"bid_id\":%lld}", (long long)b);
    assert_status(th_call("POST", pp(id, "/awards"), M1_ADMIN, body), 201);
    r = th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"supervising\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "no_supervisor");
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)T->e);
    assert_status(th_call("POST", pp(id, "/supervisor"), M1_ADMIN, body), 200);
    r = th_call("POST", pp(id, "/milestones"), M1_ADMIN,
                "{\"title\":\"上线运行\",\"due_on\":\"2026-13-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "due_on", NULL));
    r = th_call("POST", pp(id, "/milestones"), M1_ADMIN,
                "{\"title\":\"上线运行\",\"due_on\":\"2026-12-01\"}");
    assert_status(r, 201);
    int64_t ms = jint(r->json, "id");
    /* Supervision is recorded only while supervising, only by the supervisor. */
    const char *rec = "{\"observation\":\"部署符合方案\",\"conclusion\":\"conforming\"}";
    r = th_call("POST", pp(id, "/supervision-records"), E_ADMIN, rec);
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "not_supervising");
    assert_status(th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"supervising\"}"),
                  200);
    r = th_call("POST", pp(id, "/transitions"), M1_ADMIN,
                "{\"to\":\"cancelled\",\"reason\":\"x1\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "not_cancellable");
    assert_status(th_call("POST", pp(id, "/supervision-records"), P_ADMIN, rec), 403);
    assert_status(th_call("POST", pp(id, "/supervision-records"), &e2, rec), 404);
    r = th_call("POST", pp(id, "/supervision-records"), E_ADMIN,
                "{\"observation\":\"x\",\"conclusion\":\"fine\",\"milestone_id\":1}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "observation", "min_length"));
    assert_true(has_field_error(r->json, "conclusion", "enum"));
    snprintf(body, sizeof(body),
             "{\"observation\":\"机房部署与方案一致\",\"conclusion\":\"conforming\","
             "\"milestone_id\":%lld}",
             (long long)ms);
    assert_status(th_call("POST", pp(id, "/supervision-records"), E_ADMIN, body), 201);
    r = th_call("GET", pp(id, "/supervision-records"), U1_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    /* Evaluation starts when every milestone is done. */
    r = th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"evaluating\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "milestone_open");
    snprintf(path, sizeof(path), "/api/v1/procurement-projects/%lld/milestones/%lld", (long long)id,
             (long long)ms);
    r = th_call("PATCH", path, M1_ADMIN, "{\"done_on\":\"2999-01-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "done_on", "not_future"));
    char done[16];
    time_format_date(time_now_ms(), 8 * 60, done, sizeof(done));
    snprintf(body, sizeof(body), "{\"done_on\":\"%s\"}", done);
    assert_status(th_call("PATCH", path, M1_ADMIN, body), 200);
    r = th_call("POST", pp(id, "/evaluation"), E_ADMIN, "{\"score\":90,\"findings\":\"良好\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "not_evaluating");
    assert_status(th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"evaluating\"}"),
                  200);
    r = th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"closed\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "not_evaluated");
    r = th_call("POST", pp(id, "/evaluation"), E_ADMIN, "{\"score\":101,\"findings\":\"良好\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "score", "range"));
    assert_status(
        th_call("POST", pp(id, "/evaluation"), M1_ADMIN, "{\"score\":90,\"findings\":\"良好\"}"),
        403);
    r = th_call("POST", pp(id, "/evaluation"), E_ADMIN,
                "{\"score\":88,\"findings\":\"按期交付，运行稳定\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "score"), 88);
    assert_status(th_call("POST", pp(id, "/transitions"), M1_ADMIN, "{\"to\":\"closed\"}"), 200);
    r = th_call("GET", pp(id, "/transitions"), U1_ADMIN, NULL);
    json_t *items = json_object_get(r->json, "items");
    static const char *const want[] = {"declared",    "budgeted",   "procuring",
                                       "supervising", "evaluating", "closed"};
    assert_int_equal(json_array_size(items), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(jstr(json_array_get(items, i), "to_state"), want[i]);
    /* Closed is final. */
    r = th_call("POST", pp(id, "/milestones"), M1_ADMIN,
                "{\"title\":\"补充\",\"due_on\":\"2026-12-01\"}");
    assert_status(r, 409);
    assert_string_equal(rule_of(r->json), "milestones_frozen");
}

static json_t *group_of(json_t *doc, const char *region, const char *category)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(doc, "groups"), i,
                       g) if (!strcmp(jstr(g, "region"), region) &&
                              !strcmp(jstr(g, "category"), category)) return g;
    return NULL;
}

/* T5-8.2b anti-monopoly: shares of awarded value and the HHI per region and category. */
static void test_market_concentration(void **state)
{
    (void)state;
    fixture();
    static const char *const cats[] = {"operation_maintenance", "operation_maintenance",
                                       "training_promotion"};
    int64_t lots[3];
    int64_t id = procuring("522700", cats, 3, lots);
    assert_status(award(id, bid(id, P_ADMIN, lots[0], 600000)), 201);
    assert_status(award(id, bid(id, &p2, lots[1], 400000)), 201);
    assert_status(award(id, bid(id, P_ADMIN, lots[2], 300000)), 201);
    struct th_resp *r =
        th_call("GET", "/api/v1/market-concentration?region=522700", M_MEMBER, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "hhi_warning"), 2500);
    json_t *om = group_of(r->json, "522700", "operation_maintenance");
    assert_non_null(om);
    /* 60 % and 40 %: 3600 + 1600. */
    assert_int_equal(jint(om, "total_fen"), 1000000);
    assert_int_equal(jint(om, "hhi"), 5200);
    assert_true(json_is_true(json_object_get(om, "warning")));
    json_t *first = json_array_get(json_object_get(om, "providers"), 0);
    assert_int_equal(jint(first, "provider_id"), T->p);
    assert_int_equal(jint(first, "share_bp"), 6000);
    /* The threshold is configuration (hhi_warning): above 5200 this market is not flagged. */
    T->app.cfg.hhi_warning = 6000;
    r = th_call("GET", "/api/v1/market-concentration?region=522700", M_MEMBER, NULL);
    assert_int_equal(jint(r->json, "hhi_warning"), 6000);
    om = group_of(r->json, "522700", "operation_maintenance");
    assert_true(json_is_false(json_object_get(om, "warning")));
    T->app.cfg.hhi_warning = 2500;
    json_t *tr = group_of(r->json, "522700", "training_promotion");
    assert_non_null(tr);
    assert_int_equal(jint(tr, "hhi"), 10000);
    /* Filters and their validation. */
    r = th_call("GET", "/api/v1/market-concentration?region=522700&category=training_promotion",
                M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "groups")), 1);
    r = th_call("GET", "/api/v1/market-concentration?region=522700&from=2000-01-01&to=2000-12-31",
                M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "groups")), 0);
    r = th_call("GET", "/api/v1/market-concentration?from=2026-02-01&to=2026-01-01&category=x",
                M_ADMIN, NULL);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "to", "after_from"));
    assert_true(has_field_error(r->json, "category", "enum"));
    /* Jurisdiction: M1 does not see what M manages; providers do not read the market. */
    r = th_call("GET", "/api/v1/market-concentration?region=522700", M1_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "groups")), 0);
    assert_status(th_call("GET", "/api/v1/market-concentration", P_ADMIN, NULL), 403);
    /* A cancelled project's awards do not count. */
    assert_status(to(id, "cancelled", "撤销"), 200);
    r = th_call("GET", "/api/v1/market-concentration?region=522700", M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "groups")), 0);
}

/* No partial writes: an award whose Nth statement fails leaves no trace (lot, bids, project
 * version, audit), for every N, and then succeeds. */
static void test_award_is_all_or_nothing(void **state)
{
    (void)state;
    fixture();
    static const char *const cats[] = {"planning_consulting"};
    int64_t lots[1];
    char q[256];
    int64_t id = procuring(NULL, cats, 1, lots);
    int64_t b = bid(id, P_ADMIN, lots[0], 500000);
    snprintf(q, sizeof(q),
             "SELECT COUNT(*) FROM procurement_lots WHERE id = %lld AND awarded_bid_id IS NULL",
             (long long)lots[0]);
    int64_t audit = th_sql_int("SELECT COUNT(*) FROM audit_log");
    snprintf(path, sizeof(path), "SELECT version FROM procurement_projects WHERE id = %lld",
             (long long)id);
    int64_t version = th_sql_int(path);
    int n;
    for (n = 1; n < 60; n++) {
        snprintf(body, sizeof(body), "{\"bid_id\":%lld}", (long long)b);
        db_fail_nth(T->app.db, n);
        struct th_resp *r = th_call("POST", pp(id, "/awards"), M_ADMIN, body);
        db_fail_nth(T->app.db, 0);
        if (r->status < 300)
            break;
        assert_int_equal(r->status, 500);
        assert_int_equal(th_sql_int(q), 1);
        assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log"), audit);
        snprintf(path, sizeof(path), "SELECT version FROM procurement_projects WHERE id = %lld",
                 (long long)id);
        assert_int_equal(th_sql_int(path), version);
    }
    assert_true(n > 3 && n < 60);
    assert_int_equal(th_sql_int(q), 0);
}

/* Hostile and malformed bodies on every write of the module: a problem naming what is wrong,
 * never a 500 and never a change. */
static void test_hostile_bodies(void **state)
{
    static const char *const bodies[] = {
        "{}",
        "[]",
        "null",
        "{\"title\":123,\"subject\":[]}",
        "{\"amount_fen\":\"1\",\"lot_id\":\"x\"}",
        "{\"bid_id\":-1}",
        "{\"lot_id\":9007199254740993,\"amount_fen\":1}",
        "{\"fiscal_year\":99999999999,\"amount_fen\":-9223372036854775807,\"budget_line\":\"\"}",
        "{\"score\":-5,\"findings\":\"\\u0000\"}",
        "{\"to\":\"closed\\u0000\",\"reason\":1}",
        "{\"evaluator_id\":0}",
        "{\"valid_from\":\"2026-02-30\",\"valid_to\":\"x\",\"provider_id\":1}",
        "{\"category\":\"planning_consulting\",\"title\":\"\\u202e\",\"budget_fen\":"
        "9223372036854775807}",
        "{\"unknown\":1}",
    };
    (void)state;
    fixture();
    static const char *const cats[] = {"planning_consulting"};
    int64_t lots[1];
    int64_t id = procuring(NULL, cats, 1, lots);
    /* Each caller reaches the handlers of its own routes: M manages, P bids, E supervises. */
    struct who *callers[3] = {M_ADMIN, P_ADMIN, E_ADMIN};
    assert_status(assign(id, T->e), 200);
    static const char changes[] = "SELECT COUNT(*) FROM audit_log WHERE action <> 'access.denied'";
    int64_t audit = th_sql_int(changes);
    for (int i = 0; i < n_routes; i++) {
        const struct route *rt = &routes[i];
        if (!(rt->flags & RF_BODY) || (!strstr(rt->pattern, "/procurement-projects") &&
                                       !strstr(rt->pattern, "/provider-bars")))
            continue;
        char p[200];
        const char *at = strstr(rt->pattern, "{id}");
        if (at)
            snprintf(p, sizeof(p), "%.*s%lld%s", (int)(at - rt->pattern), rt->pattern,
                     (long long)id, at + 4);
        else
            snprintf(p, sizeof(p), "%s", rt->pattern);
        char *mid = strstr(p, "{mid}");
        if (mid)
            snprintf(mid, sizeof(p) - (size_t)(mid - p), "1");
        for (size_t k = 0; k < sizeof(bodies) / sizeof(bodies[0]); k++)
            for (int w = 0; w < 3; w++) {
                struct th_resp *r = th_call(rt->method, p, callers[w], bodies[k]);
                if (r->status < 400 || r->status >= 500)
                    fail_msg("%s %s with %s answered %d: %s", rt->method, p, bodies[k], r->status,
                             r->body);
            }
    }
    /* Nothing was written: the only audit records are the denials of the routes M may not use. */
    assert_int_equal(th_sql_int(changes), audit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declaration_and_visibility),
        cmocka_unit_test(test_stages_need_their_prerequisites),
        cmocka_unit_test(test_bids_sealed_and_within_budget),
        cmocka_unit_test(test_separation_of_duties),
        cmocka_unit_test(test_independent_supervisor),
        cmocka_unit_test(test_barred_provider),
        cmocka_unit_test(test_supervision_evaluation_and_close),
        cmocka_unit_test(test_market_concentration),
        cmocka_unit_test(test_award_is_all_or_nothing),
        cmocka_unit_test(test_hostile_bodies),
    };
    return cmocka_run_group_tests_name("procurement", tests, th_setup, th_teardown);
}
