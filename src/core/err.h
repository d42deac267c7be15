/*
 * err.h - the one error type of egov.
 *
 * Services fill a struct err and return -1; the HTTP layer maps the kind to a status and a
 * problem type, the CLI maps it to an exit code (err_http_status, err_exit_code). Validation
 * failures may carry several field errors.
 */
#ifndef EGOV_ERR_H
#define EGOV_ERR_H

#include <stdarg.h>

enum err_kind {
    ERR_NONE = 0,
    ERR_INVALID,      /* input breaks a validation rule (422 / exit 2) */
    ERR_BAD_REQUEST,  /* malformed request: bad JSON, wrong content type (400) */
    ERR_UNAUTHORIZED, /* no or bad credentials (401) */
    ERR_FORBIDDEN,    /* authenticated but not allowed (403) */
    ERR_NOT_FOUND,    /* absent or not visible to the caller (404) */
    ERR_METHOD,       /* the resource exists but not with this method (405) */
    ERR_CONFLICT,     /* a business rule or uniqueness conflict (409) */
    ERR_PRECONDITION, /* If-Match did not match the current version (412) */
    ERR_TOO_LARGE,    /* body over the limit (413) */
    ERR_HEAD_TOO_BIG, /* request line and headers over the limit (431) */
    ERR_UNSUPPORTED,  /* unsupported media type (415) */
    ERR_RATE_LIMITED, /* too many attempts (429) */
    ERR_UNAVAILABLE,  /* the store is unreachable or busy (503) */
    ERR_INTERNAL,     /* a bug or driver failure; details are logged, not shown (500) */
    ERR_KIND_MAX
};

#define ERR_MAX_FIELDS 16
#define ERR_MAX_PARAMS 8

/* A figure a refusal speaks of (remaining budget, trial end date, conflicting lot), rendered in
 * the problem's "params" so that a program reads it without parsing the sentence. */
struct err_param {
    char name[32];
    char value[128];
    int is_number; /* value is the decimal text of an integer: rendered as a JSON number */
};

struct err_field {
    char field[64];
    char rule[32];
    char message[192];
};

struct err {
    enum err_kind kind;
    char field[64]; /* the offending field, "" when none */
    char rule[32];  /* machine-readable rule name, "" when none */
    char message[256];
    int n_fields;
    struct err_field fields[ERR_MAX_FIELDS];
    int retry_after; /* seconds, for ERR_RATE_LIMITED; 0 otherwise */
    int n_params;
    struct err_param params[ERR_MAX_PARAMS];
};

/* Records kind and message; returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a field error (kind becomes ERR_INVALID unless already set) and returns -1. */
int err_field(struct err *e, const char *field, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* err_set with a stable rule name, for refusals that concern no single field (a state
 * transition, a party that may not act): clients read the rule, people read the message. */
int err_rule(struct err *e, enum err_kind kind, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* err_field with a kind other than ERR_INVALID (a field-level conflict, 404 or 412). */
int err_field_as(struct err *e, enum err_kind kind, const char *field, const char *rule,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds a figure of the refusal (see struct err_param); beyond ERR_MAX_PARAMS it is dropped.
 * Both return -1 so that they chain after err_rule. */
int err_param_str(struct err *e, const char *name, const char *value);
int err_param_int(struct err *e, const char *name, long long value);
void err_clear(struct err *e);

int err_http_status(enum err_kind kind);
int err_exit_code(enum err_kind kind);
/* Stable problem type slug, e.g. "validation" → https://egov.example/problems/validation. */
const char *err_slug(enum err_kind kind);
const char *err_title(enum err_kind kind);

#endif
