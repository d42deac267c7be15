/*
 * test_http_parts.c - unit tests of the router's matching, the declarative body validator and
 * the field rules, without a store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "core/arena.h"
#include "domain/validate.h"
#include "http/http.h"
#include "http/jv.h"

static void test_router_matches_patterns_and_params(void **state)
{
    struct req rq;
    (void)state;
    memset(&rq, 0, sizeof(rq));
    int i = router_match("GET", "/api/v1/institutions/42/posts", &rq);
    assert_true(i >= 0);
    assert_string_equal(routes[i].pattern, "/api/v1/institutions/{id}/posts");
    assert_int_equal(rq.n_params, 1);
    assert_int_equal(rq.params[0], 42);
    i = router_match("DELETE", "/api/v1/institutions/7/posts/9", &rq);
    assert_true(i >= 0);
    assert_int_equal(rq.params[1], 9);
    assert_int_equal(router_match("GET", "/api/v1/institution", &rq), -1);
    assert_int_equal(router_match("GET", "/api/v1/institutions/1/", &rq), -1);
    assert_int_equal(router_match("PUT", "/api/v1/institutions/1", &rq), -2);
    assert_int_equal(router_match("GET", "/api/v1/institutions/x1", &rq), -3);
    assert_int_equal(router_match("GET", "/api/v1/institutions/-1", &rq), -3);
    assert_int_equal(router_match("GET", "/api/v1/institutions/00000000000000001", &rq), -3);
    /* HEAD is answered by GET routes. */
    assert_true(router_match("HEAD", "/healthz", &rq) >= 0);
}

static void test_every_route_is_guarded(void **state)
{
    (void)state;
    for (int i = 0; i < n_routes; i++) {
        const struct route *r = &routes[i];
        /* Default deny: a route is public on purpose or names its permission. */
        assert_true((r->flags & RF_PUBLIC) ? r->perm == NULL : r->perm != NULL);
        if (r->flags & RF_BODY)
            assert_non_null(r->body_spec);
        if (strstr(r->pattern, "{id}") && strncmp(r->pattern, "/api/v1/institutions", 20) == 0)
            assert_int_equal(r->scope, SCOPE_INST_PATH);
        if (strstr(r->pattern, "{id}") && strncmp(r->pattern, "/api/v1/people", 14) == 0)
            assert_int_equal(r->scope, SCOPE_PERSON_PATH);
    }
}

struct sample {
    const char *name;
    int64_t id;
    bool flag;
    int64_t *ids;
    int n_ids;
    const char *tags;
    int64_t *counts;
    int n_counts;
};

static const struct field_spec sample_spec[] = {
    {"name", JV_STRING, JV_REQUIRED, offsetof(struct sample, name), 0, 1, 5, NULL, NULL},
    {"id", JV_ID, 0, offsetof(struct sample, id), 0, 2, 0, NULL, NULL},
    {"flag", JV_BOOL, 0, offsetof(struct sample, flag), 0, 4, 0, NULL, NULL},
    {"ids", JV_ID_ARRAY, 0, offsetof(struct sample, ids), offsetof(struct sample, n_ids), 8, 3,
     NULL, NULL},
    {"tags", JV_STR_LIST, JV_NULLABLE, offsetof(struct sample, tags), 0, 16, 3, NULL, NULL},
    {"counts", JV_POS_ARRAY, 0, offsetof(struct sample, counts), offsetof(struct sample, n_counts),
     32, 3, NULL, NULL},
    JV_END,
};

static struct arena *dec_arena;

static int decode(const char *text, struct sample *s, unsigned *has, struct ctx **out)
{
    arena_free(dec_arena);
    dec_arena = arena_new();
    struct ctx *ctx = ctx_new(NULL, dec_arena);
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    memset(s, 0, sizeof(*s));
    int rc = jv_decode(ctx, j, sample_spec, s, has);
    json_decref(j);
    *out = ctx;
    return rc;
}

static bool has_rule(struct ctx *c, const char *field, const char *rule)
{
    for (int i = 0; i < c->err.n_fields; i++)
        if (!strcmp(c->err.fields[i].field, field) && !strcmp(c->err.fields[i].rule, rule))
            return true;
    return false;
}

