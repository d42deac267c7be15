/*
 * err.c - filling struct err and the one table that maps an error kind to HTTP and CLI answers.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "banned.h"

static const struct {
    int status;
    int exit_code;
    const char *slug;
    const char *title;
} kinds[ERR_KIND_MAX] = {
    [ERR_NONE] = {200, 0, "none", "OK"},
    [ERR_INVALID] = {422, 2, "validation", "The request breaks a validation rule"},
    [ERR_BAD_REQUEST] = {400, 2, "bad-request", "The request is malformed"},
    [ERR_UNAUTHORIZED] = {401, 3, "unauthorized", "Authentication is required"},
    [ERR_FORBIDDEN] = {403, 3, "forbidden", "Not allowed"},
    [ERR_NOT_FOUND] = {404, 4, "not-found", "Not found"},
    [ERR_METHOD] = {405, 2, "method-not-allowed", "Method not allowed"},
    [ERR_CONFLICT] = {409, 5, "conflict", "The request conflicts with a rule or the current state"},
    [ERR_PRECONDITION] = {412, 5, "stale-version", "The record was changed by someone else"},
    [ERR_TOO_LARGE] = {413, 2, "too-large", "The request body is too large"},
    [ERR_HEAD_TOO_BIG] = {431, 2, "headers-too-large", "The request headers are too large"},
    [ERR_UNSUPPORTED] = {415, 2, "unsupported-media-type", "Unsupported media type"},
    [ERR_RATE_LIMITED] = {429, 6, "rate-limited", "Too many attempts"},
    [ERR_UNAVAILABLE] = {503, 7, "unavailable", "The service is temporarily unavailable"},
    [ERR_INTERNAL] = {500, 1, "internal", "Internal error"},
};

/* A text cut to its buffer may end in the middle of a UTF-8 sequence (a Chinese field name
 * or message is 3 bytes a character): drop the partial character, so that what is rendered
 * as JSON stays valid UTF-8 (found by fuzz_json_body: a long Chinese field path lost its
 * errors[] entries). */
static void cut_partial_utf8(char *s)
{
    size_t n = strlen(s), i;
    if (!n)
        return;
    i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && n - i < 4)
        i--;
    unsigned char lead = (unsigned char)s[i];
    size_t want = lead < 0x80             ? 1
                  : (lead & 0xE0) == 0xC0 ? 2
                  : (lead & 0xF0) == 0xE0 ? 3
                  : (lead & 0xF8) == 0xF0 ? 4
                                          : 1;
    if (n - i < want)
        s[i] = 0;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
    cut_partial_utf8(dst);
}

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
    va_list ap;
    e->kind = kind;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    cut_partial_utf8(e->message);
    return -1;
}

int err_field(struct err *e, const char *field, const char *rule, const char *fmt, ...)
{
    va_list ap;
    char msg[192];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (e->kind == ERR_NONE)
        e->kind = ERR_INVALID;
    if (!e->field[0]) {
        copy(e->field, sizeof(e->field), field);
        copy(e->rule, sizeof(e->rule), rule);
        copy(e->message, sizeof(e->message), msg);
    }
    if (e->n_fields < ERR_MAX_FIELDS) {
        struct err_field *f = &e->fields[e->n_fields++];
        copy(f->field, sizeof(f->field), field);
        copy(f->rule, sizeof(f->rule), rule);
        copy(f->message, sizeof(f->message), msg);
    }
    return -1;
}

int err_field_as(struct err *e, enum err_kind kind, const char *field, const char *rule,
                 const char *fmt, ...)
{
    va_list ap;
    char msg[192];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err_field(e, field, rule, "%s", msg);
    e->kind = kind;
    return -1;
}

int err_rule(struct err *e, enum err_kind kind, const char *rule, const char *fmt, ...)
{
    va_list ap;
    e->kind = kind;
    copy(e->rule, sizeof(e->rule), rule);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    cut_partial_utf8(e->message);
    return -1;
}

static struct err_param *param_slot(struct err *e, const char *name)
{
    for (int i = 0; i < e->n_params; i++)
        if (!strcmp(e->params[i].name, name))
            return &e->params[i];
    return e->n_params < ERR_MAX_PARAMS ? &e->params[e->n_params++] : NULL;
}

int err_param_str(struct err *e, const char *name, const char *value)
{
    struct err_param *p = param_slot(e, name);
    if (p) {
        copy(p->name, sizeof(p->name), name);
        copy(p->value, sizeof(p->value), value);
        p->is_number = 0;
    }
    return -1;
}

int err_param_int(struct err *e, const char *name, long long value)
{
    struct err_param *p = param_slot(e, name);
    if (p) {
        copy(p->name, sizeof(p->name), name);
        snprintf(p->value, sizeof(p->value), "%lld", value);
        p->is_number = 1;
    }
    return -1;
}

void err_clear(struct err *e)
{
    memset(e, 0, sizeof(*e));
}

int err_http_status(enum err_kind kind)
{
    return kind < ERR_KIND_MAX ? kinds[kind].status : 500;
}

int err_exit_code(enum err_kind kind)
{
    return kind < ERR_KIND_MAX ? kinds[kind].exit_code : 1;
}

const char *err_slug(enum err_kind kind)
{
    return kind < ERR_KIND_MAX ? kinds[kind].slug : "internal";
}

const char *err_title(enum err_kind kind)
{
    return kind < ERR_KIND_MAX ? kinds[kind].title : "Internal error";
}
