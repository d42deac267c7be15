/*
 * order_openapi.h - response schemas, list parameters and tags of the order module, spliced into
 * the tables of http/openapi.c (which defines the STR, ID, PAGE ... helpers used here). Every
 * entry ends with a comma.
 */
#ifndef EGOV_ORDER_OPENAPI_H
#define EGOV_ORDER_OPENAPI_H

#define ORDER_STATE_ENUM                                                                           \
    "{\"enum\":[\"applied\",\"approved\",\"refused\",\"delivered\",\"rejected\",\"in_service\","   \
    "\"released\"]}"

#define ORDER_SCHEMAS                                                                              \
    {"BudgetLine",                                                                                 \
     "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"user_id\":" ID ",\"user_name\":" STR    \
     ",\"fiscal_year\":" INT ",\"code\":" STR ",\"name\":" STR ",\"amount_fen\":" INT              \
     ",\"used_fen\":" INT ",\"remaining_fen\":" INT ",\"billed_fen\":" INT ",\"billed_pct\":" INT  \
     ",\"created_by\":" OPT_ID ",\"created_at\":" TS "}}"},                                        \
        {"BudgetLinePage", PAGE("BudgetLine")},                                                    \
        {"OrderItem", "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"product_id\":" OPT_ID  \
                      ",\"pool_id\":" OPT_ID ",\"name\":" STR ",\"unit\":" STR                     \
                      ",\"quantity\":" INT ",\"service_level\":" LEVEL                             \
                      ",\"allocation_id\":" OPT_ID ",\"allocation_status\":" STR "}}"},            \
        {"Order",                                                                                  \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"user_id\":" ID                      \
         ",\"user_name\":" STR ",\"provider_id\":" ID ",\"provider_name\":" STR                    \
         ",\"budget_line_id\":" ID ",\"budget_code\":" STR ",\"application\":" STR                 \
         ",\"justification\":" STR ",\"estimated_fen\":" INT ",\"state\":" ORDER_STATE_ENUM        \
         ",\"trial_months\":" INT ",\"trial_justification\":" STR ",\"delivered_on\":" STR         \
         ",\"trial_ends_on\":" STR ",\"accepted_on\":" STR ",\"items\":{\"type\":\"array\","       \
         "\"items\":{\"$ref\":\"#/components/schemas/OrderItem\"}},\"applied_by\":" OPT_ID         \
         ",\"created_at\":" TS ",\"updated_at\":" TS ",\"version\":" INT "," ACTIONS(              \
             "\"approve\",\"refuse\",\"deliver\",\"accept\",\"reject\",\"release\"") "}}"},        \
        {"OrderPage", PAGE("Order")},                                                              \
        {"OrderTransition",                                                                        \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"from_state\":" STR                  \
         ",\"to_state\":" STR ",\"reason\":" STR ",\"by_person\":" OPT_ID                          \
         ",\"by_institution\":" OPT_ID ",\"by_name\":" STR ",\"at\":" TS "}}"},                    \
        {"OrderTransitionPage", PAGE("OrderTransition")},                                          \
        {"OrderChange",                                                                            \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"order_id\":" ID ",\"item_id\":" ID  \
         ",\"op\":{\"enum\":[\"adjust\",\"expand\"]},\"quantity\":" INT ",\"reason\":" STR         \
         ",\"status\":{\"enum\":[\"requested\",\"applied\",\"cancelled\"]},\"quantity_"            \
         "before\":" INT ",\"quantity_after\":" INT ",\"requested_by\":" OPT_ID                    \
         ",\"requested_at\":" TS ",\"applied_by\":" OPT_ID ",\"applied_at\":" TS "}}"},            \
        {"OrderChangePage", PAGE("OrderChange")},                                                  \
        {"FeedbackAnswer",                                                                         \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"feedback_id\":" ID ",\"text\":" STR \
         ",\"by_person\":" OPT_ID ",\"by_institution\":" OPT_ID ",\"by_name\":" STR                \
         ",\"created_at\":" TS "}}"},                                                              \
        {"Feedback",                                                                               \
         "{\"type\":\"object\",\"properties\":{\"id\":" ID ",\"order_id\":" ID                     \
         ",\"rating\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},\"comment\":" STR         \
         ",\"by_person\":" OPT_ID ",\"by_institution\":" OPT_ID ",\"by_name\":" STR                \
         ",\"created_at\":" TS ",\"answers\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/"         \
         "components/schemas/FeedbackAnswer\"}}}}"},                                               \
        {"FeedbackPage", PAGE("Feedback")},

#define ORDER_LIST_PARAMS                                                                          \
    {"/api/v1/orders", "state,user_id,provider_id"},                                               \
        {"/api/v1/budget-lines", "user_id,fiscal_year"},

#define ORDER_TAGS                                                                                 \
    {"budget-lines", "Budget lines of user agencies that orders are paid from (T5-8.2c)"},         \
        {"orders", "Orders: application, approval, delivery, trial, acceptance, changes, release " \
                   "(T5-5.3c, T5-6.2b, T5-7.2d, T5-8.2e)"},                                        \
        {"feedback", "Feedback with satisfaction ratings and the provider's answers (T5-8.2e, "    \
                     "T5-10.2e)"},

#endif
