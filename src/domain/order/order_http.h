/*
 * order_http.h - the order module's handlers and body specs.
 */
#ifndef EGOV_ORDER_HTTP_H
#define EGOV_ORDER_HTTP_H

#include "http/http.h"
#include "http/jv.h"

#endif
