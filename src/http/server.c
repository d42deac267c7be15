/*
 * server.c - libmicrohttpd glue and nothing else: no routing, no rules. The request owns one
 * arena, released in the completion callback (the only place request resources are freed).
 * The body is accumulated in a buffer capped at body_max while it is being read: a larger
 * body is answered 413 without being stored. The edge defences of docs/security.md live here:
 * the web root that cannot be escaped, header names that must be tokens, the per-address
 * connection limit and the read deadlines that a trickle of bytes cannot extend.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"
#include "http.h"
#include "app.h"
#include "core/arena.h"
#include "core/jw.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/workpool.h"
#include "core/timeutil.h"
#include "jobs/jobs.h"
#include "core/banned.h"

struct conn_state {
    struct arena *arena;
    struct strbuf body;
    struct req rq;
    bool answered;
    size_t dropped;             /* body bytes read and thrown away past the limit */
    struct stream_call *stream; /* a streamed body (RF_STREAM route) */
    bool body_unread;           /* answered before reading the body: close afterwards */
    /* A login handed to the password pool: the connection is suspended meanwhile. */
    bool deferred;
    bool ready; /* rs holds the answer; the connection was resumed to send it */
    struct resp rs;
    struct MHD_Connection *conn;
    struct server *srv;
    size_t head_len; /* request line and headers, in bytes */
};

struct rl_slot {
    uint32_t key;
    int64_t second;
    int count;
};

/* One open connection as the deadline watcher sees it (libmicrohttpd's socket context). */
struct conn_watch {
    int fd;
    int64_t deadline_ns; /* monotonic; 0 while egov itself holds the request */
    bool is_cut;
    struct conn_watch *prev, *next;
};

struct server {
    struct app *app;
    int root_fd; /* the web root, opened once; -1 when no console is served */
    pthread_mutex_t rl_lock;
    struct rl_slot rl[4096];      /* every request (rate_limit) */
    struct rl_slot rl_anon[4096]; /* requests without a session, logins included */
    struct workpool *pool;        /* verifies passwords (logins) off the HTTP workers */
    /* The read deadlines: every connection is listed from its start to its end, and a watcher
     * thread shuts down the socket of one whose deadline has passed. */
    pthread_mutex_t watch_lock;
    pthread_cond_t watch_wake;
    struct conn_watch *watched;
    bool is_stopping;
    pthread_t watcher;
};

/* Header names are tokens (RFC 9110 5.6.2). "Transfer-Encoding : chunked" is not one: a proxy
 * that trims the space before the colon would frame the message differently from us. */
static bool is_token(const char *s)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch && strchr(extra, ch))))
            return false;
    }
    return true;
}

/* MHD gives the lengths of keys and values: an encoded NUL (%00) in a query parameter shows as a
 * value longer than its C string, which every later reader would silently cut. */
static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                               const char *value, size_t value_size)
{
    struct conn_state *st = cls;
    struct req *rq = &st->rq;
    if (!rq->nul_query && (strlen(key) != key_size || (value && strlen(value) != value_size)))
        rq->nul_query = arena_strdup(st->arena, key);
    struct kv *arr = kind == MHD_HEADER_KIND ? rq->headers : rq->query;
    int *n = kind == MHD_HEADER_KIND ? &rq->n_headers : &rq->n_query;
    if (*n >= REQ_MAX_KV) {
        /* Refuse the request rather than drop a header: a lost If-Match would silently
         * overwrite. */
        rq->too_many_headers = true;
        return MHD_NO;
    }
    if (kind == MHD_HEADER_KIND) {
        st->head_len += strlen(key) + (value ? strlen(value) : 0) + 4;
        if (st->head_len > REQ_MAX_HEAD)
            rq->headers_too_large = true;
        if (!is_token(key) && !rq->bad_framing) {
            rq->bad_framing = "a header name must be a token: no white space before the colon, "
                              "no separators or control characters (RFC 9110 5.1)";
            rq->bad_field = "header";
            rq->bad_rule = "token";
        }
    }
    arr[*n].key = arena_strdup(st->arena, key);
    arr[*n].value = arena_strdup(st->arena, value ? value : "");
    (*n)++;
    return MHD_YES;
}

