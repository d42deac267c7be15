/*
 * jv.c - strict decoding of request bodies against field_spec tables. jansson has already
 * rejected malformed JSON, invalid UTF-8 and duplicate keys; this file enforces the shape.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jv.h"
#include "app.h"
#include "core/arena.h"
#include "domain/validate.h"
#include "core/banned.h"

#define DEFAULT_MAX 1000

static const char *type_name(enum jv_type t)
{
    switch (t) {
    case JV_STRING:
        return "a string";
    case JV_ID:
        return "a positive integer id";
    case JV_INT:
        return "an integer";
    case JV_BOOL:
        return "true or false";
    case JV_ID_ARRAY:
        return "an array of ids";
    case JV_POS_ARRAY:
        return "an array of positive integers";
    case JV_STR_LIST:
        return "an array of strings";
    case JV_DECIMAL:
        return "an exact decimal string such as \"12.5\" (or an integer)";
    case JV_OBJ_ARRAY:
        return "an array of objects";
    }
    return "?";
}

static int wrong_type(struct ctx *ctx, const struct field_spec *f)
{
    return err_field(&ctx->err, f->name, "type", "%s must be %s", f->name, type_name(f->type));
}

/* JavaScript reads integers exactly only up to 2^53. */
#define MAX_SAFE_ID 9007199254740991LL

static int decode_string(struct ctx *ctx, const struct field_spec *f, json_t *v, char *base)
{
    int max = f->max ? f->max : DEFAULT_MAX;
    if (!json_is_string(v))
        return wrong_type(ctx, f);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return err_field(&ctx->err, f->name, "nul", "%s must not contain NUL characters", f->name);
    if (utf8_length(s) > (size_t)max)
        return err_field(&ctx->err, f->name, "max_length", "%s allows at most %d characters",
                         f->name, max);
    *(char **)(void *)(base + f->off) = arena_strdup(ctx->arena, s);
    return 0;
}

static int decode_id(struct ctx *ctx, const struct field_spec *f, json_t *v, int64_t *out)
{
    if (!json_is_integer(v))
        return err_field(&ctx->err, f->name, "type", "%s must be %s", f->name, type_name(JV_ID));
    json_int_t i = json_integer_value(v);
    if (i <= 0 || i > MAX_SAFE_ID)
        return err_field(&ctx->err, f->name, "id", "%s is not a valid id", f->name);
    *out = (int64_t)i;
    return 0;
}

/* One element of an id or count array; the message names the element and fits the type (a
 * quantity is not "an id", issue 12). */
static int decode_element(struct ctx *ctx, const struct field_spec *f, size_t i, json_t *v,
                          int64_t *out)
{
    bool ids = f->type == JV_ID_ARRAY;
    const char *what = ids ? "an id (a positive integer)" : "a positive integer";
    if (!json_is_integer(v))
        return err_field(&ctx->err, f->name, "type", "%s[%zu] must be %s", f->name, i, what);
    json_int_t n = json_integer_value(v);
    if (n <= 0 || n > MAX_SAFE_ID)
        return ids ? err_field(&ctx->err, f->name, "id", "%s[%zu] is not a valid id", f->name, i)
                   : err_field(&ctx->err, f->name, "positive",
                               "%s[%zu] must be a positive integer (1 to %lld)", f->name, i,
                               MAX_SAFE_ID);
    *out = (int64_t)n;
    return 0;
}

static int decode_object(struct ctx *ctx, json_t *obj, const struct field_spec *spec, void *target,
                         unsigned *has, const char *prefix);

/* An exact decimal keeps its digits as text. A JSON number with a fraction has already been
 * read as a double by the parser: it may not be what the client wrote, so it is refused. */
