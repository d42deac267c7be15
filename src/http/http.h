/*
 * http.h - the request, the response and the route, as the dispatcher and every *_http.c see
 * them. Nothing here knows libmicrohttpd: server.c fills a struct req from a socket and the
 * tests fill one by hand, and both call router_dispatch.
 */
#ifndef EGOV_HTTP_H
#define EGOV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct ctx;
struct app;
struct arena;

struct kv {
    const char *key;
    const char *value;
};

#define REQ_MAX_KV     128
#define REQ_MAX_PARAMS 4
/* Request line and headers, in bytes: a larger head gets egov's 431 problem. libmicrohttpd's
 * own 431 (an HTML page) only comes past its per-connection memory, four times this. */
#define REQ_MAX_HEAD 16384

struct req {
    const char *method;
    const char *path; /* without the query string, percent-decoded */
    struct kv query[REQ_MAX_KV];
    int n_query;
    struct kv headers[REQ_MAX_KV];
    int n_headers;
    const char *body;
    size_t body_len;
    bool body_too_large;
    bool too_many_headers;   /* more than REQ_MAX_KV headers or query parameters */
    bool headers_too_large;  /* request line and headers over REQ_MAX_HEAD bytes */
    bool rate_limited;       /* over the per-address rate limit */
    bool overloaded;         /* the password pool's queue is full */
    const char *bad_framing; /* why the message framing is refused (RFC 9112), or NULL */
    const char *nul_query;   /* a header or query parameter whose text holds a NUL, or NULL */
    const char *bad_field;   /* with bad_framing: the part named in the problem, or NULL */
    const char *bad_rule;    /* with bad_field: the rule it breaks */
    const char *client_ip;
    /* filled by the router */
    int64_t params[REQ_MAX_PARAMS];
    int n_params;
    json_t *json; /* decoded body (arena-released) */
};

struct jw;

struct resp {
    int status;
    const char *content_type;
    char *body; /* arena-owned, or jw's buffer */
    size_t len;
    struct jw *jw; /* when set, body is its buffer, which the server takes without a copy */
    struct kv headers[8];
    int n_headers;
};

typedef int (*handler_fn)(struct ctx *ctx, struct req *rq, struct resp *rs);

/* How the dispatcher finds the institution a path names, for the jurisdiction check. */
enum scope_rule {
    SCOPE_NONE,           /* lists and creations: the service scopes by the caller */
    SCOPE_INST_PATH,      /* params[0] is an institution */
    SCOPE_PERSON_PATH,    /* params[0] is a person */
    SCOPE_POOL_PATH,      /* params[0] is a resource pool */
    SCOPE_PRODUCT_PATH,   /* params[0] is a product */
    SCOPE_AGREEMENT_PATH, /* params[0] is a service agreement */
    SCOPE_PROJECT_PATH,   /* params[0] is a procurement project */
    SCOPE_ORDER_PATH      /* params[0] is an order */
};

enum route_flag {
    RF_PUBLIC = 1u << 0, /* no session needed */
    RF_BODY = 1u << 1,   /* a JSON object body is required */
    RF_PAGED = 1u << 2,  /* a list that pages with limit / cursor */
    RF_TOTAL = 1u << 3,  /* … and counts its matches on ?total=true */
    RF_STREAM = 1u << 4, /* the body is streamed to route->stream, of any size (POST only) */
};

struct field_spec;

/* A route whose body is handed to it in pieces as it arrives (RF_STREAM), so that its size is
 * bounded by nothing but the handler's work; the answer is rendered when the body ends. open runs
 * after the guards (authentication, permission); NULL with ctx->err set refuses the request
 * before a byte of the body is read. */
struct stream_ops {
    const char *media_type; /* of the body */
    void *(*open)(struct ctx *ctx, struct req *rq);
    int (*feed)(void *state, const char *data, size_t n); /* -1: stop reading (err in ctx) */
    void (*finish)(void *state, struct resp *rs);         /* renders the answer (or problem) */
    void (*abort)(void *state); /* the client went away before the end of the body */
};

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/institutions/{id}" */
    handler_fn handler;
    const char *perm; /* permission checked by access.c; NULL for RF_PUBLIC routes */
    enum scope_rule scope;
    unsigned flags;
    const char *tag;
    const char *summary;
    const struct field_spec *body_spec; /* request schema (NULL: none) */
    const char *body_schema;            /* component name of the request body */
    const char *resp_schema;            /* component name of the 2xx answer */
    int ok_status;
    const struct stream_ops *stream; /* RF_STREAM routes only */
};

extern const struct route routes[];
extern const int n_routes;

/* Runs the whole pipeline for one request; always fills rs (a problem on failure). */
void router_dispatch(struct app *app, struct arena *arena, struct req *rq, struct resp *rs);
/* Streamed requests (RF_STREAM routes). router_is_stream tells from the request line alone;
 * router_stream_open runs the guards and the route's open: NULL when refused, with the problem
 * in rs. feed hands a piece of the body over; finish renders the answer. */
struct stream_call;
bool router_is_stream(const char *method, const char *path);
/* True when method and path name a public route (no session needed: logging in). */
bool router_is_public(const char *method, const char *path);
struct stream_call *router_stream_open(struct app *app, struct arena *arena, struct req *rq,
                                       struct resp *rs);
void router_stream_feed(struct stream_call *sc, const char *data, size_t n);
void router_stream_finish(struct stream_call *sc, struct resp *rs);
void router_stream_abort(struct stream_call *sc);
/* Index of the matching route (params filled), -1 no path, -2 path but not method. */
int router_match(const char *method, const char *path, struct req *rq);

/* Request accessors. */
const char *req_header(const struct req *rq, const char *name);
const char *req_query(const struct req *rq, const char *name);
/* The value of cookie name in the Cookie header, or NULL; arena-owned. */
const char *req_cookie(struct ctx *ctx, const struct req *rq, const char *name);

/* Response helpers: the body is serialised compactly; ETag set when version > 0. */
int resp_json(struct ctx *ctx, struct resp *rs, int status, json_t *body);
/* The answer's streaming writer (core/jw.h): arena-owned, capped at RESP_MAX bytes. Write one
 * JSON value into it, then resp_jw makes it the answer; ERR_INTERNAL when the writer failed
 * (over the cap, or text that is not UTF-8). */
#define RESP_MAX ((size_t)64 << 20)
struct jw *resp_writer(struct ctx *ctx);
int resp_jw(struct ctx *ctx, struct resp *rs, int status, struct jw *w);
void resp_header(struct ctx *ctx, struct resp *rs, const char *k, const char *v);
/*
 * A file to download: len bytes of data (copied into the arena, any bytes) with content_type
 * and Content-Disposition: attachment; filename="…" (printable ASCII, every other byte run and
 * " \ / % replaced by _) plus, when the name is not plain ASCII, filename*=UTF-8''… (RFC 5987,
 * for Chinese names). filename is UTF-8 without a folder. The server sends it as given, with
 * Cache-Control: no-store and nosniff, neither compressed nor tagged. Always returns 0.
 */
int resp_file(struct ctx *ctx, struct resp *rs, int status, const char *content_type,
              const char *filename, const void *data, size_t len);
#define RESP_CSV  "text/csv; charset=utf-8"
#define RESP_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
void resp_etag(struct ctx *ctx, struct resp *rs, int64_t id, int version);
void resp_problem(struct ctx *ctx, struct resp *rs, const char *instance);

/* If-Match → expected version: -1 when absent; ERR_BAD_REQUEST when malformed. */
int req_if_match(struct ctx *ctx, const struct req *rq, int *version);

#endif
