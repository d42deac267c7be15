/*
 * handler_util.h - what every *_http.c needs to read query parameters and write JSON, so that
 * no handler repeats paging, id parsing or time formatting.
 */
#ifndef EGOV_HANDLER_UTIL_H
#define EGOV_HANDLER_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/page.h"
#include "http.h"

struct ctx;

/* limit, cursor, total=true from the query string; -1 with a field error when malformed. */
int q_page(struct ctx *ctx, const struct req *rq, struct page_req *p);
/* Optional positive id parameter (0 when absent). */
int q_id(struct ctx *ctx, const struct req *rq, const char *name, int64_t *out);
/* Optional text parameter of at most max characters (NULL when absent). */
int q_text(struct ctx *ctx, const struct req *rq, const char *name, int max, const char **out);
/*
 * Typed optional parameters (NULL when absent or empty), checked the way body fields are: 422
 * naming the parameter and the rule (enum, date, period). Every list reads a parameter of one
 * of these kinds through these functions, so `?period=abc` and `?state=foo` are refused alike
 * (issue 12).
 */
int q_enum(struct ctx *ctx, const struct req *rq, const char *name, const char *const *allowed,
           const char **out);
/* A calendar date YYYY-MM-DD. */
int q_date(struct ctx *ctx, const struct req *rq, const char *name, const char **out);
/* A month YYYY-MM (billing periods). */
int q_period(struct ctx *ctx, const struct req *rq, const char *name, const char **out);
/* A GB/T 2260 division code (check_region); with prefix, also its leading 2 or 4 digits. */
int q_region(struct ctx *ctx, const struct req *rq, const char *name, bool prefix,
             const char **out);
/* An RFC 3339 time as Unix milliseconds (0 when absent). */
int q_time(struct ctx *ctx, const struct req *rq, const char *name, int64_t *out);
/* Optional boolean parameter: -1 absent, 0 false, 1 true. */
int q_bool(struct ctx *ctx, const struct req *rq, const char *name, int *out);
/* Rejects query parameters not in the NULL-terminated list. */
int q_only(struct ctx *ctx, const struct req *rq, const char *const *allowed);

json_t *j_str(const char *s);
json_t *j_time(int64_t ms);
json_t *j_id(int64_t id); /* null for 0 */
/* {"items": items, "next_cursor": …, "total"?: …}; steals items. */
json_t *j_page(json_t *items, const struct page_info *info);
struct lifecycle;
/* Adds "actions" to the entity answer o: the lifecycle actions the caller may take on entity
 * now (lifecycle_actions), and "blocked_actions": those its state, relation and permission
 * allow but a guard refuses, each with its rule, detail and params. -1 with ctx->err when the
 * store fails; o is then released. */
int j_actions(struct ctx *ctx, json_t *o, const struct lifecycle *lc, const void *entity);

struct entity;
/* Answers obj, described by e (core/entity.h), written straight into the body. */
int resp_entity(struct ctx *ctx, struct resp *rs, int status, const struct entity *e,
                const void *obj);
/* Answers a page of n items described by e: {"items":[…],"next_cursor":…[,"total":…]}. */
int resp_page(struct ctx *ctx, struct resp *rs, const struct entity *e, const void *items, int n,
              const struct page_info *info);
/* Answers obj as resp_entity does, with the "actions" and "blocked_actions" of lifecycle lc
 * (the members j_actions adds), written through the same streaming writer. */
int resp_entity_actions(struct ctx *ctx, struct resp *rs, int status, const struct entity *e,
                        const void *obj, const struct lifecycle *lc);

/* Decodes rq->json with a spec; wraps jv_decode. */
int body_decode(struct ctx *ctx, struct req *rq, const struct field_spec *spec, void *target,
                unsigned *has);

#endif