static int decode_decimal(struct ctx *ctx, const struct field_spec *f, json_t *v, char *base)
{
    if (json_is_integer(v)) {
        *(const char **)(void *)(base + f->off) =
            arena_printf(ctx->arena, "%lld", (long long)json_integer_value(v));
        return 0;
    }
    if (json_is_real(v))
        return err_field(&ctx->err, f->name, "inexact",
                         "%s must be written as a decimal string such as \"12.5\": a JSON "
                         "number with a fraction is binary floating point, not exact",
                         f->name);
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 40 ||
        strlen(json_string_value(v)) != json_string_length(v))
        return wrong_type(ctx, f);
    *(const char **)(void *)(base + f->off) = arena_strdup(ctx->arena, json_string_value(v));
    return 0;
}

/* Each element decodes against a copy of the item spec whose names carry the element's
 * path, so that every error names rates[2].tier_from. */
static int decode_objects(struct ctx *ctx, const struct field_spec *f, json_t *v, char *base)
{
    int max = f->max ? f->max : DEFAULT_MAX;
    const struct jv_items *it = f->enums;
    size_t i, n, rows = 0;
    json_t *item;
    if (!json_is_array(v))
        return wrong_type(ctx, f);
    n = json_array_size(v);
    if (n > (size_t)max)
        return err_field(&ctx->err, f->name, "max_items", "%s allows at most %d items", f->name,
                         max);
    while (it->spec[rows].name)
        rows++;
    char *elems = arena_alloc(ctx->arena, it->size * (n ? n : 1));
    memset(elems, 0, it->size * (n ? n : 1));
    struct field_spec *sub = arena_alloc(ctx->arena, sizeof(*sub) * (rows + 1));
    json_array_foreach(v, i, item)
    {
        const char *prefix = arena_printf(ctx->arena, "%s[%zu]", f->name, i);
        unsigned has;
        memcpy(sub, it->spec, sizeof(*sub) * (rows + 1));
        for (size_t k = 0; k < rows; k++)
            sub[k].name = arena_printf(ctx->arena, "%s.%s", prefix, it->spec[k].name);
        if (!json_is_object(item)) {
            err_field(&ctx->err, prefix, "type", "%s must be an object", prefix);
            continue;
        }
        decode_object(ctx, item, sub, elems + i * it->size, &has, prefix);
    }
    if (ctx->err.kind)
        return -1;
    *(void **)(void *)(base + f->off) = elems;
    *(int *)(void *)(base + f->off2) = (int)n;
    return 0;
}

static int decode_one(struct ctx *ctx, const struct field_spec *f, json_t *v, char *base)
{
    int max = f->max ? f->max : DEFAULT_MAX;
    if (json_is_null(v)) {
        if (!(f->flags & JV_NULLABLE))
            return err_field(&ctx->err, f->name, "not_null", "%s cannot be null", f->name);
        return 0; /* the struct is zeroed: NULL / 0 */
    }
    switch (f->type) {
    case JV_STRING:
        return decode_string(ctx, f, v, base);
    case JV_ID:
        return decode_id(ctx, f, v, (int64_t *)(void *)(base + f->off));
    case JV_INT:
        if (!json_is_integer(v))
            return wrong_type(ctx, f);
        *(int64_t *)(void *)(base + f->off) = json_integer_value(v);
        return 0;
    case JV_BOOL:
        if (!json_is_boolean(v))
            return wrong_type(ctx, f);
        *(bool *)(base + f->off) = json_is_true(v);
        return 0;
    case JV_ID_ARRAY:
    case JV_POS_ARRAY: {
        size_t i, n;
        json_t *item;
        if (!json_is_array(v))
            return wrong_type(ctx, f);
        n = json_array_size(v);
        if (n > (size_t)max)
            return err_field(&ctx->err, f->name, "max_items", "%s allows at most %d items", f->name,
                             max);
        int64_t *ids = arena_alloc(ctx->arena, sizeof(int64_t) * (n ? n : 1));
        json_array_foreach(v, i, item)
        {
            if (decode_element(ctx, f, i, item, &ids[i]) < 0)
                return -1;
        }
        *(int64_t **)(void *)(base + f->off) = ids;
        *(int *)(void *)(base + f->off2) = (int)n;
        return 0;
    }
    case JV_STR_LIST: {
        size_t i, n, total = 1;
        json_t *item;
        if (!json_is_array(v))
            return wrong_type(ctx, f);
        n = json_array_size(v);
        if (n > (size_t)max)
            return err_field(&ctx->err, f->name, "max_items", "%s allows at most %d items", f->name,
                             max);
        json_array_foreach(v, i, item)
        {
            if (!json_is_string(item) || json_string_length(item) == 0 ||
                json_string_length(item) > 64 || strchr(json_string_value(item), ','))
                return err_field(&ctx->err, f->name, "item",
                                 "%s items must be non-empty names without commas", f->name);
            total += json_string_length(item) + 1;
        }
        char *joined = arena_alloc(ctx->arena, total);
        json_array_foreach(v, i, item)
        {
            if (i)
                memcpy(joined + strlen(joined), ",", 2);
            memcpy(joined + strlen(joined), json_string_value(item), json_string_length(item) + 1);
        }
        *(char **)(void *)(base + f->off) = joined;
        return 0;
    }
    case JV_DECIMAL:
        return decode_decimal(ctx, f, v, base);
    case JV_OBJ_ARRAY:
        return decode_objects(ctx, f, v, base);
    }
    return wrong_type(ctx, f);
}

