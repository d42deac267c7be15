/*
 * routes.c - THE route table. One row per route: method, pattern, handler, permission,
 * jurisdiction rule, flags, tag, summary, request spec and schema names. The router, the access
 * guard, the metrics labels, the OpenAPI document and the permission-matrix test are all driven
 * by these rows. The permissions are defined in domain/org/jurisdiction.c and
 * docs/permissions.md.
 */
#include <stddef.h>

#include "http.h"
#include "system.h"
#include "domain/audit/audit_http.h"
#include "domain/auth/auth_http.h"
#include "domain/org/org_http.h"
#include "core/banned.h"

#define PUB  RF_PUBLIC
#define BODY RF_BODY
#define INST SCOPE_INST_PATH
#define PERS SCOPE_PERSON_PATH
#define NONE SCOPE_NONE

/* clang-format off */
const struct route routes[] = {
    {"GET", "/healthz", system_healthz, NULL, NONE, PUB, "system", "Liveness probe", NULL, NULL, "Health", 200},
    {"GET", "/readyz", system_readyz, NULL, NONE, PUB, "system", "Readiness: the store answers and its schema is current", NULL, NULL, "Health", 200},
    {"GET", "/metrics", system_metrics, NULL, NONE, PUB, "system", "Prometheus metrics (text format)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/openapi.json", system_openapi, NULL, NONE, PUB, "system", "This OpenAPI document", NULL, NULL, NULL, 200},

    {"POST", "/api/v1/session", auth_http_login, NULL, NONE, PUB | BODY, "session", "Log in", login_spec, "Login", "Session", 201},
    {"GET", "/api/v1/session", auth_http_whoami, "session", NONE, 0, "session", "Who am I, and what may I do", NULL, NULL, "WhoAmI", 200},
    {"DELETE", "/api/v1/session", auth_http_logout, "session", NONE, 0, "session", "Log out", NULL, NULL, NULL, 204},

    {"GET", "/api/v1/institutions", org_http_list, "institution.read", NONE, 0, "institutions", "List institutions in your jurisdiction", NULL, NULL, "InstitutionPage", 200},
    {"POST", "/api/v1/institutions", org_http_create, "institution.write", NONE, BODY, "institutions", "Register an institution", institution_create_spec, "InstitutionCreate", "Institution", 201},
    {"GET", "/api/v1/institutions/{id}", org_http_get, "institution.read", INST, 0, "institutions", "Read an institution", NULL, NULL, "Institution", 200},
    {"PATCH", "/api/v1/institutions/{id}", org_http_update, "institution.write", INST, BODY, "institutions", "Change an institution", institution_patch_spec, "InstitutionPatch", "Institution", 200},
    {"DELETE", "/api/v1/institutions/{id}", org_http_delete, "institution.write", INST, 0, "institutions", "Delete an institution that holds nothing", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/institutions/{id}/qualifications", org_http_qualifications, "institution.read", INST, 0, "qualifications", "Qualifications of an institution", NULL, NULL, "QualificationPage", 200},
    {"POST", "/api/v1/institutions/{id}/qualifications", org_http_qualification_create, "qualification.write", INST, BODY, "qualifications", "Record a qualification", qualification_spec, "QualificationCreate", "Qualification", 201},
    {"DELETE", "/api/v1/institutions/{id}/qualifications/{qid}", org_http_qualification_delete, "qualification.write", INST, 0, "qualifications", "Remove a qualification", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/qualifications", org_http_all_qualifications, "institution.read", NONE, 0, "qualifications", "Qualifications in your jurisdiction (e.g. expiring_before)", NULL, NULL, "QualificationPage", 200},
    {"GET", "/api/v1/institutions/{id}/interest-relations", org_http_relations, "institution.read", INST, 0, "interest-relations", "Declared interest relations of an institution", NULL, NULL, "RelationPage", 200},
    {"POST", "/api/v1/institutions/{id}/interest-relations", org_http_relation_create, "relation.write", INST, BODY, "interest-relations", "Declare an interest relation", relation_spec, "RelationCreate", "InterestRelation", 201},
    {"DELETE", "/api/v1/institutions/{id}/interest-relations/{rid}", org_http_relation_delete, "relation.write", INST, 0, "interest-relations", "Withdraw an interest relation", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/institutions/{id}/posts", org_http_posts, "institution.read", INST, 0, "posts", "Posts of an institution", NULL, NULL, "PostPage", 200},
    {"POST", "/api/v1/institutions/{id}/posts", org_http_post_create, "post.write", INST, BODY, "posts", "Define a post with its duties", post_create_spec, "PostCreate", "Post", 201},
    {"PATCH", "/api/v1/institutions/{id}/posts/{pid}", org_http_post_update, "post.write", INST, BODY, "posts", "Change a post", post_patch_spec, "PostPatch", "Post", 200},
    {"DELETE", "/api/v1/institutions/{id}/posts/{pid}", org_http_post_delete, "post.write", INST, 0, "posts", "Delete a post nobody holds", NULL, NULL, NULL, 204},

    {"GET", "/api/v1/people", person_http_list, "person.read", NONE, 0, "people", "List people in your jurisdiction", NULL, NULL, "PersonPage", 200},
    {"POST", "/api/v1/people", person_http_create, "person.write", NONE, BODY, "people", "Add a person", person_create_spec, "PersonCreate", "Person", 201},
    {"GET", "/api/v1/people/{id}", person_http_get, "person.read", PERS, 0, "people", "Read a person", NULL, NULL, "Person", 200},
    {"PATCH", "/api/v1/people/{id}", person_http_update, "person.write", PERS, BODY, "people", "Change, enable or disable a person", person_patch_spec, "PersonPatch", "Person", 200},
    {"POST", "/api/v1/people/{id}/password", person_http_password, "session", PERS, BODY, "people", "Change your password, or reset another's (person.write)", password_spec, "PasswordChange", NULL, 204},
    {"GET", "/api/v1/people/{id}/certificates", person_http_certificates, "person.read", PERS, 0, "certificates", "Certificates of a person", NULL, NULL, "CertificatePage", 200},
    {"POST", "/api/v1/people/{id}/certificates", person_http_certificate_create, "certificate.write", PERS, BODY, "certificates", "Record a certificate", certificate_spec, "CertificateCreate", "Certificate", 201},
    {"DELETE", "/api/v1/people/{id}/certificates/{cid}", person_http_certificate_delete, "certificate.write", PERS, 0, "certificates", "Remove a certificate", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/certificates", person_http_all_certificates, "person.read", NONE, 0, "certificates", "Certificates in your jurisdiction (e.g. expiring_before)", NULL, NULL, "CertificatePage", 200},

    {"GET", "/api/v1/audit", audit_http_list, "audit.read", NONE, 0, "audit", "Read the audit trail of your jurisdiction", NULL, NULL, "AuditPage", 200},
    {"GET", "/api/v1/audit/verify", audit_http_verify, "audit.verify", NONE, 0, "audit", "Verify the whole hash chain", NULL, NULL, "AuditVerdict", 200},
};
/* clang-format on */

const int n_routes = (int)(sizeof(routes) / sizeof(routes[0]));
