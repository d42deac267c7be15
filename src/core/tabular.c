/*
 * tabular.c - tables as CSV and XLSX. It owns the exported text forms of money, quantities and
 * times (exact, by integer arithmetic: the only double is the XLSX cell value) and the
 * temporary file libxlsxwriter needs; it must not learn anything about what the rows mean.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "tabular.h"
#include "arena.h"
#include "log.h"
#include "strbuf.h"
#include "banned.h"

/* Excel keeps 15 significant digits: a number with more is written as its text. */
#define EXCEL_EXACT_LIMIT 1000000000000000LL
#define XLSX_CELL_MAX     32767 /* bytes of text per cell (LXW_STR_MAX) */
#define SHEET_NAME_MAX    31    /* characters */
#define CST_OFFSET_S      (8 * 3600)

void tabular_init(struct tabular *t, struct arena *a, const char *name,
                  const struct tabular_col *cols, int n_cols)
{
    assert(n_cols >= 1 && n_cols <= LXW_COL_MAX);
    memset(t, 0, sizeof(*t));
    t->arena = a;
    t->name = name;
    t->cols = cols;
    t->n_cols = n_cols;
}

/* Doubles an arena array of n used elements of size sz; the old block stays in the arena. */
static void *grow(struct arena *a, const void *old, int n, int *alloc, size_t sz)
{
    int want = *alloc ? *alloc * 2 : 16;
    void *p = arena_alloc(a, (size_t)want * sz);
    if (n)
        memcpy(p, old, (size_t)n * sz);
    *alloc = want;
    return p;
}

void tabular_meta_add(struct tabular *t, const char *key, const char *value)
{
    assert(t->arena);
    if (t->n_meta == t->alloc_meta)
        t->meta = grow(t->arena, t->meta, t->n_meta, &t->alloc_meta, sizeof(*t->meta));
    struct tabular_meta *m = (struct tabular_meta *)&t->meta[t->n_meta++];
    m->key = key;
    m->value = value;
}

struct tabular_cell *tabular_row_add(struct tabular *t)
{
    size_t row = (size_t)t->n_cols * sizeof(struct tabular_cell);
    assert(t->arena);
    if (t->n_rows == t->alloc_rows)
        t->cells = grow(t->arena, t->cells, t->n_rows, &t->alloc_rows, row);
    return &t->cells[(size_t)t->n_rows++ * (size_t)t->n_cols];
}

struct tabular_cell *tabular_totals(struct tabular *t)
{
    assert(t->arena);
    if (!t->totals)
        t->totals = arena_alloc(t->arena, (size_t)t->n_cols * sizeof(*t->totals));
    return t->totals;
}

