/*
 * config.c - the key table and its three readers. Values are validated here (ranges, formats)
 * so that the rest of egov can trust struct config.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "err.h"
#include "banned.h"

enum key_type { K_STR, K_INT };

static const struct key {
    const char *name;
    enum key_type type;
    size_t off;
    size_t cap;
    long min, max;
    const char *def;
    const char *help;
} keys[] = {
    {"db", K_STR, offsetof(struct config, db), sizeof(((struct config *)0)->db), 0, 0,
     "sqlite:data/egov.db", "store URL: sqlite:PATH or postgresql://USER@HOST:PORT/DB"},
    {"listen", K_STR, offsetof(struct config, listen), sizeof(((struct config *)0)->listen), 0, 0,
     "127.0.0.1:8080", "address and port the HTTP server listens on"},
    {"threads", K_INT, offsetof(struct config, threads), 0, 1, 256, "4",
     "HTTP worker threads; each holds one store connection"},
    {"body_max", K_INT, offsetof(struct config, body_max), 0, 1024, 64 << 20, "1048576",
     "largest accepted request body in bytes (413 beyond)"},
    {"session_ttl_min", K_INT, offsetof(struct config, session_ttl_min), 0, 1, 7 * 24 * 60, "480",
     "minutes a login session stays valid"},
    {"login_slow_after", K_INT, offsetof(struct config, login_slow_after), 0, 1, 100, "3",
     "consecutive failed logins after which each further attempt must wait 2^(n-k) seconds"},
    {"login_lock_after", K_INT, offsetof(struct config, login_lock_after), 0, 2, 1000, "10",
     "consecutive failed logins after which the account is locked"},
    {"login_lock_min", K_INT, offsetof(struct config, login_lock_min), 0, 1, 24 * 60, "15",
     "minutes an account stays locked"},
    {"login_addr_slow_after", K_INT, offsetof(struct config, login_addr_slow_after), 0, 1, 10000,
     "20",
     "consecutive failed logins from one client address (any login names) after which each "
     "further attempt from it must wait 2^(n-k) seconds"},
    {"login_addr_lock_after", K_INT, offsetof(struct config, login_addr_lock_after), 0, 2, 100000,
     "100",
     "consecutive failed logins from one client address after which it is locked for "
     "login_lock_min minutes (a device that logged in before is still admitted)"},
    {"login_workers", K_INT, offsetof(struct config, login_workers), 0, 1, 64, "2",
     "threads that verify passwords (argon2id), apart from the HTTP workers"},
    {"login_queue", K_INT, offsetof(struct config, login_queue), 0, 1, 10000, "32",
     "logins that may wait for a password worker; beyond, 503 with Retry-After"},
    {"jobs_interval_s", K_INT, offsetof(struct config, jobs_interval_s), 0, 0, 86400, "60",
     "seconds between runs of the periodic jobs (expiry of agreements ...); 0 = never in this "
     "process (run `egov jobs run` from cron instead)"},
    {"rate_limit", K_INT, offsetof(struct config, rate_limit), 0, 0, 1000000, "0",
     "requests per second allowed per client address (0 = unlimited)"},
    {"rate_limit_anon", K_INT, offsetof(struct config, rate_limit_anon), 0, 0, 1000000, "20",
     "logins and API requests without a session allowed per second per client address "
     "(public reads are not counted; 0 = unlimited)"},
    {"conns_per_ip", K_INT, offsetof(struct config, conns_per_ip), 0, 0, 1024, "64",
     "open connections allowed per client address; more are closed at once (0 = no limit; "
     "behind a reverse proxy every connection comes from the proxy)"},
    {"header_timeout_s", K_INT, offsetof(struct config, header_timeout_s), 0, 1, 3600, "15",
     "seconds a client has to send a request's headers, counted from the connection's start "
     "or the end of the previous answer (keep-alive idle included); a trickle of bytes does "
     "not extend it"},
    {"body_timeout_s", K_INT, offsetof(struct config, body_timeout_s), 0, 1, 86400, "60",
     "seconds a client has to send a request's body, counted from the end of its headers; "
     "streamed uploads (usage ingest) are exempt once their caller is authenticated"},
    {"log_level", K_STR, offsetof(struct config, log_level),
     sizeof(((struct config *)0)->log_level), 0, 0, "info", "debug, info, warn or error"},
    {"web_root", K_STR, offsetof(struct config, web_root), sizeof(((struct config *)0)->web_root),
     0, 0, "", "folder of the built web console served at / (empty: not served)"},
    {"cookie_secure", K_INT, offsetof(struct config, cookie_secure), 0, 0, 1, "0",
     "1 when egov is served over HTTPS (directly or behind a TLS proxy): the session cookie gets "
     "the Secure attribute"},
    {"elimination_idle_months", K_INT, offsetof(struct config, elimination_idle_months), 0, 1, 120,
     "6",
     "months an online product may go without an agreement in force that covers it before it "
     "is listed as a candidate for elimination"},
    {"hhi_warning", K_INT, offsetof(struct config, hhi_warning), 0, 0, 10000, "2500",
     "Herfindahl-Hirschman index (0..10000) of awarded value per region and category at which "
     "the market-concentration view warns management officials (T5-8.2b)"},
    {"budget_alert_thresholds", K_STR, offsetof(struct config, budget_alert_thresholds),
     sizeof(((struct config *)0)->budget_alert_thresholds), 0, 0, "80,100",
     "per cent of a budget line's amount at which issued bills raise a budget alert to the "
     "agency and the management institution (comma-separated, 1..1000)"},
    {"usage_clock_skew_s", K_INT, offsetof(struct config, usage_clock_skew_s), 0, 0, 3600, "300",
     "seconds a usage record's period may end after the server's clock (the sender's clock may "
     "run ahead); a record ending later is refused as `future`"},
    {"usage_reject_limit", K_INT, offsetof(struct config, usage_reject_limit), 0, 0, 1000000000,
     "100000",
     "rejected usage lines a provider may send within usage_reject_window_s; while its batches "
     "of the window exceed it, further batches get 429 with Retry-After (0 = no limit)"},
    {"usage_reject_window_s", K_INT, offsetof(struct config, usage_reject_window_s), 0, 1, 86400,
     "3600", "seconds of the window of usage_reject_limit"},
    {"crypto_suite", K_STR, offsetof(struct config, crypto_suite),
     sizeof(((struct config *)0)->crypto_suite), 0, 0, "ed25519-blake2b",
     "cryptographic suite of this deployment: ed25519-blake2b, or sm2-sm3 (the Chinese "
     "commercial suite, GB/T 39786-2021: SM2 signatures with SM3; SM3 for the audit chain and "
     "session-token hashes)"},
    {"signing_key", K_STR, offsetof(struct config, signing_key),
     sizeof(((struct config *)0)->signing_key), 0, 0, "",
     "where the signing key is: file:PATH (PKCS#8 PEM, mode 0600, owned by the service user) or "
     "pkcs11:URI (RFC 7512, Ed25519 only); empty: file signing.key beside the SQLite store"},
    {"signing_key_generate", K_INT, offsetof(struct config, signing_key_generate), 0, 0, 1, "1",
     "1: create the key file (mode 0600) when it is absent; set 0 in production so that a lost "
     "key file stops the service instead of starting a new key"},
    {"signing_key_pin", K_STR, offsetof(struct config, signing_key_pin),
     sizeof(((struct config *)0)->signing_key_pin), 0, 0, "",
     "user PIN of the PKCS#11 token when the URI has no pin-value (never logged)"},
    {"audit_checkpoint_file", K_STR, offsetof(struct config, audit_checkpoint_file),
     sizeof(((struct config *)0)->audit_checkpoint_file), 0, 0, "",
     "file the signed audit checkpoints are appended to as JSON lines (empty: "
     "audit-checkpoints.jsonl next to a SQLite store, data/audit-checkpoints.jsonl with "
     "PostgreSQL)"},
    {"timezone", K_STR, offsetof(struct config, timezone), sizeof(((struct config *)0)->timezone),
     0, 0, "Asia/Shanghai", "display time zone given to new institutions"},
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key *find(const char *name)
{
    char norm[64];
    size_t i;
    for (i = 0; i < sizeof(norm) - 1 && name[i]; i++)
        norm[i] = name[i] == '-' ? '_' : (char)tolower((unsigned char)name[i]);
    norm[i] = 0;
    for (size_t k = 0; k < N_KEYS; k++)
        if (!strcmp(keys[k].name, norm))
            return &keys[k];
    return NULL;
}

int config_is_key(const char *name)
{
    return find(name) != NULL;
}

/* "80,100": up to 8 whole per cents from 1 to 1000, comma-separated. */
static bool percent_list(const char *s)
{
    int n = 0;
    while (*s) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (errno || end == s || v < 1 || v > 1000 || ++n > 8 || (*end && *end != ','))
            return false;
        s = *end ? end + 1 : end;
        if (*end && !*s)
            return false;
    }
    return n > 0;
}

