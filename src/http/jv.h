/*
 * jv.h - declarative validation of JSON request bodies.
 *
 * A body is described by a table of field_spec rows (name, type, limits, where in the target
 * struct the value goes, which `has` bit it sets). jv_decode checks the body against it strictly
 * - unknown fields, wrong types, over-long strings, bad IDs are field errors naming the field
 * and the rule - and writes the values into a plain struct for the service. The same tables
 * produce the request schemas of the OpenAPI document (openapi.c), so the two cannot drift.
 */
#ifndef EGOV_JV_H
#define EGOV_JV_H

#include <stddef.h>

#include <jansson.h>

struct ctx;

enum jv_type {
    JV_STRING,    /* char * */
    JV_ID,        /* int64_t, positive */
    JV_INT,       /* int64_t */
    JV_BOOL,      /* bool */
    JV_ID_ARRAY,  /* int64_t * + int count at off2 */
    JV_POS_ARRAY, /* like JV_ID_ARRAY, for counts that are not ids (quantities, minutes):
                   * positive integers up to 2^53 - 1; errors say so and name the element */
    JV_STR_LIST,  /* array of strings → comma-joined char * */
    JV_DECIMAL,   /* exact decimal: a string, or an integer JSON number → char * of its digits;
                   * numbers with a fraction or exponent are refused (binary floating point is
                   * inexact). The service parses the text with core/decimal.h. */
    JV_OBJ_ARRAY, /* array of objects, each decoded by items->spec into an element of
                   * items->size bytes → element pointer + int count at off2; errors name
                   * field[i].member */
};

struct field_spec;
struct jv_items {
    const struct field_spec *spec;
    size_t size;
};

enum jv_flag {
    JV_REQUIRED = 1u << 0,
    JV_NULLABLE = 1u << 1, /* null is accepted (sets the field to NULL / 0) */
    JV_SECRET = 1u << 2,   /* never echoed, marked writeOnly */
};

struct field_spec {
    const char *name;
    enum jv_type type;
    unsigned flags;
    size_t off;   /* offset of the value in the target struct */
    size_t off2;  /* JV_ID_ARRAY, JV_POS_ARRAY: offset of the int count */
    unsigned bit; /* set in the target's `has` mask when present */
    int max;      /* strings: max characters; arrays: max items; 0 = 1000 */
    /* JV_STRING: the allowed strings (a NULL-terminated const char *const[]), or NULL;
     * JV_OBJ_ARRAY: the struct jv_items its elements decode with. One slot for both so that
     * every row keeps its nine positional values. */
    const void *enums;
    const char *description;
};

#define JV_END                                                                                     \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0, 0, NULL, NULL                                                         \
    }

/* Parses a request body: JSON (jansson, duplicate keys refused) holding one object, no string
 * of which holds a NUL (422 naming the field by its path, e.g. "rates[0].tier_from"). A new
 * reference, or NULL with ctx->err set (400 malformed, 422 nul). */
json_t *jv_load(struct ctx *ctx, const char *body, size_t len);
/* Decodes obj into target; *has receives the bits of the fields present. -1 with field errors. */
int jv_decode(struct ctx *ctx, json_t *obj, const struct field_spec *spec, void *target,
              unsigned *has);
/* The JSON Schema of a spec (new reference). */
json_t *jv_schema(const struct field_spec *spec);

#endif
