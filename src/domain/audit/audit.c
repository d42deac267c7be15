/*
 * audit.c - the rules of the audit trail: what a record holds, how it is chained, how the chain
 * is verified, and who may read which records (jurisdiction).
 *
 * The changes of a record are serialised as a JSON object with jansson: the audit record is a
 * storage format, not an HTTP concern, and JSON keeps it readable to auditors (see
 * docs/decisions/0002-audit-chain.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "audit_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/timeutil.h"
#include "domain/org/org.h"
#include "core/banned.h"

#define HASH_HEX DIGEST_HEX

struct audit_changes {
    json_t *obj;
};

static void decref(void *p)
{
    json_decref(p);
}

struct audit_changes *audit_changes_new(struct ctx *ctx)
{
    struct audit_changes *c = arena_alloc(ctx->arena, sizeof(*c));
    c->obj = json_object();
    arena_defer(ctx->arena, decref, c->obj);
    return c;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

void audit_change_str(struct audit_changes *c, const char *field, const char *before,
                      const char *after)
{
    if (!c || (before && after && !strcmp(before, after)) || (!before && !after))
        return;
    json_object_set_new(
        c->obj, field,
        json_pack("{s:o,s:o}", "from", str_or_null(before), "to", str_or_null(after)));
}

void audit_change_int(struct audit_changes *c, const char *field, int64_t before, int64_t after,
                      bool has_before)
{
    if (!c || (has_before && before == after))
        return;
    json_object_set_new(c->obj, field,
                        json_pack("{s:o,s:I}", "from",
                                  has_before ? json_integer(before) : json_null(), "to",
                                  (json_int_t)after));
}

void audit_note(struct audit_changes *c, const char *field, const char *value)
{
    if (c)
        json_object_set_new(c->obj, field, str_or_null(value));
}

/* Length-prefixed fields: no value can be shifted into its neighbour without changing the hash. */
static void canon_str(struct digest *st, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    snprintf(len, sizeof(len), "%zu:", n);
    digest_update(st, len, strlen(len));
    if (n)
        digest_update(st, s, n);
}

static void canon_int(struct digest *st, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    canon_str(st, buf);
}

