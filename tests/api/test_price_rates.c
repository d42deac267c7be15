/*
 * test_price_rates.c - graded, tiered prices of a price basis (T5-7.2e, docs/billing.md "Price
 * in force, service levels and tiers"): rates published with the basis read back exactly as
 * decimal strings wherever a basis is answered, every rule refused with the field that broke
 * it, nothing written on a refusal, and JSON numbers with fractions refused as inexact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "domain/validate.h"

#define M_ADMIN  (&T->who[W_M_ADMIN])
#define P_ADMIN  (&T->who[W_P_ADMIN])
#define E_ADMIN  (&T->who[W_E_ADMIN])
#define U1_ADMIN (&T->who[W_U1_ADMIN])

static char body[8192], path[256];

/* A product of P that passed its test by E and is online, with one metric. */
static int64_t online_product(int64_t *metric)
{
    snprintf(body, sizeof(body),
             "{\"name\":\"云主机分级计价%d\",\"category\":\"operation_maintenance\","
             "\"description\":\"按服务等级计价\",\"region\":\"520000\"}",
             ++T->serial);
    struct th_resp *r = th_call("POST", "/api/v1/products", P_ADMIN, body);
    assert_status(r, 201);
    int64_t p = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics", (long long)p);
    r = th_call("POST", path, P_ADMIN,
                "{\"name\":\"vCPU 时\",\"unit\":\"核时\",\"method\":\"按小时计量\","
                "\"list_price_fen\":20}");
    assert_status(r, 201);
    *metric = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/submit", (long long)p);
    assert_status(th_call("POST", path, P_ADMIN, "{}"), 200);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/tests", (long long)p);
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)T->e);
    r = th_call("POST", path, M_ADMIN, body);
    assert_status(r, 201);
    snprintf(path, sizeof(path), "/api/v1/product-tests/%lld", (long long)jint(r->json, "id"));
    snprintf(body, sizeof(body),
             "{\"result\":\"passed\",\"report_ref\":\"黔安测(2026)R%d号\","
             "\"tested_on\":\"2026-02-01\"}",
             ++T->serial);
    assert_status(th_call("PATCH", path, E_ADMIN, body), 200);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/launch", (long long)p);
    assert_status(th_call("POST", path, P_ADMIN, "{}"), 200);
    return p;
}

static struct th_resp *publish(int64_t p, int64_t metric, const char *from, const char *to,
                               const char *rates)
{
    char url[256];
    snprintf(url, sizeof(url), "/api/v1/products/%lld/metrics/%lld/price-basis", (long long)p,
             (long long)metric);
    snprintf(body, sizeof(body),
             "{\"price_fen\":20,\"measurement\":\"实测\",\"valid_from\":\"%s\",\"valid_to\":"
             "\"%s\"%s%s}",
             from, to, rates ? ",\"rates\":" : "", rates ? rates : "");
    return th_call("POST", url, E_ADMIN, body);
}

static json_t *rate(json_t *basis, size_t i)
{
    return json_array_get(json_object_get(basis, "rates"), i);
}

static void assert_rate(json_t *r, const char *level, const char *tier, const char *price)
{
    assert_non_null(r);
    assert_string_equal(jstr(r, "service_level"), level);
    assert_string_equal(jstr(r, "tier_from"), tier);
    assert_string_equal(jstr(r, "unit_price_fen"), price);
}

static int64_t bases(int64_t p)
{
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices", (long long)p);
    struct th_resp *r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    return (int64_t)json_array_size(json_object_get(r->json, "items"));
}