/* prefix: "" for the body, "rates[2]" for an element (unknown keys are named under it). */
static int decode_object(struct ctx *ctx, json_t *obj, const struct field_spec *spec, void *target,
                         unsigned *has, const char *prefix)
{
    const char *key;
    json_t *v;
    char *base = target;
    size_t skip = *prefix ? strlen(prefix) + 1 : 0;
    *has = 0;
    json_object_foreach(obj, key, v)
    {
        const struct field_spec *f = spec;
        while (f->name && strcmp(f->name + skip, key) != 0)
            f++;
        if (!f->name) {
            /* Names are echoed back: cut them so an attacker cannot inflate the answer. */
            const char *cut = utf8_cut(ctx->arena, key, 60);
            if (*prefix)
                cut = arena_printf(ctx->arena, "%s.%s", prefix, cut);
            err_field(&ctx->err, cut, "unknown_field", "unknown field '%s'", cut);
            continue;
        }
        if (decode_one(ctx, f, v, base) == 0)
            *has |= f->bit;
    }
    for (const struct field_spec *f = spec; f->name; f++)
        if ((f->flags & JV_REQUIRED) && !json_object_get(obj, f->name + skip))
            err_field(&ctx->err, f->name, "required", "%s is required", f->name);
    return ctx->err.kind ? -1 : 0;
}

int jv_decode(struct ctx *ctx, json_t *obj, const struct field_spec *spec, void *target,
              unsigned *has)
{
    *has = 0;
    if (!json_is_object(obj))
        return err_field(&ctx->err, "", "type", "the body must be a JSON object");
    return decode_object(ctx, obj, spec, target, has, "");
}

