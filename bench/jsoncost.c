/*
 * jsoncost.c - what rendering one list page costs: egov's way (jansson) against a direct writer.
 *
 *   cc -O2 -o jsoncost bench/jsoncost.c $(pkg-config --cflags --libs jansson)
 *   ./jsoncost list.json [ITERATIONS]
 *
 * list.json is the exact body egov answered to GET /api/v1/institutions?limit=50. The program
 * reads the 50 institutions back into plain C structs (as the store hands them to the handler),
 * then renders the page again, ITERATIONS times each way, and reports the CPU time per page:
 *   A. egov's path, reproduced from src/domain/org/org_http.c and src/http/: json_pack of the
 *      same 17 fields per item (timestamps through gmtime_r + snprintf, as time_format does),
 *      the page object, json_dumps(JSON_COMPACT), json_decref, and the copy into the arena;
 *   B. a direct writer: one growing buffer, literal keys, strings copied with memcpy between
 *      the bytes that need escaping, integers and timestamps formatted by hand.
 * Both outputs are checked byte for byte against list.json before any timing, so B is a
 * drop-in for A. Self-contained on purpose: it does not link egov's code, which others change.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

struct inst {
    int64_t id, parent_id, created_at, updated_at;
    const char *uscc, *uscc_exception, *name, *kind, *level, *region, *contact_name,
        *contact_phone, *contact_email, *address, *timezone, *status;
    int version;
};

static int64_t parse_time(const char *s)
{
    struct tm tm = {0};
    int ms = 0;
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                     &tm.tm_min, &tm.tm_sec, &ms) != 7)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static const char *str_or_null(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---------- A: egov's path ---------- */

static void time_format(int64_t ms, char *buf, size_t cap)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    int frac = (int)(ms % 1000);
    gmtime_r(&s, &tm);
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

static json_t *j_str(const char *s) { return s ? json_string(s) : json_null(); }
static json_t *j_id(int64_t id) { return id ? json_integer(id) : json_null(); }
static json_t *j_time(int64_t ms)
{
    char buf[80];
    if (!ms)
        return json_null();
    time_format(ms, buf, sizeof(buf));
    return json_string(buf);
}

static char *render_jansson(const struct inst *v, int n, const char *cursor, size_t *len)
{
    json_t *items = json_array();
    for (int k = 0; k < n; k++) {
        const struct inst *i = &v[k];
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:o,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:i}", "id",
                      (json_int_t)i->id, "uscc", i->uscc, "uscc_exception",
                      j_str(i->uscc_exception), "name", i->name, "kind", i->kind, "level",
                      i->level, "parent_id", j_id(i->parent_id), "region", i->region,
                      "contact_name", i->contact_name, "contact_phone", i->contact_phone,
                      "contact_email", i->contact_email, "address", i->address, "timezone",
                      i->timezone, "status", i->status, "created_at", j_time(i->created_at),
                      "updated_at", j_time(i->updated_at), "version", i->version));
    }
    json_t *page = json_pack("{s:o,s:o}", "items", items, "next_cursor",
                             cursor ? json_string(cursor) : json_null());
    char *txt = json_dumps(page, JSON_COMPACT);
    json_decref(page);
    *len = strlen(txt);
    char *copy = malloc(*len + 1); /* resp_json: arena_memdup */
    memcpy(copy, txt, *len + 1);
    free(txt);
    return copy;
}

/* ---------- B: a direct writer ---------- */

struct buf {
    char *p;
    size_t len, cap;
};

