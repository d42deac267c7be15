/*
 * test_tabular.c - unit tests of src/core/tabular: the exact text forms of money, quantities and
 * times, CSV (quoting, BOM, CRLF, the formula guard), and XLSX (a zip that Python's zipfile
 * reads, with the sheet and a Chinese header inside; no temporary file left, on success or
 * failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "core/tabular.h"

static const char *money(int64_t fen)
{
    static char buf[TABULAR_TEXT_MAX];
    tabular_money_text(fen, buf);
    return buf;
}

static const char *qty(int64_t m)
{
    static char buf[TABULAR_TEXT_MAX];
    tabular_quantity_text(m, buf);
    return buf;
}

static const char *when(int64_t ms)
{
    static char buf[TABULAR_TEXT_MAX];
    tabular_time_text(ms, buf);
    return buf;
}

static void test_money_is_yuan_with_two_exact_decimals(void **state)
{
    (void)state;
    assert_string_equal(money(0), "0.00");
    assert_string_equal(money(1), "0.01");
    assert_string_equal(money(99), "0.99");
    assert_string_equal(money(100), "1.00");
    assert_string_equal(money(123456), "1234.56");
    assert_string_equal(money(-5), "-0.05");
    assert_string_equal(money(-100), "-1.00");
    /* Past 2^53, where a double would have lost the last fen. */
    assert_string_equal(money(9007199254740993LL), "90071992547409.93");
    assert_string_equal(money(INT64_MAX), "92233720368547758.07");
    assert_string_equal(money(INT64_MIN), "-92233720368547758.08");
}

static void test_quantity_is_exact_with_trailing_zeros_trimmed(void **state)
{
    (void)state;
    assert_string_equal(qty(0), "0");
    assert_string_equal(qty(1), "0.000001");
    assert_string_equal(qty(2000000), "2");
    assert_string_equal(qty(1234500000), "1234.5");
    assert_string_equal(qty(1000010), "1.00001");
    assert_string_equal(qty(-1500000), "-1.5");
    assert_string_equal(qty(INT64_MAX), "9223372036854.775807");
    assert_string_equal(qty(INT64_MIN), "-9223372036854.775808");
}

static void test_time_is_rfc3339_in_china_standard_time(void **state)
{
    (void)state;
    assert_string_equal(when(0), "1970-01-01T08:00:00+08:00");
    /* 2026-01-31T16:00:00Z is already February in Beijing. */
    assert_string_equal(when(1769875200000LL), "2026-02-01T00:00:00+08:00");
    assert_string_equal(when(1769875200123LL), "2026-02-01T00:00:00.123+08:00");
    assert_string_equal(when(-1), "1970-01-01T07:59:59.999+08:00");
    /* The first and last second of years 0000-9999 in Beijing, and one past each. */
    assert_string_equal(when(253402271999000LL), "9999-12-31T23:59:59+08:00");
    assert_string_equal(when(253402272000000LL), "253402272000000");
    assert_string_equal(when(-62167248000000LL), "0000-01-01T00:00:00+08:00");
    assert_string_equal(when(-62167248000001LL), "-62167248000001");
    assert_string_equal(when(INT64_MAX), "9223372036854775807");
    assert_string_equal(when(INT64_MIN), "-9223372036854775808");
}

static const struct tabular_col bill_cols[] = {
    {"产品", TABULAR_TEXT, 0},  {"用量", TABULAR_QUANTITY, 0}, {"金额(元)", TABULAR_MONEY, 0},
    {"记录数", TABULAR_INT, 0}, {"签发时间", TABULAR_TIME, 0},
};

/* A bill-like table: a title block, two rows (one hostile) and totals. */
static void bill_table(struct tabular *t, struct arena *a)
{
    struct tabular_cell *r;
    tabular_init(t, a, "账单 2026-01", bill_cols, 5);
    tabular_meta_add(t, "账期", "2026-01");
    tabular_meta_add(t, "用户单位", "福建省数字办, \"测试\"");
    r = tabular_row_add(t);
    r[0].text = "云主机";
    r[1].value = 1234500000;
    r[2].value = 123456;
    r[3].value = 7;
    r[4].value = 1769875200000LL;
    r = tabular_row_add(t);
    r[0].text = "=HYPERLINK(\"http://x\",\"点我\")";
    r[1].value = 1;
    r[2].value = -5;
    r[3].value = 0;
    r[4].is_empty = true;
    r = tabular_totals(t);
    r[0].text = "合计";
    r[1].is_empty = true;
    r[2].value = 123451;
    r[3].value = 7;
    r[4].is_empty = true;
}

