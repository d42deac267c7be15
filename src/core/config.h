/*
 * config.h - egov's settings: flags over environment (EGOV_*) over an INI file (inih) over
 * built-in defaults. One table describes every key, so `egov serve --help` and the README are
 * generated from the same rows as the parser.
 */
#ifndef EGOV_CONFIG_H
#define EGOV_CONFIG_H

#include <stdio.h>

struct err;

struct config {
    char db[512];              /* sqlite:PATH or postgresql://… */
    char listen[128];          /* HOST:PORT */
    int threads;               /* HTTP worker threads = store connections */
    int body_max;              /* bytes */
    int session_ttl_min;       /* minutes a session lives without use */
    int login_slow_after;      /* failures before each attempt is delayed */
    int login_lock_after;      /* failures before the account is locked */
    int login_lock_min;        /* minutes of lock */
    int login_addr_slow_after; /* failures from one client address before it is delayed */
    int login_addr_lock_after; /* failures from one client address before it is locked */
    int login_workers;         /* threads that verify passwords */
    int login_queue;           /* logins waiting for a password worker before 503 */
    int rate_limit;            /* requests per second per client address; 0 = off */
    int rate_limit_anon;       /* unauthenticated requests per second per client address; 0 = off */
    int conns_per_ip;          /* open connections per client address; 0 = no limit */
    int header_timeout_s;      /* seconds to send a request's headers, from its start */
    int body_timeout_s;        /* seconds to send a request's body, from the end of its headers */
    int jobs_interval_s;       /* seconds between periodic job runs; 0 = off */
    char log_level[16];
    char web_root[512];               /* built console; "" = none */
    char timezone[64];                /* default display zone for new institutions */
    int cookie_secure;                /* 1: the session cookie carries Secure (served behind TLS) */
    int elimination_idle_months;      /* unused online products become elimination candidates */
    int hhi_warning;                  /* market concentration (HHI) at which M is warned */
    char budget_alert_thresholds[64]; /* per cent of a budget line, e.g. "80,100" */
    int usage_clock_skew_s;           /* a usage period may end this far after now */
    int usage_reject_limit;           /* rejected usage lines per provider and window; 0 = off */
    int usage_reject_window_s;        /* the window of usage_reject_limit */
    char crypto_suite[32];            /* "ed25519-blake2b" or "sm2-sm3" */
    char signing_key[512];            /* "file:PATH", "pkcs11:URI"; "" = beside the SQLite store */
    int signing_key_generate;         /* 1: create the key file when it is absent */
    char signing_key_pin[128];        /* PKCS#11 user PIN; never logged */
    char audit_checkpoint_file[512];  /* JSON lines of signed audit checkpoints; "" = derived */
    char config_file[512];
};

enum config_source { CONFIG_DEFAULT, CONFIG_FILE, CONFIG_ENV, CONFIG_FLAG };

void config_defaults(struct config *c);
/* Reads an INI file (section [egov]); -1 with err on a syntax error or unknown key. */
int config_load_file(struct config *c, const char *path, struct err *e);
/* Applies EGOV_* variables; -1 on a bad value. */
int config_load_env(struct config *c, struct err *e);
/* Sets one key by name ("body_max" or "body-max"); -1 on unknown key or bad value. */
int config_set(struct config *c, const char *key, const char *value, struct err *e);
/* True when name (with dashes or underscores) is a config key. */
int config_is_key(const char *name);
/* Prints every key with its flag, variable, default and meaning. */
void config_print_help(FILE *out);

#endif
