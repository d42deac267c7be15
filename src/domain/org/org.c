/*
 * org.c - the rules of institutions, qualifications, interest relations and posts.
 *
 * Every write: validate the input completely (all field errors at once), open one transaction,
 * check jurisdiction and state, write, append the audit record, commit. Any failure rolls the
 * whole request back, so nothing is ever half-written.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "org.h"
#include "org_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/uscc.h"
#include "domain/audit/audit.h"
#include "domain/validate.h"
#include "core/banned.h"

const char *const org_kinds[] = {"management", "provider", "evaluator", "user", NULL};
const char *const org_levels[] = {"central", "provincial", "municipal", "county", NULL};
const char *const org_statuses[] = {"active", "suspended", "revoked", NULL};
const char *const org_teams[] = {"administrative", "technical", NULL};
/* T5-11.2a security qualification and the other qualifications a government cloud checks. */
const char *const org_qualification_kinds[] = {
    "security_service",          /* 信息安全服务资质 */
    "cloud_security_assessment", /* 云计算服务安全评估 */
    "classified_protection",     /* 网络安全等级保护测评机构 */
    "system_integration",        /* 信息系统集成及服务资质 */
    "itss",                      /* 信息技术服务标准符合性 */
    "testing_lab",               /* CMA / CNAS 检验检测 */
    "supervision",               /* 信息系统工程监理 */
    "secrecy",                   /* 涉密信息系统集成 */
    "other",
    NULL,
};
const char *const org_relation_kinds[] = {
    "equity",     /* 股权关系 */
    "control",    /* 控制或管理关系 */
    "subsidiary", /* 隶属关系 */
    "personnel",  /* 人员任职或兼职 */
    "contract",   /* 业务或合同往来 */
    "other",      NULL,
};

int org_enum_index(const char *const *list, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return i;
    return -1;
}

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

static int stale(struct ctx *ctx, const char *what, int current)
{
    return err_set(&ctx->err, ERR_PRECONDITION,
                   "the %s was changed by someone else (now at version %d); reload it and "
                   "apply your change again",
                   what, current);
}

static int level_rank(const char *level)
{
    return org_enum_index(org_levels, level);
}

/* ---------- institutions ---------- */

