/*
 * test_matrix.c - the route × caller permission matrix. The expected answers are read from
 * docs/permissions.md ("The matrix"), so the documentation is what is tested; every route of
 * routes.c must have a row there, and every row must name a route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/timeutil.h"
#include "core/arena.h"
#include "domain/agreement/agreement.h"
#include "domain/org/org.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "http/http.h"

#ifndef EGOV_SOURCE_DIR
#error "EGOV_SOURCE_DIR must name the repository"
#endif

#define MAX_ROWS 512

struct row {
    char route[128]; /* "GET /api/v1/institutions/{id}" */
    char expect[W_COUNT][8];
};

static struct row rows[MAX_ROWS];
static int n_rows;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '`')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '`' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static void load_matrix(void)
{
    char line[1024];
    FILE *f = fopen(EGOV_SOURCE_DIR "/docs/permissions.md", "r");
    assert_non_null(f);
    n_rows = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "| `", 3) != 0 || !strstr(line, " /"))
            continue;
        char *cells[16];
        int n = 0;
        char *p = line + 1;
        while (n < 16) {
            char *bar = strchr(p, '|');
            if (!bar)
                break;
            *bar = 0;
            cells[n++] = trim(p);
            p = bar + 1;
        }
        if (n != 2 + W_COUNT)
            fail_msg("matrix row has %d cells, expected %d: %s", n, 2 + W_COUNT, cells[0]);
        if (n_rows == MAX_ROWS)
            fail_msg("more than %d matrix rows: raise MAX_ROWS", MAX_ROWS);
        struct row *r = &rows[n_rows++];
        snprintf(r->route, sizeof(r->route), "%s", cells[0]);
        for (int i = 0; i < W_COUNT; i++)
            snprintf(r->expect[i], sizeof(r->expect[i]), "%s", cells[2 + i]);
    }
    fclose(f);
}

static struct row *find_row(const char *route)
{
    for (int i = 0; i < n_rows; i++)
        if (!strcmp(rows[i].route, route))
            return &rows[i];
    return NULL;
}

static void test_every_route_is_documented(void **state)
{
    char key[160];
    (void)state;
    load_matrix();
    assert_true(n_rows > 0);
    for (int i = 0; i < n_routes; i++) {
        snprintf(key, sizeof(key), "%s %s", routes[i].method, routes[i].pattern);
        if (!find_row(key))
            fail_msg("route %s has no row in docs/permissions.md", key);
    }
    for (int i = 0; i < n_rows; i++) {
        int found = 0;
        for (int k = 0; k < n_routes && !found; k++) {
            snprintf(key, sizeof(key), "%s %s", routes[k].method, routes[k].pattern);
            found = !strcmp(key, rows[i].route);
        }
        if (!found)
            fail_msg("docs/permissions.md documents %s, which is not a route", rows[i].route);
    }
}

static int64_t target_person, target_pool;

static int64_t fresh_pool(void)
{
    struct pool_input in;
    struct pool out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.has = POOL_F_PROVIDER;
    in.v.provider_id = T->p;
    in.v.name = arena_printf(c->arena, "资源池%d", ++T->serial);
    in.v.kind = "compute";
    in.v.unit = "vcpu";
    in.v.specification = "2.6GHz x86";
    in.v.capacity = 1000000;
    in.v.region = "520000";
    in.v.security_level = 3;
    if (pool_create(c, &in, &out) < 0)
        fail_msg("pool: %s", c->err.message);
    return out.id;
}

static int64_t fresh_allocation(void)
{
    struct allocation in, out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.user_id = T->u1;
    in.application = "矩阵应用";
    in.quantity = 2;
    if (allocation_configure(c, target_pool, &in, &out) < 0)
        fail_msg("allocation: %s", c->err.message);
    return out.id;
}

static int64_t target_product;

/* A product of P moved through its lifecycle up to state (draft, submitted, testing, passed,
 * failed, online), as the system operator acting for P, E and M. */
