/*
 * openapi.c - the OpenAPI 3.1 document, generated from the route table (paths, methods,
 * permissions, request schemas from the field_spec tables) plus the response schemas below.
 * Nothing here is maintained by hand per route, so the document cannot drift from the server.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "system.h"
#include "jv.h"
#include "core/entity.h"
#include "core/log.h"
#include "domain/agreement/agreement.h"
#include "domain/org/org.h"
#include "domain/resource/resource.h"
#include "domain/order/order_openapi.h"
#include "domain/procurement/procurement_openapi.h"
#include "domain/usage/usage_openapi.h"
#include "domain/billing/billing_openapi.h"
#include "core/banned.h"

#define TS      "{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}"
#define ID      "{\"type\":\"integer\",\"format\":\"int64\",\"minimum\":1}"
#define OPT_ID  "{\"type\":[\"integer\",\"null\"],\"format\":\"int64\"}"
#define STR     "{\"type\":\"string\"}"
#define OPT_STR "{\"type\":[\"string\",\"null\"]}"
#define INT     "{\"type\":\"integer\"}"
#define DECIMAL "{\"type\":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-9]+)?$\"}"
#define LEVEL   "{\"type\":\"string\",\"enum\":[\"basic\",\"standard\",\"premium\"]}"
#define BOOL    "{\"type\":\"boolean\"}"
/* The lifecycle actions the caller may take now (lifecycle_actions), on single answers. */
#define ACTIONS(list)                                                                              \
    "\"actions\":{\"type\":\"array\",\"description\":\"the lifecycle actions the caller may "      \
    "take on this object now (answers of one object; not in lists)\",\"items\":{\"enum\":[" list   \
    "]}},\"blocked_actions\":{\"type\":\"array\",\"description\":\"actions the state, the "        \
    "caller's relation and permission allow but a rule refuses now, with the refusal\",\"items\":" \
    "{\"type\":\"object\",\"required\":[\"action\",\"rule\",\"detail\",\"params\"],"               \
    "\"properties\":{\"action\":{\"enum\":[" list "]},\"rule\":" STR ",\"detail\":" STR            \
    ",\"params\":{\"type\":\"object\",\"additionalProperties\":{\"type\":[\"string\","             \
    "\"integer\"]}}}}}"
#define PAGE(item)                                                                                 \
    "{\"type\":\"object\",\"required\":[\"items\",\"next_cursor\"],\"properties\":{\"items\":"     \
    "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/" item "\"}},"                 \
    "\"next_cursor\":{\"type\":[\"string\",\"null\"],\"description\":\"pass as ?cursor= for "      \
    "the next page; null on the last\"},\"total\":{\"type\":\"integer\"}}}"