static void test_rates_read_back_exactly(void **state)
{
    (void)state;
    int64_t metric, p = online_product(&metric);
    /* Given out of order, with integers, trailing zeros and a large tier: answered sorted by
     * level (basic, standard, premium) then tier, as trimmed decimal strings. */
    struct th_resp *r = publish(
        p, metric, "2098-01-01", "2098-12-31",
        "[{\"service_level\":\"standard\",\"tier_from\":\"123456789.123456\","
        "\"unit_price_fen\":\"0.0001\"},"
        "{\"service_level\":\"premium\",\"tier_from\":0,\"unit_price_fen\":30},"
        "{\"service_level\":\"standard\",\"tier_from\":\"1000.500\",\"unit_price_fen\":\"10.2500\"}"
        ","
        "{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"12.5\"},"
        "{\"service_level\":\"basic\",\"tier_from\":\"0.000000\",\"unit_price_fen\":\"8\"}]");
    assert_status(r, 201);
    json_t *b = r->json;
    assert_int_equal(json_array_size(json_object_get(b, "rates")), 5);
    assert_rate(rate(b, 0), "basic", "0", "8");
    assert_rate(rate(b, 1), "standard", "0", "12.5");
    assert_rate(rate(b, 2), "standard", "1000.5", "10.25");
    assert_rate(rate(b, 3), "standard", "123456789.123456", "0.0001");
    assert_rate(rate(b, 4), "premium", "0", "30");
    int64_t id = jint(b, "id");
    /* Stored as integers in the units of docs/billing.md. */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT unit_price FROM price_rates WHERE basis_id = %lld AND tier_from = "
             "123456789123456",
             (long long)id);
    assert_int_equal(th_sql_int(sql), 1);
    snprintf(sql, sizeof(sql),
             "SELECT unit_price FROM price_rates WHERE basis_id = %lld AND service_level = "
             "'standard' AND tier_from = 0",
             (long long)id);
    assert_int_equal(th_sql_int(sql), 125000);

    /* The list, the price in force and the catalogue answer the same rates. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices", (long long)p);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    b = json_array_get(json_object_get(r->json, "items"), 0);
    assert_int_equal(json_array_size(json_object_get(b, "rates")), 5);
    assert_rate(rate(b, 3), "standard", "123456789.123456", "0.0001");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices?on=2098-03-01", (long long)p);
    r = th_call("GET", path, U1_ADMIN, NULL);
    b = json_array_get(json_object_get(r->json, "items"), 0);
    assert_rate(rate(b, 0), "basic", "0", "8");
    assert_rate(rate(b, 2), "standard", "1000.5", "10.25");

    /* A basis without rates answers an empty list. */
    r = publish(p, metric, "2099-01-01", "2099-12-31", NULL);
    assert_status(r, 201);
    assert_int_equal(json_array_size(json_object_get(r->json, "rates")), 0);

    /* The audit record lists the rates. */
    snprintf(path, sizeof(path), "/api/v1/audit?object_type=price_basis&object_id=%lld",
             (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    json_t *rec = json_array_get(json_object_get(r->json, "items"), 0);
    assert_string_equal(jstr(rec, "action"), "price_basis.publish");
    json_t *ch = json_object_get(json_object_get(rec, "changes"), "rates");
    assert_non_null(ch);
    char *text = json_dumps(ch, JSON_ENCODE_ANY);
    assert_non_null(strstr(text, "standard 1000.5: 10.25"));
    free(text);
}

static void test_catalogue_answers_rates(void **state)
{
    (void)state;
    int64_t metric, p = online_product(&metric);
    char month[16];
    snprintf(month, sizeof(month), "%.7s-01", today(th_ctx()));
    assert_status(publish(p, metric, month, "2099-12-31",
                          "[{\"service_level\":\"standard\",\"tier_from\":\"0\","
                          "\"unit_price_fen\":\"12\"},{\"service_level\":\"standard\","
                          "\"tier_from\":\"1000\",\"unit_price_fen\":\"9.999\"}]"),
                  201);
    struct th_resp *r = th_call("POST", "/api/v1/catalogues/products/editions", M_ADMIN, NULL);
    assert_status(r, 201);
    snprintf(path, sizeof(path), "/api/v1/catalogues/products/editions/%d",
             (int)jint(r->json, "edition"));
    r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    int found = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (jint(it, "product_id") != p)
            continue;
        json_t *basis =
            json_object_get(json_array_get(json_object_get(it, "metrics"), 0), "price_basis");
        assert_rate(rate(basis, 0), "standard", "0", "12");
        assert_rate(rate(basis, 1), "standard", "1000", "9.999");
        found = 1;
    }
    assert_true(found);
}

struct refusal {
    const char *rates, *field, *rule;
};