/* Sign and magnitude without overflow, INT64_MIN included. */
static uint64_t magnitude(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

size_t tabular_money_text(int64_t fen, char buf[TABULAR_TEXT_MAX])
{
    uint64_t m = magnitude(fen);
    int n = snprintf(buf, TABULAR_TEXT_MAX, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "", m / 100,
                     (unsigned)(m % 100));
    return (size_t)n;
}

size_t tabular_quantity_text(int64_t millionths, char buf[TABULAR_TEXT_MAX])
{
    uint64_t m = magnitude(millionths);
    int n = snprintf(buf, TABULAR_TEXT_MAX, "%s%" PRIu64 ".%06u", millionths < 0 ? "-" : "",
                     m / 1000000, (unsigned)(m % 1000000));
    while (buf[n - 1] == '0')
        n--;
    if (buf[n - 1] == '.')
        n--;
    buf[n] = 0;
    return (size_t)n;
}

size_t tabular_time_text(int64_t ms, char buf[TABULAR_TEXT_MAX])
{
    /* Floor division: -1 ms is 1969-12-31T23:59:59.999Z, not a second later. */
    int64_t s = ms / 1000, frac = ms % 1000;
    struct tm tm;
    time_t cst;
    int n;

    if (frac < 0) {
        frac += 1000;
        s -= 1;
    }
    /* Years 0000-9999 of Beijing only: RFC 3339 has four digits for the year. */
    if (s < -62167219200LL - CST_OFFSET_S || s > 253402300799LL - CST_OFFSET_S)
        return (size_t)snprintf(buf, TABULAR_TEXT_MAX, "%" PRId64, ms);
    cst = (time_t)(s + CST_OFFSET_S);
    if (!gmtime_r(&cst, &tm) || tm.tm_year + 1900 < 0)
        return (size_t)snprintf(buf, TABULAR_TEXT_MAX, "%" PRId64, ms);
    n = snprintf(buf, TABULAR_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (frac)
        n += snprintf(buf + n, TABULAR_TEXT_MAX - (size_t)n, ".%03d", (int)frac);
    n += snprintf(buf + n, TABULAR_TEXT_MAX - (size_t)n, "+08:00");
    return (size_t)n;
}

/* The text of a non-text cell ("" when empty). */
static size_t value_text(enum tabular_kind kind, const struct tabular_cell *c,
                         char buf[TABULAR_TEXT_MAX])
{
    if (c->is_empty) {
        buf[0] = 0;
        return 0;
    }
    switch (kind) {
    case TABULAR_MONEY:
        return tabular_money_text(c->value, buf);
    case TABULAR_QUANTITY:
        return tabular_quantity_text(c->value, buf);
    case TABULAR_TIME:
        return tabular_time_text(c->value, buf);
    case TABULAR_INT:
    case TABULAR_TEXT:
        break;
    }
    return (size_t)snprintf(buf, TABULAR_TEXT_MAX, "%" PRId64, c->value);
}

static const struct tabular_cell *cell_at(const struct tabular *t, int row, int col)
{
    return &t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
}

/* --- CSV ------------------------------------------------------------------------------------ */

/* One text field: the formula guard, then RFC 4180 quoting when needed. */
static int csv_text(struct strbuf *sb, const char *s)
{
    bool guard =
        s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    const char *p = s, *q;

    if ((quote && sb_add(sb, "\"", 1) < 0) || (guard && sb_add(sb, "'", 1) < 0))
        return -1;
    if (!quote)
        return sb_adds(sb, s);
    while ((q = strchr(p, '"')) != NULL) {
        if (sb_add(sb, p, (size_t)(q - p + 1)) < 0 || sb_add(sb, "\"", 1) < 0)
            return -1;
        p = q + 1;
    }
    return sb_adds(sb, p) < 0 || sb_add(sb, "\"", 1) < 0 ? -1 : 0;
}

static int csv_cell(struct strbuf *sb, enum tabular_kind kind, const struct tabular_cell *c)
{
    char buf[TABULAR_TEXT_MAX];
    if (kind == TABULAR_TEXT)
        return csv_text(sb, c->text && !c->is_empty ? c->text : "");
    /* Our own digits need neither quotes nor the guard. */
    size_t n = value_text(kind, c, buf);
    return sb_add(sb, buf, n);
}

/* Ends a record begun at start. A record of one empty field is written "": an empty line would
 * be skipped by most readers, and the row would vanish. */
static int csv_end(struct strbuf *sb, size_t start)
{
    if (sb->len == start && sb_add(sb, "\"\"", 2) < 0)
        return -1;
    return sb_add(sb, "\r\n", 2);
}

static int csv_row(struct strbuf *sb, const struct tabular *t, const struct tabular_cell *cells)
{
    size_t start = sb->len;
    for (int i = 0; i < t->n_cols; i++)
        if ((i && sb_add(sb, ",", 1) < 0) || csv_cell(sb, t->cols[i].kind, &cells[i]) < 0)
            return -1;
    return csv_end(sb, start);
}

static int csv_write(const struct tabular *t, struct strbuf *sb)
{
    if (sb_add(sb, "\xEF\xBB\xBF", 3) < 0)
        return -1;
    for (int i = 0; i < t->n_meta; i++) {
        /* A "key: value" line is one field, guarded and quoted as a whole. */
        const char *v = t->meta[i].value ? t->meta[i].value : "";
        size_t n = strlen(t->meta[i].key) + strlen(v) + 3;
        char *line = malloc(n);
        int rc;
        if (!line)
            die("out of memory");
        snprintf(line, n, "%s: %s", t->meta[i].key, v);
        rc = csv_text(sb, line);
        free(line);
        if (rc < 0 || sb_add(sb, "\r\n", 2) < 0)
            return -1;
    }
    if (t->n_meta && sb_add(sb, "\r\n", 2) < 0)
        return -1;
    size_t start = sb->len;
    for (int i = 0; i < t->n_cols; i++)
        if ((i && sb_add(sb, ",", 1) < 0) || csv_text(sb, t->cols[i].title) < 0)
            return -1;
    if (csv_end(sb, start) < 0)
        return -1;
    for (int r = 0; r < t->n_rows; r++)
        if (csv_row(sb, t, cell_at(t, r, 0)) < 0)
            return -1;
    if (t->totals && csv_row(sb, t, t->totals) < 0)
        return -1;
    return 0;
}

int tabular_csv(const struct tabular *t, struct strbuf *out)
{
    size_t start = out->len;
    if (csv_write(t, out) < 0) {
        out->len = start;
        if (out->buf)
            out->buf[start] = 0;
        return -1;
    }
    return 0;
}

/* --- XLSX ----------------------------------------------------------------------------------- */

struct xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *money, *money_bold, *qty, *qty_bold, *int_bold;
    char *scratch; /* a cell's cleaned text */
    int *widths;   /* fitted width per column, in characters */
};

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid; n bytes are available. */
static int utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    int len;
    uint32_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and code points past U+10FFFF. */
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Display width in Latin characters: East Asian wide characters count two. */
static int text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    int w = 0;
    while (n) {
        uint32_t cp;
        int len = utf8_seq(p, n, &cp);
        if (!len) {
            len = 1;
            cp = 0xFFFD;
        }
        w += cp >= 0x1100 && (cp <= 0x115F || cp >= 0x2E80) ? 2 : 1;
        p += len;
        n -= (size_t)len;
    }
    return w;
}