static int64_t fresh_product(const char *state, int64_t *metric_id)
{
    struct product_input in;
    struct product p;
    struct metric m, mo;
    struct product_test t, to;
    struct ctx *c = th_ctx();
    c->caller.institution_id = T->p;
    memset(&in, 0, sizeof(in));
    in.v.name = arena_printf(c->arena, "政务云产品%d", ++T->serial);
    in.v.category = "operation_maintenance";
    in.v.description = "7x24 运行维护服务";
    in.v.region = "520000";
    if (product_create(c, &in, &p) < 0)
        fail_msg("product: %s", c->err.message);
    memset(&m, 0, sizeof(m));
    m.name = "服务时长";
    m.unit = "月";
    m.method = "按自然月计";
    m.list_price_fen = 1200000;
    if (!strcmp(state, "draft"))
        return p.id;
    if (metric_add(c, p.id, &m, &mo) < 0 || product_act(c, p.id, "submit", NULL, &p) < 0)
        fail_msg("product submit: %s", c->err.message);
    if (metric_id)
        *metric_id = mo.id;
    if (!strcmp(state, "submitted"))
        return p.id;
    if (product_test_assign(c, p.id, T->e, &t) < 0)
        fail_msg("product test: %s", c->err.message);
    if (!strcmp(state, "testing"))
        return t.id; /* the test, for recording */
    memset(&to, 0, sizeof(to));
    to.status = !strcmp(state, "failed") ? "failed" : "passed";
    to.findings = "日志留存不足";
    to.report_ref = "R-P-1";
    to.tested_on = "2025-01-01";
    if (product_test_record(c, t.id, &to, &to) < 0)
        fail_msg("product record: %s", c->err.message);
    if (strcmp(state, "online") != 0)
        return p.id;
    if (product_act(c, p.id, "launch", NULL, &p) < 0)
        fail_msg("product launch: %s", c->err.message);
    return p.id;
}

static int64_t target_agreement, in_force_agreement;

/* An agreement of M with P: a draft, complete and ready to sign, or in force. */
static int64_t fresh_agreement(const char *state)
{
    static int64_t response[4] = {15, 30, 60, 240}, resolution[4] = {240, 480, 1440, 4320};
    struct agreement_input in;
    struct agreement a;
    struct ctx *c = th_ctx();
    c->caller.institution_id = T->m;
    memset(&in, 0, sizeof(in));
    in.has = AGR_F_TITLE;
    in.v.provider_id = T->p;
    in.v.title = arena_printf(c->arena, "政务云服务协议%d", ++T->serial);
    if (strcmp(state, "draft") != 0) {
        in.has |= AGR_F_VALID_FROM | AGR_F_VALID_TO | AGR_F_AVAILABILITY | AGR_F_RESPONSE |
                  AGR_F_RESOLUTION | AGR_F_POOLS;
        in.v.valid_from = "2026-01-01";
        in.v.valid_to = "2027-12-31";
        in.v.availability_bp = 9995;
        in.v.response_minutes = response;
        in.v.resolution_minutes = resolution;
        in.v.n_response = in.v.n_resolution = 4;
        in.v.pool_ids = &target_pool;
        in.v.n_pools = 1;
        for (int i = 0; i < AGREEMENT_CLAUSES; i++) {
            in.has |= AGR_F_CLAUSE0 << i;
            in.v.clause[i] = "按附件约定执行";
        }
    }
    if (agreement_create(c, &in, &a) < 0)
        fail_msg("agreement: %s", c->err.message);
    if (!strcmp(state, "in_force")) {
        c->caller.person_id = T->who[W_M_ADMIN].person_id;
        if (agreement_sign(c, a.id, &a) < 0)
            fail_msg("sign M: %s", c->err.message);
        c->caller.institution_id = T->p;
        c->caller.person_id = T->who[W_P_ADMIN].person_id;
        if (agreement_sign(c, a.id, &a) < 0)
            fail_msg("sign P: %s", c->err.message);
    }
    return a.id;
}

static int64_t fresh_test(void)
{
    struct conformity_test out;
    int64_t pool = fresh_pool();
    struct ctx *c = th_ctx();
    if (conformity_assign(c, pool, T->e, &out) < 0)
        fail_msg("test: %s", c->err.message);
    return out.id;
}