static void test_csv_writes_bom_title_block_header_rows_and_totals(void **state)
{
    struct arena *a = arena_new();
    struct tabular t;
    struct strbuf sb;
    (void)state;
    bill_table(&t, a);
    sb_init(&sb, 1 << 20);
    assert_int_equal(tabular_csv(&t, &sb), 0);
    assert_string_equal(sb.buf,
                        "\xEF\xBB\xBF"
                        "账期: 2026-01\r\n"
                        "\"用户单位: 福建省数字办, \"\"测试\"\"\"\r\n"
                        "\r\n"
                        "产品,用量,金额(元),记录数,签发时间\r\n"
                        "云主机,1234.5,1234.56,7,2026-02-01T00:00:00+08:00\r\n"
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",0.000001,-0.05,0,\r\n"
                        "合计,,1234.51,7,\r\n");
    sb_release(&sb);
    arena_free(a);
}

static const char *csv_of_text(struct arena *a, const char *text)
{
    static const struct tabular_col col[] = {{"t", TABULAR_TEXT, 0}};
    struct tabular t;
    struct strbuf sb;
    tabular_init(&t, a, "x", col, 1);
    tabular_row_add(&t)->text = text;
    sb_init(&sb, 4096);
    assert_int_equal(tabular_csv(&t, &sb), 0);
    /* Past the BOM and the header line "t\r\n". */
    const char *row = arena_strdup(a, sb.buf + 3 + 3);
    sb_release(&sb);
    return row;
}

static void test_csv_quotes_commas_quotes_and_line_breaks(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    assert_string_equal(csv_of_text(a, "plain"), "plain\r\n");
    assert_string_equal(csv_of_text(a, "a,b"), "\"a,b\"\r\n");
    assert_string_equal(csv_of_text(a, "say \"hi\""), "\"say \"\"hi\"\"\"\r\n");
    assert_string_equal(csv_of_text(a, "two\nlines"), "\"two\nlines\"\r\n");
    assert_string_equal(csv_of_text(a, "cr\rlf"), "\"cr\rlf\"\r\n");
    assert_string_equal(csv_of_text(a, "\""), "\"\"\"\"\r\n");
    assert_string_equal(csv_of_text(a, "政务云，中文逗号"), "政务云，中文逗号\r\n");
    /* A row of one empty field must not read as a blank line, which readers skip. */
    assert_string_equal(csv_of_text(a, ""), "\"\"\r\n");
    arena_free(a);
}

static void test_csv_guards_formula_starts(void **state)
{
    struct arena *a = arena_new();
    (void)state;
    assert_string_equal(csv_of_text(a, "=1+1"), "'=1+1\r\n");
    assert_string_equal(csv_of_text(a, "+86 591"), "'+86 591\r\n");
    assert_string_equal(csv_of_text(a, "-5"), "'-5\r\n");
    assert_string_equal(csv_of_text(a, "@SUM(A1)"), "'@SUM(A1)\r\n");
    assert_string_equal(csv_of_text(a, "\t=1"), "'\t=1\r\n");
    assert_string_equal(csv_of_text(a, "\r=1"), "\"'\r=1\"\r\n");
    assert_string_equal(csv_of_text(a, "=a,b"), "\"'=a,b\"\r\n");
    /* Only the start counts. */
    assert_string_equal(csv_of_text(a, "1=1"), "1=1\r\n");
    arena_free(a);
}

static void test_csv_failing_at_the_cap_leaves_the_buffer_as_it_was(void **state)
{
    struct arena *a = arena_new();
    struct tabular t;
    struct strbuf sb;
    (void)state;
    bill_table(&t, a);
    sb_init(&sb, 100);
    sb_adds(&sb, "kept");
    assert_int_equal(tabular_csv(&t, &sb), -1);
    assert_int_equal(sb.len, 4);
    assert_string_equal(sb.buf, "kept");
    sb_release(&sb);
    arena_free(a);
}

