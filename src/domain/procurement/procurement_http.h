/*
 * procurement_http.h - the procurement module's handlers and body specs.
 */
#ifndef EGOV_PROCUREMENT_HTTP_H
#define EGOV_PROCUREMENT_HTTP_H

#include "http/http.h"
#include "http/jv.h"

#endif
