/*
 * usage_parse.c - reading usage records: exact decimal quantities, NDJSON lines (cJSON) and CSV
 * (libcsv). No binary floating point touches a quantity: a decimal arrives as text and becomes
 * integer millionths here.
 *
 * Why cJSON and libcsv next to jansson: the ingest reads millions of small records, and on this
 * kind of machine jansson parses about 170,000 such lines a second where cJSON parses about
 * 740,000 (measured with the same line; bench/NOTES.md). jansson stays the library of the API.
 */
#include <cjson/cJSON.h>
#include <csv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"
#include "core/banned.h"

#define MAX_SAFE_ID 9007199254740991.0 /* 2^53 - 1: ids are 53-bit */

int usage_parse_quantity(const char *s, size_t n, int64_t *out, const char **rule)
{
    size_t i = 0;
    int64_t whole = 0, frac = 0;
    int frac_digits = 0;
    bool digits = false;
    *rule = "format";
    if (n && s[0] == '-') {
        *rule = "negative";
        return -1;
    }
    if (n && s[0] == '+')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        digits = true;
        if (whole > (INT64_MAX / USAGE_SCALE - 9) / 10) {
            *rule = "range";
            return -1;
        }
        whole = whole * 10 + (s[i] - '0');
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            digits = true;
            if (frac_digits == 6) {
                if (s[i] != '0') {
                    *rule = "scale"; /* more than 6 decimals that are not zeros */
                    return -1;
                }
                continue;
            }
            frac = frac * 10 + (s[i] - '0');
            frac_digits++;
        }
    }
    if (!digits || i != n)
        return -1;
    while (frac_digits++ < 6)
        frac *= 10;
    *out = whole * USAGE_SCALE + frac;
    return 0;
}

void usage_format_quantity(int64_t q, char *buf, size_t cap)
{
    int64_t whole = q / USAGE_SCALE, frac = q % USAGE_SCALE;
    if (!frac) {
        snprintf(buf, cap, "%lld", (long long)whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof(f), "%06lld", (long long)frac);
    for (int i = 5; i > 0 && f[i] == '0'; i--)
        f[i] = 0;
    snprintf(buf, cap, "%lld.%s", (long long)whole, f);
}

/* ---- NDJSON ---------------------------------------------------------------------------- */

struct ndjson_scratch {
    cJSON *root; /* of the last line; the input points into it */
    char num[2][32];
};

/* cJSON allocates every node and string of a line with malloc and frees them one by one, which
 * was a third of the parse. Its hooks take a per-thread bump area instead, emptied before each
 * line; what does not fit falls back to malloc, and free ignores pointers into the area. */
#define BUMP_SIZE (64u << 10)
static _Thread_local struct {
    char *base;
    size_t used;
} bump;

static void *bump_malloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (bump.base && bump.used + n <= BUMP_SIZE) {
        void *p = bump.base + bump.used;
        bump.used += n;
        return p;
    }
    return malloc(n);
}

static void bump_free(void *p)
{
    if (bump.base && (char *)p >= bump.base && (char *)p < bump.base + BUMP_SIZE)
        return;
    free(p);
}

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static pthread_key_t bump_key; /* frees a thread's area when the thread ends */

static void install_hooks(void)
{
    cJSON_Hooks h = {bump_malloc, bump_free};
    cJSON_InitHooks(&h);
    pthread_key_create(&bump_key, free);
}

void *usage_ndjson_scratch_new(void)
{
    struct ndjson_scratch *s = calloc(1, sizeof(*s));
    pthread_once(&hooks_once, install_hooks);
    if (s && !bump.base) {
        bump.base = malloc(BUMP_SIZE);
        pthread_setspecific(bump_key, bump.base);
    }
    return s;
}

void usage_ndjson_scratch_free(void *scratch)
{
    struct ndjson_scratch *s = scratch;
    if (!s)
        return;
    cJSON_Delete(s->root);
    free(s);
    /* the thread's area stays for its next ingest */
}

