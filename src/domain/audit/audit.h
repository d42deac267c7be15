/*
 * audit.h - the tamper-evident audit trail: every change, login, failed login and permission
 * denial is appended here, in the same transaction as the change it records.
 *
 * Records form a chain: hash(n) = H(hash(n-1) || canonical(record n)), where H is the hash of
 * the deployment's crypto suite when the record was appended (BLAKE2b-256, or SM3 with the
 * sm2-sm3 suite) and is stored with the record. Editing, deleting, inserting or reordering a
 * record breaks the chain, and audit_verify names the first record where it breaks.
 *
 * Someone who can rewrite every row and the head can forge a consistent chain; signed
 * checkpoints of the head, kept outside the store too (a file of JSON lines and a public
 * feed), catch that: audit_verify_checkpoints (docs/audit.md).
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

/* A signed statement "the chain's record seq has hash hash" (strings arena-owned). */
struct audit_checkpoint {
    int64_t seq;
    int64_t at;
    const char *hash;
    const char *hash_alg;  /* of record seq: "blake2b" or "sm3" */
    const char *reason;    /* "daily", "catalogue:resources", "catalogue:products" */
    const char *key_id;    /* the signing key */
    const char *algorithm; /* the signature algorithm, e.g. "ed25519" */
    const char *signature; /* base64 */
    int line;              /* in a checkpoint file: its line number (1-based); 0 otherwise */
};

/* One line of a checkpoint file (JSON, the eight members and no others, `at` exactly as egov
 * writes it, seq >= 1) into cp, strings arena-owned; -1 and *why (arena-owned) otherwise. The
 * signature is not checked here. */
int audit_checkpoint_parse(struct ctx *ctx, const char *line, int lineno,
                           struct audit_checkpoint *cp, const char **why);
/* The exact bytes a checkpoint's signature covers (arena-owned, NUL-terminated). */
const char *audit_checkpoint_message(struct ctx *ctx, const struct audit_checkpoint *cp);

/*
 * Signs the current head and stores the checkpoint inside the caller's open transaction, then
 * appends the audit record of the publication (after the signed head). Nothing when the chain
 * is empty (out->seq = 0). After the commit, call audit_checkpoint_export.
 */
int audit_checkpoint_publish(struct ctx *ctx, const char *reason, struct audit_checkpoint *out);
/* The daily job, inside the caller's transaction: publishes when the newest checkpoint is 24
 * hours old or there is none; *published 1 when it did. */
int audit_checkpoint_due(struct ctx *ctx, int *published);
/* After a commit: appends to the checkpoint file (config audit_checkpoint_file) the stored
 * checkpoints newer than its last line, under an exclusive file lock. -1 with ctx->err when the
 * file cannot be read or written (the checkpoints stay in the store and go out next time). */
int audit_checkpoint_export(struct ctx *ctx);
/* Newest first, before_seq 0 = from the newest; items arena-owned; next_cursor 0 at the end. */
int audit_checkpoint_list(struct ctx *ctx, int64_t before_seq, int limit,
                          struct audit_checkpoint **items, int *n, int64_t *next_cursor);

/*
 * audit_verify and more: every checkpoint in the file must carry a valid signature by
 * public_key_pem (NULL: the key the store publishes, and the checkpoint's key id must be its
 * id), and the chain's hash at each checkpoint's seq must equal the checkpoint's. A
 * consistently rewritten or truncated chain passes audit_verify but fails here:
 * bad_checkpoint_line names the first bad checkpoint (lowest seq).
 * -1 when the store or the file cannot be read.
 */
struct audit_checkpoint_verdict {
    int n_checkpoints;
    int bad_checkpoint_line; /* 0 when every checkpoint holds */
    int64_t bad_checkpoint_seq;
    const char *reason; /* arena-owned */
};
int audit_verify_checkpoints(struct ctx *ctx, const char *file, const char *public_key_pem,
                             struct audit_verdict *v, struct audit_checkpoint_verdict *cv);

#endif
