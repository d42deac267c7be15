/*
 * org_entity.c - the org module's entities described once (core/entity.h): institutions,
 * qualifications, interest relations, posts, people and certificates. The store reads rows,
 * the handlers write JSON and openapi.c generates the schemas from these tables; the column
 * lists of org_store.c and person_store.c follow their order.
 */
#include <stddef.h>

#include "org.h"
#include "core/entity.h"
#include "core/banned.h"

#define RO EF_READONLY

#define I(...) FIELD(struct institution, __VA_ARGS__)
static const struct entity_field institution_fields[] = {
    I("id", EF_ID, RO, id, "id"),
    I("uscc", EF_TEXT, 0, uscc, "uscc"),
    I("uscc_exception", EF_TEXT, EF_NULLABLE, uscc_exception, "uscc_exception"),
    I("name", EF_TEXT, 0, name, "name"),
    ENUM_FIELD(struct institution, "kind", 0, kind, "kind", org_kinds),
    ENUM_FIELD(struct institution, "level", 0, level, "level", org_levels),
    I("parent_id", EF_ID, EF_NULLABLE, parent_id, "parent_id"),
    I("region", EF_TEXT, 0, region, "region"),
    I("contact_name", EF_TEXT, 0, contact_name, "contact_name"),
    I("contact_phone", EF_TEXT, 0, contact_phone, "contact_phone"),
    I("contact_email", EF_TEXT, 0, contact_email, "contact_email"),
    I("address", EF_TEXT, 0, address, "address"),
    I("timezone", EF_TEXT, 0, timezone, "timezone"),
    ENUM_FIELD(struct institution, "status", 0, status, "status", org_statuses),
    I("created_at", EF_TIME, RO, created_at, "created_at"),
    I("updated_at", EF_TIME, RO, updated_at, "updated_at"),
    I("version", EF_INT, RO, version, "version"),
};
#undef I
const struct entity institution_entity =
    ENTITY("Institution", struct institution, institution_fields);

/* What a session tells about the caller's institution. */
#define I(...) FIELD(struct institution, __VA_ARGS__)
static const struct entity_field institution_brief_fields[] = {
    I("id", EF_ID, RO, id, "id"),        I("name", EF_TEXT, 0, name, "name"),
    I("kind", EF_TEXT, 0, kind, "kind"), I("level", EF_TEXT, 0, level, "level"),
    I("uscc", EF_TEXT, 0, uscc, "uscc"), I("timezone", EF_TEXT, 0, timezone, "timezone"),
};
#undef I
const struct entity institution_brief_entity =
    ENTITY("InstitutionBrief", struct institution, institution_brief_fields);

#define Q(...) FIELD(struct qualification, __VA_ARGS__)
static const struct entity_field qualification_fields[] = {
    Q("id", EF_ID, RO, id, "q.id"),
    Q("institution_id", EF_ID, RO, institution_id, "q.institution_id"),
    Q("kind", EF_TEXT, 0, kind, "q.kind"),
    Q("grade", EF_TEXT, 0, grade, "q.grade"),
    Q("certificate_no", EF_TEXT, 0, certificate_no, "q.certificate_no"),
    Q("issuer", EF_TEXT, 0, issuer, "q.issuer"),
    Q("valid_from", EF_DATE, 0, valid_from, "q.valid_from"),
    Q("valid_to", EF_DATE, 0, valid_to, "q.valid_to"),
    Q("created_at", EF_TIME, RO, created_at, "q.created_at"),
    Q("updated_at", EF_TIME, RO | EF_HIDDEN, updated_at, "q.updated_at"),
    Q("version", EF_INT, RO, version, "q.version"),
};
#undef Q
const struct entity qualification_entity =
    ENTITY("Qualification", struct qualification, qualification_fields);

