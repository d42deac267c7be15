/*
 * fuzz_json_body.c - request body validation: the router's reader (jv_load: jansson, duplicate
 * keys refused, no NUL in any string), then jv_decode
 * (http/jv.c) against every body spec of the route table, then the problem+json answer a client
 * would get for a rejected body (http/response.c).
 *
 * Contract checked, per spec:
 * - jv_decode returns 0 exactly when it recorded no error, and never writes outside the target;
 * - an accepted body has only known fields, every required one, and each value arrives in the
 *   target unchanged (strings byte for byte, ids in 1..2^53-1, lists item for item) with its
 *   `has` bit set;
 * - a rejected body yields a 422 problem+json document that lists every field error recorded.
 * No store, no app: ctx_new(NULL, arena) is all jv_decode and resp_problem need.
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "fuzz_common.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/auth/auth_http.h"
#include "domain/org/org_http.h"
#include "domain/validate.h"
#include "http/http.h"
#include "http/jv.h"
#include "core/banned.h"

#define TARGET_SIZE 4096
#define MAX_SAFE_ID 9007199254740991LL

/*
 * Every body spec the server uses, taken from the route table so that a module added later is
 * fuzzed without touching this file (routes sharing a spec are decoded once).
 */
#define MAX_SPECS 128
static const struct field_spec *specs[MAX_SPECS];
static const char *spec_names[MAX_SPECS];
static size_t n_specs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    for (int i = 0; i < n_routes; i++) {
        const struct field_spec *spec = routes[i].body_spec;
        size_t k = 0;
        while (k < n_specs && specs[k] != spec)
            k++;
        if (!spec || k < n_specs)
            continue;
        if (n_specs == MAX_SPECS)
            abort();
        spec_names[n_specs] = routes[i].body_schema ? routes[i].body_schema : routes[i].pattern;
        specs[n_specs++] = spec;
    }
    /* The brief's own list must be among them: a spec dropped from routes.c is a finding. */
    const struct field_spec *expected[] = {
        institution_create_spec, institution_patch_spec, qualification_spec, relation_spec,
        post_create_spec,        post_patch_spec,        person_create_spec, person_patch_spec,
        password_spec,           certificate_spec,       login_spec,
    };
    for (size_t e = 0; e < sizeof(expected) / sizeof(expected[0]); e++) {
        size_t k = 0;
        while (k < n_specs && specs[k] != expected[e])
            k++;
        fuzz_check(k < n_specs);
    }
    /* The driver's target buffer must hold every struct a spec writes into. */
    for (size_t k = 0; k < n_specs; k++)
        for (const struct field_spec *f = specs[k]; f->name; f++)
            if (f->off + sizeof(int64_t) > TARGET_SIZE || f->off2 + sizeof(int) > TARGET_SIZE) {
                fprintf(stderr, "%s.%s lies beyond the %d-byte target\n", spec_names[k], f->name,
                        TARGET_SIZE);
                abort();
            }
    fprintf(stderr, "fuzz_json_body: %zu body specs from %d routes\n", n_specs, n_routes);
    return 0;
}

