/*
 * person.c - the rules of people, their posts and certificates, and passwords.
 *
 * T5-5.2b: providers and evaluators staff the professional technical team only; government
 * bodies (management and user institutions) have administrative and technical staff.
 * T5-9.2b 持证上岗: a post that requires a certificate is refused to a person without a valid
 * one, and a post's permissions lapse when the certificate does.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "org.h"
#include "org_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/validate.h"
#include "core/banned.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 128

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

int org_password_check(struct ctx *ctx, const char *field, const char *password, const char *login)
{
    size_t n = password ? utf8_length(password) : 0;
    if (!password || !*password)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    if (n == (size_t)-1 || n < PASSWORD_MIN || n > PASSWORD_MAX)
        return err_field(&ctx->err, field, "length", "a password has %d to %d characters",
                         PASSWORD_MIN, PASSWORD_MAX);
    if (login && !strcmp(password, login))
        return err_field(&ctx->err, field, "not_login", "the password must differ from the login");
    return 0;
}

int org_password_hash(struct ctx *ctx, const char *password, const char **out)
{
    char *h = arena_alloc(ctx->arena, crypto_pwhash_STRBYTES);
    if (crypto_pwhash_str(h, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(&ctx->err, ERR_UNAVAILABLE, "out of memory hashing the password");
    *out = h;
    return 0;
}

/* 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
static const char *generate_password(struct ctx *ctx)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char *p = arena_alloc(ctx->arena, 17);
    for (int i = 0; i < 16; i++)
        p[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    return p;
}

static void validate_person(struct ctx *ctx, const struct person *v, const char *inst_kind)
{
    check_text(ctx, "name", v->name, 2, 50);
    if (check_enum(ctx, "team", v->team, org_teams) == 0 && inst_kind &&
        (!strcmp(inst_kind, "provider") || !strcmp(inst_kind, "evaluator")) &&
        strcmp(v->team, "technical") != 0)
        err_field(&ctx->err, "team", "team_of_kind",
                  "people of a %s belong to the professional technical team (T5-5.2b)", inst_kind);
    check_email(ctx, "email", v->email);
    check_phone(ctx, "phone", v->phone);
}

/* Posts must be the institution's own, and a post that requires a certificate needs a valid
 * one (T5-9.2b). */
static int check_posts(struct ctx *ctx, int64_t person_id, int64_t inst_id,
                       const struct person_input *in)
{
    const char *date = today(ctx);
    for (int i = 0; i < in->n_post_ids; i++) {
        struct post p;
        int rc = org_store_post_get(ctx, in->post_ids[i], &p);
        if (rc < 0)
            return -1;
        if (!rc || p.institution_id != inst_id)
            return err_field(&ctx->err, "post_ids", "exists",
                             "post %lld is not a post of this institution",
                             (long long)in->post_ids[i]);
        for (int j = 0; j < i; j++)
            if (in->post_ids[j] == in->post_ids[i])
                return err_field(&ctx->err, "post_ids", "unique", "post %lld is listed twice",
                                 (long long)in->post_ids[i]);
        if (p.required_certificate[0]) {
            rc = person_id ? org_store_cert_valid(ctx, person_id, p.required_certificate, date) : 0;
            if (rc < 0)
                return -1;
            if (!rc) {
                err_field(&ctx->err, "post_ids", "certificate_required",
                          "the post %s requires a valid %s certificate, which this person "
                          "does not hold (T5-9.2b)",
                          p.name, p.required_certificate);
                ctx->err.kind = ERR_CONFLICT;
                return -1;
            }
        }
    }
    return 0;
}

static int load_person(struct ctx *ctx, int64_t id, struct person *out)
{
    int64_t root;
    int depth;
    if (org_guarded(ctx, &person_entity, id, sizeof(*out), out))
        return 0;
    org_scope(ctx, &root, &depth);
    int rc = org_store_person_get_scoped(ctx, id, root, depth, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "person not found");
}

int person_get(struct ctx *ctx, int64_t id, struct person *out)
{
    if (load_person(ctx, id, out) < 0)
        return -1;
    return org_store_person_posts(ctx, id, &out->posts, &out->n_posts);
}

