/*
 * resource_entity.c - the resource module's entities described once (core/entity.h): resource
 * pools. The store reads rows, the handlers write JSON and openapi.c generates the schema from
 * this table; POOL_COLS in resource_store.c follows its order.
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
    P("status", EF_TEXT, 0, status, "p.status"),
    P("latest_test", EF_TEXT, RO, latest_test, "latest conformity_tests.status"),
    P("created_at", EF_TIME, RO, created_at, "p.created_at"),
    P("updated_at", EF_TIME, RO, updated_at, "p.updated_at"),
    P("version", EF_INT, RO, version, "p.version"),
};
const struct entity pool_entity = ENTITY("Pool", struct pool, pool_fields);