static int64_t fresh_post(void)
{
    struct post_input in;
    struct post out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.v.name = arena_printf(c->arena, "临时岗位%d", ++T->serial);
    in.v.duties = "矩阵测试";
    if (post_create(c, T->u1, &in, &out) < 0)
        fail_msg("post: %s", c->err.message);
    return out.id;
}

static int64_t fresh_qualification(void)
{
    struct qualification in, out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.kind = "itss";
    in.certificate_no = arena_printf(c->arena, "MQ-%d", ++T->serial);
    in.issuer = "测试发证机关";
    in.valid_from = "2025-01-01";
    in.valid_to = "2028-01-01";
    if (qualification_create(c, T->u1, &in, &out) < 0)
        fail_msg("qualification: %s", c->err.message);
    return out.id;
}

static int64_t fresh_relation(void)
{
    struct interest_relation in, out;
    int64_t other = th_institution(T->m2, "user", "municipal");
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.related_id = other;
    in.kind = "contract";
    in.since = "2024-01-01";
    if (relation_create(c, T->u1, &in, &out) < 0)
        fail_msg("relation: %s", c->err.message);
    return out.id;
}

static int64_t fresh_certificate(void)
{
    struct certificate in, out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.kind = "cisp";
    in.number = arena_printf(c->arena, "MC-%d", ++T->serial);
    in.issuer = "测试发证机关";
    in.valid_to = "2030-01-01";
    if (certificate_create(c, target_person, &in, &out) < 0)
        fail_msg("certificate: %s", c->err.message);
    return out.id;
}

/* The modules of service usage build their own cells (each file defines <module>_cell, which
 * returns true when it built the request of the route, and <module>_matrix_setup). */
#include "matrix_procurement.inc"
#include "matrix_order.inc"
#include "matrix_usage.inc"
#include "matrix_billing.inc"