static const struct {
    const char *name;
    const char *json;
} schemas[] = {
    {"Problem",
     "{\"type\":\"object\",\"description\":\"RFC 9457 problem details\",\"properties\":{"
     "\"type\":" STR ",\"title\":" STR ",\"status\":" INT ",\"detail\":" STR ",\"instance\":" STR
     ",\"request_id\":" STR ",\"rule\":" STR ",\"params\":{\"type\":\"object\",\"description\":"
     "\"the figures the refusal speaks of, by name (e.g. remaining_fen, trial_ends_on, lot_id)\","
     "\"additionalProperties\":{\"type\":[\"string\",\"integer\"]}},\"errors\":{\"type\":\"array\","
     "\"items\":{"
     "\"type\":\"object\",\"properties\":{\"field\":" STR ",\"rule\":" STR ",\"message\":" STR
     "}}}}}"},
    {"Health", "{\"type\":\"object\",\"properties\":{\"status\":" STR ",\"schema_version\":" INT
               ",\"store\":" STR "}}"},
    {"InstitutionPage", PAGE("Institution")},
    {"QualificationPage", PAGE("Qualification")},
    {"RelationPage", PAGE("InterestRelation")},
    {"PostPage", PAGE("Post")},
    {"PersonPage", PAGE("Person")},
    {"CertificatePage", PAGE("Certificate")},
    {"Session", "{\"type\":\"object\",\"properties\":{\"token\":" STR ",\"csrf_token\":" STR
                ",\"expires_at\":" TS ",\"person\":{\"$ref\":\"#/components/schemas/Person\"},"
                "\"institution\":{\"$ref\":\"#/components/schemas/InstitutionBrief\"}}}"},
    {"WhoAmI", "{\"type\":\"object\",\"properties\":{\"person\":{\"$ref\":\"#/components/"
               "schemas/Person\"},\"institution\":{\"$ref\":\"#/components/schemas/"
               "InstitutionBrief\"},\"permissions\":{\"type\":\"array\",\"items\":" STR
               "},\"expires_at\":" TS ",\"csrf_token\":" STR "}}"},
    {"AuditRecord",
     "{\"type\":\"object\",\"properties\":{\"seq\":" ID ",\"at\":" TS ",\"actor_id\":" OPT_ID
     ",\"actor_login\":" STR ",\"actor_institution_id\":" OPT_ID ",\"scope_institution_id\":" OPT_ID
     ",\"action\":" STR ",\"object_type\":" STR ",\"object_id\":" OPT_ID
     ",\"changes\":{\"type\":\"object\"},\"client_ip\":" STR ",\"request_id\":" STR ",\"hash\":" STR
     "}}"},
    {"AuditPage", PAGE("AuditRecord")},
    {"ResourceKind", "{\"type\":\"object\",\"properties\":{\"kind\":" STR ",\"units\":{\"type\":"
                     "\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"code\":" STR
                     ",\"name_zh\":" STR ",\"name_en\":" STR "}}}}}"},
    {"ResourceKindPage", PAGE("ResourceKind")},
    {"PoolPage", PAGE("Pool")},
    {"AllocationPage", PAGE("Allocation")},
    {"ConformityTestPage", PAGE("ConformityTest")},
    {"Publication", "{\"type\":\"object\",\"properties\":{\"edition\":" INT ",\"items\":" INT "}}"},
    {"Edition", "{\"type\":\"object\",\"properties\":{\"edition\":" INT ",\"publisher_id\":" ID
                ",\"publisher_name\":" STR ",\"published_at\":" TS ",\"items\":" INT
                ",\"key_id\":" STR ",\"signature\":" STR "}}"},
    {"EditionPage", PAGE("Edition")},
    {"SigningKey", "{\"type\":\"object\",\"properties\":{\"key_id\":" STR ",\"algorithm\":"
                   "{\"type\":\"string\",\"enum\":[\"ed25519\",\"sm2\"]},\"public_key_pem\":" STR
                   ",\"valid_from\":" TS ",\"retired_at\":" TS "}}"},
    {"SigningKeyPage", PAGE("SigningKey")},
    {"Product",
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"provider_id\":" ID
     ",\"provider_name\":" STR ",\"name\":" STR ",\"category\":" STR ",\"description\":" STR
     ",\"state\":" STR ",\"lifecycle_stage\":" STR ",\"region\":" STR ",\"recommended\":" BOOL
     ",\"recommend_note\":" STR ",\"eliminate_note\":" STR ",\"latest_test\":" STR
     ",\"candidate_reason\":{\"enum\":[\"failed_retest\",\"unused\"]},\"pool_ids\":{\"type\":"
     "\"array\",\"items\":" ID "},\"created_at\":" TS ",\"updated_at\":" TS ",\"version\":" INT
     "," ACTIONS("\"submit\",\"launch\",\"withdraw\",\"revise\",\"eliminate\"") "}}"},
    {"ProductPage", PAGE("Product")},
    {"Metric",
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"product_id\":" ID ",\"name\":" STR
     ",\"unit\":" STR ",\"method\":" STR ",\"list_price_fen\":" INT ",\"created_at\":" TS "}}"},
    {"MetricPage", PAGE("Metric")},
    {"Transition", "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"from_state\":" STR
                   ",\"to_state\":" STR ",\"lifecycle_stage\":" STR ",\"reason\":" STR ",\"at\":" TS
                   ",\"by_person\":" OPT_ID ",\"by_institution\":" OPT_ID "}}"},
    {"TransitionPage", PAGE("Transition")},
    {"ProductTest",
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"product_id\":" ID
     ",\"product_name\":" STR ",\"provider_id\":" ID ",\"evaluator_id\":" ID
     ",\"evaluator_name\":" STR ",\"assigned_by\":" OPT_ID ",\"status\":" STR ",\"findings\":" STR
     ",\"report_ref\":" STR ",\"tested_on\":" STR ",\"created_at\":" TS ",\"updated_at\":" TS "}}"},
    {"ProductTestPage", PAGE("ProductTest")},
    {"PriceBasis", "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"metric_id\":" ID
                   ",\"metric\":" STR ",\"unit\":" STR ",\"price_fen\":" INT ",\"measurement\":" STR
                   ",\"valid_from\":" STR ",\"valid_to\":" STR ",\"evaluator_id\":" ID
                   ",\"evaluator\":" STR ",\"published_at\":" TS ",\"rates\":{\"type\":"
                   "\"array\",\"items\":{\"$ref\":\"#/components/schemas/PriceRate\"}}}}"},
    {"PriceRate",
     "{\"type\":\"object\",\"description\":\"a graduated tier of a service level: the part "
     "of a month's quantity from tier_from to the next tier costs unit_price_fen per "
     "unit\",\"properties\":{\"service_level\":" LEVEL ",\"tier_from\":" DECIMAL
     ",\"unit_price_fen\":" DECIMAL "}}"},
    {"PriceBasisPage", PAGE("PriceBasis")},
    {"PriceBackdating", "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"metric_id\":" ID
                        ",\"valid_from\":" STR ",\"reason\":" STR ",\"management_id\":" ID
                        ",\"granted_by\":" OPT_ID ",\"created_at\":" TS "}}"},
    {"Document",
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"product_id\":" ID ",\"kind\":" STR
     ",\"title\":" STR ",\"content\":" STR ",\"session_date\":" STR ",\"created_at\":" TS "}}"},
    {"DocumentPage", PAGE("Document")},
    {"Agreement",
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"management_id\":" ID
     ",\"management_name\":" STR ",\"provider_id\":" ID ",\"provider_name\":" STR
     ",\"previous_id\":" OPT_ID ",\"title\":" STR ",\"number\":" INT ",\"state\":{\"enum\":["
     "\"draft\",\"signing\",\"in_force\",\"superseded\",\"expired\"]},\"valid_from\":" STR
     ",\"valid_to\":" STR ",\"clauses\":{\"type\":\"object\",\"additionalProperties\":" STR
     "},\"availability_bp\":" INT ",\"response_minutes\":{\"type\":\"array\",\"items\":" INT
     "},\"resolution_minutes\":{\"type\":\"array\",\"items\":" INT "},\"product_ids\":{"
     "\"type\":\"array\",\"items\":" ID "},\"pool_ids\":{\"type\":\"array\",\"items\":" ID
     "},\"management_signer\":" OPT_ID ",\"management_signed_at\":" TS
     ",\"provider_signer\":" OPT_ID ",\"provider_signed_at\":" TS ",\"created_at\":" TS
     ",\"updated_at\":" TS ",\"version\":" INT "}}"},
    {"AgreementPage", PAGE("Agreement")},
    {"BreachPage", PAGE("Breach")},
    PROCUREMENT_SCHEMAS ORDER_SCHEMAS USAGE_SCHEMAS BILLING_SCHEMAS{
        "AuditVerdict", "{\"type\":\"object\",\"properties\":{\"ok\":" BOOL ",\"records\":" INT
                        ",\"first_bad_seq\":" OPT_ID ",\"reason\":" OPT_STR "}}"},
    {"AuditCheckpoint",
     "{\"type\":\"object\",\"description\":\"A signed statement that audit record seq has hash "
     "hash; signed_text is the exact signed bytes (docs/audit.md)\",\"properties\":{\"seq\":" INT
     ",\"at\":" TS ",\"hash\":" STR ",\"hash_alg\":" STR ",\"reason\":" STR ",\"key_id\":" STR
     ",\"algorithm\":" STR ",\"signature\":" STR ",\"signed_text\":" STR "}}"},
    {"AuditCheckpointPage", PAGE("AuditCheckpoint")},
};

