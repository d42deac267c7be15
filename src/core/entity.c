/*
 * entity.c - the one JSON writer of described entities: walks an entity's field table and
 * writes each member through jw. Entity-specific code must not appear here; a field whose
 * form is new gets a new ef_kind, used by every entity alike.
 */
#include <string.h>

#include "entity.h"
#include "jw.h"
#include "banned.h"

#define AT(obj, f, type) ((type const *)((const char *)(obj) + (f)->offset))

static void write_value(struct jw *w, const struct entity_field *f, const void *obj)
{
    switch (f->kind) {
    case EF_ID:
        if (f->flags & EF_NULLABLE)
            jw_id(w, *AT(obj, f, int64_t));
        else
            jw_int(w, *AT(obj, f, int64_t));
        break;
    case EF_INT:
        jw_int(w, *AT(obj, f, int));
        break;
    case EF_INT64:
        jw_int(w, *AT(obj, f, int64_t));
        break;
    case EF_MONEY:
        jw_money(w, *AT(obj, f, int64_t));
        break;
    case EF_TEXT:
    case EF_ENUM:
    case EF_DATE: {
        const char *s = *AT(obj, f, const char *);
        jw_str(w, s || (f->flags & EF_NULLABLE) ? s : "");
        break;
    }
    case EF_BOOL:
        jw_bool(w, *AT(obj, f, bool));
        break;
    case EF_TIME:
        jw_time(w, *AT(obj, f, int64_t));
        break;
    case EF_DECIMAL:
        jw_decimal(w, *AT(obj, f, int64_t), f->scale);
        break;
    case EF_CSV:
        jw_csv(w, *AT(obj, f, const char *));
        break;
    }
}

void entity_write_fields(struct jw *w, const struct entity *e, const void *obj)
{
    for (int i = 0; i < e->n_fields; i++) {
        const struct entity_field *f = &e->fields[i];
        if (f->flags & EF_HIDDEN)
            continue;
        jw_key(w, f->name);
        write_value(w, f, obj);
    }
}

void entity_write(struct jw *w, const struct entity *e, const void *obj)
{
    jw_obj(w);
    entity_write_fields(w, e, obj);
    jw_obj_end(w);
}

void entity_page_begin(struct jw *w)
{
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
}

void entity_page_end(struct jw *w, int64_t next_cursor, int64_t total)
{
    jw_arr_end(w);
    jw_key(w, "next_cursor");
    if (next_cursor) {
        /* The cursor is opaque to clients: a string they hand back as ?cursor=. */
        char t[24], *p = t + sizeof(t);
        int64_t v = next_cursor;
        do {
            *--p = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        jw_strn(w, p, (size_t)(t + sizeof(t) - p));
    } else {
        jw_null(w);
    }
    if (total >= 0) {
        jw_key(w, "total");
        jw_int(w, total);
    }
    jw_obj_end(w);
}

void entity_write_page(struct jw *w, const struct entity *e, const void *items, int n,
                       int64_t next_cursor, int64_t total)
{
    entity_page_begin(w);
    for (int i = 0; i < n; i++)
        entity_write(w, e, (const char *)items + (size_t)i * e->size);
    entity_page_end(w, next_cursor, total);
}