static int set_key(struct config *c, const struct key *k, const char *value, struct err *e)
{
    char *base = (char *)c;
    if (!strcmp(k->name, "budget_alert_thresholds") && !percent_list(value))
        return err_field(
            e, k->name, "format",
            "expected up to 8 per cents from 1 to 1000, comma-separated (e.g. 80,100), "
            "got '%s'",
            value);
    if (!strcmp(k->name, "crypto_suite") && strcmp(value, "ed25519-blake2b") != 0 &&
        strcmp(value, "sm2-sm3") != 0)
        return err_field(e, k->name, "enum", "expected ed25519-blake2b or sm2-sm3, got '%s'",
                         value);
    if (k->type == K_STR) {
        size_t n = strlen(value);
        if (n >= k->cap)
            return err_field(e, k->name, "max_length", "value longer than %zu bytes", k->cap - 1);
        memcpy(base + k->off, value, n + 1);
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < k->min || v > k->max)
        return err_field(e, k->name, "range", "expected an integer from %ld to %ld, got '%s'",
                         k->min, k->max, value);
    *(int *)(void *)(base + k->off) = (int)v;
    return 0;
}

void config_defaults(struct config *c)
{
    struct err e;
    memset(c, 0, sizeof(*c));
    err_clear(&e);
    for (size_t k = 0; k < N_KEYS; k++)
        set_key(c, &keys[k], keys[k].def, &e);
}

