/*
 * resource_entity.c - the resource module's entities described once (core/entity.h): resource
 * pools, allocations and conformity tests. The store reads rows, the handlers write JSON and
 * openapi.c generates the schemas from these tables; POOL_COLS, ALLOC_COLS and TEST_COLS in
 * resource_store.c follow their order.
 */
#include <stddef.h>

#include "resource.h"
#include "core/entity.h"
#include "core/banned.h"

#define RO EF_READONLY
#define P(name, kind, flags, member, column)                                                       \
    {                                                                                              \
        name, kind, flags, offsetof(struct pool, member), column, NULL, 0, NULL                    \
    }

static const struct entity_field pool_fields[] = {
    P("id", EF_ID, RO, id, "p.id"),
    P("provider_id", EF_ID, 0, provider_id, "p.provider_id"),
    P("provider_name", EF_TEXT, RO, provider_name, "i.name"),
    P("name", EF_TEXT, 0, name, "p.name"),
    P("kind", EF_TEXT, 0, kind, "p.kind"),
    P("unit", EF_TEXT, 0, unit, "p.unit"),
    P("specification", EF_TEXT, 0, specification, "p.specification"),
    P("capacity", EF_INT64, 0, capacity, "p.capacity"),
    P("allocated", EF_INT64, RO, allocated, "p.allocated"),
    /* derived: set where the pool is answered, so that it follows a changed capacity */
    P("free", EF_INT64, RO, n_free, NULL),
    P("region", EF_TEXT, 0, region, "p.region"),
    P("security_level", EF_INT64, 0, security_level, "p.security_level"),
    /* the lifecycle's state (pool_lifecycle in resource.c) */
    ENUM_FIELD(struct pool, "status", 0, status, "p.status", pool_statuses),
    P("latest_test", EF_TEXT, RO, latest_test, "latest conformity_tests.status"),
    P("created_at", EF_TIME, RO, created_at, "p.created_at"),
    P("updated_at", EF_TIME, RO, updated_at, "p.updated_at"),
    P("version", EF_INT, RO, version, "p.version"),
};
const struct entity pool_entity = ENTITY("Pool", struct pool, pool_fields);

#define A(name, kind, flags, member, column)                                                       \
    {                                                                                              \
        name, kind, flags, offsetof(struct allocation, member), column, NULL, 0, NULL              \
    }
static const struct entity_field allocation_fields[] = {
    A("id", EF_ID, RO, id, "a.id"),
    A("pool_id", EF_ID, RO, pool_id, "a.pool_id"),
    A("user_id", EF_ID, 0, user_id, "a.user_id"),
    A("user_name", EF_TEXT, RO, user_name, "u.name"),
    A("application", EF_TEXT, 0, application, "a.application"),
    A("quantity", EF_INT64, 0, quantity, "a.quantity"),
    A("status", EF_TEXT, RO, status, "a.status"),
    ENUM_FIELD(struct allocation, "service_level", 0, service_level, "a.service_level",
               service_levels),
    A("use_by", EF_TEXT, 0, use_by, "a.use_by"),
    A("first_used_on", EF_TEXT, 0, first_used_on, "a.first_used_on"),
    A("reclaimable", EF_BOOL, RO, reclaimable, "unused past use_by"),
    A("created_at", EF_TIME, RO, created_at, "a.created_at"),
    A("updated_at", EF_TIME, RO, updated_at, "a.updated_at"),
    A("version", EF_INT, RO, version, "a.version"),
    /* the start of service: the creation unless an earlier one was stated with a reason */
    A("service_start", EF_TIME, RO, service_start_at, "a.service_start, else a.created_at"),
    A("service_start_reason", EF_TEXT, RO, service_start_reason, "a.service_start_reason"),
    A("service_start_stated", EF_TIME, RO | EF_HIDDEN, service_start, "a.service_start"),
};
const struct entity allocation_entity = ENTITY("Allocation", struct allocation, allocation_fields);

#define T(name, kind, flags, member, column)                                                       \
    {                                                                                              \
        name, kind, flags, offsetof(struct conformity_test, member), column, NULL, 0, NULL         \
    }
static const struct entity_field conformity_test_fields[] = {
    T("id", EF_ID, RO, id, "t.id"),
    T("pool_id", EF_ID, RO, pool_id, "t.pool_id"),
    T("pool_name", EF_TEXT, RO, pool_name, "p.name"),
    T("provider_id", EF_ID, RO, provider_id, "p.provider_id"),
    T("evaluator_id", EF_ID, 0, evaluator_id, "t.evaluator_id"),
    T("evaluator_name", EF_TEXT, RO, evaluator_name, "e.name"),
    T("assigned_by", EF_ID, RO | EF_NULLABLE, assigned_by, "t.assigned_by"),
    T("status", EF_TEXT, RO, status, "t.status"),
    T("findings", EF_TEXT, 0, findings, "t.findings"),
    T("report_ref", EF_TEXT, 0, report_ref, "t.report_ref"),
    T("tested_on", EF_TEXT, 0, tested_on, "t.tested_on"),
    T("created_at", EF_TIME, RO, created_at, "t.created_at"),
    T("updated_at", EF_TIME, RO, updated_at, "t.updated_at"),
    T("version", EF_INT, RO, version, "t.version"),
};
const struct entity conformity_test_entity =
    ENTITY("ConformityTest", struct conformity_test, conformity_test_fields);