#define R(...) FIELD(struct interest_relation, __VA_ARGS__)
static const struct entity_field relation_fields[] = {
    R("id", EF_ID, RO, id, "r.id"),
    R("institution_id", EF_ID, RO, institution_id, "r.institution_id"),
    R("related_id", EF_ID, 0, related_id, "r.related_id"),
    R("related_name", EF_TEXT, RO, related_name, "o.name"),
    R("related_uscc", EF_TEXT, 0, related_uscc, "o.uscc"),
    R("kind", EF_TEXT, 0, kind, "r.kind"),
    R("since", EF_DATE, 0, since, "r.since"),
    R("note", EF_TEXT, 0, note, "r.note"),
    R("declared_by", EF_ID, RO | EF_NULLABLE, declared_by, "r.declared_by"),
    R("created_at", EF_TIME, RO, created_at, "r.created_at"),
    R("version", EF_INT, RO, version, "r.version"),
};
#undef R
const struct entity relation_entity =
    ENTITY("InterestRelation", struct interest_relation, relation_fields);

#define P(...) FIELD(struct post, __VA_ARGS__)
static const struct entity_field post_fields[] = {
    P("id", EF_ID, RO, id, "p.id"),
    P("institution_id", EF_ID, RO, institution_id, "p.institution_id"),
    P("name", EF_TEXT, 0, name, "p.name"),
    P("duties", EF_TEXT, 0, duties, "p.duties"),
    P("required_certificate", EF_TEXT, 0, required_certificate, "p.required_certificate"),
    P("grants", EF_CSV, 0, grants, "p.grants"),
    P("holders", EF_INT, RO, n_holders, "COUNT(person_posts)"),
    P("created_at", EF_TIME, RO, created_at, "p.created_at"),
    P("updated_at", EF_TIME, RO, updated_at, "p.updated_at"),
    P("version", EF_INT, RO, version, "p.version"),
};
#undef P
const struct entity post_entity = ENTITY("Post", struct post, post_fields);

/* The posts a person holds are nested (person_http.c writes them after these members). */
#define P(...) FIELD(struct person, __VA_ARGS__)
static const struct entity_field person_fields[] = {
    P("id", EF_ID, RO, id, "p.id"),
    P("institution_id", EF_ID, 0, institution_id, "p.institution_id"),
    P("login", EF_TEXT, 0, login, "p.login"),
    P("name", EF_TEXT, 0, name, "p.name"),
    ENUM_FIELD(struct person, "team", 0, team, "p.team", org_teams),
    P("email", EF_TEXT, 0, email, "p.email"),
    P("phone", EF_TEXT, 0, phone, "p.phone"),
    P("is_admin", EF_BOOL, 0, is_admin, "p.is_admin"),
    P("enabled", EF_BOOL, 0, enabled, "p.enabled"),
    P("locked_until", EF_TIME, RO, locked_until, "p.locked_until"),
    P("created_at", EF_TIME, RO, created_at, "p.created_at"),
    P("updated_at", EF_TIME, RO, updated_at, "p.updated_at"),
    P("version", EF_INT, RO, version, "p.version"),
};
#undef P
const struct entity person_entity = ENTITY("Person", struct person, person_fields);

#define C(...) FIELD(struct certificate, __VA_ARGS__)
static const struct entity_field certificate_fields[] = {
    C("id", EF_ID, RO, id, "c.id"),
    C("person_id", EF_ID, RO, person_id, "c.person_id"),
    C("person_name", EF_TEXT, RO, person_name, "p.name"),
    C("institution_id", EF_ID, RO, institution_id, "p.institution_id"),
    C("kind", EF_TEXT, 0, kind, "c.kind"),
    C("number", EF_TEXT, 0, number, "c.number"),
    C("issuer", EF_TEXT, 0, issuer, "c.issuer"),
    C("valid_to", EF_DATE, 0, valid_to, "c.valid_to"),
    C("created_at", EF_TIME, RO, created_at, "c.created_at"),
    C("version", EF_INT, RO, version, "c.version"),
};
#undef C
const struct entity certificate_entity =
    ENTITY("Certificate", struct certificate, certificate_fields);
