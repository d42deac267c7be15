/*
 * log.h - structured logging: one JSON object per line on stderr.
 *
 * Secrets (passwords, tokens) are never passed here; callers log identifiers only.
 */
#ifndef EGOV_LOG_H
#define EGOV_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the lowest level written; returns -1 for an unknown name. */
int log_set_level(const char *name);
/* Writes {"ts":…,"level":…,"msg":…} plus key/value pairs given as "k=v" strings in fmt. */
void log_at(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_at(LOG_ERROR, __VA_ARGS__)

/* Logs and aborts: for broken invariants and out-of-memory only. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
