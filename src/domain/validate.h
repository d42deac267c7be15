/*
 * validate.h - field rules shared by every domain module. Each check adds a field error to
 * ctx->err (naming the field and the rule) and returns -1, or returns 0. Lengths count
 * characters (UTF-8 code points), not bytes, because names are Chinese.
 */
#ifndef EGOV_VALIDATE_H
#define EGOV_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

struct ctx;
struct arena;

/* Required text of min..max characters without control characters; min is counted after
 * trimming white space (text_length), so white space alone is not present. */
int check_text(struct ctx *ctx, const char *field, const char *v, size_t min, size_t max);
/* Optional text: NULL or "" passes; otherwise at most max characters. */
int check_opt_text(struct ctx *ctx, const char *field, const char *v, size_t max);
int check_enum(struct ctx *ctx, const char *field, const char *v, const char *const *allowed);
int check_date(struct ctx *ctx, const char *field, const char *v);
int check_email(struct ctx *ctx, const char *field, const char *v);
int check_phone(struct ctx *ctx, const char *field, const char *v);
/* GB/T 2260 administrative division code: six digits, province part 11..82. */
int check_region(struct ctx *ctx, const char *field, const char *v);
/* IANA zone name such as Asia/Shanghai. */
int check_timezone(struct ctx *ctx, const char *field, const char *v);
/* Lower-case slug: [a-z0-9][a-z0-9._-]{min-1,max-1}. */
int check_slug(struct ctx *ctx, const char *field, const char *v, size_t min, size_t max);
/* Arena-owned copy of at most max bytes of s, cut at a character boundary so that it stays
 * valid UTF-8 when s is; invalid input is replaced by "?". */
const char *utf8_cut(struct arena *a, const char *s, size_t max);
/* Number of UTF-8 code points; (size_t)-1 for invalid UTF-8. */
size_t utf8_length(const char *s);
/*
 * "Present" in one place for every module: the number of code points of s once Unicode white
 * space is trimmed from both ends (tab, LF, VT, FF, CR, space, U+0085, U+00A0, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF, the byte-order mark).
 * 0 for NULL; (size_t)-1 for invalid UTF-8. A required text is present when this is >= 1, and
 * minimum lengths are counted on it, so a reason of spaces is no reason.
 */
size_t text_length(const char *s);
/* True when s is NULL, empty or white space only (text_length(s) == 0). */
bool text_is_blank(const char *s);
/* Today's date (YYYY-MM-DD) in China Standard Time, the platform's legal calendar. */
const char *today(struct ctx *ctx);

#endif