static int bad(struct usage_input *in, const char *field, const char *rule)
{
    if (!in->bad_field) {
        in->bad_field = field;
        in->bad_rule = rule;
    }
    return 0;
}

static void take_id(cJSON *v, const char *field, int64_t *out, struct usage_input *in)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > MAX_SAFE_ID ||
        v->valuedouble != (double)(int64_t)v->valuedouble) {
        bad(in, field, "id");
        return;
    }
    *out = (int64_t)v->valuedouble;
}

static void take_str(cJSON *v, const char *field, const char **out, size_t *len,
                     struct usage_input *in)
{
    if (!cJSON_IsString(v) || !v->valuestring) {
        bad(in, field, "type");
        return;
    }
    *out = v->valuestring;
    *len = strlen(v->valuestring);
}

/* The fields of a record, in the order of the seen-mask bits below. */
static const char *const nd_fields[] = {"id",          "allocation_id", "metric_id",
                                        "provider_id", "user_id",       "start",
                                        "end",         "source",        "quantity"};
#define N_ND_FIELDS (sizeof(nd_fields) / sizeof(nd_fields[0]))

static int nd_field(const char *k, size_t n)
{
    for (size_t i = 0; i < N_ND_FIELDS; i++)
        if (strlen(nd_fields[i]) == n && !memcmp(nd_fields[i], k, n))
            return (int)i;
    return -1;
}

/*
 * cJSON decodes "\u0000" (and copies a raw NUL byte) into its NUL-terminated strings, where the
 * rest of the text silently disappears: "n-nul\u0000x" would become the id "n-nul" and
 * "5\u00009" the quantity 5. So the line is scanned first. Outside strings a backslash or a NUL
 * is malformed JSON anyway, so it is enough to follow the string boundaries. Returns true when a
 * string holds a NUL; *field is then the record's field whose key or value holds it ("" when it
 * is no field of a record, or the key itself holds it).
 */
static bool nul_in_line(const char *line, size_t n, const char **field)
{
    const char *key = NULL;
    size_t key_len = 0, str = 0;
    bool in_str = false, has_nul = false;
    for (size_t i = 0; i < n; i++) {
        char c = line[i];
        if (!in_str) {
            if (c == '"') {
                in_str = true;
                str = i + 1;
                has_nul = false;
            }
            continue;
        }
        if (c == '\\') {
            if (i + 5 < n && !memcmp(line + i + 1, "u0000", 5))
                has_nul = true;
            i++;
            continue;
        }
        if (c == 0)
            has_nul = true;
        if (c != '"')
            continue;
        in_str = false;
        size_t j = i + 1;
        while (j < n && (line[j] == ' ' || line[j] == '\t'))
            j++;
        bool is_key = j < n && line[j] == ':';
        if (is_key) {
            key = line + str;
            key_len = i - str;
        }
        if (has_nul) {
            int f = is_key || !key ? -1 : nd_field(key, key_len);
            *field = f < 0 ? "" : nd_fields[f];
            return true;
        }
    }
    if (in_str && has_nul) {
        *field = "";
        return true;
    }
    return false;
}