static const struct field_spec *spec_field(const struct field_spec *spec, const char *name)
{
    for (const struct field_spec *f = spec; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

static int spec_max(const struct field_spec *f)
{
    return f->max ? f->max : 1000;
}

/* The comma-joined list JV_STR_LIST promises, built independently of jv.c. */
static bool list_matches(json_t *arr, const char *joined)
{
    size_t i, pos = 0, n = strlen(joined);
    json_t *item;
    json_array_foreach(arr, i, item)
    {
        size_t len = json_string_length(item);
        if (i) {
            if (pos >= n || joined[pos] != ',')
                return false;
            pos++;
        }
        if (pos + len > n || memcmp(joined + pos, json_string_value(item), len) != 0)
            return false;
        pos += len;
    }
    return pos == n;
}

static void check_value(const struct field_spec *f, json_t *v, const unsigned char *base)
{
    const void *at = base + f->off;
    if (json_is_null(v)) {
        /* Only nullable fields accept null, and they leave the zeroed target as it was. */
        fuzz_check(f->flags & JV_NULLABLE);
        fuzz_check(f->type != JV_STRING || *(char *const *)at == NULL);
        return;
    }
    switch (f->type) {
    case JV_STRING: {
        const char *s = *(char *const *)at;
        fuzz_check(json_is_string(v) && s != NULL);
        fuzz_check(strlen(s) == json_string_length(v));
        fuzz_check(memcmp(s, json_string_value(v), strlen(s)) == 0);
        fuzz_check(utf8_length(s) <= (size_t)spec_max(f));
        break;
    }
    case JV_ID: {
        int64_t id = *(const int64_t *)at;
        fuzz_check(json_is_integer(v) && id == json_integer_value(v));
        fuzz_check(id >= 1 && id <= MAX_SAFE_ID);
        break;
    }
    case JV_INT:
        fuzz_check(json_is_integer(v) && *(const int64_t *)at == json_integer_value(v));
        break;
    case JV_BOOL:
        fuzz_check(json_is_boolean(v) && *(const bool *)at == json_is_true(v));
        break;
    case JV_ID_ARRAY:
    case JV_POS_ARRAY: {
        const int64_t *ids = *(int64_t *const *)at;
        int n = *(const int *)(const void *)(base + f->off2);
        size_t i;
        json_t *item;
        fuzz_check(json_is_array(v) && ids != NULL);
        fuzz_check(n >= 0 && (size_t)n == json_array_size(v) && n <= spec_max(f));
        json_array_foreach(v, i, item)
        {
            fuzz_check(ids[i] == json_integer_value(item));
            fuzz_check(ids[i] >= 1 && ids[i] <= MAX_SAFE_ID);
        }
        break;
    }
    case JV_STR_LIST: {
        const char *joined = *(char *const *)at;
        fuzz_check(json_is_array(v) && joined != NULL);
        fuzz_check(json_array_size(v) <= (size_t)spec_max(f));
        fuzz_check(list_matches(v, joined));
        break;
    }
    case JV_DECIMAL: {
        /* Text as written, or an integer's digits; never a double. */
        const char *s = *(char *const *)at;
        fuzz_check(s != NULL && !json_is_real(v));
        if (json_is_string(v))
            fuzz_check(strcmp(s, json_string_value(v)) == 0);
        else
            fuzz_check(json_is_integer(v) && strtoll(s, NULL, 10) == json_integer_value(v));
        break;
    }
    case JV_OBJ_ARRAY: {
        const void *elems = *(void *const *)at;
        int n = *(const int *)(const void *)(base + f->off2);
        fuzz_check(json_is_array(v) && elems != NULL);
        fuzz_check(n >= 0 && (size_t)n == json_array_size(v) && n <= spec_max(f));
        break;
    }
    }
}

static void check_accepted(struct ctx *ctx, json_t *obj, const struct field_spec *spec,
                           const unsigned char *target, unsigned has)
{
    const char *key;
    json_t *v;
    fuzz_check(ctx->err.kind == ERR_NONE && ctx->err.n_fields == 0);
    json_object_foreach(obj, key, v)
    {
        const struct field_spec *f = spec_field(spec, key);
        fuzz_check(f != NULL);
        fuzz_check((has & f->bit) == f->bit);
        check_value(f, v, target);
    }
    for (const struct field_spec *f = spec; f->name; f++)
        if (f->flags & JV_REQUIRED)
            fuzz_check(json_object_get(obj, f->name) != NULL);
}

/* What the client reads for a rejected body: a 422 naming every field error recorded. */
static void check_rejected(struct ctx *ctx)
{
    struct resp rs;
    json_error_t jerr;
    json_t *doc, *errors;
    int n_fields = ctx->err.n_fields;

    fuzz_check(ctx->err.kind == ERR_INVALID);
    fuzz_check(n_fields >= 1 && n_fields <= ERR_MAX_FIELDS);
    memset(&rs, 0, sizeof(rs));
    resp_problem(ctx, &rs, "/api/v1/fuzz");
    fuzz_check(rs.status == 422 && rs.body != NULL);
    doc = json_loadb(rs.body, rs.len, 0, &jerr);
    fuzz_check(doc != NULL);
    errors = json_object_get(doc, "errors");
    fuzz_check(json_is_array(errors) && json_array_size(errors) == (size_t)n_fields);
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *arena = arena_new();
    struct ctx *ctx = ctx_new(NULL, arena);
    /* the router's own reader: a body it refuses never reaches a decoder */
    json_t *obj = jv_load(ctx, (const char *)data, size);
    if (!obj) {
        fuzz_check(ctx->err.kind == ERR_BAD_REQUEST || ctx->err.kind == ERR_INVALID);
        if (ctx->err.kind == ERR_INVALID)
            check_rejected(ctx); /* a NUL: 422 naming the field */
        arena_free(arena);
        return 0;
    }
    for (size_t s = 0; s < n_specs; s++) {
        unsigned char *target = calloc(1, TARGET_SIZE);
        unsigned has = 0;
        if (!target)
            abort();
        err_clear(&ctx->err);
        int rc = jv_decode(ctx, obj, specs[s], target, &has);
        fuzz_check(rc == 0 || rc == -1);
        if (!json_is_object(obj))
            fuzz_check(rc == -1);
        if (rc == 0)
            check_accepted(ctx, obj, specs[s], target, has);
        else
            check_rejected(ctx);
        free(target);
    }
    arena_free(arena);
    json_decref(obj);
    return 0;
}
