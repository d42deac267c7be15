/*
 * order_openapi.h - response schemas, list parameters and tags of the order module, spliced into
 * the tables of http/openapi.c (which defines the STR, ID, PAGE ... helpers used here). Every
 * entry ends with a comma.
 */
#ifndef EGOV_ORDER_OPENAPI_H
#define EGOV_ORDER_OPENAPI_H

#define ORDER_SCHEMAS
#define ORDER_LIST_PARAMS
#define ORDER_TAGS

#endif