static void test_every_rule_names_its_field(void **state)
{
    (void)state;
    static const struct refusal cases[] = {
        {"[{\"service_level\":\"gold\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"}]",
         "rates[0].service_level", "enum"},
        {"[{\"service_level\":\"basic\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"}]", "rates",
         "standard_required"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"},"
         "{\"service_level\":\"premium\",\"tier_from\":\"10\",\"unit_price_fen\":\"1\"}]",
         "rates", "tier_zero"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"5\",\"unit_price_fen\":\"1\"}]", "rates",
         "tier_zero"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"},"
         "{\"service_level\":\"standard\",\"tier_from\":\"0.0\",\"unit_price_fen\":\"2\"}]",
         "rates[1].tier_from", "distinct"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"},"
         "{\"service_level\":\"standard\",\"tier_from\":\"0.0000001\",\"unit_price_fen\":\"2\"}]",
         "rates[1].tier_from", "scale"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"-1\",\"unit_price_fen\":\"1\"}]",
         "rates[0].tier_from", "negative"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"1e3\",\"unit_price_fen\":\"1\"}]",
         "rates[0].tier_from", "format"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1.00001\"}]",
         "rates[0].unit_price_fen", "scale"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":-3}]",
         "rates[0].unit_price_fen", "negative"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\","
         "\"unit_price_fen\":\"100000000000000.0001\"}]",
         "rates[0].unit_price_fen", "range"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\","
         "\"unit_price_fen\":\"99999999999999999999\"}]",
         "rates[0].unit_price_fen", "range"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":12.5}]",
         "rates[0].unit_price_fen", "inexact"},
        {"[{\"service_level\":\"standard\",\"tier_from\":0.5,\"unit_price_fen\":\"1\"}]",
         "rates[0].tier_from", "inexact"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\"}]", "rates[0].unit_price_fen",
         "required"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\","
         "\"currency\":\"CNY\"}]",
         "rates[0].currency", "unknown_field"},
        {"[{\"service_level\":\"standard\",\"tier_from\":\"0\",\"unit_price_fen\":\"1\"},7]",
         "rates[1]", "type"},
        {"{\"service_level\":\"standard\"}", "rates", "type"},
    };
    int64_t metric, p = online_product(&metric);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct th_resp *r = publish(p, metric, "2098-01-01", "2098-12-31", cases[i].rates);
        if (r->status != 422 || !has_field_error(r->json, cases[i].field, cases[i].rule))
            fprintf(stderr, "case %zu: %d %s\n", i, r->status, r->body);
        assert_int_equal(r->status, 422);
        assert_true(has_field_error(r->json, cases[i].field, cases[i].rule));
    }
    /* At most 30 rates. */
    char many[6000];
    size_t len = 0;
    many[len++] = '[';
    for (int i = 0; i < 31; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len,
                                "%s{\"service_level\":\"standard\",\"tier_from\":\"%d\","
                                "\"unit_price_fen\":\"1\"}",
                                i ? "," : "", i * 10);
    snprintf(many + len, sizeof(many) - len, "]");
    struct th_resp *r = publish(p, metric, "2098-01-01", "2098-12-31", many);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "rates", "max_items"));
    /* Nothing was written by any refusal: no basis, no rate. */
    assert_int_equal(bases(p), 0);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM price_rates r JOIN price_basis b ON b.id = r.basis_id WHERE "
             "b.metric_id = %lld",
             (long long)metric);
    assert_int_equal(th_sql_int(sql), 0);
    /* Thirty is allowed, and the largest price too. */
    len = 0;
    many[len++] = '[';
    for (int i = 0; i < 30; i++)
        len += (size_t)snprintf(many + len, sizeof(many) - len,
                                "%s{\"service_level\":\"standard\",\"tier_from\":\"%d\","
                                "\"unit_price_fen\":\"%s\"}",
                                i ? "," : "", i * 10, i ? "1" : "100000000000000.0000");
    snprintf(many + len, sizeof(many) - len, "]");
    r = publish(p, metric, "2098-01-01", "2098-12-31", many);
    assert_status(r, 201);
    assert_int_equal(json_array_size(json_object_get(r->json, "rates")), 30);
    assert_rate(rate(r->json, 0), "standard", "0", "100000000000000");
    assert_int_equal(bases(p), 1);
}

static void test_refused_after_the_checks_writes_nothing(void **state)
{
    (void)state;
    /* Valid rates, but the period overlaps: the 409 leaves neither basis nor rates behind. */
    int64_t metric, p = online_product(&metric);
    const char *rates = "[{\"service_level\":\"standard\",\"tier_from\":\"0\","
                        "\"unit_price_fen\":\"1\"}]";
    assert_status(publish(p, metric, "2098-01-01", "2098-06-30", rates), 201);
    struct th_resp *r = publish(p, metric, "2098-06-01", "2098-12-31", rates);
    assert_status(r, 409);
    assert_int_equal(bases(p), 1);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM price_rates r JOIN price_basis b ON b.id = r.basis_id WHERE "
             "b.metric_id = %lld",
             (long long)metric);
    assert_int_equal(th_sql_int(sql), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_read_back_exactly),
        cmocka_unit_test(test_catalogue_answers_rates),
        cmocka_unit_test(test_every_rule_names_its_field),
        cmocka_unit_test(test_refused_after_the_checks_writes_nothing),
    };
    return cmocka_run_group_tests_name("price_rates", tests, th_setup, th_teardown);
}