static void test_rows_survive_the_builder_growing(void **state)
{
    static const struct tabular_col cols[] = {{"n", TABULAR_INT, 0}, {"t", TABULAR_TEXT, 0}};
    struct arena *a = arena_new();
    struct tabular t;
    (void)state;
    tabular_init(&t, a, "n", cols, 2);
    for (int i = 0; i < 1000; i++) {
        struct tabular_cell *r = tabular_row_add(&t);
        r[0].value = i;
        r[1].text = "x";
    }
    assert_int_equal(t.n_rows, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(t.cells[i * 2].value, i);
    arena_free(a);
}

/* Entries of dir other than . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* A private TMPDIR for the writer, so that leftovers can be counted; returns the old value. */
static char *private_tmpdir(char *dir)
{
    const char *old = getenv("TMPDIR");
    assert_non_null(mkdtemp(dir));
    setenv("TMPDIR", dir, 1);
    return old ? strdup(old) : NULL;
}

static void restore_tmpdir(char *old, const char *dir)
{
    if (old)
        setenv("TMPDIR", old, 1);
    else
        unsetenv("TMPDIR");
    free(old);
    rmdir(dir);
}

/* Python's zipfile and XML parser read the workbook; the script prints one line per finding. */
static const char check_py[] =
    "import sys, zipfile, xml.dom.minidom as m\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "assert z.testzip() is None\n"
    "names = z.namelist()\n"
    "print('sheet1' if 'xl/worksheets/sheet1.xml' in names else 'no sheet1')\n"
    "for n in names:\n"
    "    if n.endswith('.xml'): m.parseString(z.read(n))\n"
    "sst = z.read('xl/sharedStrings.xml').decode('utf-8')\n"
    "print('header' if '金额(元)' in sst else 'no header')\n"
    "print('guarded' if '=HYPERLINK' in sst else 'no text')\n"
    "wb = z.read('xl/workbook.xml').decode('utf-8')\n"
    "print('name' if 'name=\"账单 2026-01\"' in wb else 'no name')\n"
    "st = z.read('xl/styles.xml').decode('utf-8')\n"
    "print('formats' if '#,##0.00\"' in st and '#,##0.######' in st else 'no formats')\n"
    "s1 = z.read('xl/worksheets/sheet1.xml').decode('utf-8')\n"
    "print('frozen' if 'ySplit=\"4\"' in s1 and 'state=\"frozen\"' in s1 else 'not frozen')\n"
    "print('money' if '<v>1234.56</v>' in s1 and '<v>-0.05</v>' in s1 else 'no money')\n"
    "print('widths' if '<col ' in s1 else 'no widths')\n";

/* Runs the Python script on the workbook in sb; returns its output (arena-owned). */
static const char *python_on(struct arena *a, const struct strbuf *sb, const char *script)
{
    char dir[] = "/tmp/egov-test-xlsx-XXXXXX";
    char book[128], py[128], cmd[512], got[2048];
    size_t n;
    FILE *f;

    assert_non_null(mkdtemp(dir));
    snprintf(book, sizeof(book), "%s/book.xlsx", dir);
    snprintf(py, sizeof(py), "%s/check.py", dir);
    f = fopen(book, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(sb->buf, 1, sb->len, f), sb->len);
    fclose(f);
    f = fopen(py, "w");
    assert_non_null(f);
    fputs(script, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "python3 %s %s 2>&1", py, book);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(got, 1, sizeof(got) - 1, f);
    got[n] = 0;
    if (pclose(f) != 0)
        fail_msg("python3 (installed by scripts/deps.sh test) failed: %s", got);
    unlink(book);
    unlink(py);
    rmdir(dir);
    return arena_strdup(a, got);
}

static void test_xlsx_is_a_workbook_python_reads_and_leaves_no_file(void **state)
{
    char tmp[] = "/tmp/egov-test-tabular-XXXXXX";
    struct arena *a = arena_new();
    struct tabular t;
    struct strbuf sb;
    char *old = private_tmpdir(tmp);
    (void)state;

    bill_table(&t, a);
    sb_init(&sb, 16 << 20);
    assert_int_equal(count_entries(tmp), 0);
    assert_int_equal(tabular_xlsx(&t, &sb), 0);
    assert_int_equal(count_entries(tmp), 0);
    assert_true(sb.len > 1000);
    assert_memory_equal(sb.buf, "PK\x03\x04", 4);
    assert_string_equal(python_on(a, &sb, check_py),
                        "sheet1\nheader\nguarded\nname\nformats\nfrozen\nmoney\nwidths\n");
    restore_tmpdir(old, tmp);
    sb_release(&sb);
    arena_free(a);
}

static void test_xlsx_failures_leave_no_file_and_the_buffer_as_it_was(void **state)
{
    char tmp[] = "/tmp/egov-test-tabular-XXXXXX";
    struct arena *a = arena_new();
    struct tabular t;
    struct strbuf sb;
    char *old = private_tmpdir(tmp);
    (void)state;

    bill_table(&t, a);
    /* The workbook is written, then does not fit the cap. */
    sb_init(&sb, 2000);
    sb_adds(&sb, "kept");
    assert_int_equal(tabular_xlsx(&t, &sb), -1);
    assert_string_equal(sb.buf, "kept");
    assert_int_equal(count_entries(tmp), 0);
    sb_release(&sb);

    /* A sheet taller than Excel's 1048576 rows is refused before any file is made. */
    t.n_rows = 1048576;
    sb_init(&sb, 1 << 20);
    assert_int_equal(tabular_xlsx(&t, &sb), -1);
    assert_int_equal(sb.len, 0);
    assert_int_equal(count_entries(tmp), 0);
    t.n_rows = 2;

    /* No temporary folder. */
    setenv("TMPDIR", "/nonexistent/egov", 1);
    assert_int_equal(tabular_xlsx(&t, &sb), -1);
    assert_int_equal(sb.len, 0);
    sb_release(&sb);

    restore_tmpdir(old, tmp);
    arena_free(a);
}

/* The sheet's name and its text cells, as Excel would read them. */
static const char check_awkward_py[] =
    "import sys, zipfile, xml.dom.minidom as m\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "wb = m.parseString(z.read('xl/workbook.xml'))\n"
    "print(wb.getElementsByTagName('sheet')[0].getAttribute('name'))\n"
    "sst = m.parseString(z.read('xl/sharedStrings.xml'))\n"
    "t = [e.firstChild.data for e in sst.getElementsByTagName('t')]\n"
    "print(t[2].replace('_x0001_', '\\x01'))\n"
    "print(t[3]); print(len(t[4].encode('utf-8')))\n";

static void test_xlsx_accepts_awkward_names_and_text(void **state)
{
    static const struct tabular_col cols[] = {{"'=t'", TABULAR_TEXT, 12},
                                              {"big", TABULAR_MONEY, 0}};
    char tmp[] = "/tmp/egov-test-tabular-XXXXXX";
    struct arena *a = arena_new();
    struct tabular t;
    struct strbuf sb;
    char *old = private_tmpdir(tmp);
    char *big = arena_alloc(a, 40000);
    struct tabular_cell *r;
    (void)state;

    /* Every character Excel refuses in a sheet name, an apostrophe at each end, over 31. */
    tabular_init(&t, a, "'a[b]c:d*e?f/g\\h 很长很长很长很长很长很长很长的名字'", cols, 2);
    memset(big, 'x', 39999);
    r = tabular_row_add(&t);
    r[0].text = "bad \xff\xfe utf-8 \xe4\xb8 and \x01 control";
    r[1].value = INT64_MAX;
    r = tabular_row_add(&t);
    r[0].text = big;
    r[1].is_empty = true;
    sb_init(&sb, 16 << 20);
    assert_int_equal(tabular_xlsx(&t, &sb), 0);
    assert_int_equal(count_entries(tmp), 0);
    assert_string_equal(python_on(a, &sb, check_awkward_py),
                        "a_b_c_d_e_f_g_h 很长很长很长很长很长很长很长的\n"
                        "bad \ufffd\ufffd utf-8 \ufffd\ufffd and \x01 control\n"
                        "92233720368547758.07\n32767\n");
    sb_release(&sb);

    tabular_init(&t, a, NULL, cols, 2);
    sb_init(&sb, 16 << 20);
    assert_int_equal(tabular_xlsx(&t, &sb), 0);
    sb_release(&sb);
    restore_tmpdir(old, tmp);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_is_yuan_with_two_exact_decimals),
        cmocka_unit_test(test_quantity_is_exact_with_trailing_zeros_trimmed),
        cmocka_unit_test(test_time_is_rfc3339_in_china_standard_time),
        cmocka_unit_test(test_csv_writes_bom_title_block_header_rows_and_totals),
        cmocka_unit_test(test_csv_quotes_commas_quotes_and_line_breaks),
        cmocka_unit_test(test_csv_guards_formula_starts),
        cmocka_unit_test(test_csv_failing_at_the_cap_leaves_the_buffer_as_it_was),
        cmocka_unit_test(test_rows_survive_the_builder_growing),
        cmocka_unit_test(test_xlsx_is_a_workbook_python_reads_and_leaves_no_file),
        cmocka_unit_test(test_xlsx_failures_leave_no_file_and_the_buffer_as_it_was),
        cmocka_unit_test(test_xlsx_accepts_awkward_names_and_text),
    };
    return cmocka_run_group_tests_name("tabular", tests, NULL, NULL);
}