/* Query parameters of the list routes besides limit/cursor/total. */
static const struct {
    const char *pattern;
    const char *params;
} list_params[] = {
    {"/api/v1/institutions", "kind,level,status,region,q,parent_id,within"},
    {"/api/v1/qualifications", "institution_id,kind,expiring_before"},
    {"/api/v1/institutions/{id}/qualifications", "kind,expiring_before"},
    {"/api/v1/people", "institution_id,team,q,enabled"},
    {"/api/v1/certificates", "person_id,kind,expiring_before"},
    {"/api/v1/people/{id}/certificates", "kind,expiring_before"},
    {"/api/v1/audit", "actor_id,object_type,object_id,action,from,to"},
    {"/api/v1/resource-pools", "provider_id,kind,region,status"},
    {"/api/v1/resource-pools/{id}/allocations", "pool_id,user_id,status,reclaimable"},
    {"/api/v1/allocations", "pool_id,user_id,status,reclaimable"},
    {"/api/v1/conformity-tests", "pool_id,status"},
    {"/api/v1/products", "provider_id,category,state,q,recommended"},
    {"/api/v1/product-tests", "product_id,status"},
    {"/api/v1/products/{id}/prices", "on"},
    {"/api/v1/agreements", "provider_id,state,expiring_before"},
    PROCUREMENT_LIST_PARAMS ORDER_LIST_PARAMS BILLING_LIST_PARAMS{
        "/api/v1/catalogues/resources/editions/{number}", "publisher_id"},
    {"/api/v1/catalogues/resources/editions/{number}/signature", "publisher_id"},
    {"/api/v1/catalogues/products/editions/{number}", "publisher_id"},
    {"/api/v1/catalogues/products/editions/{number}/signature", "publisher_id"},
    {"/api/v1/catalogues/public-key", "key_id"},
};

