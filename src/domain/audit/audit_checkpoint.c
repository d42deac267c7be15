/*
 * audit_checkpoint.c - signed checkpoints of the audit chain's head: published daily (the
 * periodic job) and with every catalogue edition, stored in the table audit_checkpoints,
 * appended to a file of JSON lines outside the store and served publicly; and the check of a
 * chain against such a file (`egov audit verify --checkpoint FILE`).
 *
 * A database administrator can rewrite every record and the head consistently; he cannot sign
 * a checkpoint (the key is not in his reach once the signing key is out of the store, see
 * docs/audit.md) nor reach the copies already published. Signing goes through checkpoint_sign
 * alone and signature checks through checkpoint_verify_sig alone, so that the signer is
 * exchanged in one place. This file never reads the audit tables itself: audit_store.c does.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "audit.h"
#include "audit_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/sign.h"
#include "domain/catalogue/catalogue.h"
#include "domain/keys/keys.h"
#include "core/banned.h"

#define DAY_MS       (24 * 3600 * 1000LL)
#define LINE_MAX_LEN 4096
#define FILE_MAX_CPS (1 << 22) /* 4 million checkpoints: over 10,000 years of daily ones */
#define EXPORT_PAGE  500

/* THE signing call of this module: the deployment's signer (domain/keys), which also answers
 * the id of the key; its algorithm comes from the key's registration. */
static int checkpoint_sign(struct ctx *ctx, const char *bytes, size_t len,
                           struct audit_checkpoint *cp)
{
    struct signing_key k;
    if (keys_sign(ctx, bytes, len, &cp->signature, &cp->key_id) < 0 ||
        keys_get(ctx, cp->key_id, &k) < 0)
        return -1;
    cp->algorithm = k.algorithm;
    return 0;
}

/* THE signature check: pem a public key (Ed25519, or SM2 with SM3 as its digest). 1 valid,
 * 0 invalid, -1 when the key cannot be read. */
static int checkpoint_verify_sig(const char *pem, const char *msg, const char *sig_b64)
{
    unsigned char sig[512];
    size_t sig_len = 0;
    int ok = -1;
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *pk = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!pk || !m)
        goto out;
    ok = 0;
    if (sodium_base642bin(sig, sizeof(sig), sig_b64, strlen(sig_b64), NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        goto out;
    /* Ed25519 signs the message itself (no digest); SM2 signs with SM3 and the GB/T 35276
     * distinguishing identifier, as the signer does (core/sign.h). */
    bool is_sm2 = EVP_PKEY_is_a(pk, "SM2");
    EVP_PKEY_CTX *pctx = NULL;
    if (is_sm2) {
        pctx = EVP_PKEY_CTX_new(pk, NULL);
        if (!pctx || EVP_PKEY_CTX_set1_id(pctx, SIGN_SM2_ID, strlen(SIGN_SM2_ID)) != 1) {
            EVP_PKEY_CTX_free(pctx);
            goto out;
        }
        EVP_MD_CTX_set_pkey_ctx(m, pctx);
    }
    if (EVP_DigestVerifyInit(m, NULL, is_sm2 ? EVP_sm3() : NULL, NULL, pk) == 1 &&
        EVP_DigestVerify(m, sig, sig_len, (const unsigned char *)msg, strlen(msg)) == 1)
        ok = 1;
    EVP_MD_CTX_free(m);
    m = NULL;
    EVP_PKEY_CTX_free(pctx);
out:
    EVP_MD_CTX_free(m);
    EVP_PKEY_free(pk);
    BIO_free(bio);
    return ok;
}

const char *audit_checkpoint_message(struct ctx *ctx, const struct audit_checkpoint *cp)
{
    char at[40];
    time_format(cp->at, at, sizeof(at));
    /* Plain text, not JSON: it can never be mistaken for a catalogue edition signed with the
     * same key. */
    return arena_printf(ctx->arena,
                        "egov-audit-checkpoint/1\nseq=%" PRId64 "\nat=%s\nhash=%s\nhash_alg=%s\n"
                        "reason=%s\n",
                        cp->seq, at, cp->hash, cp->hash_alg, cp->reason);
}

int audit_checkpoint_publish(struct ctx *ctx, const char *reason, struct audit_checkpoint *out)
{
    struct audit_checkpoint cp;
    char head_hash[DIGEST_HEX];
    const char *msg;
    memset(&cp, 0, sizeof(cp));
    memset(out, 0, sizeof(*out));
    /* Locking the head keeps appenders out until the checkpoint is stored. */
    if (audit_store_lock_head(ctx, &cp.seq, head_hash, sizeof(head_hash)) < 0)
        return -1;
    if (cp.seq == 0)
        return 0;
    cp.hash = arena_strdup(ctx->arena, head_hash);
    cp.at = time_now_ms();
    cp.reason = reason;
    if (audit_store_alg_at(ctx, cp.seq, &cp.hash_alg) < 0)
        return -1;
    msg = audit_checkpoint_message(ctx, &cp);
    if (checkpoint_sign(ctx, msg, strlen(msg), &cp) < 0 ||
        audit_store_checkpoint_insert(ctx, &cp) < 0)
        return -1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "reason", reason);
    audit_note(ch, "hash", cp.hash);
    audit_note(ch, "key_id", cp.key_id);
    if (audit_append(ctx, "audit.checkpoint", "audit_checkpoint", cp.seq,
                     ctx->caller.institution_id, ch) < 0)
        return -1;
    *out = cp;
    return 0;
}

