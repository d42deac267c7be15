/*
 * usage_openapi.h - response schemas and tags of the usage module, spliced into the tables of
 * http/openapi.c (which defines STR, ID, INT, PAGE ...). Every entry ends with a comma.
 */
#ifndef EGOV_USAGE_OPENAPI_H
#define EGOV_USAGE_OPENAPI_H

#define USAGE_OUTCOME                                                                              \
    "{\"type\":\"object\",\"properties\":{\"line\":" INT ",\"id\":" STR                            \
    ",\"outcome\":{\"enum\":[\"duplicated\",\"rejected\"]},\"rule\":" STR ",\"field\":" STR        \
    ",\"message\":" STR "}}"
#define USAGE_SCHEMAS                                                                              \
    {"UsageRecord",                                                                                \
     "{\"type\":\"object\",\"required\":[\"id\",\"allocation_id\",\"metric_id\",\"quantity\","     \
     "\"start\",\"end\"],\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":"         \
     "\"string\",\"maxLength\":64,\"pattern\":\"^[A-Za-z0-9._:-]+$\",\"description\":\"the "       \
     "idempotency key; time-ordered ids (ULID, UUIDv7) ingest fastest\"},\"allocation_id\":" ID    \
     ",\"metric_id\":" ID ",\"provider_id\":" ID ",\"user_id\":" ID                                \
     ",\"quantity\":{\"type\":[\"string\",\"integer\"],\"description\":\"exact decimal, at "       \
     "most 6 places, as a string (\\\"12.5\\\") or an integer\"},\"start\":{\"type\":\"string\","  \
     "\"format\":\"date-time\"},\"end\":{\"type\":\"string\",\"format\":\"date-time\"},"           \
     "\"source\":{\"type\":\"string\",\"maxLength\":64}}}"},                                       \
        {"UsageOutcome", USAGE_OUTCOME}, {"UsageOutcomePage", PAGE("UsageOutcome")},               \
        {"UsageAnswer",                                                                            \
         "{\"type\":\"object\",\"properties\":{\"batch_id\":" ID ",\"records\":" INT               \
         ",\"accepted\":" INT ",\"duplicated\":" INT ",\"rejected\":" INT                          \
         ",\"outcomes_not_stored\":" INT                                                           \
         ",\"outcomes\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/"           \
         "UsageOutcome\"}},\"more_outcomes\":" OPT_STR "}}"},                                      \
        {"UsageBatch",                                                                             \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"origin\":{\"enum\":[\"api\","       \
         "\"import\"]},\"provider_id\":" INT ",\"started_at\":" STR ",\"finished_at\":" STR        \
         ",\"accepted\":" INT ",\"duplicated\":" INT ",\"rejected\":" INT                          \
         ",\"outcomes_not_stored\":" INT "}}"},
#define USAGE_TAGS {"usage", "Metered usage records: streamed ingest, batches, outcomes (T5-7.1)"},

#endif