static const char *const tags[][2] = {
    {"system", "Health, metrics and this document"},
    {"session", "Logging in and out"},
    {"institutions", "The four kinds of institution in their jurisdiction tree"},
    {"qualifications", "Qualifications of institutions (T5-11.2a)"},
    {"interest-relations", "Declared interest relations (T5-8.2f)"},
    {"posts", "Posts with their duties (T5-5.3a)"},
    {"people", "People in the two teams (T5-5.2b)"},
    {"certificates", "Certificates of people (T5-9.2b)"},
    {"audit", "The hash-chained audit trail"},
    {"resources", "Resource pools of providers (T5-6.1, T5-6.2b)"},
    {"allocations", "Capacity allocated to user agencies: configure, adjust, expand, release"},
    {"conformity-tests", "Conformity tests by independent evaluators (T5-6.2c, T5-8.2f)"},
    {"catalogues", "Signed, public catalogue editions"},
    {"products", "Service products, their metrics and documents (T5-7.1, T5-7.2d, T5-8.2d)"},
    {"product-lifecycle", "Lifecycle, recommendation and elimination (T5-3.4, T5-7.2a, T5-7.2b)"},
    {"resource-lifecycle", "Suspension, resumption and retirement of pools, recorded (T5-3.4)"},
    {"product-tests", "Tests before launch by independent evaluators (T5-7.2e, T5-8.2f)"},
    {"prices", "Measurement results and price basis with validity periods (T5-7.2e)"},
    {"agreements", "Service agreements with the nine clauses of T5-8.2a, signing and breaches"},
    PROCUREMENT_TAGS ORDER_TAGS USAGE_TAGS BILLING_TAGS};

/* ---------- schemas of described entities (core/entity.h) ---------- */