int config_set(struct config *c, const char *key, const char *value, struct err *e)
{
    const struct key *k = find(key);
    if (!k)
        return err_field(e, key, "unknown_key", "unknown configuration key '%s'", key);
    return set_key(c, k, value, e);
}

struct ini_state {
    struct config *c;
    struct err *e;
    int failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct ini_state *st = user;
    if (strcmp(section, "egov") != 0) {
        err_field(st->e, name, "section", "keys belong in the [egov] section, not [%s]", section);
        st->failed = 1;
        return 0;
    }
    if (config_set(st->c, name, value, st->e) < 0) {
        st->failed = 1;
        return 0;
    }
    return 1;
}

/* Debian's inih reads lines of at most 200 bytes and silently treats the rest of a longer line
 * as a new line (a cut value, and the tail taking effect as a key of its own). Refuse such a
 * file instead. */
#define INI_LINE_MAX 199

static int check_line_lengths(const char *path, struct err *e)
{
    FILE *f = fopen(path, "r");
    int ch, line = 1;
    size_t len = 0;
    if (!f)
        return err_set(e, ERR_INVALID, "cannot open configuration file %s", path);
    while ((ch = fgetc(f)) != EOF) {
        if (ch == '\n') {
            line++;
            len = 0;
        } else if (++len > INI_LINE_MAX) {
            fclose(f);
            return err_set(e, ERR_INVALID, "%s:%d: line longer than %d bytes", path, line,
                           INI_LINE_MAX);
        }
    }
    fclose(f);
    return 0;
}

int config_load_file(struct config *c, const char *path, struct err *e)
{
    struct ini_state st = {c, e, 0};
    if (check_line_lengths(path, e) < 0)
        return -1;
    int line = ini_parse(path, on_ini, &st);
    if (line == -1)
        return err_set(e, ERR_INVALID, "cannot open configuration file %s", path);
    if (st.failed)
        return -1;
    if (line > 0)
        return err_set(e, ERR_INVALID, "%s:%d: syntax error", path, line);
    return 0;
}

int config_load_env(struct config *c, struct err *e)
{
    for (size_t k = 0; k < N_KEYS; k++) {
        char var[80];
        size_t i, n = strlen(keys[k].name);
        memcpy(var, "EGOV_", 5);
        for (i = 0; i < n; i++)
            var[5 + i] = (char)toupper((unsigned char)keys[k].name[i]);
        var[5 + n] = 0;
        const char *v = getenv(var);
        if (v && set_key(c, &keys[k], v, e) < 0)
            return -1;
    }
    return 0;
}

void config_print_help(FILE *out)
{
    fprintf(out, "Settings (flag > environment > [egov] section of --config FILE > default):\n");
    for (size_t k = 0; k < N_KEYS; k++) {
        char flag[64], var[64];
        size_t i, n = strlen(keys[k].name);
        for (i = 0; i < n; i++) {
            flag[i] = keys[k].name[i] == '_' ? '-' : keys[k].name[i];
            var[i] = (char)toupper((unsigned char)keys[k].name[i]);
        }
        flag[n] = var[n] = 0;
        fprintf(out, "  --%-18s EGOV_%-18s default: %s\n      %s\n", flag, var,
                keys[k].def[0] ? keys[k].def : "(empty)", keys[k].help);
    }
}
