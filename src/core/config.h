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
    char db[512];         /* sqlite:PATH or postgresql://… */
    char listen[128];     /* HOST:PORT */
    int threads;          /* HTTP worker threads = store connections */
    int body_max;         /* bytes */
    int session_ttl_min;  /* minutes a session lives without use */
    int login_slow_after; /* failures before each attempt is delayed */
    int login_lock_after; /* failures before the account is locked */
    int login_lock_min;   /* minutes of lock */
    int rate_limit;       /* requests per second per client address; 0 = off */
    int jobs_interval_s;  /* seconds between periodic job runs; 0 = off */
    char log_level[16];
    char web_root[512];               /* built console; "" = none */
    char timezone[64];                /* default display zone for new institutions */
    int cookie_secure;                /* 1: the session cookie carries Secure (served behind TLS) */
    int elimination_idle_months;      /* unused online products become elimination candidates */
    int hhi_warning;                  /* market concentration (HHI) at which M is warned */
    char budget_alert_thresholds[64]; /* per cent of a budget line, e.g. "80,100" */
    char crypto_suite[32];            /* "ed25519-blake2b" (default) or "sm2-sm3" */
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