/* Builds the request of one matrix cell; the objects it names exist before the call. */
static struct th_resp *run_cell(const char *route, int caller)
{
    static char path[256], body[1024];
    struct who w = T->who[caller];
    const char *method = route, *pattern = strchr(route, ' ') + 1;
    char m[8];
    snprintf(m, sizeof(m), "%.*s", (int)(pattern - 1 - method), method);
    const char *b = NULL;
    snprintf(path, sizeof(path), "%s", pattern);

#define IS(x)     (!strcmp(route, x))
#define PATH(...) snprintf(path, sizeof(path), __VA_ARGS__)
#define BODY(...) (snprintf(body, sizeof(body), __VA_ARGS__), b = body)
    if (procurement_cell(route, caller, path, sizeof(path), body, sizeof(body), &b) ||
        order_cell(route, caller, path, sizeof(path), body, sizeof(body), &b) ||
        usage_cell(route, caller, path, sizeof(path), body, sizeof(body), &b) ||
        billing_cell(route, caller, path, sizeof(path), body, sizeof(body), &b)) {
        /* built by the module's matrix file */
    } else if (IS("POST /api/v1/session")) {
        BODY("{\"login\":\"%s\",\"password\":\"%s\"}", T->who[W_U1_MEMBER].login, TEST_PASSWORD);
    } else if (IS("DELETE /api/v1/session")) {
        if (caller != W_ANON)
            th_session(&w, T->who[caller].person_id); /* end a session of its own */
    } else if (IS("POST /api/v1/institutions")) {
        BODY("{\"uscc\":\"%s\",\"name\":\"矩阵测试单位\",\"kind\":\"user\",\"level\":\"municipal\","
             "\"region\":\"520100\",\"parent_id\":%lld}",
             th_uscc(), (long long)T->m1);
    } else if (IS("PATCH /api/v1/institutions/{id}")) {
        PATH("/api/v1/institutions/%lld", (long long)T->u1);
        BODY("{\"contact_name\":\"张三\"}");
    } else if (IS("DELETE /api/v1/institutions/{id}")) {
        PATH("/api/v1/institutions/%lld", (long long)th_institution(T->m1, "user", "municipal"));
    } else if (strstr(route, "/institutions/{id}")) {
        PATH("/api/v1/institutions/%lld%s", (long long)T->u1, strstr(pattern, "{id}") + 4);
        char *sub = strchr(path + strlen("/api/v1/institutions/"), '{');
        if (sub) {
            int64_t id = strstr(route, "{qid}")   ? fresh_qualification()
                         : strstr(route, "{rid}") ? fresh_relation()
                                                  : fresh_post();
            snprintf(sub, sizeof(path) - (size_t)(sub - path), "%lld", (long long)id);
        }
        if (IS("POST /api/v1/institutions/{id}/qualifications"))
            BODY("{\"kind\":\"itss\",\"certificate_no\":\"MX-%d\",\"issuer\":\"某发证机关\","
                 "\"valid_from\":\"2025-01-01\",\"valid_to\":\"2027-01-01\"}",
                 ++T->serial);
        else if (IS("POST /api/v1/institutions/{id}/interest-relations"))
            BODY("{\"related_id\":%lld,\"kind\":\"contract\",\"since\":\"2024-01-01\"}",
                 (long long)th_institution(T->m2, "user", "municipal"));
        else if (IS("POST /api/v1/institutions/{id}/posts"))
            BODY("{\"name\":\"岗位%d\",\"duties\":\"负责测试\"}", ++T->serial);
        else if (IS("PATCH /api/v1/institutions/{id}/posts/{pid}"))
            BODY("{\"duties\":\"新的职责\"}");
    } else if (IS("POST /api/v1/resource-pools")) {
        BODY("{\"name\":\"矩阵资源池%d\",\"kind\":\"storage\",\"unit\":\"object_gib\","
             "\"specification\":\"三副本\",\"capacity\":1000,\"region\":\"520000\","
             "\"security_level\":2}",
             ++T->serial);
    } else if (strstr(route, "/resource-pools/{id}/") &&
               (strstr(route, "/suspend") || strstr(route, "/resume") || strstr(route, "/retire") ||
                strstr(route, "/transitions"))) {
        /* The pool lifecycle acts on a pool of its own, so that the shared one stays active. */
        int64_t pool = fresh_pool();
        char sql[160];
        if (strstr(route, "/resume")) {
            snprintf(sql, sizeof(sql),
                     "UPDATE resource_pools SET status = 'suspended' WHERE id = %lld",
                     (long long)pool);
            th_sql(sql);
        }
        PATH("/api/v1/resource-pools/%lld%s", (long long)pool, strstr(pattern, "{id}") + 4);
        if (!IS("GET /api/v1/resource-pools/{id}/transitions"))
            BODY("{\"reason\":\"矩阵测试\"}");
    } else if (strstr(route, "/resource-pools/{id}")) {
        int64_t pool = strstr(route, "conformity-tests") ? fresh_pool() : target_pool;
        PATH("/api/v1/resource-pools/%lld%s", (long long)pool, strstr(pattern, "{id}") + 4);
        char *sub = strstr(path, "{aid}");
        if (sub) {
            char rest[128];
            snprintf(rest, sizeof(rest), "%s", sub + 5);
            snprintf(sub, sizeof(path) - (size_t)(sub - path), "%lld%s",
                     (long long)fresh_allocation(), rest);
        }
        if (IS("PATCH /api/v1/resource-pools/{id}"))
            BODY("{\"specification\":\"2.6GHz x86, 超线程\"}");
        else if (IS("POST /api/v1/resource-pools/{id}/allocations"))
            BODY("{\"user_id\":%lld,\"application\":\"矩阵应用\",\"quantity\":1}",
                 (long long)T->u1);
        else if (strstr(route, "/changes"))
            BODY("{\"op\":\"expand\",\"quantity\":1}");
        else if (strstr(route, "/first-use"))
            BODY("{}");
        else if (strstr(route, "/service-start"))
            BODY("{\"service_start\":\"2020-01-01T00:00:00Z\",\"service_start_reason\":"
                 "\"迁移上云\"}");
        else if (strstr(route, "/conformity-tests"))
            BODY("{\"evaluator_id\":%lld}", (long long)T->e);
    } else if (IS("PATCH /api/v1/conformity-tests/{id}")) {
        PATH("/api/v1/conformity-tests/%lld", (long long)fresh_test());
        BODY("{\"result\":\"passed\",\"report_ref\":\"R-1\",\"tested_on\":\"2025-01-01\"}");
    } else if (strstr(route, "{number}")) {
        PATH("%.*s1%s", (int)(strstr(pattern, "{number}") - pattern), pattern,
             strstr(pattern, "{number}") + 8);
    } else if (IS("POST /api/v1/products")) {
        BODY("{\"name\":\"矩阵产品%d\",\"category\":\"training_promotion\","
             "\"description\":\"上云培训\",\"region\":\"520000\"}",
             ++T->serial);
    } else if (IS("PATCH /api/v1/product-tests/{id}")) {
        PATH("/api/v1/product-tests/%lld", (long long)fresh_product("testing", NULL));
        BODY("{\"result\":\"passed\",\"report_ref\":\"R-2\",\"tested_on\":\"2025-01-01\"}");
    } else if (strstr(route, "/products/{id}")) {
        int64_t metric = 0, product = target_product;
        const char *tail = strstr(pattern, "{id}") + 4;
        if (strstr(route, "/submit")) {
            struct ctx *c;
            struct metric mt, mo;
            product = fresh_product("draft", NULL);
            c = th_ctx();
            c->caller.institution_id = T->p;
            memset(&mt, 0, sizeof(mt));
            mt.name = "次数";
            mt.unit = "次";
            mt.method = "按调用计";
            mt.list_price_fen = 100;
            if (metric_add(c, product, &mt, &mo) < 0)
                fail_msg("metric: %s", c->err.message);
        } else if (strstr(route, "/launch") || strstr(route, "/price-")) {
            product = fresh_product("passed", &metric);
        } else if (strstr(route, "/withdraw") || strstr(route, "/eliminate") ||
                   strstr(route, "/recommendation")) {
            product = fresh_product("online", NULL);
        } else if (strstr(route, "/revise")) {
            product = fresh_product("failed", NULL);
        } else if (IS("POST /api/v1/products/{id}/tests")) {
            product = fresh_product("submitted", NULL);
        }
        PATH("/api/v1/products/%lld%s", (long long)product, tail);
        char *sub = strstr(path, "{mid}");
        if (sub) {
            char rest[64];
            snprintf(rest, sizeof(rest), "%s", sub + 5);
            snprintf(sub, sizeof(path) - (size_t)(sub - path), "%lld%s", (long long)metric, rest);
        }
        if (IS("PATCH /api/v1/products/{id}"))
            BODY("{\"description\":\"更新的说明\"}");
        else if (IS("POST /api/v1/products/{id}/metrics"))
            BODY("{\"name\":\"指标%d\",\"unit\":\"GB\",\"method\":\"按月峰值\","
                 "\"list_price_fen\":500}",
                 ++T->serial);
        else if (strstr(route, "/eliminate"))
            BODY("{\"reason\":\"复测不合格，予以淘汰\"}");
        else if (strstr(route, "/recommendation"))
            BODY("{\"recommended\":true,\"note\":\"服务稳定\"}");
        else if (IS("POST /api/v1/products/{id}/tests"))
            BODY("{\"evaluator_id\":%lld}", (long long)T->e);
        else if (strstr(route, "/price-basis"))
            BODY("{\"price_fen\":1100000,\"measurement\":\"可用性99.95%%\",\"valid_from\":"
                 "\"2099-01-01\",\"valid_to\":\"2099-12-31\"}");
        else if (strstr(route, "/price-backdating"))
            BODY("{\"valid_from\":\"2020-01-01\",\"reason\":\"迁移上线，补录历史价格\"}");
        else if (IS("POST /api/v1/products/{id}/documents"))
            BODY("{\"kind\":\"manual\",\"title\":\"用户手册\",\"content\":\"第一章 …\"}");
        else if (!strncmp(route, "POST", 4))
            BODY("{}");
    } else if (IS("POST /api/v1/agreements")) {
        BODY("{\"provider_id\":%lld,\"title\":\"矩阵协议%d\"}", (long long)T->p, ++T->serial);
    } else if (strstr(route, "/agreements/{id}")) {
        int64_t a = target_agreement;
        if (strstr(route, "/signatures"))
            a = fresh_agreement("complete");
        else if (strstr(route, "/amendments"))
            a = fresh_agreement("in_force");
        else if (IS("POST /api/v1/agreements/{id}/breaches"))
            a = in_force_agreement;
        PATH("/api/v1/agreements/%lld%s", (long long)a, strstr(pattern, "{id}") + 4);
        if (IS("PATCH /api/v1/agreements/{id}"))
            BODY("{\"security\":\"遵守等保三级要求\"}");
        else if (IS("POST /api/v1/agreements/{id}/breaches"))
            BODY("{\"clause\":\"quality_standards\",\"facts\":\"月可用性 99.2%%\","
                 "\"evidence\":\"监测报表\",\"liability\":\"扣减当月费用 5%%\","
                 "\"occurred_on\":\"2026-02-01\"}");
    } else if (IS("POST /api/v1/people")) {
        BODY("{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"新人\",\"team\":"
             "\"technical\",\"password\":\"Long-Password-9\"}",
             (long long)T->u1, th_login());
    } else if (strstr(route, "/people/{id}")) {
        bool reads = !strncmp(route, "GET", 3);
        int64_t pid = reads ? T->who[W_U1_MEMBER].person_id : target_person;
        PATH("/api/v1/people/%lld%s", (long long)pid, strstr(pattern, "{id}") + 4);
        char *sub = strstr(path, "{cid}");
        if (sub)
            snprintf(sub, sizeof(path) - (size_t)(sub - path), "%lld",
                     (long long)fresh_certificate());
        if (IS("PATCH /api/v1/people/{id}"))
            BODY("{\"phone\":\"0851-1234567\"}");
        else if (IS("POST /api/v1/people/{id}/password"))
            BODY("{\"new_password\":\"Another-Pass-77\"}");
        else if (IS("POST /api/v1/people/{id}/certificates"))
            BODY("{\"kind\":\"cisp\",\"number\":\"MN-%d\",\"issuer\":\"中国信息安全测评中心\","
                 "\"valid_to\":\"2030-01-01\"}",
                 ++T->serial);
    }
#undef IS
#undef PATH
#undef BODY
    return th_call(m, path, caller == W_ANON ? NULL : &w, b);
}

