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
#include "domain/agreement/agreement_http.h"
#include "domain/audit/audit_http.h"
#include "domain/billing/billing_http.h"
#include "domain/auth/auth_http.h"
#include "domain/catalogue/catalogue_http.h"
#include "domain/keys/keys_http.h"
#include "domain/order/order_http.h"
#include "domain/org/org_http.h"
#include "domain/procurement/procurement_http.h"
#include "domain/product/product_http.h"
#include "domain/resource/resource_http.h"
#include "domain/usage/usage_http.h"
#include "core/banned.h"

#define PUB     RF_PUBLIC
#define BODY    RF_BODY
#define PAGED   RF_PAGED
#define COUNTED (RF_PAGED | RF_TOTAL)
#define INST    SCOPE_INST_PATH
#define PERS    SCOPE_PERSON_PATH
#define NONE    SCOPE_NONE
#define POOL    SCOPE_POOL_PATH
#define PROD    SCOPE_PRODUCT_PATH
#define AGRE    SCOPE_AGREEMENT_PATH
#define PROJ    SCOPE_PROJECT_PATH
#define ORDR    SCOPE_ORDER_PATH

/* Only streamed routes name their stream_ops (the last field); the others leave it out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* clang-format off */
const struct route routes[] = {
    {"GET", "/healthz", system_healthz, NULL, NONE, PUB, "system", "Liveness probe", NULL, NULL, "Health", 200},
    {"GET", "/readyz", system_readyz, NULL, NONE, PUB, "system", "Readiness: the store answers and its schema is current", NULL, NULL, "Health", 200},
    {"GET", "/metrics", system_metrics, NULL, NONE, PUB, "system", "Prometheus metrics (text format)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/openapi.json", system_openapi, NULL, NONE, PUB, "system", "This OpenAPI document", NULL, NULL, NULL, 200},

    {"POST", "/api/v1/session", auth_http_login, NULL, NONE, PUB | BODY, "session", "Log in", login_spec, "Login", "Session", 201},
    {"GET", "/api/v1/session", auth_http_whoami, "session", NONE, 0, "session", "Who am I, and what may I do", NULL, NULL, "WhoAmI", 200},
    {"DELETE", "/api/v1/session", auth_http_logout, "session", NONE, 0, "session", "Log out", NULL, NULL, NULL, 204},

    {"GET", "/api/v1/institutions", org_http_list, "institution.read", NONE, COUNTED, "institutions", "List institutions in your jurisdiction", NULL, NULL, "InstitutionPage", 200},
    {"POST", "/api/v1/institutions", org_http_create, "institution.write", NONE, BODY, "institutions", "Register an institution", institution_create_spec, "InstitutionCreate", "Institution", 201},
    {"GET", "/api/v1/institutions/{id}", org_http_get, "institution.read", INST, 0, "institutions", "Read an institution", NULL, NULL, "Institution", 200},
    {"PATCH", "/api/v1/institutions/{id}", org_http_update, "institution.write", INST, BODY, "institutions", "Change an institution", institution_patch_spec, "InstitutionPatch", "Institution", 200},
    {"DELETE", "/api/v1/institutions/{id}", org_http_delete, "institution.write", INST, 0, "institutions", "Delete an institution that holds nothing", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/institutions/{id}/qualifications", org_http_qualifications, "institution.read", INST, COUNTED, "qualifications", "Qualifications of an institution", NULL, NULL, "QualificationPage", 200},
    {"POST", "/api/v1/institutions/{id}/qualifications", org_http_qualification_create, "qualification.write", INST, BODY, "qualifications", "Record a qualification", qualification_spec, "QualificationCreate", "Qualification", 201},
    {"DELETE", "/api/v1/institutions/{id}/qualifications/{qid}", org_http_qualification_delete, "qualification.write", INST, 0, "qualifications", "Remove a qualification", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/qualifications", org_http_all_qualifications, "institution.read", NONE, COUNTED, "qualifications", "Qualifications in your jurisdiction (e.g. expiring_before)", NULL, NULL, "QualificationPage", 200},
    {"GET", "/api/v1/institutions/{id}/interest-relations", org_http_relations, "institution.read", INST, 0, "interest-relations", "Declared interest relations of an institution", NULL, NULL, "RelationPage", 200},
    {"POST", "/api/v1/institutions/{id}/interest-relations", org_http_relation_create, "relation.write", INST, BODY, "interest-relations", "Declare an interest relation", relation_spec, "RelationCreate", "InterestRelation", 201},
    {"DELETE", "/api/v1/institutions/{id}/interest-relations/{rid}", org_http_relation_delete, "relation.write", INST, 0, "interest-relations", "Withdraw an interest relation", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/institutions/{id}/posts", org_http_posts, "institution.read", INST, 0, "posts", "Posts of an institution", NULL, NULL, "PostPage", 200},
    {"POST", "/api/v1/institutions/{id}/posts", org_http_post_create, "post.write", INST, BODY, "posts", "Define a post with its duties", post_create_spec, "PostCreate", "Post", 201},
    {"PATCH", "/api/v1/institutions/{id}/posts/{pid}", org_http_post_update, "post.write", INST, BODY, "posts", "Change a post", post_patch_spec, "PostPatch", "Post", 200},
    {"DELETE", "/api/v1/institutions/{id}/posts/{pid}", org_http_post_delete, "post.write", INST, 0, "posts", "Delete a post nobody holds", NULL, NULL, NULL, 204},

    {"GET", "/api/v1/people", person_http_list, "person.read", NONE, COUNTED, "people", "List people in your jurisdiction", NULL, NULL, "PersonPage", 200},
    {"POST", "/api/v1/people", person_http_create, "person.write", NONE, BODY, "people", "Add a person", person_create_spec, "PersonCreate", "Person", 201},
    {"GET", "/api/v1/people/{id}", person_http_get, "person.read", PERS, 0, "people", "Read a person", NULL, NULL, "Person", 200},
    {"PATCH", "/api/v1/people/{id}", person_http_update, "person.write", PERS, BODY, "people", "Change, enable or disable a person", person_patch_spec, "PersonPatch", "Person", 200},
    {"POST", "/api/v1/people/{id}/password", person_http_password, "session", PERS, BODY, "people", "Change your password, or reset another's (person.write)", password_spec, "PasswordChange", NULL, 204},
    {"GET", "/api/v1/people/{id}/certificates", person_http_certificates, "person.read", PERS, COUNTED, "certificates", "Certificates of a person", NULL, NULL, "CertificatePage", 200},
    {"POST", "/api/v1/people/{id}/certificates", person_http_certificate_create, "certificate.write", PERS, BODY, "certificates", "Record a certificate", certificate_spec, "CertificateCreate", "Certificate", 201},
    {"DELETE", "/api/v1/people/{id}/certificates/{cid}", person_http_certificate_delete, "certificate.write", PERS, 0, "certificates", "Remove a certificate", NULL, NULL, NULL, 204},
    {"GET", "/api/v1/certificates", person_http_all_certificates, "person.read", NONE, COUNTED, "certificates", "Certificates in your jurisdiction (e.g. expiring_before)", NULL, NULL, "CertificatePage", 200},

    {"GET", "/api/v1/audit", audit_http_list, "audit.read", NONE, COUNTED, "audit", "Read the audit trail of your jurisdiction", NULL, NULL, "AuditPage", 200},
    {"GET", "/api/v1/resource-kinds", resource_http_kinds, "resource.read", NONE, 0, "resources", "Resource kinds and their units (T5-6.1)", NULL, NULL, "ResourceKindPage", 200},
    {"GET", "/api/v1/resource-pools", resource_http_pools, "resource.read", NONE, COUNTED, "resources", "Resource pools you provide, supervise, test or use", NULL, NULL, "PoolPage", 200},
    {"POST", "/api/v1/resource-pools", resource_http_pool_create, "pool.write", NONE, BODY, "resources", "Create a resource pool of your provider", pool_create_spec, "PoolCreate", "Pool", 201},
    {"GET", "/api/v1/resource-pools/{id}", resource_http_pool, "resource.read", POOL, 0, "resources", "Read a resource pool", NULL, NULL, "Pool", 200},
    {"PATCH", "/api/v1/resource-pools/{id}", resource_http_pool_update, "pool.write", POOL, BODY, "resources", "Change a resource pool", pool_patch_spec, "PoolPatch", "Pool", 200},
    {"POST", "/api/v1/resource-pools/{id}/suspend", resource_http_pool_act, "pool.write", POOL, BODY, "resource-lifecycle", "Suspend an active pool: nothing new is allocated from it (T5-3.4)", pool_reason_spec, "PoolReason", "Pool", 200},
    {"POST", "/api/v1/resource-pools/{id}/resume", resource_http_pool_act, "pool.write", POOL, BODY, "resource-lifecycle", "Resume a suspended pool", pool_reason_spec, "PoolReason", "Pool", 200},
    {"POST", "/api/v1/resource-pools/{id}/retire", resource_http_pool_act, "pool.write", POOL, BODY, "resource-lifecycle", "Retire a pool that holds no allocation (final)", pool_reason_spec, "PoolReason", "Pool", 200},
    {"GET", "/api/v1/resource-pools/{id}/transitions", resource_http_pool_history, "resource.read", POOL, 0, "resource-lifecycle", "The recorded lifecycle of a pool (T5-3.4)", NULL, NULL, "TransitionPage", 200},
    {"GET", "/api/v1/resource-pools/{id}/allocations", resource_http_pool_allocations, "resource.read", POOL, PAGED, "allocations", "Allocations of a pool", NULL, NULL, "AllocationPage", 200},
    {"POST", "/api/v1/resource-pools/{id}/allocations", resource_http_configure, "allocation.write", POOL, BODY, "allocations", "Configure: allocate capacity to a user agency (配置)", allocation_spec, "AllocationCreate", "Allocation", 201},
    {"POST", "/api/v1/resource-pools/{id}/allocations/{aid}/changes", resource_http_change, "allocation.write", POOL, BODY, "allocations", "Adjust, expand or release an allocation (调整、扩容、释放)", allocation_change_spec, "AllocationChange", "Allocation", 200},
    {"POST", "/api/v1/resource-pools/{id}/allocations/{aid}/first-use", resource_http_first_use, "allocation.write", POOL, BODY, "allocations", "Record the first use of an allocation", allocation_use_spec, "AllocationUse", "Allocation", 200},
    {"POST", "/api/v1/resource-pools/{id}/allocations/{aid}/service-start", resource_http_service_start, "allocation.write", POOL, BODY, "allocations", "State an earlier start of service (a service migrated onto the platform), with a reason", allocation_service_start_spec, "AllocationServiceStart", "Allocation", 200},
    {"GET", "/api/v1/allocations", resource_http_allocations, "resource.read", NONE, PAGED, "allocations", "Allocations you can see (reclaimable=true: unused past their date)", NULL, NULL, "AllocationPage", 200},
    {"POST", "/api/v1/resource-pools/{id}/conformity-tests", resource_http_assign, "test.assign", POOL, BODY, "conformity-tests", "Assign an independent evaluator to test a pool (T5-6.2c, T5-8.2f)", conformity_assign_spec, "ConformityAssign", "ConformityTest", 201},
    {"GET", "/api/v1/conformity-tests", resource_http_tests, "resource.read", NONE, PAGED, "conformity-tests", "Conformity tests (an evaluator's queue)", NULL, NULL, "ConformityTestPage", 200},
    {"PATCH", "/api/v1/conformity-tests/{id}", resource_http_record, "test.record", NONE, BODY, "conformity-tests", "Record the result of an assigned test", conformity_record_spec, "ConformityRecord", "ConformityTest", 200},
    {"POST", "/api/v1/catalogues/resources/editions", resource_http_publish, "catalogue.publish", NONE, 0, "catalogues", "Publish a signed edition of the catalogue of conformant resources", NULL, NULL, "Publication", 201},
    {"GET", "/api/v1/catalogues/resources/editions", catalogue_http_editions, NULL, NONE, PUB, "catalogues", "Editions of the resource catalogue (public)", NULL, NULL, "EditionPage", 200},
    {"GET", "/api/v1/catalogues/resources/editions/{number}", catalogue_http_edition, NULL, NONE, PUB, "catalogues", "One edition: the exact signed JSON (public)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/catalogues/resources/editions/{number}/signature", catalogue_http_signature, NULL, NONE, PUB, "catalogues", "Base64 signature of an edition (Ed25519, or SM2/SM3 under the sm2-sm3 suite; public)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/products", product_http_list, "product.read", NONE, COUNTED, "products", "Products: online ones for everyone, plus those you provide, supervise or test", NULL, NULL, "ProductPage", 200},
    {"POST", "/api/v1/products", product_http_create, "product.write", NONE, BODY, "products", "Create a product (draft) of your provider", product_create_spec, "ProductCreate", "Product", 201},
    {"GET", "/api/v1/products/{id}", product_http_get, "product.read", PROD, 0, "products", "Read a product", NULL, NULL, "Product", 200},
    {"PATCH", "/api/v1/products/{id}", product_http_update, "product.write", PROD, BODY, "products", "Change a product (its substance only in draft)", product_patch_spec, "ProductPatch", "Product", 200},
    {"GET", "/api/v1/products/{id}/metrics", product_http_metrics, "product.read", PROD, 0, "products", "Priced metrics of a product (T5-7.1)", NULL, NULL, "MetricPage", 200},
    {"POST", "/api/v1/products/{id}/metrics", product_http_metric_add, "product.write", PROD, BODY, "products", "Add a priced metric (draft only)", metric_spec, "MetricCreate", "Metric", 201},
    {"POST", "/api/v1/products/{id}/submit", product_http_act, "product.write", PROD, BODY, "product-lifecycle", "Submit a draft for test", reason_spec, "Reason", "Product", 200},
    {"POST", "/api/v1/products/{id}/launch", product_http_act, "product.write", PROD, BODY, "product-lifecycle", "Go online: only after a passed test by an independent evaluator (T5-7.2e)", reason_spec, "Reason", "Product", 200},
    {"POST", "/api/v1/products/{id}/withdraw", product_http_act, "product.write", PROD, BODY, "product-lifecycle", "Take an online product offline", reason_spec, "Reason", "Product", 200},
    {"POST", "/api/v1/products/{id}/revise", product_http_act, "product.write", PROD, BODY, "product-lifecycle", "Back to draft after a failed test or offline", reason_spec, "Reason", "Product", 200},
    {"POST", "/api/v1/products/{id}/eliminate", product_http_act, "product.govern", PROD, BODY, "product-lifecycle", "Eliminate a product with a reason (淘汰, T5-7.2a)", reason_spec, "Reason", "Product", 200},
    {"POST", "/api/v1/products/{id}/recommendation", product_http_recommend, "product.govern", PROD, BODY, "product-lifecycle", "Recommend an online product, or withdraw the recommendation (T5-7.2a)", recommend_spec, "Recommendation", "Product", 200},
    {"GET", "/api/v1/products/{id}/transitions", product_http_history, "product.read", PROD, 0, "product-lifecycle", "The recorded lifecycle of a product (T5-3.4)", NULL, NULL, "TransitionPage", 200},
    {"POST", "/api/v1/products/{id}/tests", product_http_test_assign, "product.govern", PROD, BODY, "product-tests", "Assign an independent evaluator to test a product", product_test_assign_spec, "ProductTestAssign", "ProductTest", 201},
    {"GET", "/api/v1/product-tests", product_http_tests, "product.read", NONE, PAGED, "product-tests", "Product tests (an evaluator's queue)", NULL, NULL, "ProductTestPage", 200},
    {"PATCH", "/api/v1/product-tests/{id}", product_http_test_record, "test.record", NONE, BODY, "product-tests", "Record the result of an assigned product test", product_test_record_spec, "ProductTestRecord", "ProductTest", 200},
    {"POST", "/api/v1/products/{id}/metrics/{mid}/price-basis", product_http_price_publish, "price.publish", PROD, BODY, "prices", "Publish the measurement result and price basis of a metric (T5-7.2e)", price_basis_spec, "PriceBasisCreate", "PriceBasis", 201},
    {"POST", "/api/v1/products/{id}/metrics/{mid}/price-backdating", product_http_price_backdate, "product.govern", PROD, BODY, "prices", "Record why a price basis of the metric may start before the current month (issue 12)", price_backdating_spec, "PriceBackdatingCreate", "PriceBackdating", 201},
    {"GET", "/api/v1/products/{id}/prices", product_http_prices, "product.read", PROD, 0, "prices", "The price basis in force on a date (?on=YYYY-MM-DD; all without)", NULL, NULL, "PriceBasisPage", 200},
    {"GET", "/api/v1/products/{id}/documents", product_http_documents, "product.read", PROD, 0, "products", "User manuals and training (T5-8.2d)", NULL, NULL, "DocumentPage", 200},
    {"POST", "/api/v1/products/{id}/documents", product_http_document_add, "product.write", PROD, BODY, "products", "Attach a user manual or a training offering", document_spec, "DocumentCreate", "Document", 201},
    {"GET", "/api/v1/product-elimination-candidates", product_http_candidates, "product.govern", NONE, 0, "product-lifecycle", "Products whose newest test failed: candidates for elimination", NULL, NULL, "ProductPage", 200},
    {"POST", "/api/v1/catalogues/products/editions", product_http_publish, "catalogue.publish", NONE, 0, "catalogues", "Publish a signed edition of the catalogue of qualified products with the price basis in force", NULL, NULL, "Publication", 201},
    {"GET", "/api/v1/catalogues/products/editions", catalogue_http_editions, NULL, NONE, PUB, "catalogues", "Editions of the product catalogue (public)", NULL, NULL, "EditionPage", 200},
    {"GET", "/api/v1/catalogues/products/editions/{number}", catalogue_http_edition, NULL, NONE, PUB, "catalogues", "One product catalogue edition: the exact signed JSON (public)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/catalogues/products/editions/{number}/signature", catalogue_http_signature, NULL, NONE, PUB, "catalogues", "Base64 signature of a product catalogue edition (Ed25519 or SM2/SM3; public)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/agreements", agreement_http_list, "agreement.read", NONE, COUNTED, "agreements", "Service agreements you made or are party to (expiring_before: expiry warning)", NULL, NULL, "AgreementPage", 200},
    {"POST", "/api/v1/agreements", agreement_http_create, "agreement.write", NONE, BODY, "agreements", "Draft a service agreement with a provider (T5-8.2a)", agreement_create_spec, "AgreementCreate", "Agreement", 201},
    {"GET", "/api/v1/agreements/{id}", agreement_http_get, "agreement.read", AGRE, 0, "agreements", "Read an agreement with its nine clauses", NULL, NULL, "Agreement", 200},
    {"PATCH", "/api/v1/agreements/{id}", agreement_http_update, "agreement.write", AGRE, BODY, "agreements", "Change a draft agreement", agreement_patch_spec, "AgreementPatch", "Agreement", 200},
    {"POST", "/api/v1/agreements/{id}/signatures", agreement_http_sign, "agreement.sign", AGRE, 0, "agreements", "Sign for your institution: refused until all nine clauses are present", NULL, NULL, "Agreement", 200},
    {"POST", "/api/v1/agreements/{id}/amendments", agreement_http_amend, "agreement.write", AGRE, 0, "agreements", "Start a new version of an agreement in force", NULL, NULL, "Agreement", 201},
    {"GET", "/api/v1/agreements/{id}/breaches", agreement_http_breaches, "agreement.read", AGRE, 0, "agreements", "Breaches recorded against an agreement", NULL, NULL, "BreachPage", 200},
    {"POST", "/api/v1/agreements/{id}/breaches", agreement_http_breach, "agreement.write", AGRE, BODY, "agreements", "Record a breach: clause, facts, evidence, liability applied", breach_spec, "BreachCreate", "Breach", 201},
/* Each module of service usage keeps its rows in its own file, included here. */
#include "domain/procurement/procurement_routes.inc"
#include "domain/order/order_routes.inc"
#include "domain/billing/billing_routes.inc"
#include "domain/usage/usage_routes.inc"
    {"GET", "/api/v1/catalogues/public-key", catalogue_http_public_key, NULL, NONE, PUB, "catalogues", "PEM public key that verifies catalogue editions: ?key_id= names an edition's key, else the current one (public)", NULL, NULL, NULL, 200},
    {"GET", "/api/v1/signing-keys", keys_http_list, NULL, NONE, PUB, "catalogues", "Every signing key that ever signed: id, algorithm, PEM public key, validity (public)", NULL, NULL, "SigningKeyPage", 200},

    {"GET", "/api/v1/audit/verify", audit_http_verify, "audit.verify", NONE, 0, "audit", "Verify the whole hash chain", NULL, NULL, "AuditVerdict", 200},
    {"GET", "/api/v1/audit/checkpoints", audit_http_checkpoints, NULL, NONE, PUB | PAGED, "audit", "Signed checkpoints of the audit chain head, newest first (public)", NULL, NULL, "AuditCheckpointPage", 200},
};
/* clang-format on */

const int n_routes = (int)(sizeof(routes) / sizeof(routes[0]));