int usage_parse_ndjson(const char *line, size_t n, struct usage_input *in, void *scratch)
{
    struct ndjson_scratch *s = scratch;
    const char *nul_field;
    unsigned seen = 0;
    memset(in, 0, sizeof(*in));
    cJSON_Delete(s->root);
    s->root = NULL;
    bump.used = 0;
    /* refused, but still read for the id its outcome names (unless the id holds the NUL) */
    bool has_nul =
        (memchr(line, '\\', n) || memchr(line, 0, n)) && nul_in_line(line, n, &nul_field);
    if (has_nul)
        bad(in, nul_field, "nul");
    s->root = cJSON_ParseWithLength(line, n);
    if (!s->root || !cJSON_IsObject(s->root))
        return bad(in, "", "json");
    for (cJSON *v = s->root->child; v; v = v->next) {
        const char *k = v->string;
        int f = nd_field(k, strlen(k));
        /* as the JSON API (JSON_REJECT_DUPLICATES): a second value of a key is refused, never
         * silently taken instead of the first */
        if (f >= 0 && (seen & (1u << f)))
            return bad(in, nd_fields[f], "duplicate_key");
        if (f >= 0)
            seen |= 1u << f;
        if (!strcmp(k, "id"))
            take_str(v, "id", &in->id, &in->id_len, in);
        else if (!strcmp(k, "allocation_id"))
            take_id(v, "allocation_id", &in->allocation_id, in);
        else if (!strcmp(k, "metric_id"))
            take_id(v, "metric_id", &in->metric_id, in);
        else if (!strcmp(k, "provider_id"))
            take_id(v, "provider_id", &in->provider_id, in);
        else if (!strcmp(k, "user_id"))
            take_id(v, "user_id", &in->user_id, in);
        else if (!strcmp(k, "start"))
            take_str(v, "start", &in->start, &in->start_len, in);
        else if (!strcmp(k, "end"))
            take_str(v, "end", &in->end, &in->end_len, in);
        else if (!strcmp(k, "source"))
            take_str(v, "source", &in->source, &in->source_len, in);
        else if (!strcmp(k, "quantity")) {
            if (cJSON_IsString(v)) {
                take_str(v, "quantity", &in->quantity, &in->quantity_len, in);
            } else if (cJSON_IsNumber(v) && v->valuedouble >= -MAX_SAFE_ID &&
                       v->valuedouble <= MAX_SAFE_ID &&
                       v->valuedouble == (double)(int64_t)v->valuedouble) {
                /* an integer is exact as a JSON number; a fraction is not */
                snprintf(s->num[0], sizeof(s->num[0]), "%lld", (long long)v->valuedouble);
                in->quantity = s->num[0];
                in->quantity_len = strlen(s->num[0]);
            } else {
                bad(in, "quantity", cJSON_IsNumber(v) ? "inexact" : "type");
            }
        } else {
            bad(in, k, "unknown_field");
        }
    }
    if (has_nul && !strcmp(nul_field, "id")) {
        in->id = NULL; /* a prefix of the id would name another record */
        in->id_len = 0;
    }
    return 0;
}

/* ---- CSV --------------------------------------------------------------------------------- */

enum col { C_ID, C_ALLOC, C_METRIC, C_QTY, C_START, C_END, C_SOURCE, C_PROVIDER, C_USER, C_N };
static const char *const col_names[C_N] = {"id",       "allocation_id", "metric_id",
                                           "quantity", "start",         "end",
                                           "source",   "provider_id",   "user_id"};

struct usage_csv {
    struct csv_parser p;
    int (*fn)(void *arg, const struct usage_input *in, int64_t line);
    void *arg;
    int map[32]; /* column position -> enum col, -1 unknown */
    int n_cols, col;
    bool header_done, stopped, fn_failed;
    const char *why;
    int64_t line;
    char *buf; /* the fields of the current row, each NUL-terminated */
    size_t len, cap;
    size_t off[C_N], flen[C_N];
    bool has[C_N];
    int nul_col; /* the first column of the row holding a NUL byte, or -1 */
};

static void field_cb(void *s, size_t n, void *arg)
{
    struct usage_csv *c = arg;
    int col = c->col++;
    if (c->stopped)
        return;
    if (!c->header_done) {
        if (col >= 32) {
            c->why = "more than 32 columns in the header";
            return;
        }
        c->map[col] = -1;
        for (int i = 0; i < C_N; i++)
            if (strlen(col_names[i]) == n && !memcmp(col_names[i], s, n))
                c->map[col] = i;
        if (c->map[col] < 0)
            c->why = "the header names a column that is not a field of a usage record";
        c->n_cols = col + 1;
        return;
    }
    if (col >= c->n_cols)
        return; /* counted at the end of the row */
    int f = c->map[col];
    /* a NUL would end the field for every C string function after this one (strtoll, the
     * time parser): refuse the record instead of reading a prefix of the field */
    if (c->nul_col < 0 && n && memchr(s, 0, n))
        c->nul_col = f;
    if (c->len + n + 1 > c->cap) {
        size_t cap = (c->cap ? c->cap : 256) * 2 + n;
        char *grown = realloc(c->buf, cap);
        if (!grown)
            abort();
        c->buf = grown;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, s ? s : "", n);
    c->buf[c->len + n] = 0;
    c->off[f] = c->len;
    c->flen[f] = n;
    c->has[f] = true;
    c->len += n + 1;
}