static void test_route_by_caller(void **state)
{
    int bad = 0, cells = 0;
    (void)state;
    load_matrix();
    target_person = th_person(T->u1, false, "technical");
    target_pool = fresh_pool();
    target_product = fresh_product("draft", NULL);
    target_agreement = fresh_agreement("draft");
    in_force_agreement = fresh_agreement("in_force");
    procurement_matrix_setup();
    order_matrix_setup();
    usage_matrix_setup();
    billing_matrix_setup();
    assert_status(th_call("POST", "/api/v1/catalogues/products/editions", &T->who[W_M_ADMIN], NULL),
                  201);
    fresh_allocation();
    assert_status(
        th_call("POST", "/api/v1/catalogues/resources/editions", &T->who[W_M_ADMIN], NULL), 201);
    for (int i = 0; i < n_rows; i++) {
        for (int c = 0; c < W_COUNT; c++) {
            const char *want = rows[i].expect[c];
            struct th_resp *r = run_cell(rows[i].route, c);
            int ok =
                !strcmp(want, "ok") ? r->status >= 200 && r->status < 300 : r->status == atoi(want);
            cells++;
            if (!ok) {
                bad++;
                print_error("%-55s %-9s expected %-3s got %d: %.200s\n", rows[i].route,
                            T->who[c].name, want, r->status, r->body);
            }
        }
    }
    print_message("%d cells checked, %d differ from docs/permissions.md\n", cells, bad);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_is_documented),
        cmocka_unit_test(test_route_by_caller),
    };
    return cmocka_run_group_tests_name("permission matrix", tests, th_setup, th_teardown);
}