int audit_checkpoint_due(struct ctx *ctx, int *published)
{
    struct audit_checkpoint last, cp;
    *published = 0;
    int rc = audit_store_checkpoint_last(ctx, &last);
    if (rc < 0)
        return -1;
    if (rc == 1 && last.at > time_now_ms() - DAY_MS)
        return 0;
    if (audit_checkpoint_publish(ctx, "daily", &cp) < 0)
        return -1;
    *published = cp.seq > 0;
    return 0;
}

/* The configured file, or audit-checkpoints.jsonl next to a SQLite store (data/ for
 * PostgreSQL). Arena-owned. */
static const char *checkpoint_file(struct ctx *ctx)
{
    const struct config *cfg = &ctx->app->cfg;
    if (cfg->audit_checkpoint_file[0])
        return cfg->audit_checkpoint_file;
    if (!strncmp(cfg->db, "sqlite:", 7)) {
        const char *path = cfg->db + 7, *slash = strrchr(path, '/');
        if (slash)
            return arena_printf(ctx->arena, "%.*s/audit-checkpoints.jsonl", (int)(slash - path),
                                path);
        return "audit-checkpoints.jsonl";
    }
    return "data/audit-checkpoints.jsonl";
}

static char *checkpoint_line(const struct audit_checkpoint *cp)
{
    char at[40];
    time_format(cp->at, at, sizeof(at));
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)cp->seq, "at", at, "hash",
                  cp->hash, "hash_alg", cp->hash_alg, "reason", cp->reason, "key_id", cp->key_id,
                  "algorithm", cp->algorithm, "signature", cp->signature);
    char *txt = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return txt;
}

/* The highest seq in an open checkpoint file (0 when empty); -1 on a line that is no
 * checkpoint. */
static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == 0;
}

static int64_t file_last_seq(FILE *f)
{
    char line[LINE_MAX_LEN];
    int64_t last = 0;
    rewind(f);
    while (fgets(line, sizeof(line), f)) {
        json_error_t jerr;
        if (is_blank(line))
            continue;
        json_t *o = json_loads(line, 0, &jerr);
        json_t *seq = json_object_get(o, "seq");
        if (!json_is_integer(seq)) {
            json_decref(o);
            return -1;
        }
        if (json_integer_value(seq) > last)
            last = json_integer_value(seq);
        json_decref(o);
    }
    return last;
}