static int64_t csv_id(struct usage_csv *c, int f, struct usage_input *in)
{
    if (!c->has[f] || !c->flen[f])
        return 0;
    const char *s = c->buf + c->off[f];
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 1 || v > 9007199254740991LL) {
        bad(in, col_names[f], "id");
        return 0;
    }
    return v;
}

static void row_cb(int term, void *arg)
{
    struct usage_csv *c = arg;
    int cols = c->col;
    (void)term;
    c->col = 0;
    if (c->stopped)
        return;
    c->line++;
    if (!c->header_done) {
        c->header_done = true;
        bool need[C_N] = {0};
        for (int i = 0; i < c->n_cols; i++)
            if (c->map[i] >= 0)
                need[c->map[i]] = true;
        if (!c->why && !(need[C_ID] && need[C_ALLOC] && need[C_METRIC] && need[C_QTY] &&
                         need[C_START] && need[C_END]))
            c->why = "the header must name id, allocation_id, metric_id, quantity, start and end";
        if (c->why)
            c->stopped = true;
        return;
    }
    struct usage_input in;
    memset(&in, 0, sizeof(in));
    if (c->nul_col >= 0)
        bad(&in, col_names[c->nul_col], "nul");
    if (cols != c->n_cols)
        bad(&in, "", "columns");
#define STR(f, p, l)                                                                               \
    if (c->has[f]) {                                                                               \
        in.p = c->buf + c->off[f];                                                                 \
        in.l = c->flen[f];                                                                         \
    }
    STR(C_ID, id, id_len)
    STR(C_QTY, quantity, quantity_len)
    STR(C_START, start, start_len)
    STR(C_END, end, end_len)
    STR(C_SOURCE, source, source_len)
#undef STR
    in.allocation_id = csv_id(c, C_ALLOC, &in);
    in.metric_id = csv_id(c, C_METRIC, &in);
    in.provider_id = csv_id(c, C_PROVIDER, &in);
    in.user_id = csv_id(c, C_USER, &in);
    /* the record number is the data line (the header is line 1 of the file) */
    if (c->fn(c->arg, &in, c->line - 1) < 0)
        c->stopped = c->fn_failed = true;
    c->len = 0;
    c->nul_col = -1;
    memset(c->has, 0, sizeof(c->has));
}

struct usage_csv *usage_csv_new(int (*fn)(void *arg, const struct usage_input *in, int64_t line),
                                void *arg)
{
    struct usage_csv *c = calloc(1, sizeof(*c));
    if (!c || csv_init(&c->p, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        free(c);
        return NULL;
    }
    c->fn = fn;
    c->arg = arg;
    c->nul_col = -1;
    return c;
}

int usage_csv_feed(struct usage_csv *c, const char *data, size_t n, const char **why)
{
    if (c->stopped || csv_parse(&c->p, data, n, field_cb, row_cb, c) != n || c->stopped) {
        *why = c->fn_failed ? NULL : c->why ? c->why : "the CSV is malformed";
        return -1;
    }
    return 0;
}

int usage_csv_finish(struct usage_csv *c, const char **why)
{
    if (c->stopped || csv_fini(&c->p, field_cb, row_cb, c) != 0 || c->stopped) {
        *why = c->fn_failed ? NULL : c->why ? c->why : "the CSV is malformed";
        return -1;
    }
    return 0;
}

void usage_csv_free(struct usage_csv *c)
{
    if (!c)
        return;
    csv_free(&c->p);
    free(c->buf);
    free(c);
}