json_t *jv_schema(const struct field_spec *spec)
{
    json_t *props = json_object(), *required = json_array();
    for (const struct field_spec *f = spec; f->name; f++) {
        json_t *p;
        int max = f->max ? f->max : DEFAULT_MAX;
        switch (f->type) {
        case JV_STRING:
            p = json_pack("{s:s,s:i}", "type", "string", "maxLength", max);
            if (f->enums) {
                const char *const *allowed = f->enums;
                json_t *e = json_array();
                for (int i = 0; allowed[i]; i++)
                    json_array_append_new(e, json_string(allowed[i]));
                json_object_set_new(p, "enum", e);
            }
            break;
        case JV_ID:
            p = json_pack("{s:s,s:s,s:i,s:I}", "type", "integer", "format", "int64", "minimum", 1,
                          "maximum", (json_int_t)MAX_SAFE_ID);
            break;
        case JV_INT:
            p = json_pack("{s:s}", "type", "integer");
            break;
        case JV_BOOL:
            p = json_pack("{s:s}", "type", "boolean");
            break;
        case JV_ID_ARRAY:
            p = json_pack("{s:s,s:{s:s,s:s,s:i},s:i}", "type", "array", "items", "type", "integer",
                          "format", "int64", "minimum", 1, "maxItems", max);
            break;
        case JV_POS_ARRAY:
            p = json_pack("{s:s,s:{s:s,s:i},s:i}", "type", "array", "items", "type", "integer",
                          "minimum", 1, "maxItems", max);
            break;
        case JV_DECIMAL:
            p = json_pack("{s:[s,s],s:s,s:i}", "type", "string", "integer", "pattern",
                          "^[0-9]+(\\.[0-9]+)?$", "minimum", 0);
            break;
        case JV_OBJ_ARRAY:
            p = json_pack("{s:s,s:o,s:i}", "type", "array", "items",
                          jv_schema(((const struct jv_items *)f->enums)->spec), "maxItems", max);
            break;
        default:
            p = json_pack("{s:s,s:{s:s,s:i},s:i}", "type", "array", "items", "type", "string",
                          "maxLength", 64, "maxItems", max);
        }
        if (f->flags & JV_NULLABLE) {
            json_t *t = json_object_get(p, "type");
            json_object_set_new(p, "type", json_pack("[O,s]", t, "null"));
        }
        if (f->flags & JV_SECRET)
            json_object_set_new(p, "writeOnly", json_true());
        if (f->description)
            json_object_set_new(p, "description", json_string(f->description));
        json_object_set_new(props, f->name, p);
        if (f->flags & JV_REQUIRED)
            json_array_append_new(required, json_string(f->name));
    }
    json_t *s = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props,
                          "additionalProperties", 0);
    if (json_array_size(required))
        json_object_set_new(s, "required", required);
    else
        json_decref(required);
    return s;
}

/*
 * The path ("rates[2].tier_from") of the first string in v that holds a NUL, written into buf;
 * false when there is none. jansson refuses "\u0000" unless told to allow it, but then the
 * answer is a 400 that names no field; allowed and looked for here, every body is checked in this
 * one place and the refusal names the field. (Object keys with a NUL are refused by jansson
 * itself.) Depth is bounded by jansson's own nesting limit.
 */
/* Appends to the path at o; a part that does not fit is cut at a character boundary. */
static size_t path_put(char *buf, size_t cap, size_t o, int w)
{
    if (w >= 0 && (size_t)w < cap - o)
        return o + (size_t)w;
    size_t end = cap - 1;
    while (end > o && ((unsigned char)buf[end - 1] & 0xc0) == 0x80)
        end--;
    if (end > o && (unsigned char)buf[end - 1] >= 0xc0)
        end--;
    buf[end] = 0;
    return end;
}

static bool nul_path(json_t *v, char *buf, size_t cap, size_t o)
{
    if (json_is_string(v))
        return memchr(json_string_value(v), 0, json_string_length(v)) != NULL;
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach(v, k, m)
        {
            int w = snprintf(buf + o, cap - o, "%s%s", o ? "." : "", k);
            if (nul_path(m, buf, cap, path_put(buf, cap, o, w)))
                return true;
        }
        buf[o] = 0;
        return false;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *m;
        json_array_foreach(v, i, m)
        {
            int w = snprintf(buf + o, cap - o, "[%zu]", i);
            if (nul_path(m, buf, cap, path_put(buf, cap, o, w)))
                return true;
        }
        buf[o] = 0;
    }
    return false;
}

json_t *jv_load(struct ctx *ctx, const char *body, size_t len)
{
    json_error_t jerr;
    char path[128];
    json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!v) {
        err_set(&ctx->err, ERR_BAD_REQUEST, "malformed JSON at line %d, column %d: %s", jerr.line,
                jerr.column, jerr.text);
        return NULL;
    }
    path[0] = 0;
    if (!json_is_object(v))
        err_set(&ctx->err, ERR_BAD_REQUEST, "the body must be a JSON object");
    /* a NUL cuts every C string after it: "n-nul\u0000x" would be stored as "n-nul" */
    else if (nul_path(v, path, sizeof(path), 0))
        err_field(&ctx->err, path, "nul", "%s holds a NUL character (U+0000)", path);
    if (ctx->err.kind) {
        json_decref(v);
        return NULL;
    }
    return v;
}
