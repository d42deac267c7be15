/*
 * server.c - libmicrohttpd glue and nothing else: no routing, no rules. The request owns one
 * arena, released in the completion callback (the only place request resources are freed).
 * The body is accumulated in a buffer capped at body_max while it is being read: a larger
 * body is answered 413 without being stored.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"
#include "http.h"
#include "app.h"
#include "core/arena.h"
#include "core/jw.h"
#include "core/log.h"
#include "core/strbuf.h"
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
};

struct server {
    struct app *app;
    pthread_mutex_t rl_lock;
    struct rl_slot {
        uint32_t key;
        int64_t second;
        int count;
    } rl[4096];
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct conn_state *st = cls;
    struct req *rq = &st->rq;
    struct kv *arr = kind == MHD_HEADER_KIND ? rq->headers : rq->query;
    int *n = kind == MHD_HEADER_KIND ? &rq->n_headers : &rq->n_query;
    if (*n >= REQ_MAX_KV) {
        /* Refuse the request rather than drop a header: a lost If-Match would silently
         * overwrite. */
        rq->too_many_headers = true;
        return MHD_NO;
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
static bool rate_limited(struct server *srv, const char *ip)
{
    int limit = srv->app->cfg.rate_limit;
    uint32_t h = 2166136261u;
    bool over;
    if (limit <= 0)
        return false;
    for (const char *p = ip; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    int64_t now = (int64_t)time(NULL);
    pthread_mutex_lock(&srv->rl_lock);
    struct rl_slot *s = &srv->rl[h % 4096];
    if (s->key != h || s->second != now) {
        s->key = h;
        s->second = now;
        s->count = 0;
    }
    over = ++s->count > limit;
    pthread_mutex_unlock(&srv->rl_lock);
    return over;
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

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* The console: hashed assets are cached for a year, index.html never; unknown paths without an
 * extension fall back to index.html so that client routes survive a reload. */
static enum MHD_Result serve_static(struct server *srv, struct MHD_Connection *conn,
                                    const char *url)
{
    char path[1024];
    struct stat stt;
    int fd = -1;
    const char *root = srv->app->cfg.web_root;
    bool fallback = false;

    if (strstr(url, "..") || strlen(url) > 512)
        url = "/index.html";
    snprintf(path, sizeof(path), "%s%s", root, !strcmp(url, "/") ? "/index.html" : url);
    if (stat(path, &stt) < 0 || !S_ISREG(stt.st_mode)) {
        const char *slash = strrchr(url, '/');
        if (slash && strchr(slash, '.')) {
            struct MHD_Response *r =
                MHD_create_response_from_buffer(9, (void *)"not found", MHD_RESPMEM_PERSISTENT);
            enum MHD_Result ret = MHD_queue_response(conn, 404, r);
            MHD_destroy_response(r);
            return ret;
        }
        snprintf(path, sizeof(path), "%s/index.html", root);
        fallback = true;
        if (stat(path, &stt) < 0)
            return MHD_NO;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)stt.st_size, fd);
    MHD_add_response_header(r, "Content-Type", mime_of(path));
    MHD_add_response_header(r, "Cache-Control",
                            !fallback && !strncmp(url, "/assets/", 8)
                                ? "public, max-age=31536000, immutable"
                                : "no-cache");
    security_headers(r);
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

static enum MHD_Result queue(struct MHD_Connection *conn, struct conn_state *st,
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
    if (st->rq.bad_framing || st->rq.body_too_large || st->rq.too_many_headers || st->body_unread)
        MHD_add_response_header(r, "Connection", "close");
    security_headers(r);
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
    return queue(conn, st, &rs);
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
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect, st);
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, st);
        st->rq.client_ip = client_ip(st, conn);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        bool streamed = router_is_stream(method, url);
        if (cl && strtoll(cl, NULL, 10) > srv->app->cfg.body_max && !streamed)
            st->rq.body_too_large = true;
        st->rq.bad_framing = framing_error(&st->rq, version);
        st->rq.rate_limited = rate_limited(srv, st->rq.client_ip);
        if (st->rq.body_too_large || st->rq.rate_limited || st->rq.too_many_headers ||
            st->rq.bad_framing)
            return answer(srv, conn, st); /* refuse before reading a byte of the body */
        if (streamed) {
            struct resp rs;
            st->stream = router_stream_open(srv->app, st->arena, &st->rq, &rs);
            if (!st->stream) {
                st->body_unread = true;
                return queue(conn, st, &rs);
            }
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
    if (srv->app->cfg.web_root[0] && !is_api_path(url) &&
        (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
        st->answered = true;
        return serve_static(srv, conn, url);
    }
    if (st->stream) {
        struct resp rs;
        router_stream_finish(st->stream, &rs);
        st->stream = NULL;
        return queue(conn, st, &rs);
    }
    st->rq.body = st->body.buf;
    st->rq.body_len = st->body.len;
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
    struct conn_state *st = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
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
    pthread_mutex_init(&srv->rl_lock, NULL);
    if (parse_listen(app->cfg.listen, &ss, e) < 0) {
        free(srv);
        return -1;
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
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The logger comes first, so that complaints about the other options reach our log. */
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)app->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!d) {
        free(srv);
        return err_set(e, ERR_UNAVAILABLE, "cannot listen on %s: %s", app->cfg.listen,
                       strerror(errno));
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_info("egov serving on %s (port %u, %d threads, store %s)", app->cfg.listen,
             di ? di->port : 0, app->cfg.threads,
             strncmp(app->cfg.db, "sqlite:", 7) ? "postgresql" : app->cfg.db);
    if (jobs_start(app) < 0)
        log_warn("the periodic jobs could not start; run `egov jobs run` from cron");
    fprintf(stdout, "egov listening on http://%s\n", app->cfg.listen);
    fflush(stdout);
    sigwait(&set, &sig);
    log_info("signal %d: stopping", sig);
    jobs_stop();
    MHD_stop_daemon(d);
    pthread_mutex_destroy(&srv->rl_lock);
    free(srv);
    return 0;
}
