/*
 * fuzz_tabular.c - the CSV writer (core/tabular.c) on tables made of arbitrary bytes, read back
 * with libcsv (the reader the usage import uses).
 *
 * Input: byte 0 gives the number of columns (1..6) and whether there is a title block and a
 * totals row, byte 1 two bits per column for the kind (text, money, quantity, time); the rest,
 * split at NUL bytes, gives the titles, a title-block value, then the cells row after row (a
 * number cell takes up to 8 of its bytes as its value).
 *
 * Contract checked: the output starts with the UTF-8 BOM and ends with CRLF; libcsv in strict
 * mode (no trimming of spaces) parses it without error into exactly one record per title-block
 * line, header, row and totals row, each with exactly n_cols fields (one for a title-block
 * line) whose text is the cell's: the same bytes, after a ' when it starts with = + - @ TAB CR;
 * a number is its exact text form.
 */
#include <stdbool.h>
#include <string.h>

#include <csv.h>

#include "fuzz_common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/tabular.h"
#include "core/banned.h"

#define MAX_FIELDS 4096

struct field {
    const char *p;
    size_t len;
    int record;
};

struct parsed {
    struct field *fields;
    char *store; /* copies of the parsed fields, back to back */
    size_t used, cap;
    int n_fields;
    int record;
    bool overflow;
};

static void on_field(void *s, size_t len, void *arg)
{
    struct parsed *ps = arg;
    if (ps->n_fields == MAX_FIELDS || ps->used + len > ps->cap) {
        ps->overflow = true;
        return;
    }
    memcpy(ps->store + ps->used, s, len);
    ps->fields[ps->n_fields].p = ps->store + ps->used;
    ps->fields[ps->n_fields].len = len;
    ps->fields[ps->n_fields].record = ps->record;
    ps->n_fields++;
    ps->used += len;
}

static void on_record(int c, void *arg)
{
    (void)c;
    ((struct parsed *)arg)->record++;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* The next NUL-ended piece of the input ("" once it is used up). */
static const char *next_piece(char **cur, const char *end)
{
    char *p = *cur;
    if (p >= end)
        return "";
    *cur = p + strlen(p) + 1;
    return p;
}

static int64_t piece_value(const char *s)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8 && s[i]; i++)
        v = v << 8 | (unsigned char)s[i];
    return (int64_t)v;
}

/* The text a field must read as: the cell's own, behind the formula guard. */
static void expect(const struct parsed *ps, int *at, int record, const char *text, bool guard)
{
    size_t n = strlen(text);
    bool g = guard && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                       text[0] == '\t' || text[0] == '\r');
    fuzz_check(*at < ps->n_fields);
    const struct field *f = &ps->fields[(*at)++];
    fuzz_check(f->record == record);
    fuzz_check(f->len == n + g);
    fuzz_check(!g || f->p[0] == '\'');
    fuzz_check(memcmp(f->p + g, text, n) == 0);
}

static void expect_cell(const struct parsed *ps, int *at, int record, enum tabular_kind kind,
                        const struct tabular_cell *c)
{
    char buf[TABULAR_TEXT_MAX];
    switch (kind) {
    case TABULAR_TEXT:
        expect(ps, at, record, c->text, true);
        return;
    case TABULAR_MONEY:
        tabular_money_text(c->value, buf);
        break;
    case TABULAR_QUANTITY:
        tabular_quantity_text(c->value, buf);
        break;
    default:
        tabular_time_text(c->value, buf);
        break;
    }
    expect(ps, at, record, buf, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum tabular_kind kinds[] = {TABULAR_TEXT, TABULAR_MONEY, TABULAR_QUANTITY,
                                              TABULAR_TIME};
    struct tabular_col cols[6];
    struct arena *a;
    struct tabular t;
    struct strbuf sb;
    struct csv_parser p;
    struct parsed ps;
    char *in, *cur, *end;
    int n_cols, record = 0, at = 0;

    if (size < 2 || size > 8192)
        return 0;
    a = arena_new();
    n_cols = 1 + data[0] % 6;
    in = arena_alloc(a, size - 2 + 1); /* zeroed: a terminator past the end for the last piece */
    memcpy(in, data + 2, size - 2);
    cur = in;
    end = in + size - 2;
    for (int i = 0; i < n_cols; i++) {
        cols[i].kind = kinds[(data[1] >> (2 * (i % 4))) & 3];
        cols[i].title = next_piece(&cur, end);
        cols[i].width = 0;
    }
    tabular_init(&t, a, "fuzz", cols, n_cols);
    if (data[0] & 0x40)
        tabular_meta_add(&t, "key", next_piece(&cur, end));
    while (cur < end && t.n_rows < 512) {
        struct tabular_cell *row = tabular_row_add(&t);
        for (int i = 0; i < n_cols; i++) {
            const char *s = next_piece(&cur, end);
            row[i].text = s;
            row[i].value = piece_value(s);
        }
    }
    if (data[0] & 0x80) {
        struct tabular_cell *sum = tabular_totals(&t);
        for (int i = 0; i < n_cols; i++) {
            sum[i].text = "合计";
            sum[i].value = INT64_MIN + i;
        }
    }

    sb_init(&sb, 1 << 22);
    fuzz_check(tabular_csv(&t, &sb) == 0);
    fuzz_check(sb.len >= 5 && memcmp(sb.buf, "\xEF\xBB\xBF", 3) == 0);
    fuzz_check(memcmp(sb.buf + sb.len - 2, "\r\n", 2) == 0);

    memset(&ps, 0, sizeof(ps));
    ps.fields = arena_alloc(a, MAX_FIELDS * sizeof(*ps.fields));
    ps.cap = sb.len;
    ps.store = arena_alloc(a, ps.cap + 1);
    fuzz_check(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0);
    csv_set_space_func(&p, no_space);
    fuzz_check(csv_parse(&p, sb.buf + 3, sb.len - 3, on_field, on_record, &ps) == sb.len - 3);
    fuzz_check(csv_fini(&p, on_field, on_record, &ps) == 0);
    csv_free(&p);
    fuzz_check(!ps.overflow);

    for (int i = 0; i < t.n_meta; i++) {
        char line[8192 + 8];
        snprintf(line, sizeof(line), "%s: %s", t.meta[i].key, t.meta[i].value);
        expect(&ps, &at, record++, line, true);
    }
    for (int i = 0; i < n_cols; i++)
        expect(&ps, &at, record, cols[i].title, true);
    record++;
    for (int r = 0; r < t.n_rows; r++, record++)
        for (int i = 0; i < n_cols; i++)
            expect_cell(&ps, &at, record, cols[i].kind, &t.cells[r * n_cols + i]);
    if (t.totals) {
        for (int i = 0; i < n_cols; i++)
            expect_cell(&ps, &at, record, cols[i].kind, &t.totals[i]);
        record++;
    }
    fuzz_check(at == ps.n_fields);
    fuzz_check(ps.record == record);

    sb_release(&sb);
    arena_free(a);
    return 0;
}