/* s as valid UTF-8 of at most XLSX_CELL_MAX bytes, in x->scratch (or s itself when it is). */
static const char *xlsx_clean(struct xlsx *x, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    bool clean = n <= XLSX_CELL_MAX;
    for (size_t i = 0; clean && i < n;) {
        uint32_t cp;
        int len = utf8_seq(p + i, n - i, &cp);
        clean = len > 0;
        i += (size_t)len;
    }
    if (clean)
        return s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_seq(p + i, n - i, &cp);
        const char *src = len ? s + i : "\xEF\xBF\xBD";
        size_t w = len ? (size_t)len : 3;
        if (o + w > XLSX_CELL_MAX) {
            log_warn("export: a cell of %zu bytes was cut to Excel's %d", n, XLSX_CELL_MAX);
            break;
        }
        memcpy(x->scratch + o, src, w);
        o += w;
        i += len ? (size_t)len : 1;
    }
    x->scratch[o] = 0;
    return x->scratch;
}

static int xlsx_check(lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return 0;
    log_error("export: libxlsxwriter %s: %s", what, lxw_strerror(e));
    return -1;
}

static int xlsx_text(struct xlsx *x, int row, int col, const char *s, lxw_format *f)
{
    const char *v = xlsx_clean(x, s);
    int w = text_width(v);
    if (w > x->widths[col])
        x->widths[col] = w;
    if (!*v) /* libxlsxwriter writes "" as a blank cell only with a format */
        return f ? xlsx_check(worksheet_write_blank(x->ws, (lxw_row_t)row, (lxw_col_t)col, f),
                              "write_blank")
                 : 0;
    return xlsx_check(worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, v, f),
                      "write_string");
}