/* The canonical form is the same whatever the algorithm; only H changes (audit.h). */
static void chain_hash(enum digest_alg alg, const struct audit_row *a, char out[HASH_HEX])
{
    unsigned char h[DIGEST_BYTES];
    struct digest st;
    digest_init(&st, alg);
    canon_str(&st, a->prev_hash);
    canon_int(&st, a->seq);
    canon_int(&st, a->at);
    canon_int(&st, a->actor_id);
    canon_str(&st, a->actor_login);
    canon_int(&st, a->actor_institution_id);
    canon_int(&st, a->scope_institution_id);
    canon_str(&st, a->action);
    canon_str(&st, a->object_type);
    canon_int(&st, a->object_id);
    canon_str(&st, a->changes);
    canon_str(&st, a->client_ip);
    canon_str(&st, a->request_id);
    digest_final(&st, h);
    sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

int audit_append(struct ctx *ctx, const char *action, const char *object_type, int64_t object_id,
                 int64_t scope_institution_id, struct audit_changes *changes)
{
    struct audit_row a;
    char prev[HASH_HEX], hash[HASH_HEX];
    int64_t head;
    /* New records take the hash of the suite configured now; older ones keep theirs. */
    enum digest_alg alg = digest_of_suite(ctx->app->cfg.crypto_suite);

    if (audit_store_lock_head(ctx, &head, prev, sizeof(prev)) < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.seq = head + 1;
    a.at = time_now_ms();
    a.actor_id = ctx->caller.person_id;
    a.actor_login = ctx->caller.login ? ctx->caller.login : (ctx->caller.is_system ? "system" : "");
    a.actor_institution_id = ctx->caller.institution_id;
    a.scope_institution_id = scope_institution_id;
    a.action = action;
    a.object_type = object_type;
    a.object_id = object_id;
    a.changes = "{}";
    if (changes) {
        char *txt = json_dumps(changes->obj, JSON_COMPACT | JSON_SORT_KEYS);
        a.changes = arena_strdup(ctx->arena, txt);
        free(txt);
    }
    a.client_ip = ctx->client_ip;
    a.request_id = ctx->request_id;
    a.prev_hash = prev;
    a.hash_alg = digest_name(alg);
    chain_hash(alg, &a, hash);
    a.hash = hash;
    return audit_store_append(ctx, &a);
}

int audit_append_alone(struct ctx *ctx, const char *action, const char *object_type,
                       int64_t object_id, int64_t scope_institution_id,
                       struct audit_changes *changes)
{
    struct err saved = ctx->err;
    err_clear(&ctx->err);
    if (ctx_tx_begin(ctx) < 0 ||
        audit_append(ctx, action, object_type, object_id, scope_institution_id, changes) < 0 ||
        ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        ctx->err = saved;
        return -1;
    }
    ctx->err = saved;
    return 0;
}

int audit_list(struct ctx *ctx, const struct audit_filter *f, struct audit_record **items,
               int *n_items, int64_t *next_cursor, int64_t *total)
{
    struct audit_row *rows;
    struct audit_filter q = *f;
    int n;
    /* Jurisdiction: a management official reads the records of its own subtree. */
    int64_t root = ctx->caller.is_system ? 0 : ctx->caller.institution_id;
    if (q.limit <= 0 || q.limit > 500)
        q.limit = 50;
    q.limit += 1; /* one more tells whether there is a next page */
    if (audit_store_list(ctx, root, &q, &rows, &n) < 0)
        return -1;
    *total = -1;
    if (f->want_total && audit_store_count(ctx, root, f, total) < 0)
        return -1;
    *next_cursor = 0;
    if (n == q.limit) {
        n--;
        *next_cursor = rows[n - 1].seq;
    }
    *items = arena_alloc(ctx->arena, sizeof(struct audit_record) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        struct audit_record *o = &(*items)[i];
        const struct audit_row *a = &rows[i];
        o->seq = a->seq;
        o->at = a->at;
        o->actor_id = a->actor_id;
        o->actor_login = a->actor_login;
        o->actor_institution_id = a->actor_institution_id;
        o->scope_institution_id = a->scope_institution_id;
        o->action = a->action;
        o->object_type = a->object_type;
        o->object_id = a->object_id;
        o->changes = a->changes;
        o->client_ip = a->client_ip;
        o->request_id = a->request_id;
        o->hash = a->hash;
    }
    *n_items = n;
    return 0;
}

struct walk {
    struct ctx *ctx;
    struct arena *arena; /* the caller's: the store swaps ctx->arena per record */
    struct audit_verdict *v;
    int64_t expect_seq;
    char prev[HASH_HEX];
    /* checkpoints to hold the chain against, sorted by seq; cv set at the first that fails */
    const struct audit_checkpoint *cps;
    int n_cps, next_cp;
    struct audit_checkpoint_verdict *cv;
};

static void checkpoint_fails(struct walk *w, const struct audit_checkpoint *cp, const char *why)
{
    if (w->cv->bad_checkpoint_line)
        return; /* the first one (lowest seq) is the one named */
    w->cv->bad_checkpoint_line = cp->line;
    w->cv->bad_checkpoint_seq = cp->seq;
    w->cv->reason = why;
}

/* The checkpoints that sign record a: its hash and algorithm must be theirs. */
static void hold_checkpoints(struct walk *w, const struct audit_row *a)
{
    for (; w->next_cp < w->n_cps && w->cps[w->next_cp].seq <= a->seq; w->next_cp++) {
        const struct audit_checkpoint *cp = &w->cps[w->next_cp];
        if (cp->seq == a->seq && !strcmp(cp->hash, a->hash) && !strcmp(cp->hash_alg, a->hash_alg))
            continue;
        checkpoint_fails(w, cp,
                         arena_printf(w->arena,
                                      "checkpoint at line %d signed record %" PRId64
                                      " with hash %s, but the chain has %s there: the history "
                                      "was rewritten",
                                      cp->line, cp->seq, cp->hash, a->hash));
    }
}

static int walk_one(void *arg, const struct audit_row *a)
{
    struct walk *w = arg;
    char hash[HASH_HEX];
    struct audit_row copy = *a;
    enum digest_alg alg;

    w->v->n_records++;
    if (a->seq != w->expect_seq) {
        w->v->first_bad_seq = a->seq;
        w->v->reason = arena_printf(w->arena,
                                    "record %" PRId64 " follows %" PRId64
                                    ": a record was deleted, inserted or renumbered",
                                    a->seq, w->expect_seq - 1);
        return 1;
    }
    if (strcmp(a->prev_hash, w->prev) != 0) {
        w->v->first_bad_seq = a->seq;
        w->v->reason = arena_printf(
            w->arena, "record %" PRId64 " does not link to the record before it", a->seq);
        return 1;
    }
    if (digest_parse(a->hash_alg, &alg) < 0) {
        w->v->first_bad_seq = a->seq;
        w->v->reason =
            arena_printf(w->arena, "record %" PRId64 " names no known hash algorithm", a->seq);
        return 1;
    }
    copy.prev_hash = w->prev;
    chain_hash(alg, &copy, hash);
    if (strcmp(hash, a->hash) != 0) {
        w->v->first_bad_seq = a->seq;
        w->v->reason = arena_printf(w->arena,
                                    "record %" PRId64 " was altered: its hash does not match "
                                    "its content",
                                    a->seq);
        return 1;
    }
    if (w->cv)
        hold_checkpoints(w, a);
    snprintf(w->prev, sizeof(w->prev), "%s", a->hash);
    w->expect_seq++;
    return 0;
}

static int verify_walk(struct ctx *ctx, struct audit_verdict *v, const struct audit_checkpoint *cps,
                       int n_cps, struct audit_checkpoint_verdict *cv)
{
    struct walk w;
    int64_t head_seq;
    const char *head_hash;

    memset(v, 0, sizeof(*v));
    memset(&w, 0, sizeof(w));
    w.ctx = ctx;
    w.arena = ctx->arena;
    w.v = v;
    w.expect_seq = 1;
    w.cps = cps;
    w.n_cps = n_cps;
    w.cv = cv;
    memset(w.prev, '0', 64);
    w.prev[64] = 0;
    int rc = audit_store_each(ctx, walk_one, &w);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        if (audit_store_head(ctx, &head_seq, &head_hash) < 0)
            return -1;
        if (head_seq != w.expect_seq - 1 || strcmp(head_hash, w.prev) != 0) {
            v->first_bad_seq = w.expect_seq;
            v->reason =
                arena_printf(ctx->arena,
                             "the chain ends at record %" PRId64 " but its head says %" PRId64
                             ": records were removed from the end",
                             w.expect_seq - 1, head_seq);
            return 0;
        }
        v->ok = true;
        /* Checkpoints beyond the end sign records that are gone. */
        if (cv && w.next_cp < n_cps)
            checkpoint_fails(&w, &cps[w.next_cp],
                             arena_printf(ctx->arena,
                                          "checkpoint at line %d signed record %" PRId64
                                          ", but the chain ends at record %" PRId64
                                          ": records were removed from the end",
                                          cps[w.next_cp].line, cps[w.next_cp].seq,
                                          w.expect_seq - 1));
    }
    return 0;
}

int audit_verify(struct ctx *ctx, struct audit_verdict *v)
{
    return verify_walk(ctx, v, NULL, 0, NULL);
}

/* For audit_checkpoint.c, which owns the checkpoint file and signatures. */
int audit_verify_against(struct ctx *ctx, struct audit_verdict *v,
                         const struct audit_checkpoint *cps, int n_cps,
                         struct audit_checkpoint_verdict *cv)
{
    return verify_walk(ctx, v, cps, n_cps, cv);
}
