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
    JV_STRING,   /* char * */
    JV_ID,       /* int64_t, positive */
    JV_INT,      /* int64_t */
    JV_BOOL,     /* bool */
    JV_ID_ARRAY, /* int64_t * + int count at off2 */
    JV_STR_LIST, /* array of strings → comma-joined char * */
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
    size_t off;               /* offset of the value in the target struct */
    size_t off2;              /* JV_ID_ARRAY: offset of the int count */
    unsigned bit;             /* set in the target's `has` mask when present */
    int max;                  /* strings: max characters; arrays: max items; 0 = 1000 */
    const char *const *enums; /* allowed strings, NULL-terminated, or NULL */
    const char *description;
};

#define JV_END                                                                                     \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0, 0, NULL, NULL                                                         \
    }

/* Decodes obj into target; *has receives the bits of the fields present. -1 with field errors. */
int jv_decode(struct ctx *ctx, json_t *obj, const struct field_spec *spec, void *target,
              unsigned *has);
/* The JSON Schema of a spec (new reference). */
json_t *jv_schema(const struct field_spec *spec);

#endif