static int xlsx_cell(struct xlsx *x, int row, int col, enum tabular_kind kind,
                     const struct tabular_cell *c, bool total)
{
    char buf[TABULAR_TEXT_MAX];
    lxw_format *f = total ? x->bold : NULL;
    double d;

    if (kind == TABULAR_TEXT)
        return xlsx_text(x, row, col, c->text && !c->is_empty ? c->text : "", f);
    size_t n = value_text(kind, c, buf);
    if (kind == TABULAR_TIME || c->is_empty || magnitude(c->value) >= EXCEL_EXACT_LIMIT)
        return xlsx_text(x, row, col, buf, f);
    /* The digits plus thousands separators, for the column width. */
    if ((int)(n + n / 3) > x->widths[col])
        x->widths[col] = (int)(n + n / 3);
    switch (kind) {
    case TABULAR_MONEY:
        d = (double)c->value / 100.0;
        f = total ? x->money_bold : x->money;
        break;
    case TABULAR_QUANTITY:
        d = (double)c->value / 1000000.0;
        f = total ? x->qty_bold : x->qty;
        break;
    default:
        d = (double)c->value;
        f = total ? x->int_bold : NULL;
        break;
    }
    return xlsx_check(worksheet_write_number(x->ws, (lxw_row_t)row, (lxw_col_t)col, d, f),
                      "write_number");
}

/* Excel's sheet name rules: at most 31 characters, none of []:*?/\, no ' at either end. */
static void sheet_name(const char *name, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    size_t n = strlen((const char *)p), o = 0;
    int chars = 0;
    while (n && *p == '\'') {
        p++;
        n--;
    }
    while (n && chars < SHEET_NAME_MAX) {
        uint32_t cp;
        int len = utf8_seq(p, n, &cp);
        if (!len || cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\", (int)cp))) {
            out[o++] = '_';
            len = len ? len : 1;
        } else {
            if (o + (size_t)len >= cap)
                break;
            memcpy(out + o, p, (size_t)len);
            o += (size_t)len;
        }
        p += len;
        n -= (size_t)len;
        chars++;
    }
    while (o && out[o - 1] == '\'')
        o--;
    out[o] = 0;
    if (!o)
        snprintf(out, cap, "Sheet1");
}

static int xlsx_formats(struct xlsx *x)
{
    lxw_format **all[] = {&x->bold, &x->money, &x->money_bold, &x->qty, &x->qty_bold, &x->int_bold};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (!(*all[i] = workbook_add_format(x->wb))) {
            log_error("export: libxlsxwriter cannot add a format");
            return -1;
        }
    format_set_bold(x->bold);
    format_set_num_format(x->money, "#,##0.00");
    format_set_num_format(x->money_bold, "#,##0.00");
    format_set_bold(x->money_bold);
    format_set_num_format(x->qty, "#,##0.######");
    format_set_num_format(x->qty_bold, "#,##0.######");
    format_set_bold(x->qty_bold);
    format_set_bold(x->int_bold);
    return 0;
}

