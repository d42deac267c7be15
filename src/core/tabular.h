/*
 * tabular.h - a table described once and written as CSV or XLSX (exports of bills, statements
 * and lists). It owns the text forms of exported values and the two file formats; it knows no
 * domain and never touches the store or HTTP: callers fill a struct tabular, the writers turn
 * it into bytes in a capped buffer.
 *
 * Describing a table: a column has a title and a kind; a cell is a struct tabular_cell, read as
 * text for TABULAR_TEXT and as value for every other kind. Above the header row there may be a
 * title block of "key: value" lines (bill period, agency, version, state), below the rows a
 * totals row. Either fill the struct by hand (static arrays are fine) or use the builder:
 *
 *     static const struct tabular_col cols[] = {
 *         {"产品", TABULAR_TEXT, 0}, {"用量", TABULAR_QUANTITY, 0}, {"金额(元)", TABULAR_MONEY, 0},
 *     };
 *     struct tabular t;
 *     tabular_init(&t, arena, "账单 2026-01", cols, 3);
 *     tabular_meta_add(&t, "账期", "2026-01");
 *     struct tabular_cell *row = tabular_row_add(&t);
 *     row[0].text = "云主机"; row[1].value = 1234500000; row[2].value = 123456;
 *     struct tabular_cell *sum = tabular_totals(&t);
 *     sum[0].text = "合计"; sum[1].is_empty = true; sum[2].value = 123456;
 *
 * Text forms, the same in both formats where a text is written:
 *   TABULAR_MONEY     integer fen as yuan with exactly two decimals, by integer arithmetic:
 *                     123456 → "1234.56", -5 → "-0.05" (negative amounts are allowed: a
 *                     correction or a credit), INT64_MAX → "92233720368547758.07".
 *   TABULAR_QUANTITY  integer millionths as an exact decimal, trailing zeros trimmed:
 *                     1234500000 → "1234.5", 2000000 → "2", 1 → "0.000001".
 *   TABULAR_TIME      Unix ms as RFC 3339 in China Standard Time (+08:00), milliseconds only
 *                     when not zero: "2026-01-31T16:00:00+08:00". A time outside the years
 *                     0000-9999 is written as its integer milliseconds.
 *   TABULAR_INT       decimal digits.
 */
#ifndef EGOV_TABULAR_H
#define EGOV_TABULAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct strbuf;

enum tabular_kind {
    TABULAR_TEXT,     /* UTF-8 text, cell.text */
    TABULAR_INT,      /* an integer (a count, an id), cell.value */
    TABULAR_MONEY,    /* integer fen, cell.value; shown in yuan */
    TABULAR_QUANTITY, /* integer millionths of a unit, cell.value */
    TABULAR_TIME,     /* Unix milliseconds UTC, cell.value */
};

struct tabular_col {
    const char *title; /* UTF-8, may be Chinese */
    enum tabular_kind kind;
    int width; /* XLSX column width in characters; 0 fits the content (8..60) */
};

/* A zeroed cell is the empty text, or the number 0: set is_empty for an empty number. */
struct tabular_cell {
    const char *text; /* TABULAR_TEXT: NUL-terminated UTF-8; NULL is an empty cell */
    int64_t value;    /* every other kind */
    bool is_empty;    /* an empty cell whatever the kind (e.g. a time that has not happened) */
};

struct tabular_meta {
    const char *key;
    const char *value;
};

struct tabular {
    const char *name; /* XLSX sheet name (cut to Excel's rules); NULL: "Sheet1" */
    const struct tabular_col *cols;
    int n_cols; /* 1..16384 */
    const struct tabular_meta *meta;
    int n_meta;
    struct tabular_cell *cells; /* n_rows × n_cols, row after row */
    int n_rows;
    struct tabular_cell *totals; /* n_cols cells, or NULL: no totals row */
    /* Builder state (tabular_init); unused when the struct is filled by hand. */
    struct arena *arena;
    int alloc_rows;
    int alloc_meta;
};

/* Starts an empty table whose rows and title block are allocated from a (arena-owned). name and
 * cols are borrowed: they must outlive the table. */
void tabular_init(struct tabular *t, struct arena *a, const char *name,
                  const struct tabular_col *cols, int n_cols);
/* Appends a "key: value" line to the title block; both strings are borrowed. */
void tabular_meta_add(struct tabular *t, const char *key, const char *value);
/* Appends a row of n_cols zeroed cells and returns it for filling (arena-owned; valid until the
 * next tabular_row_add, which may move the rows). */
struct tabular_cell *tabular_row_add(struct tabular *t);
/* The totals row, n_cols zeroed cells, created on first call (arena-owned). */
struct tabular_cell *tabular_totals(struct tabular *t);

/*
 * CSV (RFC 4180) appended to out: UTF-8 with a byte order mark (so that Excel reads Chinese
 * text as UTF-8), CRLF line ends; the title block as one field per line and an empty line, then
 * the header, the rows and the totals row. A field holding a comma, a quote, CR or LF is quoted,
 * quotes doubled; a record of a single empty field is written "" so that it is no blank line.
 *
 * Formula injection (CWE-1236): a spreadsheet runs a cell that starts with = + - @ as a
 * formula, and TAB or CR can hide such a start, so every text field (titles, title block and
 * TABULAR_TEXT cells) starting with one of = + - @ TAB CR gets a leading apostrophe: the
 * exported text "=1+1" reads "'=1+1". Numbers we format ourselves (a negative amount "-0.05")
 * are never prefixed.
 *
 * Returns 0, or -1 when the text would pass out's cap; out is then left as it was.
 */
int tabular_csv(const struct tabular *t, struct strbuf *out);

/*
 * An XLSX workbook (libxlsxwriter) with one sheet named after the table, appended to out: the
 * title block (key in column A, value in B), a bold header row that stays frozen while the rows
 * scroll, the rows, and a bold totals row. Column widths fit the content unless a column gives
 * its width. Money is a number cell in yuan with the format #,##0.00, a quantity a number cell
 * with #,##0.######, an integer a number cell; a value whose digits Excel cannot hold
 * (15 significant digits, so |value| >= 10^15 fen, millionths or units) is written as its exact
 * text instead. Times are text as in CSV. Text cells are never formulas. Text that is not valid
 * UTF-8 has the bad bytes replaced by U+FFFD; text longer than Excel's 32767 bytes per cell is
 * cut at a character boundary (logged).
 *
 * libxlsxwriter 1.1.4 writes only to a file: the workbook is written to a private temporary
 * file (mkstemp under $TMPDIR, else /tmp, mode 0600), read back and removed, on every path.
 * libxlsxwriter's own scratch files go to the same folder and are unlinked as they are opened.
 *
 * Returns 0, or -1 (the cause logged) when the sheet would pass Excel's 1048576 rows, a
 * temporary file cannot be made, libxlsxwriter fails, or the file would pass out's cap; out is
 * then left as it was.
 */
int tabular_xlsx(const struct tabular *t, struct strbuf *out);

/* The text forms above, NUL-terminated into buf; they return the text's length. */
#define TABULAR_TEXT_MAX 40
size_t tabular_money_text(int64_t fen, char buf[TABULAR_TEXT_MAX]);
size_t tabular_quantity_text(int64_t millionths, char buf[TABULAR_TEXT_MAX]);
size_t tabular_time_text(int64_t ms, char buf[TABULAR_TEXT_MAX]);

#endif