static void test_body_validator(void **state)
{
    struct sample s;
    unsigned has;
    struct ctx *c;
    (void)state;
    assert_int_equal(decode("{\"name\":\"政务云\",\"id\":3,\"flag\":true,\"ids\":[1,2],"
                            "\"tags\":[\"a\",\"b\"]}",
                            &s, &has, &c),
                     0);
    assert_string_equal(s.name, "政务云");
    assert_int_equal(s.id, 3);
    assert_true(s.flag);
    assert_int_equal(s.n_ids, 2);
    assert_int_equal(s.ids[1], 2);
    assert_string_equal(s.tags, "a,b");
    assert_int_equal(has, 31);
    assert_int_equal(decode("{\"id\":0,\"flag\":1,\"ids\":[1,2,3,4],\"x\":1,"
                            "\"tags\":[\"a,b\"]}",
                            &s, &has, &c),
                     -1);
    assert_true(has_rule(c, "name", "required"));
    assert_true(has_rule(c, "id", "id"));
    assert_true(has_rule(c, "flag", "type"));
    assert_true(has_rule(c, "ids", "max_items"));
    assert_true(has_rule(c, "x", "unknown_field"));
    assert_true(has_rule(c, "tags", "item"));
    assert_int_equal(decode("{\"name\":\"一二三四五六\"}", &s, &has, &c), -1);
    assert_true(has_rule(c, "name", "max_length"));
    assert_int_equal(decode("{\"name\":\"ok\",\"tags\":null}", &s, &has, &c), 0);
    assert_null(s.tags);
    assert_int_equal(decode("{\"name\":null}", &s, &has, &c), -1);
    assert_true(has_rule(c, "name", "not_null"));
    json_t *schema = jv_schema(sample_spec);
    assert_true(json_is_false(json_object_get(schema, "additionalProperties")));
    json_decref(schema);
    arena_free(dec_arena);
    dec_arena = NULL;
}

static const char *message_of(struct ctx *c, const char *field)
{
    for (int i = 0; i < c->err.n_fields; i++)
        if (!strcmp(c->err.fields[i].field, field))
            return c->err.fields[i].message;
    return "";
}

/* Issue 12: a quantity or a number of minutes is not "an id"; the message fits the field's
 * type and names the element. */
static void test_array_messages_fit_the_type(void **state)
{
    struct sample s;
    unsigned has;
    struct ctx *c;
    (void)state;
    assert_int_equal(decode("{\"name\":\"a\",\"counts\":[3,0]}", &s, &has, &c), -1);
    assert_true(has_rule(c, "counts", "positive"));
    assert_string_equal(message_of(c, "counts"),
                        "counts[1] must be a positive integer (1 to 9007199254740991)");
    assert_null(strstr(message_of(c, "counts"), " id"));
    assert_int_equal(decode("{\"name\":\"a\",\"counts\":[\"2\"]}", &s, &has, &c), -1);
    assert_true(has_rule(c, "counts", "type"));
    assert_string_equal(message_of(c, "counts"), "counts[0] must be a positive integer");
    assert_int_equal(decode("{\"name\":\"a\",\"ids\":[1,-4]}", &s, &has, &c), -1);
    assert_true(has_rule(c, "ids", "id"));
    assert_string_equal(message_of(c, "ids"), "ids[1] is not a valid id");
    assert_int_equal(decode("{\"name\":\"a\",\"counts\":[2,7]}", &s, &has, &c), 0);
    assert_int_equal(s.n_counts, 2);
    assert_int_equal(s.counts[1], 7);
    arena_free(dec_arena);
    dec_arena = NULL;
}