static json_t *field_schema(const struct entity_field *f)
{
    bool null = f->flags & EF_NULLABLE;
    json_t *p;
    switch (f->kind) {
    case EF_ID:
        p = null ? json_pack("{s:[s,s],s:s}", "type", "integer", "null", "format", "int64")
                 : json_pack("{s:s,s:s,s:i}", "type", "integer", "format", "int64", "minimum", 1);
        break;
    case EF_INT64:
    case EF_MONEY:
        p = json_pack("{s:s,s:s}", "type", "integer", "format", "int64");
        break;
    case EF_INT:
        p = json_pack("{s:s}", "type", "integer");
        break;
    case EF_BOOL:
        p = json_pack("{s:s}", "type", "boolean");
        break;
    case EF_TIME:
        /* 0 (never) is written as null */
        p = json_pack("{s:[s,s],s:s}", "type", "string", "null", "format", "date-time");
        break;
    case EF_DATE:
        p = json_pack("{s:s,s:s}", "type", "string", "format", "date");
        break;
    case EF_DECIMAL:
        p = json_pack("{s:s,s:s}", "type", "string", "pattern", "^[0-9]+(\\.[0-9]+)?$");
        break;
    case EF_CSV:
        p = json_pack("{s:s,s:{s:s}}", "type", "array", "items", "type", "string");
        break;
    case EF_ENUM: {
        json_t *e = json_array();
        for (int i = 0; f->values[i]; i++)
            json_array_append_new(e, json_string(f->values[i]));
        if (null)
            json_array_append_new(e, json_null());
        p = json_pack("{s:s,s:o}", "type", "string", "enum", e);
        break;
    }
    default: /* EF_TEXT */
        p = json_pack("{s:s}", "type", "string");
    }
    if (null && f->kind != EF_ID && f->kind != EF_TIME)
        json_object_set_new(p, "type", json_pack("[O,s]", json_object_get(p, "type"), "null"));
    if (f->description)
        json_object_set_new(p, "description", json_string(f->description));
    return p;
}

/*
 * The schema of an entity: its shown fields, all of them required unless EF_OPTIONAL, plus the
 * members its handlers add (extra: a JSON object of properties; the ones named in
 * extra_required are always present).
 */
static json_t *entity_schema(const struct entity *e, const char *extra, const char *extra_required)
{
    json_t *props = json_object(), *req = json_array();
    for (int i = 0; i < e->n_fields; i++) {
        const struct entity_field *f = &e->fields[i];
        if (f->flags & EF_HIDDEN)
            continue;
        json_object_set_new(props, f->name, field_schema(f));
        if (!(f->flags & EF_OPTIONAL))
            json_array_append_new(req, json_string(f->name));
    }
    if (extra) {
        json_error_t err;
        json_t *x = json_loads(extra, 0, &err);
        if (!x)
            die("openapi schema %s: %s at %d", e->name, err.text, err.column);
        json_object_update(props, x);
        json_decref(x);
    }
    for (const char *s = extra_required; s && *s;) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        json_array_append_new(req, json_stringn(s, len));
        s += len + (c ? 1 : 0);
    }
    return json_pack("{s:s,s:o,s:o}", "type", "object", "required", req, "properties", props);
}

static const struct {
    const struct entity *e;
    const char *extra;          /* members the handlers add, as schema properties */
    const char *extra_required; /* comma-separated */
} entity_schemas[] = {
    {&institution_entity, NULL, NULL},
    {&institution_brief_entity, NULL, NULL},
    {&qualification_entity, NULL, NULL},
    {&relation_entity, NULL, NULL},
    {&post_entity, NULL, NULL},
    {&person_entity,
     "{\"posts\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\","
     "\"name\"],\"properties\":{\"id\":" ID ",\"name\":" STR "}}},\"generated_password\":{"
     "\"type\":\"string\",\"description\":\"only in the answer to a creation without a "
     "password\"}}",
     "posts"},
    {&certificate_entity, NULL, NULL},
    {&pool_entity, "{" ACTIONS("\"suspend\",\"resume\",\"retire\"") "}", NULL},
    {&allocation_entity, NULL, NULL},
    {&conformity_test_entity, NULL, NULL},
    {&breach_entity, NULL, NULL},
};

static json_t *ref(const char *schema)
{
    return json_pack("{s:o}", "$ref", json_sprintf("#/components/schemas/%s", schema));
}

static json_t *content(const char *media_type, json_t *schema)
{
    return json_pack("{s:{s:o}}", media_type, "schema", schema);
}