int person_list(struct ctx *ctx, const struct person_filter *f, const struct page_req *p,
                struct person **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    if (f->institution_id && org_access_institution(ctx, f->institution_id, ORG_SEE) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (org_store_person_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    /* NEEDSWORK: one query per person (at most a page of them); a grouped query would need a
     * dialect switch (group_concat / string_agg). */
    for (int i = 0; i < *n; i++)
        if (org_store_person_posts(ctx, (*items)[i].id, &(*items)[i].posts, &(*items)[i].n_posts) <
            0)
            return -1;
    if (p->want_total && org_store_person_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

int person_create(struct ctx *ctx, const struct person_input *in, struct person *out,
                  const char **generated_password)
{
    struct person v = in->v;
    struct institution inst;
    const char *password = in->password, *hash = NULL;
    *generated_password = NULL;
    if (!v.email)
        v.email = "";
    if (!v.phone)
        v.phone = "";
    if (!(in->has & PERSON_F_ENABLED))
        v.enabled = true;
    if (!(in->has & PERSON_F_INSTITUTION) || v.institution_id <= 0)
        err_field(&ctx->err, "institution_id", "required", "institution_id is required");
    check_slug(ctx, "login", v.login, 3, 64);
    if (password)
        org_password_check(ctx, "password", password, v.login);
    if (v.is_admin && !ctx->caller.is_system && !ctx->caller.is_admin)
        err_field(&ctx->err, "is_admin", "admin_only", "only an administrator can appoint one");
    if (ctx->err.kind)
        return -1;
    /* argon2id takes tens of milliseconds: never inside the transaction, where on SQLite it
     * would hold the store's only write lock and stop every other write. */
    if (!password)
        password = *generated_password = generate_password(ctx);
    if (org_password_hash(ctx, password, &hash) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (institution_get(ctx, v.institution_id, &inst) < 0) {
        if (ctx->err.kind == ERR_NOT_FOUND) {
            err_clear(&ctx->err);
            err_field(&ctx->err, "institution_id", "exists",
                      "institution not found in your jurisdiction");
        }
        return fail(ctx);
    }
    validate_person(ctx, &v, inst.kind);
    if (ctx->err.kind)
        return fail(ctx);
    struct person existing;
    int rc = org_store_person_by_login(ctx, v.login, &existing, NULL);
    if (rc < 0)
        return fail(ctx);
    if (rc) {
        err_field(&ctx->err, "login", "unique", "the login %s is taken", v.login);
        ctx->err.kind = ERR_CONFLICT;
        return fail(ctx);
    }
    v.id = id_new();
    if (check_posts(ctx, v.id, v.institution_id, in) < 0)
        return fail(ctx);
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "login", NULL, v.login);
    audit_change_str(ch, "name", NULL, v.name);
    audit_change_str(ch, "team", NULL, v.team);
    audit_change_int(ch, "institution_id", 0, v.institution_id, false);
    audit_change_int(ch, "is_admin", 0, v.is_admin, false);
    if (org_store_person_insert(ctx, &v, hash) < 0 ||
        org_store_person_set_posts(ctx, v.id, in->post_ids, in->n_post_ids) < 0 ||
        audit_append(ctx, "person.create", "person", v.id, v.institution_id, ch) < 0 ||
        org_store_person_posts(ctx, v.id, &v.posts, &v.n_posts) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int person_update(struct ctx *ctx, int64_t id, int if_match, const struct person_input *in,
                  struct person *out)
{
    struct person cur, v;
    struct institution inst;
    bool self = id == ctx->caller.person_id;
    if (ctx_tx_begin(ctx) < 0 || load_person(ctx, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        err_set(&ctx->err, ERR_PRECONDITION,
                "the person was changed by someone else (now at version %d); reload and apply "
                "your change again",
                cur.version);
        return fail(ctx);
    }
    v = cur;
    if (in->has & PERSON_F_NAME)
        v.name = in->v.name;
    if (in->has & PERSON_F_TEAM)
        v.team = in->v.team;
    if (in->has & PERSON_F_EMAIL)
        v.email = in->v.email ? in->v.email : "";
    if (in->has & PERSON_F_PHONE)
        v.phone = in->v.phone ? in->v.phone : "";
    if (in->has & PERSON_F_IS_ADMIN)
        v.is_admin = in->v.is_admin;
    if (in->has & PERSON_F_ENABLED)
        v.enabled = in->v.enabled;
    if (in->has & (PERSON_F_LOGIN | PERSON_F_INSTITUTION | PERSON_F_PASSWORD))
        err_field(&ctx->err,
                  in->has & PERSON_F_LOGIN         ? "login"
                  : in->has & PERSON_F_INSTITUTION ? "institution_id"
                                                   : "password",
                  "immutable",
                  "login and institution cannot change; passwords change at /password");
    if (v.is_admin != cur.is_admin && !ctx->caller.is_system && !ctx->caller.is_admin)
        err_field(&ctx->err, "is_admin", "admin_only", "only an administrator can change this");
    if (self && (!v.enabled || (cur.is_admin && !v.is_admin)))
        err_field(&ctx->err, !v.enabled ? "enabled" : "is_admin", "self",
                  "you cannot disable yourself or drop your own administrator rights");
    if (ctx->err.kind || institution_get(ctx, cur.institution_id, &inst) < 0)
        return fail(ctx);
    validate_person(ctx, &v, inst.kind);
    if (ctx->err.kind)
        return fail(ctx);
    if ((in->has & PERSON_F_POSTS) && check_posts(ctx, id, cur.institution_id, in) < 0)
        return fail(ctx);
    v.updated_at = time_now_ms();
    int rc = org_store_person_update(ctx, &v, cur.version);
    if (rc < 0)
        return fail(ctx);
    if (rc == 0) {
        err_set(&ctx->err, ERR_PRECONDITION, "the person was changed by someone else");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "name", cur.name, v.name);
    audit_change_str(ch, "team", cur.team, v.team);
    audit_change_str(ch, "email", cur.email, v.email);
    audit_change_str(ch, "phone", cur.phone, v.phone);
    audit_change_int(ch, "is_admin", cur.is_admin, v.is_admin, true);
    audit_change_int(ch, "enabled", cur.enabled, v.enabled, true);
    if (in->has & PERSON_F_POSTS) {
        char list[512] = "";
        size_t o = 0;
        for (int i = 0; i < in->n_post_ids && o < sizeof(list) - 24; i++)
            o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%lld", i ? "," : "",
                                  (long long)in->post_ids[i]);
        audit_note(ch, "post_ids", list);
        if (org_store_person_set_posts(ctx, id, in->post_ids, in->n_post_ids) < 0)
            return fail(ctx);
    }
    /* Disabling a person ends every session at once. */
    if (cur.enabled && !v.enabled && org_store_person_revoke_sessions(ctx, id, NULL) < 0)
        return fail(ctx);
    if (audit_append(ctx,
                     v.enabled == cur.enabled ? "person.update"
                     : v.enabled              ? "person.enable"
                                              : "person.disable",
                     "person", id, cur.institution_id, ch) < 0 ||
        org_store_person_posts(ctx, id, &v.posts, &v.n_posts) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int person_set_password(struct ctx *ctx, int64_t id, const char *current, const char *next)
{
    struct person cur;
    struct person_secret secret;
    const char *hash = NULL;
    bool self = id == ctx->caller.person_id;
    /* The two argon2id computations run before the transaction opens (see person_create). */
    if (load_person(ctx, id, &cur) < 0)
        return -1;
    if (!self && !org_may(ctx, "person.write"))
        return err_set(&ctx->err, ERR_FORBIDDEN, "you may change only your own password");
    if (org_store_person_get(ctx, id, &cur, &secret) < 0)
        return -1;
    if (self && !ctx->caller.is_system &&
        (!current || crypto_pwhash_str_verify(secret.password_hash, current, strlen(current))))
        return err_field(&ctx->err, "current_password", "mismatch",
                         "the current password is wrong");
    if (org_password_check(ctx, "new_password", next, cur.login) < 0 ||
        org_password_hash(ctx, next, &hash) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || load_person(ctx, id, &cur) < 0)
        return fail(ctx);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "password", self ? "changed by the person" : "reset by an administrator");
    /* Other sessions end: a stolen session must not outlive a password change. */
    if (org_store_person_set_password(ctx, id, hash) < 0 ||
        org_store_person_revoke_sessions(ctx, id, self ? ctx->caller.session_hash : NULL) < 0 ||
        audit_append(ctx, "person.password", "person", id, cur.institution_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

/* ---------- certificates ---------- */

int certificate_list(struct ctx *ctx, const struct certificate_filter *f, const struct page_req *p,
                     struct certificate **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    struct person who;
    if (f->person_id && load_person(ctx, f->person_id, &who) < 0)
        return -1;
    if (f->expiring_before && *f->expiring_before &&
        check_date(ctx, "expiring_before", f->expiring_before) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (org_store_cert_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total && org_store_cert_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

int certificate_create(struct ctx *ctx, int64_t person_id, const struct certificate *in,
                       struct certificate *out)
{
    struct certificate v = *in;
    struct person who;
    check_slug(ctx, "kind", v.kind, 2, 64);
    check_text(ctx, "number", v.number, 1, 64);
    check_text(ctx, "issuer", v.issuer, 2, 100);
    check_date(ctx, "valid_to", v.valid_to);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || load_person(ctx, person_id, &who) < 0)
        return fail(ctx);
    v.id = id_new();
    v.person_id = person_id;
    v.person_name = who.name;
    v.institution_id = who.institution_id;
    v.created_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "kind", v.kind);
    audit_note(ch, "number", v.number);
    audit_note(ch, "valid_to", v.valid_to);
    if (org_store_cert_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field(&ctx->err, "number", "unique", "a %s certificate numbered %s exists", v.kind,
                      v.number);
            ctx->err.kind = ERR_CONFLICT;
        }
        return fail(ctx);
    }
    if (audit_append(ctx, "certificate.create", "certificate", v.id, who.institution_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int certificate_delete(struct ctx *ctx, int64_t person_id, int64_t id)
{
    struct person who;
    struct certificate c;
    if (ctx_tx_begin(ctx) < 0 || load_person(ctx, person_id, &who) < 0)
        return fail(ctx);
    int rc = org_store_cert_get(ctx, id, &c);
    if (rc < 0)
        return fail(ctx);
    if (!rc || c.person_id != person_id) {
        err_set(&ctx->err, ERR_NOT_FOUND, "certificate not found");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "kind", c.kind);
    audit_note(ch, "number", c.number);
    if (org_store_cert_delete(ctx, id) < 0 ||
        audit_append(ctx, "certificate.delete", "certificate", id, who.institution_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

int person_is_certified(struct ctx *ctx, int64_t person_id, const char *kind, const char *date,
                        bool *certified)
{
    int rc = org_store_cert_valid(ctx, person_id, kind, date);
    if (rc < 0)
        return -1;
    *certified = rc == 1;
    return 0;
}