/* Issue 12: white space alone is not a text, whatever white space it is. */
static void test_text_length_trims_unicode_white_space(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct ctx *c = ctx_new(NULL, a);
    assert_int_equal(text_length(NULL), 0);
    assert_int_equal(text_length(""), 0);
    assert_int_equal(text_length("    "), 0);
    assert_int_equal(text_length(" \t\r\n\v\f"), 0);
    assert_int_equal(text_length("\xe3\x80\x80\xe3\x80\x80"), 0); /* U+3000 ideographic */
    assert_int_equal(text_length("\xc2\xa0\xc2\x85"), 0);         /* U+00A0, U+0085 */
    assert_int_equal(text_length("\xe2\x80\x80\xe2\x80\x8a"), 0); /* U+2000, U+200A */
    assert_int_equal(text_length("\xe2\x80\xa8\xe2\x80\xa9"), 0); /* U+2028, U+2029 */
    assert_int_equal(text_length("\xe2\x80\xaf\xe2\x81\x9f"), 0); /* U+202F, U+205F */
    assert_int_equal(text_length("\xef\xbb\xbf\xe1\x9a\x80"), 0); /* U+FEFF, U+1680 */
    /* Not white space: U+200B (zero width space) is a format character, and U+200C. */
    assert_int_equal(text_length("\xe2\x80\x8b"), 1);
    /* Trimmed at both ends; inner white space counts. */
    assert_int_equal(text_length("\xe3\x80\x80 政务 云\xc2\xa0 "), 4);
    assert_int_equal(text_length(" a "), 1);
    assert_int_equal(text_length("\xe6\x94"), (size_t)-1);
    assert_true(text_is_blank("\xe3\x80\x80 \xe2\x80\x83"));
    assert_false(text_is_blank("理由"));
    /* check_text: required and min_length count the trimmed text. */
    assert_int_equal(check_text(c, "reason", "\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80", 1, 10), -1);
    assert_string_equal(c->err.fields[0].rule, "required");
    err_clear(&c->err);
    assert_int_equal(check_text(c, "reason", " 理  ", 2, 10), -1);
    assert_string_equal(c->err.fields[0].rule, "min_length");
    err_clear(&c->err);
    assert_int_equal(check_text(c, "reason", " 理由 ", 2, 10), 0);
    assert_int_equal(check_opt_text(c, "note", "   ", 10), 0);
    arena_free(a);
}

/* Issue 12: every refusal answers its rule as a member, beside errors[] too, and its figures. */
static void test_problem_answers_rule_and_params(void **state)
{
    struct resp rs;
    (void)state;
    struct arena *a = arena_new();
    struct ctx *c = ctx_new(NULL, a);
    err_field_as(&c->err, ERR_CONFLICT, "evaluator_id", "interest_relation", "related");
    memset(&rs, 0, sizeof(rs));
    resp_problem(c, &rs, "/x");
    json_t *j = json_loadb(rs.body, rs.len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), 409);
    assert_string_equal(json_string_value(json_object_get(j, "rule")), "interest_relation");
    assert_non_null(json_object_get(j, "errors"));
    assert_null(json_object_get(j, "params"));
    json_decref(j);
    err_clear(&c->err);
    err_param_int(&c->err, "remaining_fen", 0);
    err_param_int(&c->err, "estimated_fen", 100);
    err_rule(&c->err, ERR_CONFLICT, "budget_exceeded", "no money");
    memset(&rs, 0, sizeof(rs));
    resp_problem(c, &rs, "/x");
    j = json_loadb(rs.body, rs.len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "rule")), "budget_exceeded");
    json_t *params = json_object_get(j, "params");
    assert_int_equal(json_integer_value(json_object_get(params, "remaining_fen")), 0);
    assert_int_equal(json_integer_value(json_object_get(params, "estimated_fen")), 100);
    json_decref(j);
    arena_free(a);
}

