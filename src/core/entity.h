/*
 * entity.h - an entity described once, as data: one row per field (JSON name, kind, flags,
 * offsetof in the module's plain struct, column, enum set). Three generic functions walk the
 * table instead of code written per entity: entity_read (a store row → the struct, in
 * domain/store_util.h), entity_write (the struct → JSON, below) and the OpenAPI schema
 * (openapi.c). docs/architecture.md "Entities as data" says how to describe a new one.
 *
 * The store's SELECT lists the columns of the fields that have one, in the order of the table
 * (the column names here are what that list must say; store_util.h's ENTITY_COLS-style macros
 * keep the SQL a named static string). No domain knowledge here.
 */
#ifndef EGOV_ENTITY_H
#define EGOV_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw;

/* What a field is, which fixes its C type in the struct and its JSON form. */
enum ef_kind {
    EF_ID,      /* int64_t id; JSON integer (int64), ≥ 1; 0 is null when EF_NULLABLE */
    EF_INT,     /* int; JSON integer */
    EF_INT64,   /* int64_t; JSON integer (int64) */
    EF_TEXT,    /* const char *; JSON string; NULL is null when EF_NULLABLE, else "" */
    EF_ENUM,    /* const char *, one of `values` */
    EF_BOOL,    /* bool; stored as 0/1 */
    EF_MONEY,   /* int64_t fen; JSON integer */
    EF_TIME,    /* int64_t Unix ms; JSON RFC 3339 string, 0 is null */
    EF_DATE,    /* const char * "YYYY-MM-DD" */
    EF_DECIMAL, /* int64_t scaled by 10^scale; JSON decimal text */
    EF_CSV,     /* const char * comma-separated; JSON array of strings */
};

enum ef_flag {
    EF_NULLABLE = 1u << 0, /* may be null in JSON */
    EF_READONLY = 1u << 1, /* set by the server, never by a body (OpenAPI readOnly) */
    EF_HIDDEN = 1u << 2,   /* read from the store but never shown */
    EF_OPTIONAL = 1u << 3, /* not in every answer: absent from `required` */
};

struct entity_field {
    const char *name; /* JSON member */
    enum ef_kind kind;
    unsigned flags;
    size_t offset;             /* offsetof in the struct */
    const char *column;        /* the SELECT's expression; NULL: not read from the row */
    const char *const *values; /* EF_ENUM: NULL-terminated value set */
    int scale;                 /* EF_DECIMAL */
    const char *description;   /* for the schema; may be NULL */
};

struct entity {
    const char *name; /* OpenAPI component, "Institution" */
    size_t size;      /* sizeof the struct */
    const struct entity_field *fields;
    int n_fields;
};

/* One row of a field table: FIELD for every kind but enums, ENUM_FIELD with its value set. */
#define FIELD(type, name, kind, flags, member, column)                                             \
    {                                                                                              \
        name, kind, flags, offsetof(type, member), column, NULL, 0, NULL                           \
    }
#define ENUM_FIELD(type, name, flags, member, column, values)                                      \
    {                                                                                              \
        name, EF_ENUM, flags, offsetof(type, member), column, values, 0, NULL                      \
    }

#define ENTITY(nm, type, table)                                                                    \
    {                                                                                              \
        nm, sizeof(type), table, (int)(sizeof(table) / sizeof((table)[0]))                         \
    }

/*
 * Writes the members of obj described by e (not the braces: the caller may add members of its
 * own, e.g. nested lists), in table order, skipping EF_HIDDEN fields. entity_write writes the
 * whole object.
 */
void entity_write_fields(struct jw *w, const struct entity *e, const void *obj);
void entity_write(struct jw *w, const struct entity *e, const void *obj);
/* Writes {"items":[…n objects of size e->size…],"next_cursor":…[,"total":…]}: the one page shape
 * of every list. next_cursor 0 is null; total < 0 is left out. */
void entity_write_page(struct jw *w, const struct entity *e, const void *items, int n,
                       int64_t next_cursor, int64_t total);
/* The same page around items the caller writes itself (entities with nested members). */
void entity_page_begin(struct jw *w);
void entity_page_end(struct jw *w, int64_t next_cursor, int64_t total);

#endif
