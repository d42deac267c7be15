/*
 * audit.h - the tamper-evident audit trail: every change, login, failed login and permission
 * denial is appended here, in the same transaction as the change it records.
 *
 * Records form a chain: hash(n) = BLAKE2b-256(hash(n-1) || canonical(record n)). Editing,
 * deleting, inserting or reordering a record breaks the chain, and audit_verify names the first
 * record where it breaks.
 */
#ifndef EGOV_AUDIT_H
#define EGOV_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

struct ctx;

/* A list of changed fields, built up before the append. Arena-owned. */
struct audit_changes;

struct audit_changes *audit_changes_new(struct ctx *ctx);
void audit_change_str(struct audit_changes *c, const char *field, const char *before,
                      const char *after);
void audit_change_int(struct audit_changes *c, const char *field, int64_t before, int64_t after,
                      bool has_before);
/* Records a value without a before (creation) or a note (e.g. a reason). */
void audit_note(struct audit_changes *c, const char *field, const char *value);

/*
 * Appends one record inside the caller's open transaction. scope_institution_id is the
 * institution the object belongs to (for jurisdiction filtering); changes may be NULL.
 * Returns 0, or -1 with ctx->err set (then the caller rolls back the whole change).
 */
int audit_append(struct ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                 int64_t scope_institution_id, struct audit_changes *changes);
/* The same in a transaction of its own: for events that change nothing else (denials). */
int audit_append_alone(struct ctx *ctx, const char *action, const char *object_type,
                       int64_t object_id, int64_t scope_institution_id,
                       struct audit_changes *changes);

struct audit_record {
    int64_t seq;
    int64_t at;
    int64_t actor_id;
    const char *actor_login;
    int64_t actor_institution_id;
    int64_t scope_institution_id;
    const char *action;
    const char *object_type;
    int64_t object_id;
    const char *changes; /* JSON object text */
    const char *client_ip;
    const char *request_id;
    const char *hash;
};

struct audit_filter {
    int64_t actor_id; /* 0 = any */
    const char *object_type;
    int64_t object_id; /* 0 = any */
    const char *action;
    int64_t from_ms, to_ms; /* 0 = open */
    int64_t before_seq;     /* cursor: records with seq < before_seq; 0 = from the newest */
    int limit;
    bool want_total; /* count every record matching the filter (ignores the cursor) */
};

/* Newest first, within the caller's jurisdiction. items arena-owned. */
int audit_list(struct ctx *ctx, const struct audit_filter *f, struct audit_record **items,
               int *n_items, int64_t *next_cursor, int64_t *total);

struct audit_verdict {
    bool ok;
    int64_t n_records;
    int64_t first_bad_seq; /* 0 when ok */
    const char *reason;    /* arena-owned, NULL when ok */
};

/* Walks the whole chain. -1 only when the store fails; a broken chain is ok=false. */
int audit_verify(struct ctx *ctx, struct audit_verdict *v);

#endif