static json_t *problem_response(const char *desc)
{
    return json_pack("{s:s,s:o}", "description", desc, "content",
                     content("application/problem+json", ref("Problem")));
}

static json_t *operation(const struct route *r)
{
    char opid[160];
    size_t o = 0;
    for (const char *p = r->method; *p && o < sizeof(opid) - 1; p++)
        opid[o++] = (char)tolower((unsigned char)*p);
    for (const char *p = r->pattern; *p && o < sizeof(opid) - 1; p++)
        opid[o++] = isalnum((unsigned char)*p) ? *p : '_';
    opid[o] = 0;

    json_t *op =
        json_pack("{s:s,s:s,s:[s]}", "operationId", opid, "summary", r->summary, "tags", r->tag);
    if (r->perm)
        json_object_set_new(op, "description",
                            json_sprintf("Permission: `%s` (see docs/permissions.md).", r->perm));
    json_t *params = json_array();
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        json_array_append_new(params, json_pack("{s:s%,s:s,s:b,s:{s:s,s:s,s:i}}", "name", p + 1,
                                                (size_t)(end - p - 1), "in", "path", "required", 1,
                                                "schema", "type", "integer", "format", "int64",
                                                "minimum", 1));
    }
    if (r->flags & RF_PAGED) {
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:{s:s,s:i,s:i}}", "name", "limit", "in", "query",
                                        "schema", "type", "integer", "minimum", 1, "maximum", 500));
        json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", "cursor", "in",
                                                "query", "schema", "type", "string"));
        /* only counted lists answer a total; the others refuse the parameter */
        if (r->flags & RF_TOTAL)
            json_array_append_new(params, json_pack("{s:s,s:s,s:{s:s}}", "name", "total", "in",
                                                    "query", "schema", "type", "boolean"));
    }
    for (size_t i = 0;
         !strcmp(r->method, "GET") && i < sizeof(list_params) / sizeof(list_params[0]); i++) {
        if (strcmp(list_params[i].pattern, r->pattern) != 0)
            continue;
        const char *s = list_params[i].params;
        while (*s) {
            const char *c = strchr(s, ',');
            size_t len = c ? (size_t)(c - s) : strlen(s);
            json_array_append_new(params, json_pack("{s:s%,s:s,s:{s:s}}", "name", s, len, "in",
                                                    "query", "schema", "type", "string"));
            s += len + (c ? 1 : 0);
        }
    }
    if (!strcmp(r->method, "PATCH") ||
        (!strcmp(r->method, "DELETE") && !strcmp(r->pattern, "/api/v1/institutions/{id}")))
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:s,s:{s:s}}", "name", "If-Match", "in", "header",
                                        "description", "the ETag you read; a stale one gets 412",
                                        "schema", "type", "string"));
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (r->stream)
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b,s:s,s:o}", "required", 1, "description",
                      "one UsageRecord (JSON) per line; any size, read as it arrives", "content",
                      content(r->stream->media_type, ref("UsageRecord"))));
    else if (r->body_schema)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:o}", "required", 1, "content",
                                      content("application/json", ref(r->body_schema))));
    json_t *resps = json_object();
    char code[8];
    json_t *ok;
    snprintf(code, sizeof(code), "%d", r->ok_status);
    if (r->resp_schema)
        ok = json_pack("{s:s,s:o}", "description", "Success", "content",
                       content("application/json", ref(r->resp_schema)));
    else if (!strcmp(r->pattern, "/metrics"))
        ok = json_pack("{s:s,s:o}", "description", "Prometheus text format", "content",
                       content("text/plain", json_pack("{s:s}", "type", "string")));
    else if (!strcmp(r->pattern, "/api/v1/openapi.json"))
        ok = json_pack("{s:s,s:o}", "description", "OpenAPI document", "content",
                       content("application/json", json_pack("{s:s}", "type", "object")));
    else
        ok = json_pack("{s:s}", "description", "Done");
    json_object_set_new(resps, code, ok);
    json_object_set_new(resps, "400", problem_response("Malformed request"));
    if (!(r->flags & RF_PUBLIC)) {
        json_object_set_new(resps, "401", problem_response("No valid session"));
        json_object_set_new(resps, "403", problem_response("Not allowed"));
    }
    if (strchr(r->pattern, '{'))
        json_object_set_new(resps, "404", problem_response("Absent or outside your jurisdiction"));
    if (r->flags & RF_BODY) {
        json_object_set_new(resps, "409", problem_response("Conflicts with a rule or the state"));
        json_object_set_new(resps, "413", problem_response("Body too large"));
        json_object_set_new(resps, "415", problem_response("Not application/json"));
        json_object_set_new(resps, "422", problem_response("Breaks a validation rule"));
    }
    if ((r->flags & RF_PAGED) ||
        (!strcmp(r->method, "GET") && json_array_size(json_object_get(op, "parameters")) > 1))
        json_object_set_new(resps, "422", problem_response("A query parameter breaks a rule"));
    if (!strcmp(r->method, "DELETE"))
        json_object_set_new(resps, "409", problem_response("Still in use, or not removable"));
    if (!strcmp(r->method, "PATCH"))
        json_object_set_new(resps, "412", problem_response("Stale If-Match"));
    if (!strcmp(r->pattern, "/api/v1/session") && !strcmp(r->method, "POST")) {
        json_object_set_new(resps, "401", problem_response("Wrong login or password"));
        json_object_set_new(resps, "429",
                            problem_response("Slowed down or locked (account, login name or "
                                             "address), or over the rate limit"));
        json_object_set_new(resps, "503",
                            problem_response("Too many logins being checked at "
                                             "once; Retry-After"));
    }
    json_object_set_new(op, "responses", resps);
    if (r->flags & RF_PUBLIC)
        json_object_set_new(op, "security", json_array());
    return op;
}