static const char *client_ip(struct conn_state *st, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                      sizeof(buf));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                      sizeof(buf));
    }
    return arena_strdup(st->arena, buf);
}

/* A fixed window of one second per client address; collisions only make the limit stricter. */
static bool rate_limited(struct server *srv, struct rl_slot *table, int limit, const char *ip)
{
    uint32_t h = 2166136261u;
    bool over;
    if (limit <= 0)
        return false;
    for (const char *p = ip; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    int64_t now = (int64_t)time(NULL);
    pthread_mutex_lock(&srv->rl_lock);
    struct rl_slot *s = &table[h % 4096];
    if (s->key != h || s->second != now) {
        s->key = h;
        s->second = now;
        s->count = 0;
    }
    over = ++s->count > limit;
    pthread_mutex_unlock(&srv->rl_lock);
    return over;
}

/* 19.3: a login, or an API request that carries no session, is held to rate_limit_anon per
 * address and second, on by default: whoever has no account cannot make egov hash passwords or
 * write refusals at will. Public reads (published catalogues, probes) and the console's files
 * are not counted: they write nothing and a portal page needs several. */
static bool anonymous_api_call(struct MHD_Connection *conn, const char *method, const char *url)
{
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
    if (strncmp(url, "/api/", 5) != 0)
        return false;
    if (router_is_public(method, url))
        return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    return !(auth && !strncasecmp(auth, "Bearer ", 7)) &&
           !(cookie && strstr(cookie, "egov_session="));
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static const char *mime_of(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

static bool is_api_path(const char *url)
{
    return !strncmp(url, "/api/", 5) || !strcmp(url, "/healthz") || !strcmp(url, "/readyz") ||
           !strcmp(url, "/metrics");
}

/* The console's Content-Security-Policy. Scripts and everything else come only from the
 * console's own origin; style-src needs 'unsafe-inline' because Element Plus and ECharts set
 * style attributes from script (positions of popovers, widths of columns, chart sizes), which
 * a nonce cannot cover (docs/security.md). No page may frame the console (clickjacking). */
static const char csp_console[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/* API answers are data, never documents: nothing in them may load or be framed. */
static const char csp_api[] = "default-src 'none'; frame-ancestors 'none'";

static void security_headers(struct server *srv, struct MHD_Response *r, const char *csp)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    /* Only when egov is known to be reached over HTTPS: HSTS over plain HTTP would be ignored
     * by browsers, and sent from a plain-HTTP deployment it would promise what is not there.
     * No includeSubDomains: other hosts of the domain are not ours to bind. */
    if (srv->app->cfg.cookie_secure)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

/*
 * Opens the file that an origin-form path ("/assets/a.js") names beneath the web root, one
 * component at a time relative to the root's descriptor, never as joined text: a component may
 * not be empty, start with a dot (".", "..", dotfiles such as .env or .git) or be a symbolic
 * link (O_NOFOLLOW), so neither a sibling of the root (dist-private, dist.bak) nor a link out
 * of it can be reached. O_NONBLOCK: opening a FIFO planted in the root must not hang a worker.
 * Returns the descriptor of a regular file (caller closes) with *st filled, or -1.
 */
static int open_beneath(int root_fd, const char *path, struct stat *st)
{
    char part[256];
    int dir = root_fd, fd = -1;
    const char *p = path;

    if (root_fd < 0 || *p != '/')
        return -1;
    while (*p == '/') {
        const char *name = p + 1;
        const char *slash = strchr(name, '/');
        size_t n = slash ? (size_t)(slash - name) : strlen(name);
        int next;
        if (n == 0 || n >= sizeof(part) || name[0] == '.')
            break;
        memcpy(part, name, n);
        part[n] = 0;
        next = openat(dir, part,
                      O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (slash ? O_DIRECTORY : O_NONBLOCK));
        if (dir != root_fd)
            close(dir);
        dir = root_fd;
        if (next < 0)
            break;
        if (!slash) {
            fd = next;
            break;
        }
        dir = next;
        p = slash;
    }
    if (dir != root_fd)
        close(dir);
    if (fd >= 0 && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static enum MHD_Result answer(struct server *srv, struct MHD_Connection *conn,
                              struct conn_state *st);

/* The console: hashed assets are cached for a year, index.html never; unknown paths without an
 * extension fall back to index.html so that client routes survive a reload. A missing file gets
 * the router's 404 problem, with the same security headers as every other answer. */
static enum MHD_Result serve_static(struct server *srv, struct MHD_Connection *conn,
                                    struct conn_state *st, const char *url)
{
    struct stat stt;
    const char *path = !strcmp(url, "/") ? "/index.html" : url;
    bool fallback = false;
    int fd = strlen(url) <= 512 ? open_beneath(srv->root_fd, path, &stt) : -1;

    if (fd < 0) {
        const char *slash = strrchr(url, '/');
        if (!slash || !strchr(slash, '.'))
            fd = open_beneath(srv->root_fd, "/index.html", &stt);
        if (fd < 0)
            return answer(srv, conn, st);
        path = "/index.html";
        fallback = true;
    }
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)stt.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", mime_of(path));
    MHD_add_response_header(r, "Cache-Control",
                            !fallback && !strncmp(url, "/assets/", 8)
                                ? "public, max-age=31536000, immutable"
                                : "no-cache");
    security_headers(srv, r, csp_console);
    st->answered = true;
    enum MHD_Result ret = MHD_queue_response(conn, 200, r);
    MHD_destroy_response(r);
    return ret;
}

/*
 * RFC 9112 message framing. A request whose length is ambiguous may smuggle a second request
 * past us, so it is refused and its connection closed: Content-Length together with
 * Transfer-Encoding, two different Content-Lengths, a Transfer-Encoding other than chunked,
 * and an HTTP/1.1 request without exactly one Host.
 */
static const char *framing_error(const struct req *rq, const char *version)
{
    const char *cl = NULL, *te = NULL;
    int hosts = 0;
    for (int i = 0; i < rq->n_headers; i++) {
        const char *k = rq->headers[i].key, *v = rq->headers[i].value;
        if (!strcasecmp(k, "Host"))
            hosts++;
        else if (!strcasecmp(k, "Content-Length")) {
            if (cl && strcmp(cl, v) != 0)
                return "two different Content-Length headers";
            cl = v;
        } else if (!strcasecmp(k, "Transfer-Encoding")) {
            if (te)
                return "more than one Transfer-Encoding header";
            te = v;
        }
    }
    if (cl && te)
        return "Content-Length and Transfer-Encoding together";
    if (te && strcasecmp(te, "chunked") != 0)
        return "only the chunked transfer coding is supported";
    if (version && !strcmp(version, "HTTP/1.1") && hosts != 1)
        return "an HTTP/1.1 request needs exactly one Host header";
    return NULL;
}

static enum MHD_Result queue(struct server *srv, struct MHD_Connection *conn, struct conn_state *st,
                             const struct resp *rsp)
{
    struct resp rs = *rsp;
    struct MHD_Response *r;
    size_t n;
    char *owned = rs.jw ? jw_detach(rs.jw, &n) : NULL;
    if (owned) {
        /* The writer's buffer is the body: libmicrohttpd frees it, nothing is copied. */
        r = MHD_create_response_from_buffer(n, owned, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(owned);
    } else {
        r = MHD_create_response_from_buffer(rs.len, rs.body ? rs.body : (void *)"",
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (!r)
        return MHD_NO;
    if (rs.content_type)
        MHD_add_response_header(r, "Content-Type", rs.content_type);
    bool has_cache = false;
    for (int i = 0; i < rs.n_headers; i++) {
        MHD_add_response_header(r, rs.headers[i].key, rs.headers[i].value);
        has_cache |= !strcmp(rs.headers[i].key, "Cache-Control");
    }
    if (!has_cache)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    /* Answered before the body was read: the rest of the connection cannot be trusted. */
    if (st->rq.bad_framing || st->rq.body_too_large || st->rq.too_many_headers ||
        st->rq.headers_too_large || st->body_unread)
        MHD_add_response_header(r, "Connection", "close");
    security_headers(srv, r, csp_api);
    st->answered = true;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rs.status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer(struct server *srv, struct MHD_Connection *conn,
                              struct conn_state *st)
{
    struct resp rs;
    router_dispatch(srv->app, st->arena, &st->rq, &rs);
    return queue(srv, conn, st, &rs);
}

/*
 * Read deadlines. libmicrohttpd's own timeout counts idle time, so a client that sends one
 * byte every few seconds holds its connection for ever. egov gives each request an absolute
 * deadline instead: header_timeout_s from the connection's start (or from the end of the
 * previous answer on a kept-alive connection), then body_timeout_s from the end of the headers.
 * While egov itself holds the request (handler, answer being sent) there is no deadline, nor
 * for a streamed upload whose caller has been authenticated. A watcher thread shuts down the
 * socket of a connection past its deadline; libmicrohttpd then sees the end of the connection
 * and closes it through its usual path. The descriptor is valid while its watch is listed: the
 * watch is unlisted (under watch_lock) before libmicrohttpd closes the socket.
 */
static struct conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Sets the connection's deadline to secs from now; 0: none. */
static void watch_deadline(struct server *srv, struct MHD_Connection *conn, int secs)
{
    struct conn_watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    w->deadline_ns = secs ? time_mono_ns() + (int64_t)secs * 1000000000 : 0;
    pthread_mutex_unlock(&srv->watch_lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *srv = cls;
    struct conn_watch *w = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        w = calloc(1, sizeof(*w));
        if (!w)
            die("out of memory");
        w->fd = ci ? ci->connect_fd : -1;
        w->deadline_ns = time_mono_ns() + (int64_t)srv->app->cfg.header_timeout_s * 1000000000;
        pthread_mutex_lock(&srv->watch_lock);
        w->next = srv->watched;
        if (w->next)
            w->next->prev = w;
        srv->watched = w;
        pthread_mutex_unlock(&srv->watch_lock);
        *socket_context = w;
        return;
    }
    if (!w)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        srv->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&srv->watch_lock);
    free(w);
    *socket_context = NULL;
}

static void *watcher_main(void *arg)
{
    struct server *srv = arg;
    pthread_mutex_lock(&srv->watch_lock);
    while (!srv->is_stopping) {
        struct timespec until;
        int64_t now = time_mono_ns();
        for (struct conn_watch *w = srv->watched; w; w = w->next) {
            if (w->deadline_ns && now >= w->deadline_ns && !w->is_cut && w->fd >= 0) {
                shutdown(w->fd, SHUT_RDWR);
                w->is_cut = true;
            }
        }
        /* A quarter-second tick: deadlines are whole seconds. */
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 250000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&srv->watch_wake, &srv->watch_lock, &until);
    }
    pthread_mutex_unlock(&srv->watch_lock);
    return NULL;
}

/* On a pool thread: the whole login, argon2id included, then the connection back to libmicrohttpd
 * with its answer. */
static void run_deferred(void *arg)
{
    struct conn_state *st = arg;
    router_dispatch(st->srv->app, st->arena, &st->rq, &st->rs);
    st->ready = true;
    MHD_resume_connection(st->conn);
}

/*
 * 19.6: a login costs an argon2id hash (tens of milliseconds and 64 MiB). It runs on the
 * password pool while its connection is suspended, so the HTTP workers stay free for every other
 * request however many logins arrive; when the pool's queue is full the login is answered 503
 * with Retry-After at once. The connection is resumed, in both cases, to send the answer.
 */
static enum MHD_Result defer(struct server *srv, struct MHD_Connection *conn, struct conn_state *st)
{
    if (st->deferred)
        return st->ready ? queue(srv, conn, st, &st->rs) : MHD_YES;
    st->deferred = true;
    st->conn = conn;
    st->srv = srv;
    MHD_suspend_connection(conn);
    if (!workpool_submit(srv->pool, run_deferred, st)) {
        st->rq.overloaded = true;
        router_dispatch(srv->app, st->arena, &st->rq, &st->rs);
        st->ready = true;
        MHD_resume_connection(conn);
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct conn_state *st = *con_cls;
    (void)version;

    if (!st) {
        st = calloc(1, sizeof(*st));
        if (!st)
            return MHD_NO;
        st->arena = arena_new();
        sb_init(&st->body, (size_t)srv->app->cfg.body_max);
        *con_cls = st;
        st->rq.method = arena_strdup(st->arena, method);
        st->rq.path = arena_strdup(st->arena, url);
        st->head_len = strlen(method) + strlen(url) + (version ? strlen(version) : 0) + 4;
        /* The headers are in: the body has its own deadline, which a trickle cannot extend. */
        watch_deadline(srv, conn, srv->app->cfg.body_timeout_s);
        MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect, st);
        MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect, st);
        st->rq.client_ip = client_ip(st, conn);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        bool streamed = router_is_stream(method, url);
        if (cl && strtoll(cl, NULL, 10) > srv->app->cfg.body_max && !streamed)
            st->rq.body_too_large = true;
        if (url[0] != '/') {
            /* libmicrohttpd passes any target on: "GET -private/x" would be joined to the web
             * root as text. Only the origin form (RFC 9112 3.2.1) is served. */
            st->rq.bad_framing = "the request target must be a path starting with /";
            st->rq.bad_field = "target";
            st->rq.bad_rule = "origin_form";
        }
        if (!st->rq.bad_framing)
            st->rq.bad_framing = framing_error(&st->rq, version);
        st->rq.rate_limited =
            rate_limited(srv, srv->rl, srv->app->cfg.rate_limit, st->rq.client_ip) ||
            (anonymous_api_call(conn, method, url) &&
             rate_limited(srv, srv->rl_anon, srv->app->cfg.rate_limit_anon, st->rq.client_ip));
        if (st->rq.body_too_large || st->rq.rate_limited || st->rq.too_many_headers ||
            st->rq.headers_too_large || st->rq.bad_framing)
            /* Refused before reading a byte of the body. The body deadline stays: whatever
             * libmicrohttpd still reads of the body must not take longer. */
            return answer(srv, conn, st);
        if (streamed) {
            struct resp rs;
            st->stream = router_stream_open(srv->app, st->arena, &st->rq, &rs);
            if (!st->stream) {
                st->body_unread = true;
                return queue(srv, conn, st, &rs);
            }
            /* Authenticated and allowed: an upload of any size may take its time. */
            watch_deadline(srv, conn, 0);
        }
        return MHD_YES;
    }
    if (*upload_size && st->stream) {
        router_stream_feed(st->stream, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        /* Past the cap the rest is read and dropped, never stored; the 413 goes out when the
         * body ends (libmicrohttpd cannot answer in the middle of a chunked upload). */
        if (!st->rq.body_too_large && sb_add(&st->body, upload_data, *upload_size) < 0) {
            st->rq.body_too_large = true;
            sb_release(&st->body);
        }
        if (st->rq.body_too_large) {
            /* Dropping is bounded too: past twice the limit the connection is closed. */
            st->dropped += *upload_size;
            if (st->dropped > 2 * (size_t)srv->app->cfg.body_max + (1u << 20))
                return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->answered)
        return MHD_YES;
    watch_deadline(srv, conn, 0); /* the body is in: egov holds the request now */
    if (srv->app->cfg.web_root[0] && !is_api_path(url) &&
        (!strcmp(method, "GET") || !strcmp(method, "HEAD")))
        return serve_static(srv, conn, st, url);
    if (st->stream) {
        struct resp rs;
        router_stream_finish(st->stream, &rs);
        st->stream = NULL;
        return queue(srv, conn, st, &rs);
    }
    st->rq.body = st->body.buf;
    st->rq.body_len = st->body.len;
    if (!strcmp(method, "POST") && router_is_public(method, url))
        return defer(srv, conn, st);
    return answer(srv, conn, st);
}

/* Percent-decoding as libmicrohttpd does it, except that %00 stays as it is: a NUL would cut
 * the path short and "/people/7%00x" would be read as "/people/7". */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *w = s;
    (void)cls;
    (void)c;
    for (const char *r = s; *r;) {
        int hi, lo;
        if (r[0] == '%' && r[1] && r[2] && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 &&
            (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    return (size_t)(w - s);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct conn_state *st = *con_cls;
    (void)toe;
    /* The answer is out: a kept-alive connection has header_timeout_s for its next request. */
    watch_deadline(srv, conn, srv->app->cfg.header_timeout_s);
    if (!st)
        return;
    if (st->stream) /* the body never ended: what it committed stays, the rest is dropped */
        router_stream_abort(st->stream);
    sb_release(&st->body);
    arena_free(st->arena);
    free(st);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    if (n && msg[n - 1] == '\n')
        msg[n - 1] = 0;
    log_warn("http: %s", msg);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, struct err *e)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    memset(ss, 0, sizeof(*ss));
    if (!colon || (size_t)(colon - listen) >= sizeof(host))
        return err_field(e, "listen", "format", "listen must be HOST:PORT");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return err_field(e, "listen", "port", "bad port in %s", listen);
    if (host[0] == '[') {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        size_t n = strlen(host);
        if (host[n - 1] != ']')
            return err_field(e, "listen", "format", "bad IPv6 address in %s", listen);
        host[n - 1] = 0;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return err_field(e, "listen", "address", "bad IPv6 address in %s", listen);
        return 0;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &a->sin_addr) != 1)
        return err_field(e, "listen", "address", "bad IPv4 address in %s", listen);
    return 0;
}

int server_run(struct app *app, struct err *e)
{
    struct sockaddr_storage ss;
    sigset_t set;
    int sig;
    struct server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        die("out of memory");
    srv->app = app;
    srv->root_fd = -1;
    pthread_mutex_init(&srv->rl_lock, NULL);
    srv->pool = workpool_new(app->cfg.login_workers, app->cfg.login_queue);
    pthread_mutex_init(&srv->watch_lock, NULL);
    /* The watcher waits on the monotonic clock: with the default (real-time) clock its
     * monotonic wake-up times lie in the past and it would spin. */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->watch_wake, &ca);
    pthread_condattr_destroy(&ca);
    if (parse_listen(app->cfg.listen, &ss, e) < 0) {
        workpool_free(srv->pool);
        free(srv);
        return -1;
    }
    /* Every file of the console is opened relative to this descriptor (open_beneath). */
    if (app->cfg.web_root[0]) {
        srv->root_fd = open(app->cfg.web_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (srv->root_fd < 0)
            log_warn("web_root %s cannot be opened (%s): the console is not served",
                     app->cfg.web_root, strerror(errno));
    }
    /* Signals are taken by this thread only, with sigwait, never by a worker. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* poll(), not epoll: with epoll, libmicrohttpd 0.9.75 missed the end of a connection that
     * sent a partial request line and its FIN together, and held it until the timeout (found
     * by tests/http/hostile.test.mjs). poll() costs little at our connection counts. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The logger comes first, so that complaints about the other options reach our log. */
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)app->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg.conns_per_ip,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        /* Room for a head up to four times REQ_MAX_HEAD, so that egov, not libmicrohttpd,
         * answers an oversized head (431 problem+json instead of the library's HTML page). */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(4 * REQ_MAX_HEAD),
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!d) {
        workpool_free(srv->pool);
        if (srv->root_fd >= 0)
            close(srv->root_fd);
        free(srv);
        return err_set(e, ERR_UNAVAILABLE, "cannot listen on %s: %s", app->cfg.listen,
                       strerror(errno));
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("egov serving on %s (port %u, %d threads, store %s)", app->cfg.listen,
             di ? di->port : 0, app->cfg.threads,
             strncmp(app->cfg.db, "sqlite:", 7) ? "postgresql" : app->cfg.db);
    if (pthread_create(&srv->watcher, NULL, watcher_main, srv) != 0)
        die("cannot start the deadline watcher");
    if (jobs_start(app) < 0)
        log_warn("the periodic jobs could not start; run `egov jobs run` from cron");
    fprintf(stdout, "egov listening on http://%s\n", app->cfg.listen);
    fflush(stdout);
    sigwait(&set, &sig);
    log_info("signal %d: stopping", sig);
    jobs_stop();
    /* Every login in the pool is answered (and its connection resumed) before the daemon stops;
     * one that arrives meanwhile is refused with 503. */
    MHD_quiesce_daemon(d);
    workpool_stop(srv->pool);
    MHD_stop_daemon(d);
    workpool_free(srv->pool);
    pthread_mutex_lock(&srv->watch_lock);
    srv->is_stopping = true;
    pthread_cond_signal(&srv->watch_wake);
    pthread_mutex_unlock(&srv->watch_lock);
    pthread_join(srv->watcher, NULL);
    if (srv->root_fd >= 0)
        close(srv->root_fd);
    pthread_cond_destroy(&srv->watch_wake);
    pthread_mutex_destroy(&srv->watch_lock);
    pthread_mutex_destroy(&srv->rl_lock);
    free(srv);
    return 0;
}