static inline void need(struct buf *b, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->p = realloc(b->p, b->cap);
    }
}
static inline void put(struct buf *b, const char *s, size_t n)
{
    need(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}
#define LIT(b, s) put((b), (s), sizeof(s) - 1)

/* The store holds validated UTF-8 only: escape '"', '\\' and control characters, copy the rest
 * in runs (jansson's compact output writes non-ASCII as is, so the bytes are identical). */
static void put_str(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        LIT(b, "null");
        return;
    }
    put(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if (*q >= 0x20 && *q != '"' && *q != '\\')
            continue;
        put(b, run, (size_t)((const char *)q - run));
        char e[6] = {'\\', 'u', '0', '0', hex[*q >> 4], hex[*q & 15]};
        switch (*q) {
        case '"': put(b, "\\\"", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case '\t': put(b, "\\t", 2); break;
        case '\b': put(b, "\\b", 2); break;
        case '\f': put(b, "\\f", 2); break;
        default: put(b, e, 6);
        }
        run = (const char *)q + 1;
    }
    put(b, run, strlen(run));
    put(b, "\"", 1);
}

static void put_int(struct buf *b, int64_t v)
{
    char t[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        t[sizeof(t) - 1 - n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        t[sizeof(t) - 1 - n++] = '-';
    put(b, t + sizeof(t) - n, (size_t)n);
}

static void put_id(struct buf *b, int64_t id)
{
    if (id)
        put_int(b, id);
    else
        LIT(b, "null");
}

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm), no libc. */
static void put_time(struct buf *b, int64_t ms)
{
    if (!ms) {
        LIT(b, "null");
        return;
    }
    int64_t s = ms / 1000, days = s / 86400, sod = s % 86400;
    int frac = (int)(ms % 1000);
    days += 719468;
    int64_t era = days / 146097, doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char t[26] = "\"0000-00-00T00:00:00.000Z\"";
    int f[7] = {(int)y, (int)m, (int)d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                frac};
    int pos[7] = {1, 6, 9, 12, 15, 18, 21}, wid[7] = {4, 2, 2, 2, 2, 2, 3};
    for (int k = 0; k < 7; k++)
        for (int j = wid[k] - 1, v = f[k]; j >= 0; j--, v /= 10)
            t[pos[k] + j] = (char)('0' + v % 10);
    put(b, t, sizeof(t));
}

static char *render_direct(const struct inst *v, int n, const char *cursor, size_t *len)
{
    struct buf b = {0};
    need(&b, 512 * (size_t)n + 64);
    LIT(&b, "{\"items\":[");
    for (int k = 0; k < n; k++) {
        const struct inst *i = &v[k];
        if (k)
            LIT(&b, ",");
        LIT(&b, "{\"id\":");
        put_int(&b, i->id);
        LIT(&b, ",\"uscc\":");
        put_str(&b, i->uscc);
        LIT(&b, ",\"uscc_exception\":");
        put_str(&b, i->uscc_exception);
        LIT(&b, ",\"name\":");
        put_str(&b, i->name);
        LIT(&b, ",\"kind\":");
        put_str(&b, i->kind);
        LIT(&b, ",\"level\":");
        put_str(&b, i->level);
        LIT(&b, ",\"parent_id\":");
        put_id(&b, i->parent_id);
        LIT(&b, ",\"region\":");
        put_str(&b, i->region);
        LIT(&b, ",\"contact_name\":");
        put_str(&b, i->contact_name);
        LIT(&b, ",\"contact_phone\":");
        put_str(&b, i->contact_phone);
        LIT(&b, ",\"contact_email\":");
        put_str(&b, i->contact_email);
        LIT(&b, ",\"address\":");
        put_str(&b, i->address);
        LIT(&b, ",\"timezone\":");
        put_str(&b, i->timezone);
        LIT(&b, ",\"status\":");
        put_str(&b, i->status);
        LIT(&b, ",\"created_at\":");
        put_time(&b, i->created_at);
        LIT(&b, ",\"updated_at\":");
        put_time(&b, i->updated_at);
        LIT(&b, ",\"version\":");
        put_int(&b, i->version);
        LIT(&b, "}");
    }
    LIT(&b, "],\"next_cursor\":");
    put_str(&b, cursor);
    LIT(&b, "}");
    *len = b.len;
    return b.p;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s list.json [iterations]\n", argv[0]);
        return 2;
    }
    int iters = argc > 2 ? atoi(argv[2]) : 2000;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static char want[1 << 22];
    size_t want_len = fread(want, 1, sizeof(want) - 1, f);
    fclose(f);
    json_error_t err;
    json_t *doc = json_loadb(want, want_len, 0, &err);
    json_t *items = json_object_get(doc, "items");
    if (!json_is_array(items)) {
        fprintf(stderr, "jsoncost: %s is not a list page\n", argv[1]);
        return 2;
    }
    int n = (int)json_array_size(items);
    struct inst *v = calloc((size_t)n, sizeof(*v));
    for (int k = 0; k < n; k++) {
        json_t *o = json_array_get(items, (size_t)k);
        v[k] = (struct inst){
            .id = json_integer_value(json_object_get(o, "id")),
            .parent_id = json_integer_value(json_object_get(o, "parent_id")),
            .created_at = parse_time(str_or_null(o, "created_at")),
            .updated_at = parse_time(str_or_null(o, "updated_at")),
            .uscc = str_or_null(o, "uscc"),
            .uscc_exception = str_or_null(o, "uscc_exception"),
            .name = str_or_null(o, "name"),
            .kind = str_or_null(o, "kind"),
            .level = str_or_null(o, "level"),
            .region = str_or_null(o, "region"),
            .contact_name = str_or_null(o, "contact_name"),
            .contact_phone = str_or_null(o, "contact_phone"),
            .contact_email = str_or_null(o, "contact_email"),
            .address = str_or_null(o, "address"),
            .timezone = str_or_null(o, "timezone"),
            .status = str_or_null(o, "status"),
            .version = (int)json_integer_value(json_object_get(o, "version")),
        };
    }
    const char *cursor = str_or_null(doc, "next_cursor");

    size_t la, lb;
    char *a = render_jansson(v, n, cursor, &la);
    char *b = render_direct(v, n, cursor, &lb);
    int a_ok = la == want_len && !memcmp(a, want, la);
    int b_ok = lb == la && !memcmp(a, b, la);
    free(a);
    free(b);
    if (!a_ok || !b_ok) {
        fprintf(stderr, "jsoncost: output differs from egov's answer (jansson path %s, direct %s)\n",
                a_ok ? "same" : "differs", b_ok ? "same" : "differs");
        return 1;
    }
    double t0 = cpu_now();
    for (int k = 0; k < iters; k++)
        free(render_jansson(v, n, cursor, &la));
    double t1 = cpu_now();
    for (int k = 0; k < iters; k++)
        free(render_direct(v, n, cursor, &lb));
    double t2 = cpu_now();
    double ua = (t1 - t0) * 1e6 / iters, ub = (t2 - t1) * 1e6 / iters;
    printf("items=%d\nbytes=%zu\niterations=%d\nidentical=yes\n", n, la, iters);
    printf("jansson_us_per_page=%.1f\ndirect_us_per_page=%.1f\nspeedup=%.1f\n", ua, ub, ua / ub);
    json_decref(doc);
    free(v);
    return 0;
}