static char *upper_trimmed(struct ctx *ctx, const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ')
        s++;
    char *o = arena_strdup(ctx->arena, s);
    size_t n = strlen(o);
    while (n && o[n - 1] == ' ')
        o[--n] = 0;
    for (char *p = o; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return o;
}

/*
 * GB 32100 credit code. A code that fails only a check character may be accepted with a written
 * justification (early pilot regions issued such codes); wrong length or characters never.
 */
static int check_uscc(struct ctx *ctx, const char *uscc, const char *exception)
{
    enum uscc_result r = uscc_check(uscc);
    if (r == USCC_OK)
        return 0;
    if (r == USCC_BAD_LENGTH || r == USCC_BAD_CHARACTER)
        return err_field(&ctx->err, "uscc", uscc_rule(r), "%s", uscc_message(r));
    if (exception && *exception)
        return check_text(ctx, "uscc_exception", exception, 10, 500);
    return err_field(&ctx->err, "uscc", uscc_rule(r),
                     "%s; a management administrator may accept such a code by giving a "
                     "uscc_exception justification",
                     uscc_message(r));
}

static void validate_institution(struct ctx *ctx, struct institution *v, bool creating)
{
    if (creating || v->uscc)
        check_uscc(ctx, v->uscc, v->uscc_exception);
    check_text(ctx, "name", v->name, 2, 100);
    check_enum(ctx, "kind", v->kind, org_kinds);
    check_enum(ctx, "level", v->level, org_levels);
    check_region(ctx, "region", v->region);
    check_opt_text(ctx, "contact_name", v->contact_name, 50);
    check_phone(ctx, "contact_phone", v->contact_phone);
    check_email(ctx, "contact_email", v->contact_email);
    check_opt_text(ctx, "address", v->address, 200);
    check_timezone(ctx, "timezone", v->timezone);
    check_enum(ctx, "status", v->status, org_statuses);
}

/* The parent must be a management institution in the caller's jurisdiction, one level up for a
 * management child (T4-4.1 tiered implementation), the same level or higher for the others. */
static int check_parent(struct ctx *ctx, const struct institution *v)
{
    struct institution parent;
    if (org_access_institution(ctx, v->parent_id, ORG_SEE) < 0) {
        if (ctx->err.kind == ERR_NOT_FOUND) {
            err_clear(&ctx->err);
            return err_field(&ctx->err, "parent_id", "exists",
                             "parent institution %lld not found in your jurisdiction",
                             (long long)v->parent_id);
        }
        return -1;
    }
    if (org_store_inst_get(ctx, v->parent_id, &parent) <= 0)
        return ctx->err.kind ? -1 : err_field(&ctx->err, "parent_id", "exists", "not found");
    if (strcmp(parent.kind, "management") != 0)
        return err_field(&ctx->err, "parent_id", "parent_kind",
                         "only a management institution can have institutions in its "
                         "jurisdiction; %s is a %s institution",
                         parent.name, parent.kind);
    int pr = level_rank(parent.level), cr = level_rank(v->level);
    if (!strcmp(v->kind, "management") ? cr <= pr : cr < pr)
        return err_field(&ctx->err, "level", "level_order",
                         "a %s %s institution cannot be under the %s institution %s", v->level,
                         v->kind, parent.level, parent.name);
    return 0;
}

static void diff_institution(struct audit_changes *c, const struct institution *a,
                             const struct institution *b)
{
    audit_change_str(c, "uscc", a ? a->uscc : NULL, b->uscc);
    audit_change_str(c, "uscc_exception", a ? a->uscc_exception : NULL, b->uscc_exception);
    audit_change_str(c, "name", a ? a->name : NULL, b->name);
    audit_change_str(c, "kind", a ? a->kind : NULL, b->kind);
    audit_change_str(c, "level", a ? a->level : NULL, b->level);
    audit_change_int(c, "parent_id", a ? a->parent_id : 0, b->parent_id, a != NULL);
    audit_change_str(c, "region", a ? a->region : NULL, b->region);
    audit_change_str(c, "contact_name", a ? a->contact_name : NULL, b->contact_name);
    audit_change_str(c, "contact_phone", a ? a->contact_phone : NULL, b->contact_phone);
    audit_change_str(c, "contact_email", a ? a->contact_email : NULL, b->contact_email);
    audit_change_str(c, "address", a ? a->address : NULL, b->address);
    audit_change_str(c, "timezone", a ? a->timezone : NULL, b->timezone);
    audit_change_str(c, "status", a ? a->status : NULL, b->status);
}

static int insert_institution(struct ctx *ctx, struct institution *v, struct institution *out)
{
    struct institution existing;
    int rc = org_store_inst_by_uscc(ctx, v->uscc, &existing);
    if (rc < 0)
        return -1;
    if (rc == 1)
        return err_field_as(&ctx->err, ERR_CONFLICT, "uscc", "unique",
                            "credit code %s is already registered", v->uscc);
    v->id = id_new();
    v->created_at = v->updated_at = time_now_ms();
    v->version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_institution(ch, NULL, v);
    if (v->uscc_exception)
        audit_note(ch, "uscc_check_failed", uscc_rule(uscc_check(v->uscc)));
    if (org_store_inst_insert(ctx, v) < 0 || org_store_tree_add(ctx, v->id, v->parent_id) < 0 ||
        audit_append(ctx, "institution.create", "institution", v->id, v->id, ch) < 0)
        return -1;
    *out = *v;
    return 0;
}

static void institution_defaults(struct ctx *ctx, struct institution *v)
{
    v->uscc = upper_trimmed(ctx, v->uscc);
    if (v->uscc_exception && text_is_blank(v->uscc_exception))
        v->uscc_exception = NULL;
    if (v->uscc_exception && uscc_check(v->uscc) == USCC_OK)
        v->uscc_exception = NULL; /* a valid code needs no justification */
    if (!v->timezone || !*v->timezone)
        v->timezone = ctx->app ? ctx->app->cfg.timezone : "Asia/Shanghai";
    if (!v->status || !*v->status)
        v->status = "active";
    if (!v->contact_name)
        v->contact_name = "";
    if (!v->contact_phone)
        v->contact_phone = "";
    if (!v->contact_email)
        v->contact_email = "";
    if (!v->address)
        v->address = "";
}

int institution_create(struct ctx *ctx, const struct institution_input *in, struct institution *out)
{
    struct institution v = in->v;
    if (!org_may(ctx, "institution.write"))
        return err_set(&ctx->err, ERR_FORBIDDEN, "you may not register institutions");
    institution_defaults(ctx, &v);
    validate_institution(ctx, &v, true);
    if (!(in->has & INST_F_PARENT) || v.parent_id <= 0)
        err_field(&ctx->err, "parent_id", "required",
                  "parent_id is required: the management institution whose jurisdiction it is in");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || check_parent(ctx, &v) < 0 ||
        insert_institution(ctx, &v, out) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

int institution_create_root(struct ctx *ctx, const struct institution_input *in,
                            struct institution *out)
{
    struct institution v = in->v;
    int64_t n = 0;
    struct institution_filter f;
    struct page_req p = {1, 0, true};
    if (!ctx->caller.is_system)
        return err_set(&ctx->err, ERR_FORBIDDEN, "only `egov init` creates the root institution");
    institution_defaults(ctx, &v);
    v.kind = "management";
    v.parent_id = 0;
    validate_institution(ctx, &v, true);
    if (ctx->err.kind)
        return -1;
    memset(&f, 0, sizeof(f));
    if (ctx_tx_begin(ctx) < 0 || org_store_inst_count(ctx, 0, 0, &f, &n) < 0)
        return fail(ctx);
    (void)p;
    if (n > 0) {
        err_set(&ctx->err, ERR_CONFLICT, "the store already has institutions; init runs once");
        return fail(ctx);
    }
    if (insert_institution(ctx, &v, out) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

int institution_get(struct ctx *ctx, int64_t id, struct institution *out)
{
    int64_t root;
    int depth;
    if (org_guarded(ctx, &institution_entity, id, sizeof(*out), out))
        return 0;
    org_scope(ctx, &root, &depth);
    int rc = org_store_inst_get_scoped(ctx, id, root, depth, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
}

int institution_lookup(struct ctx *ctx, int64_t id, struct institution *out)
{
    int rc = org_store_inst_get(ctx, id, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
}

int institution_lookup_uscc(struct ctx *ctx, const char *uscc, struct institution *out)
{
    int rc = org_store_inst_by_uscc(ctx, upper_trimmed(ctx, uscc), out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
}

int institution_list(struct ctx *ctx, const struct institution_filter *f, const struct page_req *p,
                     struct institution **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (f->region && *f->region && strspn(f->region, "0123456789") != strlen(f->region))
        return err_field(&ctx->err, "region", "digits", "region filter must be digits");
    if (org_store_inst_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total && org_store_inst_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

int institution_update(struct ctx *ctx, int64_t id, int if_match,
                       const struct institution_input *in, struct institution *out)
{
    struct institution cur, v;
    bool own = id == ctx->caller.institution_id && !ctx->caller.is_system;

    if (ctx_tx_begin(ctx) < 0 || institution_get(ctx, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        stale(ctx, "institution", cur.version);
        return fail(ctx);
    }
    v = cur;
#define TAKE(bit, field)                                                                           \
    if (in->has & (bit))                                                                           \
    v.field = in->v.field
    TAKE(INST_F_USCC, uscc);
    TAKE(INST_F_USCC_EXCEPTION, uscc_exception);
    TAKE(INST_F_NAME, name);
    TAKE(INST_F_KIND, kind);
    TAKE(INST_F_LEVEL, level);
    TAKE(INST_F_PARENT, parent_id);
    TAKE(INST_F_REGION, region);
    TAKE(INST_F_CONTACT_NAME, contact_name);
    TAKE(INST_F_CONTACT_PHONE, contact_phone);
    TAKE(INST_F_CONTACT_EMAIL, contact_email);
    TAKE(INST_F_ADDRESS, address);
    TAKE(INST_F_TIMEZONE, timezone);
    TAKE(INST_F_STATUS, status);
#undef TAKE
    institution_defaults(ctx, &v);
    validate_institution(ctx, &v, false);
    if (strcmp(v.kind, cur.kind) != 0)
        err_field(&ctx->err, "kind", "immutable",
                  "the kind of an institution cannot change; register a new one");
    if (own && (v.parent_id != cur.parent_id || strcmp(v.status, cur.status) != 0))
        err_field(&ctx->err, own && v.parent_id != cur.parent_id ? "parent_id" : "status",
                  "own_institution",
                  "you cannot move or suspend your own institution; ask the level above");
    if (!cur.parent_id && v.parent_id)
        err_field(&ctx->err, "parent_id", "root", "the root institution has no parent");
    if (ctx->err.kind)
        return fail(ctx);
    if (v.parent_id != cur.parent_id && v.parent_id) {
        /* No cycles: the new parent must not lie inside the moved subtree. */
        int inside = org_store_in_subtree(ctx, id, v.parent_id, 1000);
        if (inside < 0)
            return fail(ctx);
        if (inside) {
            err_field(&ctx->err, "parent_id", "cycle",
                      "an institution cannot be moved under itself or its own subtree");
            return fail(ctx);
        }
    }
    if (v.parent_id && (v.parent_id != cur.parent_id || strcmp(v.level, cur.level) != 0) &&
        check_parent(ctx, &v) < 0)
        return fail(ctx);
    if (strcmp(v.uscc, cur.uscc) != 0) {
        struct institution other;
        int rc = org_store_inst_by_uscc(ctx, v.uscc, &other);
        if (rc < 0)
            return fail(ctx);
        if (rc) {
            err_field(&ctx->err, "uscc", "unique", "credit code %s is already registered", v.uscc);
            ctx->err.kind = ERR_CONFLICT;
            return fail(ctx);
        }
    }
    v.updated_at = time_now_ms();
    int rc = org_store_inst_update(ctx, &v, cur.version);
    if (rc < 0)
        return fail(ctx);
    if (rc == 0) {
        stale(ctx, "institution", cur.version + 1);
        return fail(ctx);
    }
    if (v.parent_id != cur.parent_id && org_store_tree_move(ctx, id, v.parent_id) < 0)
        return fail(ctx);
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_institution(ch, &cur, &v);
    if (audit_append(ctx, "institution.update", "institution", id, id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int institution_delete(struct ctx *ctx, int64_t id, int if_match)
{
    struct institution cur;
    struct inst_deps d;
    if (ctx_tx_begin(ctx) < 0 || institution_get(ctx, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        stale(ctx, "institution", cur.version);
        return fail(ctx);
    }
    if (id == ctx->caller.institution_id || !cur.parent_id) {
        err_set(&ctx->err, ERR_CONFLICT, "you cannot delete your own or the root institution");
        return fail(ctx);
    }
    if (org_store_inst_deps(ctx, id, &d) < 0)
        return fail(ctx);
    if (d.children || d.people || d.posts || d.qualifications || d.relations) {
        err_set(&ctx->err, ERR_CONFLICT,
                "%s still has %lld institutions, %lld people, %lld posts, %lld qualifications "
                "and %lld interest relations; remove them or set its status to revoked",
                cur.name, (long long)d.children, (long long)d.people, (long long)d.posts,
                (long long)d.qualifications, (long long)d.relations);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "uscc", cur.uscc);
    audit_note(ch, "name", cur.name);
    if (org_store_inst_delete(ctx, id) < 0 ||
        audit_append(ctx, "institution.delete", "institution", id, cur.parent_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

/* ---------- qualifications ---------- */

int qualification_list(struct ctx *ctx, const struct qualification_filter *f,
                       const struct page_req *p, struct qualification **items, int *n,
                       struct page_info *info)
{
    int64_t root;
    int depth;
    if (f->institution_id && org_access_institution(ctx, f->institution_id, ORG_SEE) < 0)
        return -1;
    if (f->expiring_before && *f->expiring_before &&
        check_date(ctx, "expiring_before", f->expiring_before) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (org_store_qual_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total && org_store_qual_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

int qualification_create(struct ctx *ctx, int64_t inst_id, const struct qualification *in,
                         struct qualification *out)
{
    struct qualification v = *in;
    if (!v.grade)
        v.grade = "";
    check_enum(ctx, "kind", v.kind, org_qualification_kinds);
    check_opt_text(ctx, "grade", v.grade, 32);
    check_text(ctx, "certificate_no", v.certificate_no, 1, 64);
    check_text(ctx, "issuer", v.issuer, 2, 100);
    if (check_date(ctx, "valid_from", v.valid_from) == 0 &&
        check_date(ctx, "valid_to", v.valid_to) == 0 && strcmp(v.valid_from, v.valid_to) > 0)
        err_field(&ctx->err, "valid_to", "after_valid_from", "valid_to is before valid_from");
    if (ctx->err.kind)
        return -1;
    v.id = id_new();
    v.institution_id = inst_id;
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "kind", v.kind);
    audit_note(ch, "certificate_no", v.certificate_no);
    audit_note(ch, "valid_to", v.valid_to);
    if (ctx_tx_begin(ctx) < 0 || org_access_institution(ctx, inst_id, ORG_MANAGE) < 0)
        return fail(ctx);
    if (org_store_qual_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field(&ctx->err, "certificate_no", "unique",
                      "a %s qualification with number %s is already registered", v.kind,
                      v.certificate_no);
            ctx->err.kind = ERR_CONFLICT;
        }
        return fail(ctx);
    }
    if (audit_append(ctx, "qualification.create", "qualification", v.id, inst_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int qualification_delete(struct ctx *ctx, int64_t inst_id, int64_t id)
{
    struct qualification q;
    if (ctx_tx_begin(ctx) < 0 || org_access_institution(ctx, inst_id, ORG_MANAGE) < 0)
        return fail(ctx);
    int rc = org_store_qual_get(ctx, id, &q);
    if (rc < 0)
        return fail(ctx);
    if (!rc || q.institution_id != inst_id) {
        err_set(&ctx->err, ERR_NOT_FOUND, "qualification not found");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "kind", q.kind);
    audit_note(ch, "certificate_no", q.certificate_no);
    if (org_store_qual_delete(ctx, id) < 0 ||
        audit_append(ctx, "qualification.delete", "qualification", id, inst_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

int qualification_holds(struct ctx *ctx, int64_t inst_id, const char *kind, const char *date,
                        bool *holds)
{
    int rc = org_store_qual_holds(ctx, inst_id, kind, date);
    if (rc < 0)
        return -1;
    *holds = rc == 1;
    return 0;
}

/* ---------- interest relations ---------- */

int relation_list(struct ctx *ctx, int64_t inst_id, struct interest_relation **items, int *n)
{
    if (org_access_institution(ctx, inst_id, ORG_SEE) < 0)
        return -1;
    return org_store_rel_list(ctx, inst_id, items, n);
}

int relation_create(struct ctx *ctx, int64_t inst_id, const struct interest_relation *in,
                    struct interest_relation *out)
{
    struct interest_relation v = *in;
    struct institution other;
    check_enum(ctx, "kind", v.kind, org_relation_kinds);
    if (check_date(ctx, "since", v.since) == 0 && strcmp(v.since, today(ctx)) > 0)
        err_field(&ctx->err, "since", "not_future", "since cannot be in the future");
    check_opt_text(ctx, "note", v.note, 500);
    if (!v.related_id && !(v.related_uscc && *v.related_uscc))
        err_field(&ctx->err, "related_id", "required",
                  "name the related institution by related_id or related_uscc");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || org_access_institution(ctx, inst_id, ORG_MANAGE) < 0)
        return fail(ctx);
    /* The related party may lie outside the caller's jurisdiction: relations cross it. */
    int rc = v.related_id ? org_store_inst_get(ctx, v.related_id, &other)
                          : org_store_inst_by_uscc(ctx, upper_trimmed(ctx, v.related_uscc), &other);
    if (rc < 0)
        return fail(ctx);
    if (!rc) {
        err_field(&ctx->err, v.related_id ? "related_id" : "related_uscc", "exists",
                  "no institution with that %s", v.related_id ? "id" : "credit code");
        ctx->err.kind = ERR_NOT_FOUND;
        return fail(ctx);
    }
    if (other.id == inst_id) {
        err_field(&ctx->err, "related_id", "not_self", "an institution cannot relate to itself");
        return fail(ctx);
    }
    v.id = id_new();
    v.institution_id = inst_id;
    v.related_id = other.id;
    v.related_name = other.name;
    v.related_uscc = other.uscc;
    v.declared_by = ctx->caller.person_id;
    v.created_at = time_now_ms();
    v.version = 1;
    if (!v.note)
        v.note = "";
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "related_id", 0, v.related_id, false);
    audit_note(ch, "kind", v.kind);
    audit_note(ch, "since", v.since);
    if (org_store_rel_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT)
            snprintf(ctx->err.message, sizeof(ctx->err.message),
                     "this %s relation with %s is already declared", v.kind, other.name);
        return fail(ctx);
    }
    if (audit_append(ctx, "relation.create", "interest_relation", v.id, inst_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int relation_delete(struct ctx *ctx, int64_t inst_id, int64_t id)
{
    struct interest_relation r;
    if (ctx_tx_begin(ctx) < 0 || org_access_institution(ctx, inst_id, ORG_MANAGE) < 0)
        return fail(ctx);
    int rc = org_store_rel_get(ctx, id, &r);
    if (rc < 0)
        return fail(ctx);
    if (!rc || (r.institution_id != inst_id && r.related_id != inst_id)) {
        err_set(&ctx->err, ERR_NOT_FOUND, "interest relation not found");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "related_id", r.related_id, 0, true);
    audit_note(ch, "kind", r.kind);
    if (org_store_rel_delete(ctx, id) < 0 ||
        audit_append(ctx, "relation.delete", "interest_relation", id, inst_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

/* ---------- posts ---------- */

/* A post may grant only known permissions that the caller holds: no one hands out more power
 * than they have. */
static void check_grants(struct ctx *ctx, const char *grants)
{
    const char *g = grants;
    while (g && *g) {
        const char *end = strchr(g, ',');
        size_t len = end ? (size_t)(end - g) : strlen(g);
        char *one = arena_strndup(ctx->arena, g, len);
        if (org_enum_index(org_grantable, one) < 0)
            err_field(&ctx->err, "grants", "enum", "%s is not a permission a post can grant", one);
        else if (!org_may(ctx, one))
            err_field(&ctx->err, "grants", "not_held",
                      "you cannot grant %s: you do not hold it yourself", one);
        g = end ? end + 1 : NULL;
    }
}

static void validate_post(struct ctx *ctx, const struct post *v)
{
    check_text(ctx, "name", v->name, 2, 50);
    check_text(ctx, "duties", v->duties, 2, 2000);
    if (v->required_certificate && *v->required_certificate)
        check_slug(ctx, "required_certificate", v->required_certificate, 2, 64);
    check_grants(ctx, v->grants);
}

static void diff_post(struct audit_changes *c, const struct post *a, const struct post *b)
{
    audit_change_str(c, "name", a ? a->name : NULL, b->name);
    audit_change_str(c, "duties", a ? a->duties : NULL, b->duties);
    audit_change_str(c, "required_certificate", a ? a->required_certificate : NULL,
                     b->required_certificate);
    audit_change_str(c, "grants", a ? a->grants : NULL, b->grants);
}

static int post_conflict(struct ctx *ctx, const char *name)
{
    if (ctx->err.kind == ERR_CONFLICT) {
        err_clear(&ctx->err);
        err_field(&ctx->err, "name", "unique", "the institution already has a post named %s", name);
        ctx->err.kind = ERR_CONFLICT;
    }
    return fail(ctx);
}

int post_list(struct ctx *ctx, int64_t inst_id, struct post **items, int *n)
{
    if (org_access_institution(ctx, inst_id, ORG_SEE) < 0)
        return -1;
    return org_store_post_list(ctx, inst_id, items, n);
}

int post_create(struct ctx *ctx, int64_t inst_id, const struct post_input *in, struct post *out)
{
    struct post v = in->v;
    if (!v.required_certificate)
        v.required_certificate = "";
    if (!v.grants)
        v.grants = "";
    validate_post(ctx, &v);
    if (ctx->err.kind)
        return -1;
    v.id = id_new();
    v.institution_id = inst_id;
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_post(ch, NULL, &v);
    if (ctx_tx_begin(ctx) < 0 || org_access_institution(ctx, inst_id, ORG_MANAGE) < 0)
        return fail(ctx);
    if (org_store_post_insert(ctx, &v) < 0)
        return post_conflict(ctx, v.name);
    if (audit_append(ctx, "post.create", "post", v.id, inst_id, ch) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

static int load_post(struct ctx *ctx, int64_t inst_id, int64_t id, struct post *out)
{
    if (org_access_institution(ctx, inst_id, ORG_SEE) < 0)
        return -1;
    int rc = org_store_post_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (!rc || out->institution_id != inst_id)
        return err_set(&ctx->err, ERR_NOT_FOUND, "post not found");
    return 0;
}

int post_update(struct ctx *ctx, int64_t inst_id, int64_t id, int if_match,
                const struct post_input *in, struct post *out)
{
    struct post cur, v;
    if (ctx_tx_begin(ctx) < 0 || load_post(ctx, inst_id, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        stale(ctx, "post", cur.version);
        return fail(ctx);
    }
    v = cur;
    if (in->has & POST_F_NAME)
        v.name = in->v.name;
    if (in->has & POST_F_DUTIES)
        v.duties = in->v.duties;
    if (in->has & POST_F_REQUIRED_CERTIFICATE)
        v.required_certificate = in->v.required_certificate ? in->v.required_certificate : "";
    if (in->has & POST_F_GRANTS)
        v.grants = in->v.grants ? in->v.grants : "";
    validate_post(ctx, &v);
    if (ctx->err.kind)
        return fail(ctx);
    v.updated_at = time_now_ms();
    int rc = org_store_post_update(ctx, &v, cur.version);
    if (rc < 0)
        return post_conflict(ctx, v.name);
    if (rc == 0) {
        stale(ctx, "post", cur.version + 1);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_post(ch, &cur, &v);
    if (audit_append(ctx, "post.update", "post", id, inst_id, ch) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int post_delete(struct ctx *ctx, int64_t inst_id, int64_t id)
{
    struct post cur;
    if (ctx_tx_begin(ctx) < 0 || load_post(ctx, inst_id, id, &cur) < 0)
        return fail(ctx);
    if (cur.n_holders > 0) {
        err_set(&ctx->err, ERR_CONFLICT,
                "%d people still hold the post %s; take it from them first", cur.n_holders,
                cur.name);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "name", cur.name);
    if (org_store_post_delete(ctx, id) < 0 ||
        audit_append(ctx, "post.delete", "post", id, inst_id, ch) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}
