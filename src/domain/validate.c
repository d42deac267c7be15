/*
 * validate.c - field rules. No store access: these are pure checks on values.
 */
#include <string.h>

#include "validate.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/org/org.h"
#include "core/banned.h"

/* Strict UTF-8 (RFC 3629), as jansson checks it: no overlong forms, no surrogates, nothing
 * above U+10FFFF. */
size_t utf8_length(const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra;
        unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
        if (*p < 0x80)
            extra = 0;
        else if (*p >= 0xc2 && *p <= 0xdf)
            extra = 1;
        else if (*p >= 0xe0 && *p <= 0xef) {
            extra = 2;
            if (*p == 0xe0)
                lo = 0xa0; /* overlong */
            else if (*p == 0xed)
                hi = 0x9f; /* surrogates */
        } else if (*p >= 0xf0 && *p <= 0xf4) {
            extra = 3;
            if (*p == 0xf0)
                lo = 0x90; /* overlong */
            else if (*p == 0xf4)
                hi = 0x8f; /* above U+10FFFF */
        } else
            return (size_t)-1;
        if (extra && (p[1] < lo || p[1] > hi))
            return (size_t)-1;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xc0) != 0x80)
                return (size_t)-1;
        n++;
    }
    return n;
}

const char *utf8_cut(struct arena *a, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    /* Back off continuation bytes so the cut falls between characters. */
    if (n == max && s[n] != 0)
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    char *out = arena_strndup(a, s, n);
    return utf8_length(out) == (size_t)-1 ? "?" : out;
}

/* Length in bytes of the white-space character at p, or 0. The set is Unicode's White_Space
 * property plus U+FEFF, which editors leave at the start of pasted text and nobody sees. */
static size_t space_len(const unsigned char *p)
{
    if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        return 1;
    if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
        return 2;
    if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) /* U+1680 */
        return 3;
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
        return 3;                                     /* U+2000..U+200A, U+2028, U+2029, U+202F */
    if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) /* U+205F */
        return 3;
    if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) /* U+3000 ideographic space */
        return 3;
    if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) /* U+FEFF */
        return 3;
    return 0;
}

size_t text_length(const char *s)
{
    size_t n = 0, trailing = 0, k;
    if (!s)
        return 0;
    if (utf8_length(s) == (size_t)-1)
        return (size_t)-1;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if ((k = space_len(p)) != 0) {
            if (n)
                trailing++; /* counted only if something visible follows */
            p += k;
            continue;
        }
        n += trailing + 1;
        trailing = 0;
        p++;
        while ((*p & 0xc0) == 0x80)
            p++;
    }
    return n;
}

bool text_is_blank(const char *s)
{
    return text_length(s) == 0;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

int check_text(struct ctx *ctx, const char *field, const char *v, size_t min, size_t max)
{
    if (!v || !*v)
        return min ? err_field(&ctx->err, field, "required", "%s is required", field) : 0;
    size_t n = utf8_length(v);
    if (n == (size_t)-1)
        return err_field(&ctx->err, field, "utf8", "%s is not valid UTF-8", field);
    if (has_control(v))
        return err_field(&ctx->err, field, "control_characters",
                         "%s must not contain control characters", field);
    /* Issue 12: white space alone is not present, and does not count towards a minimum. */
    if (min && text_length(v) == 0)
        return err_field(&ctx->err, field, "required",
                         "%s is required (white space alone is not "
                         "a text)",
                         field);
    if (min && text_length(v) < min)
        return err_field(&ctx->err, field, "min_length", "%s needs at least %zu characters", field,
                         min);
    if (n > max)
        return err_field(&ctx->err, field, "max_length", "%s allows at most %zu characters", field,
                         max);
    return 0;
}

int check_opt_text(struct ctx *ctx, const char *field, const char *v, size_t max)
{
    return check_text(ctx, field, v, 0, max);
}

int check_enum(struct ctx *ctx, const char *field, const char *v, const char *const *allowed)
{
    if (!v || !*v)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    if (org_enum_index(allowed, v) >= 0)
        return 0;
    char list[256] = "";
    size_t o = 0;
    for (int i = 0; allowed[i] && o < sizeof(list) - 40; i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", allowed[i]);
    return err_field(&ctx->err, field, "enum", "%s must be one of: %s", field, list);
}

int check_date(struct ctx *ctx, const char *field, const char *v)
{
    if (!v || !*v)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    if (!date_is_valid(v))
        return err_field(&ctx->err, field, "date", "%s must be a calendar date YYYY-MM-DD", field);
    return 0;
}

int check_email(struct ctx *ctx, const char *field, const char *v)
{
    if (!v || !*v)
        return 0;
    const char *at = strchr(v, '@');
    if (check_text(ctx, field, v, 3, 254) < 0)
        return -1;
    if (!at || at == v || !strchr(at, '.') || strchr(at + 1, '@') || strchr(v, ' '))
        return err_field(&ctx->err, field, "email", "%s is not an e-mail address", field);
    return 0;
}

int check_phone(struct ctx *ctx, const char *field, const char *v)
{
    if (!v || !*v)
        return 0;
    size_t n = strlen(v), digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] >= '0' && v[i] <= '9')
            digits++;
        else if (!strchr("+- ()", v[i]))
            return err_field(&ctx->err, field, "phone",
                             "%s may hold digits, spaces and + - ( ) only", field);
    }
    if (digits < 5 || n > 32)
        return err_field(&ctx->err, field, "phone", "%s must have 5 to 32 characters", field);
    return 0;
}

int check_region(struct ctx *ctx, const char *field, const char *v)
{
    if (!v || !*v)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    if (strlen(v) != 6 || strspn(v, "0123456789") != 6)
        return err_field(&ctx->err, field, "region_code",
                         "%s must be a six-digit GB/T 2260 division code", field);
    int prov = (v[0] - '0') * 10 + (v[1] - '0');
    if (prov < 11 || prov > 82)
        return err_field(&ctx->err, field, "region_code",
                         "%s: %c%c is not a province-level code of GB/T 2260", field, v[0], v[1]);
    return 0;
}

int check_timezone(struct ctx *ctx, const char *field, const char *v)
{
    if (!v || !*v)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    size_t n = strlen(v);
    if (n > 40 || !strchr(v, '/') ||
        strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_/+-0123456789") != n ||
        v[0] == '/' || strstr(v, ".."))
        return err_field(&ctx->err, field, "timezone",
                         "%s must be an IANA zone such as Asia/Shanghai", field);
    return 0;
}

int check_slug(struct ctx *ctx, const char *field, const char *v, size_t min, size_t max)
{
    if (!v || !*v)
        return err_field(&ctx->err, field, "required", "%s is required", field);
    size_t n = strlen(v);
    if (n < min || n > max)
        return err_field(&ctx->err, field, "length", "%s must have %zu to %zu characters", field,
                         min, max);
    if (strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n ||
        !strchr("abcdefghijklmnopqrstuvwxyz0123456789", v[0]))
        return err_field(&ctx->err, field, "pattern",
                         "%s may hold lower-case letters, digits, '.', '_' and '-', starting "
                         "with a letter or digit",
                         field);
    return 0;
}

const char *today(struct ctx *ctx)
{
    char *d = arena_alloc(ctx->arena, 16);
    time_format_date(time_now_ms(), 8 * 60, d, 16);
    return d;
}