/* Everything but the close: the sheet's rows, its frozen header and its column widths. */
static int xlsx_sheet(struct xlsx *x, const struct tabular *t)
{
    char name[SHEET_NAME_MAX * 4 + 1];
    int row = 0;

    sheet_name(t->name, name, sizeof(name));
    if (xlsx_check(workbook_validate_sheet_name(x->wb, name), "sheet name") < 0 ||
        xlsx_formats(x) < 0)
        return -1;
    if (!(x->ws = workbook_add_worksheet(x->wb, name))) {
        log_error("export: libxlsxwriter cannot add the sheet");
        return -1;
    }
    for (int i = 0; i < t->n_meta; i++, row++)
        if (xlsx_text(x, row, 0, t->meta[i].key, x->bold) < 0 ||
            xlsx_text(x, row, 1, t->meta[i].value ? t->meta[i].value : "", NULL) < 0)
            return -1;
    if (t->n_meta) {
        /* The title block does not widen the table's columns. */
        memset(x->widths, 0, (size_t)t->n_cols * sizeof(*x->widths));
        row++;
    }
    for (int i = 0; i < t->n_cols; i++)
        if (xlsx_text(x, row, i, t->cols[i].title, x->bold) < 0)
            return -1;
    worksheet_freeze_panes(x->ws, (lxw_row_t)(row + 1), 0);
    row++;
    for (int r = 0; r < t->n_rows; r++, row++)
        for (int i = 0; i < t->n_cols; i++)
            if (xlsx_cell(x, row, i, t->cols[i].kind, cell_at(t, r, i), false) < 0)
                return -1;
    if (t->totals)
        for (int i = 0; i < t->n_cols; i++)
            if (xlsx_cell(x, row, i, t->cols[i].kind, &t->totals[i], true) < 0)
                return -1;
    for (int i = 0; i < t->n_cols; i++) {
        int w = x->widths[i] + 2;
        if (t->cols[i].width)
            w = t->cols[i].width;
        else if (w < 8)
            w = 8;
        else if (w > 60)
            w = 60;
        if (xlsx_check(worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL),
                       "set_column") < 0)
            return -1;
    }
    return 0;
}

/* Appends the file at path to out. */
static int read_back(const char *path, struct strbuf *out)
{
    char buf[65536];
    ssize_t n;
    int rc = -1, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        log_error("export: cannot reopen %s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (sb_add(out, buf, (size_t)n) < 0) {
            log_warn("export: the workbook passes the buffer's cap of %zu bytes", out->max);
            goto out;
        }
    if (n < 0) {
        log_error("export: cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    close(fd);
    return rc;
}

int tabular_xlsx(const struct tabular *t, struct strbuf *out)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    int rc = -1, fd;
    size_t start = out->len;
    struct xlsx x;
    lxw_workbook_options opt;

    memset(&x, 0, sizeof(x));
    if (t->n_cols < 1 || t->n_cols > LXW_COL_MAX) {
        log_error("export: %d columns (1..%d)", t->n_cols, LXW_COL_MAX);
        return -1;
    }
    if ((int64_t)t->n_meta + (t->n_meta ? 1 : 0) + 1 + t->n_rows + (t->totals ? 1 : 0) >
        LXW_ROW_MAX) {
        log_error("export: %d rows pass Excel's %d", t->n_rows, LXW_ROW_MAX);
        return -1;
    }
    if (!dir || !*dir)
        dir = "/tmp";
    size_t plen = strlen(dir) + sizeof("/egov-export-XXXXXX");
    if (!(path = malloc(plen)))
        die("out of memory");
    snprintf(path, plen, "%s/egov-export-XXXXXX", dir);
    /* mkstemp makes the name ours (0600, O_EXCL); libxlsxwriter reopens it by name to write. */
    if ((fd = mkstemp(path)) < 0) {
        log_error("export: cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(path);
        return -1;
    }
    close(fd);
    x.scratch = malloc(XLSX_CELL_MAX + 1);
    x.widths = calloc((size_t)t->n_cols, sizeof(*x.widths));
    if (!x.scratch || !x.widths)
        die("out of memory");
    memset(&opt, 0, sizeof(opt));
    opt.tmpdir = (char *)dir;
    if (!(x.wb = workbook_new_opt(path, &opt))) {
        log_error("export: libxlsxwriter cannot start a workbook");
        goto out;
    }
    rc = xlsx_sheet(&x, t);
    /* The workbook is closed (and freed) on every path; a failed sheet discards the file. */
    if (xlsx_check(workbook_close(x.wb), "close") < 0)
        rc = -1;
    if (rc == 0)
        rc = read_back(path, out);
out:
    if (unlink(path) < 0 && errno != ENOENT)
        log_error("export: cannot remove %s: %s", path, strerror(errno));
    if (rc < 0) {
        out->len = start;
        if (out->buf)
            out->buf[start] = 0;
    }
    free(path);
    free(x.scratch);
    free(x.widths);
    return rc;
}