int audit_checkpoint_export(struct ctx *ctx)
{
    const char *path = checkpoint_file(ctx);
    FILE *f = fopen(path, "a+");
    int rc = -1;
    int64_t after;
    if (!f)
        return err_set(&ctx->err, ERR_INTERNAL, "cannot open the checkpoint file %s", path);
    /* Threads and nodes sharing the file append one after the other, never twice. */
    if (flock(fileno(f), LOCK_EX) != 0) {
        err_set(&ctx->err, ERR_INTERNAL, "cannot lock the checkpoint file %s", path);
        goto out;
    }
    after = file_last_seq(f);
    if (after < 0) {
        err_set(&ctx->err, ERR_INTERNAL,
                "the checkpoint file %s holds a line that is no "
                "checkpoint: left alone",
                path);
        goto out;
    }
    for (;;) {
        struct audit_checkpoint *cps;
        int n;
        if (audit_store_checkpoints(ctx, true, after, EXPORT_PAGE, &cps, &n) < 0)
            goto out;
        for (int i = 0; i < n; i++) {
            char *txt = checkpoint_line(&cps[i]);
            if (!txt || fprintf(f, "%s\n", txt) < 0) {
                free(txt);
                err_set(&ctx->err, ERR_INTERNAL, "cannot write the checkpoint file %s", path);
                goto out;
            }
            free(txt);
            after = cps[i].seq;
        }
        if (n < EXPORT_PAGE)
            break;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        err_set(&ctx->err, ERR_INTERNAL, "cannot write the checkpoint file %s", path);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        log_warn("audit checkpoints not exported: %s", ctx->err.message);
    fclose(f); /* releases the lock */
    return rc;
}

int audit_checkpoint_list(struct ctx *ctx, int64_t before_seq, int limit,
                          struct audit_checkpoint **items, int *n, int64_t *next_cursor)
{
    if (limit <= 0 || limit > 500)
        limit = 50;
    if (audit_store_checkpoints(ctx, false, before_seq, limit + 1, items, n) < 0)
        return -1;
    *next_cursor = 0;
    if (*n > limit) {
        *n = limit;
        *next_cursor = (*items)[limit - 1].seq;
    }
    return 0;
}

int audit_checkpoint_parse(struct ctx *ctx, const char *line, int lineno,
                           struct audit_checkpoint *cp, const char **why)
{
    json_error_t jerr;
    json_int_t seq = 0;
    const char *at = NULL, *hash = NULL, *alg = NULL, *reason = NULL, *kid = NULL, *sigalg = NULL,
               *sig = NULL;
    char again[40];
    int rc = -1;
    json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    memset(cp, 0, sizeof(*cp));
    if (!o || json_unpack_ex(o, &jerr, JSON_STRICT, "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
                             &seq, "at", &at, "hash", &hash, "hash_alg", &alg, "reason", &reason,
                             "key_id", &kid, "algorithm", &sigalg, "signature", &sig) != 0) {
        *why = arena_printf(ctx->arena, "line %d is not a checkpoint: %s", lineno, jerr.text);
        goto out;
    }
    cp->line = lineno;
    cp->seq = seq;
    if (seq < 1 || time_parse(at, &cp->at) < 0) {
        *why = arena_printf(ctx->arena, "line %d: seq or at out of range", lineno);
        goto out;
    }
    time_format(cp->at, again, sizeof(again));
    if (strcmp(again, at) != 0) {
        *why = arena_printf(ctx->arena, "line %d: at is not in the form egov writes", lineno);
        goto out;
    }
    cp->hash = arena_strdup(ctx->arena, hash);
    cp->hash_alg = arena_strdup(ctx->arena, alg);
    cp->reason = arena_strdup(ctx->arena, reason);
    cp->key_id = arena_strdup(ctx->arena, kid);
    cp->algorithm = arena_strdup(ctx->arena, sigalg);
    cp->signature = arena_strdup(ctx->arena, sig);
    rc = 0;
out:
    json_decref(o);
    return rc;
}

static int by_seq(const void *a, const void *b)
{
    const struct audit_checkpoint *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->line - y->line;
}

static void bad(struct audit_checkpoint_verdict *cv, const struct audit_checkpoint *cp, int line,
                const char *why)
{
    cv->bad_checkpoint_line = line;
    cv->bad_checkpoint_seq = cp ? cp->seq : 0;
    cv->reason = why;
}

int audit_verify_checkpoints(struct ctx *ctx, const char *file, const char *public_key_pem,
                             struct audit_verdict *v, struct audit_checkpoint_verdict *cv)
{
    char line[LINE_MAX_LEN];
    struct audit_checkpoint *cps = NULL;
    const char *why = NULL;
    int n = 0, cap = 0, lineno = 0, rc = -1;
    FILE *f;

    memset(v, 0, sizeof(*v));
    memset(cv, 0, sizeof(*cv));
    f = fopen(file, "r");
    if (!f)
        return err_set(&ctx->err, ERR_NOT_FOUND, "cannot read the checkpoint file %s", file);
    while (fgets(line, sizeof(line), f)) {
        struct audit_checkpoint cp;
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            bad(cv, NULL, lineno, arena_printf(ctx->arena, "line %d is too long", lineno));
            break;
        }
        if (is_blank(line))
            continue;
        if (audit_checkpoint_parse(ctx, line, lineno, &cp, &why) < 0) {
            bad(cv, NULL, lineno, why);
            break;
        }
        /* Without a key given, each checkpoint is checked with the published key it names
         * (GET /api/v1/signing-keys), so checkpoints signed before a key rotation still hold. */
        const char *pem = public_key_pem, *kid, *alg;
        if (!pem && catalogue_public_key_pem(ctx, cp.key_id, &pem, &kid, &alg) < 0) {
            if (ctx->err.kind != ERR_NOT_FOUND)
                goto out;
            err_clear(&ctx->err);
            bad(cv, &cp, lineno,
                arena_printf(ctx->arena,
                             "checkpoint at line %d is signed by key %s, which is not a published "
                             "key",
                             lineno, cp.key_id));
            break;
        }
        int ok = checkpoint_verify_sig(pem, audit_checkpoint_message(ctx, &cp), cp.signature);
        if (ok < 0) {
            err_set(&ctx->err, ERR_INVALID, "the public key is not a PEM public key");
            goto out;
        }
        if (!ok) {
            bad(cv, &cp, lineno,
                arena_printf(ctx->arena,
                             "checkpoint at line %d (record %" PRId64
                             "): its signature does not verify",
                             lineno, cp.seq));
            break;
        }
        if (n == cap) {
            if (cap >= FILE_MAX_CPS) {
                err_set(&ctx->err, ERR_INVALID, "more than %d checkpoints", FILE_MAX_CPS);
                goto out;
            }
            cap = cap ? cap * 2 : 256;
            struct audit_checkpoint *grown = realloc(cps, sizeof(*cps) * (size_t)cap);
            if (!grown) {
                log_error("out of memory reading checkpoints");
                abort();
            }
            cps = grown;
        }
        cps[n++] = cp;
    }
    if (ferror(f)) {
        err_set(&ctx->err, ERR_INTERNAL, "cannot read the checkpoint file %s", file);
        goto out;
    }
    cv->n_checkpoints = n;
    if (cv->bad_checkpoint_line) {
        /* A malformed or forged line: the chain is still walked for its own verdict. */
        rc = audit_verify(ctx, v);
        goto out;
    }
    if (n > 1)
        qsort(cps, (size_t)n, sizeof(*cps), by_seq);
    rc = audit_verify_against(ctx, v, cps, n, cv);
out:
    free(cps);
    fclose(f);
    return rc;
}
