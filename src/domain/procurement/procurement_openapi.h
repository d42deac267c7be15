/*
 * procurement_openapi.h - response schemas, list parameters and tags of the procurement module,
 * spliced into the tables of http/openapi.c (which defines the STR, ID, PAGE ... helpers used
 * here). Every entry ends with a comma.
 */
#ifndef EGOV_PROCUREMENT_OPENAPI_H
#define EGOV_PROCUREMENT_OPENAPI_H

/* clang-format off */
#define PROC_CATEGORY                                                                              \
    "{\"enum\":[\"planning_consulting\",\"service_design\",\"integration_implementation\","        \
    "\"operation_maintenance\",\"training_promotion\"]}"
#define PROC_STATE                                                                                 \
    "{\"enum\":[\"declared\",\"budgeted\",\"procuring\",\"supervising\",\"evaluating\","          \
    "\"closed\",\"cancelled\"]}"
#define PROC_LOT                                                                                   \
    "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"project_id\":" ID ",\"category\":"       \
    PROC_CATEGORY ",\"title\":" STR ",\"budget_fen\":" INT ",\"awarded_bid_id\":" OPT_ID           \
    ",\"awarded_provider_id\":" OPT_ID ",\"awarded_provider_name\":" STR ",\"award_fen\":" INT     \
    ",\"awarded_on\":" STR ",\"awarded_at\":" TS ",\"bids\":" INT ",\"created_at\":" TS "}}"

#define PROCUREMENT_SCHEMAS                                                                        \
    {"Project",                                                                                    \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"title\":" STR ",\"description\":" STR   \
     ",\"subject\":{\"enum\":[\"resource\",\"product\"]},\"state\":" PROC_STATE ",\"region\":" STR \
     ",\"declared_by\":" ID ",\"declared_by_name\":" STR ",\"declared_by_person\":" OPT_ID         \
     ",\"management_id\":" ID ",\"management_name\":" STR ",\"requested_fen\":" INT               \
     ",\"fiscal_year\":" INT ",\"budget_fen\":" INT ",\"budget_line\":" STR                        \
     ",\"supervisor_id\":" OPT_ID ",\"supervisor_name\":" STR                                      \
     ",\"score\":{\"type\":[\"integer\",\"null\"]},\"findings\":" STR ",\"evaluated_by\":" OPT_ID  \
     ",\"evaluated_at\":" TS ",\"cancel_reason\":" STR ",\"created_at\":" TS ",\"updated_at\":" TS \
     ",\"version\":" INT ",\"lots\":{\"type\":\"array\",\"items\":{\"$ref\":"                      \
     "\"#/components/schemas/Lot\"}}," ACTIONS("\"budget\",\"procuring\",\"supervising\","       \
                                             "\"evaluating\",\"closed\",\"cancelled\"") "}}"},  \
    {"ProjectPage", PAGE("Project")},                                                              \
    {"Lot", PROC_LOT},                                                                             \
    {"ProjectTransition",                                                                          \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"project_id\":" ID ",\"from_state\":"    \
     STR ",\"to_state\":" STR ",\"reason\":" STR ",\"at\":" TS ",\"by_person\":" OPT_ID            \
     ",\"by_institution\":" OPT_ID "}}"},                                                          \
    {"ProjectTransitionPage", PAGE("ProjectTransition")},                                          \
    {"Bid",                                                                                        \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"project_id\":" ID ",\"lot_id\":" ID     \
     ",\"lot_title\":" STR ",\"provider_id\":" ID ",\"provider_name\":" STR ",\"amount_fen\":" INT \
     ",\"note\":" STR ",\"status\":{\"enum\":[\"submitted\",\"awarded\",\"not_awarded\"]},"        \
     "\"submitted_by\":" OPT_ID ",\"created_at\":" TS ",\"updated_at\":" TS ",\"version\":" INT    \
     "}}"},                                                                                        \
    {"BidPage", PAGE("Bid")},                                                                      \
    {"Milestone",                                                                                  \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"project_id\":" ID ",\"title\":" STR     \
     ",\"due_on\":" STR ",\"done_on\":" OPT_STR ",\"created_at\":" TS ",\"updated_at\":" TS        \
     ",\"version\":" INT "}}"},                                                                    \
    {"MilestonePage", PAGE("Milestone")},                                                          \
    {"SupervisionRecord",                                                                          \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"project_id\":" ID                      \
     ",\"milestone_id\":" OPT_ID ",\"evaluator_id\":" ID ",\"evaluator_name\":" STR                \
     ",\"observation\":" STR ",\"conclusion\":{\"enum\":[\"conforming\","                          \
     "\"rectification_required\"]},\"recorded_on\":" STR ",\"recorded_by\":" OPT_ID                \
     ",\"created_at\":" TS "}}"},                                                                  \
    {"SupervisionRecordPage", PAGE("SupervisionRecord")},                                          \
    {"ProviderBar",                                                                                \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"provider_id\":" ID                     \
     ",\"provider_name\":" STR ",\"management_id\":" ID ",\"management_name\":" STR                \
     ",\"reason\":" STR ",\"valid_from\":" STR ",\"valid_to\":" STR ",\"in_force\":" BOOL          \
     ",\"created_by\":" OPT_ID ",\"created_at\":" TS ",\"lifted_at\":" TS ",\"lifted_by\":" OPT_ID \
     ",\"lift_reason\":" STR "}}"},                                                                \
    {"ProviderBarPage", PAGE("ProviderBar")},                                                      \
    {"MarketConcentration",                                                                        \
     "{\"type\":\"object\",\"properties\":{\"from\":" STR ",\"to\":" STR ",\"region\":" OPT_STR    \
     ",\"category\":" OPT_STR ",\"hhi_warning\":" INT ",\"groups\":{\"type\":\"array\",\"items\":" \
     "{\"type\":\"object\",\"properties\":{\"region\":" STR ",\"category\":" PROC_CATEGORY         \
     ",\"total_fen\":" INT ",\"hhi\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10000},"      \
     "\"warning\":" BOOL ",\"providers\":{\"type\":\"array\",\"items\":{\"type\":\"object\","      \
     "\"properties\":{\"provider_id\":" ID ",\"provider_name\":" STR ",\"awarded_fen\":" INT       \
     ",\"share_bp\":" INT ",\"awards\":" INT "}}}}}}}}"},

#define PROCUREMENT_LIST_PARAMS                                                                    \
    {"/api/v1/procurement-projects", "state,region"},                                              \
    {"/api/v1/provider-bars", "provider_id,in_force"},                                             \
    {"/api/v1/market-concentration", "from,to,region,category"},

#define PROCUREMENT_TAGS                                                                           \
    {"procurement", "Procurement projects: declaration, budget, lots, stages (T5-6.2a, T5-7.2c, "  \
                    "T5-8.2c)"},                                                                   \
    {"bids", "Bids and awards (T5-8.2b separation, T5-8.2f independence, T5-12.2c bars)"},        \
    {"supervision", "Milestones, supervision records and performance evaluation"},                 \
    {"provider-bars", "Bars on providers from bidding and awards (T5-12.2c)"},                     \
    {"market", "Market concentration: shares and HHI per region and category (T5-8.2b)"},
/* clang-format on */

#endif