static void test_field_rules(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct ctx *c = ctx_new(NULL, a);
    assert_int_equal(utf8_length("政务云a"), 4);
    assert_int_equal(utf8_length("\xc0\xaf"), (size_t)-1);         /* overlong '/' */
    assert_int_equal(utf8_length("\xe6\x94"), (size_t)-1);         /* cut short */
    assert_int_equal(utf8_length("\xed\xa0\x80"), (size_t)-1);     /* a surrogate */
    assert_int_equal(utf8_length("\xe0\x80\xaf"), (size_t)-1);     /* overlong */
    assert_int_equal(utf8_length("\xf4\x90\x80\x80"), (size_t)-1); /* above U+10FFFF */
    assert_int_equal(utf8_length("\xf0\x9f\x98\x80"), 1);          /* an emoji */
    assert_int_equal(check_region(c, "region", "520100"), 0);
    assert_int_equal(check_region(c, "region", "990000"), -1);
    assert_int_equal(check_region(c, "region", "52010"), -1);
    assert_int_equal(check_email(c, "email", "a@b.cn"), 0);
    assert_int_equal(check_email(c, "email", "a@b"), -1);
    assert_int_equal(check_phone(c, "phone", "+86 (851) 8680-0000"), 0);
    assert_int_equal(check_phone(c, "phone", "call me"), -1);
    assert_int_equal(check_timezone(c, "tz", "Asia/Shanghai"), 0);
    assert_int_equal(check_timezone(c, "tz", "../../etc/passwd"), -1);
    assert_int_equal(check_slug(c, "login", "gz.admin", 3, 64), 0);
    assert_int_equal(check_slug(c, "login", ".hidden", 3, 64), -1);
    assert_int_equal(check_text(c, "name", "a\nb", 1, 10), -1);
    assert_int_equal(check_date(c, "d", "2026-02-29"), -1);
    assert_true(c->err.n_fields >= 8);
    arena_free(a);
}

static const char *disposition(const struct resp *rs)
{
    for (int i = 0; i < rs->n_headers; i++)
        if (!strcmp(rs->headers[i].key, "Content-Disposition"))
            return rs->headers[i].value;
    return NULL;
}

static void test_resp_file_names_the_download_safely(void **state)
{
    struct ctx ctx;
    struct resp rs;
    static const char zip[] = "PK\x03\x04\0\0\xff\x00tail";
    (void)state;
    memset(&ctx, 0, sizeof(ctx));
    ctx.arena = arena_new();

    memset(&rs, 0, sizeof(rs));
    assert_int_equal(resp_file(&ctx, &rs, 200, RESP_XLSX, "账单-2026-01.xlsx", zip, sizeof(zip)),
                     0);
    assert_int_equal(rs.status, 200);
    assert_string_equal(rs.content_type,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    /* The body is copied byte for byte, NULs included. */
    assert_int_equal(rs.len, sizeof(zip));
    assert_memory_equal(rs.body, zip, sizeof(zip));
    assert_string_equal(disposition(&rs), "attachment; filename=\"_-2026-01.xlsx\"; "
                                          "filename*=UTF-8''%E8%B4%A6%E5%8D%95-2026-01.xlsx");

    memset(&rs, 0, sizeof(rs));
    resp_file(&ctx, &rs, 200, RESP_CSV, "bill 2026-01.csv", "a,b\r\n", 5);
    assert_string_equal(rs.content_type, "text/csv; charset=utf-8");
    assert_string_equal(disposition(&rs), "attachment; filename=\"bill 2026-01.csv\"");

    /* Quotes, folders, percent signs and line breaks never reach the header as they are. */
    memset(&rs, 0, sizeof(rs));
    resp_file(&ctx, &rs, 200, RESP_CSV, "../a\"b\\c%41\r\nX: y.csv", "", 0);
    assert_string_equal(disposition(&rs), "attachment; filename=\".._a_b_c_41__X: y.csv\"; "
                                          "filename*=UTF-8''.._a%22b_c%2541__X%3A%20y.csv");
    assert_int_equal(rs.len, 0);

    memset(&rs, 0, sizeof(rs));
    resp_file(&ctx, &rs, 200, RESP_CSV, "", "", 0);
    assert_string_equal(disposition(&rs), "attachment; filename=\"download\"");
    arena_free(ctx.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_router_matches_patterns_and_params),
        cmocka_unit_test(test_every_route_is_guarded),
        cmocka_unit_test(test_body_validator),
        cmocka_unit_test(test_field_rules),
        cmocka_unit_test(test_array_messages_fit_the_type),
        cmocka_unit_test(test_text_length_trims_unicode_white_space),
        cmocka_unit_test(test_problem_answers_rule_and_params),
        cmocka_unit_test(test_resp_file_names_the_download_safely),
    };
    return cmocka_run_group_tests_name("http parts", tests, NULL, NULL);
}