json_t *openapi_document(void)
{
    json_t *paths = json_object(), *comps = json_object(), *tag_list = json_array();
    for (int i = 0; i < n_routes; i++) {
        json_t *item = json_object_get(paths, routes[i].pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, routes[i].pattern, item);
        }
        char m[8];
        size_t k;
        for (k = 0; k < sizeof(m) - 1 && routes[i].method[k]; k++)
            m[k] = (char)tolower((unsigned char)routes[i].method[k]);
        m[k] = 0;
        json_object_set_new(item, m, operation(&routes[i]));
        if (routes[i].body_spec && routes[i].body_schema)
            json_object_set_new(comps, routes[i].body_schema, jv_schema(routes[i].body_spec));
    }
    for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
        json_error_t e;
        json_t *s = json_loads(schemas[i].json, 0, &e);
        if (!s)
            die("openapi schema %s: %s at %d", schemas[i].name, e.text, e.column);
        json_object_set_new(comps, schemas[i].name, s);
    }
    for (size_t i = 0; i < sizeof(entity_schemas) / sizeof(entity_schemas[0]); i++)
        json_object_set_new(comps, entity_schemas[i].e->name,
                            entity_schema(entity_schemas[i].e, entity_schemas[i].extra,
                                          entity_schemas[i].extra_required));
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
        json_array_append_new(
            tag_list, json_pack("{s:s,s:s}", "name", tags[i][0], "description", tags[i][1]));
    return json_pack(
        "{s:s,s:{s:s,s:s,s:s,s:{s:s,s:s}},s:[{s:s,s:s}],s:o,s:o,s:{s:o,s:{s:{s:s,s:s,s:s},s:{s:"
        "s,s:s,s:s}}},s:[{s:[]},{s:[]}]}",
        "openapi", "3.1.0", "info", "title", "egov service-management platform API", "version",
        "1.0.0", "description",
        "API of egov, the service-management platform of a cloud-based e-government common "
        "platform (GB/T 34077.5-2020, GB/T 34077.4-2021). Errors are application/problem+json "
        "(RFC 9457).",
        "license", "name", "Proprietary", "identifier", "LicenseRef-egov", "servers", "url", "/",
        "description", "this egov server", "tags", tag_list, "paths", paths, "components",
        "schemas", comps, "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
        "description", "token from POST /api/v1/session", "cookie", "type", "apiKey", "in",
        "cookie", "name", "egov_session", "security", "bearer", "cookie");
}
