/*
 * agreement_entity.c - the agreement module's entities described once (core/entity.h): breaches
 * of an agreement. The store reads rows, the handlers write JSON and openapi.c generates the
 * schema from this table; SQL_BREACHES in agreement_store.c follows its order. (Agreements
 * themselves, with their nine clauses as one object and their SLA lists, are still written by
 * hand in agreement_http.c.)
 */
#include <stddef.h>

#include "agreement.h"
#include "core/entity.h"
#include "core/banned.h"

#define B(name, kind, flags, member, column)                                                       \
    {                                                                                              \
        name, kind, flags, offsetof(struct breach, member), column, NULL, 0, NULL                  \
    }

static const struct entity_field breach_fields[] = {
    B("id", EF_ID, EF_READONLY, id, "id"),
    B("agreement_id", EF_ID, EF_READONLY, agreement_id, "agreement_id"),
    B("clause", EF_TEXT, 0, clause, "clause"),
    B("facts", EF_TEXT, 0, facts, "facts"),
    B("evidence", EF_TEXT, 0, evidence, "evidence"),
    B("liability", EF_TEXT, 0, liability, "liability"),
    B("occurred_on", EF_TEXT, 0, occurred_on, "occurred_on"),
    B("recorded_by", EF_ID, EF_READONLY | EF_NULLABLE, recorded_by, "recorded_by"),
    B("created_at", EF_TIME, EF_READONLY, created_at, "created_at"),
};
const struct entity breach_entity = ENTITY("Breach", struct breach, breach_fields);
