/*
 * procurement_openapi.h - response schemas, list parameters and tags of the procurement module,
 * spliced into the tables of http/openapi.c (which defines the STR, ID, PAGE ... helpers used
 * here). Every entry ends with a comma.
 */
#ifndef EGOV_PROCUREMENT_OPENAPI_H
#define EGOV_PROCUREMENT_OPENAPI_H

#define PROCUREMENT_SCHEMAS
#define PROCUREMENT_LIST_PARAMS
#define PROCUREMENT_TAGS

#endif
