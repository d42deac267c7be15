/*
 * billing_openapi.h - response schemas, list parameters and tags of the billing module, spliced
 * into the tables of http/openapi.c (which defines STR, ID, INT, PAGE ...). Every entry ends
 * with a comma.
 */
#ifndef EGOV_BILLING_OPENAPI_H
#define EGOV_BILLING_OPENAPI_H

#define BILL_STATE_ENUM "{\"enum\":[\"draft\",\"issued\",\"superseded\"]}"
#define DECIMAL_STR     "{\"type\":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-9]+)?$\"}"

#define BILLING_SCHEMAS                                                                            \
    {"BillingRun", "{\"type\":\"object\",\"properties\":{\"period\":" STR ",\"bills\":" INT        \
                   ",\"lines\":" INT ",\"records\":" INT ",\"total_fen\":" INT                     \
                   ",\"corrections\":" INT ",\"unchanged\":" INT ",\"elapsed_ms\":" INT "}}"},     \
        {"BillLine",                                                                               \
         "{\"type\":\"object\",\"properties\":{\"line_no\":" INT ",\"provider_id\":" ID            \
         ",\"provider_name\":" STR ",\"product_id\":" ID ",\"product_name\":" STR                  \
         ",\"metric_id\":" ID ",\"metric_name\":" STR ",\"unit\":" STR ",\"application\":" STR     \
         ",\"service_level\":{\"enum\":[\"basic\",\"standard\",\"premium\"]},\"basis_id\":" OPT_ID \
         ",\"price_source\":{\"enum\":[\"basis\",\"list\"]},\"budget_line_id\":" OPT_ID            \
         ",\"budget_code\":" STR ",\"quantity\":" DECIMAL_STR ",\"records\":" INT                  \
         ",\"amount_fen\":" INT "}}"},                                                             \
        {"Bill",                                                                                   \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"user_id\":" ID                      \
         ",\"user_name\":" STR ",\"period\":" STR ",\"version\":" INT                              \
         ",\"state\":" BILL_STATE_ENUM ",\"total_fen\":" INT ",\"line_count\":" INT                \
         ",\"records\":" INT ",\"reason\":" STR ",\"rated_at\":" TS ",\"rated_by\":" OPT_ID        \
         ",\"issued_at\":" OPT_STR ",\"issued_by\":" OPT_ID ",\"superseded_by\":" OPT_ID           \
         ",\"lines\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/"              \
         "BillLine\"}}}}"},                                                                        \
        {"BillPage", PAGE("Bill")},                                                                \
        {"SettlementRun",                                                                          \
         "{\"type\":\"object\",\"properties\":{\"period\":" STR ",\"statements\":" INT             \
         ",\"total_gross_fen\":" INT ",\"total_net_fen\":" INT ",\"corrections\":" INT             \
         ",\"unchanged\":" INT "}}"},                                                              \
        {"SettlementLine",                                                                         \
         "{\"type\":\"object\",\"properties\":{\"line_no\":" INT ",\"user_id\":" ID                \
         ",\"user_name\":" STR ",\"bill_id\":" ID ",\"product_id\":" ID ",\"product_name\":" STR   \
         ",\"line_count\":" INT ",\"amount_fen\":" INT "}}"},                                      \
        {"Settlement",                                                                             \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"provider_id\":" ID                  \
         ",\"provider_name\":" STR ",\"period\":" STR ",\"version\":" INT                          \
         ",\"state\":" BILL_STATE_ENUM ",\"gross_fen\":" INT ",\"coefficient\":" DECIMAL_STR       \
         ",\"net_fen\":" INT ",\"reason\":" STR ",\"rated_at\":" TS ",\"issued_at\":" OPT_STR      \
         ",\"issued_by\":" OPT_ID ",\"superseded_by\":" OPT_ID ",\"lines\":{\"type\":\"array\","   \
         "\"items\":{\"$ref\":\"#/components/schemas/SettlementLine\"}}}}"},                       \
        {"SettlementPage", PAGE("Settlement")},                                                    \
        {"QualityCoefficient",                                                                     \
         "{\"type\":\"object\",\"properties\":{\"provider_id\":" ID ",\"provider_name\":" STR      \
         ",\"period\":" STR ",\"coefficient\":" DECIMAL_STR ",\"note\":" STR ",\"set_by\":" OPT_ID \
         ",\"set_at\":" TS "}}"},                                                                  \
        {"QualityCoefficientPage", PAGE("QualityCoefficient")},                                    \
        {"SpendPoint",                                                                             \
         "{\"type\":\"object\",\"properties\":{\"period\":" STR ",\"total_fen\":" INT "}}"},       \
        {"SpendShare", "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"name\":" STR          \
                       ",\"total_fen\":" INT "}}"},                                                \
        {"Spend",                                                                                  \
         "{\"type\":\"object\",\"properties\":{\"from\":" STR ",\"to\":" STR                       \
         ",\"months\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/"             \
         "SpendPoint\"}},\"by_provider\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/"  \
         "schemas/SpendShare\"}},\"by_product\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/"      \
         "components/schemas/SpendShare\"}}}}"},                                                   \
        {"BudgetAlert",                                                                            \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"budget_line_id\":" ID               \
         ",\"budget_code\":" STR ",\"budget_name\":" STR ",\"fiscal_year\":" INT                   \
         ",\"user_id\":" ID ",\"user_name\":" STR ",\"threshold_pct\":" INT ",\"billed_fen\":" INT \
         ",\"amount_fen\":" INT ",\"bill_id\":" ID ",\"fired_at\":" TS                             \
         ",\"acknowledged_by\":" OPT_ID ",\"acknowledged_at\":" OPT_STR "}}"},                     \
        {"BudgetAlertPage", PAGE("BudgetAlert")},

#define BILLING_LIST_PARAMS                                                                        \
    {"/api/v1/bills", "period,user_id,state"},                                                     \
        {"/api/v1/settlements", "period,provider_id,state"},                                       \
        {"/api/v1/quality-coefficients", "period,provider_id"},                                    \
        {"/api/v1/billing/spend", "from,to,user_id,provider_id"},                                  \
        {"/api/v1/budget-alerts", "user_id,open"}, {"/api/v1/bills/{id}/export", "format"},        \
        {"/api/v1/settlements/{id}/export", "format"},

#define BILLING_TAGS                                                                               \
    {"bills", "Rating of usage into monthly bills per user agency, issued and corrected by "       \
              "version (T5-7.1, T5-7.2e)"},                                                        \
        {"settlements", "Monthly settlement statements per provider with the quality "             \
                        "coefficient"},

#endif
