/*
 * jobs.h - the periodic jobs of egov: work that happens because time passes, not because
 * someone asked (today: agreements in force whose period has ended become expired, and a signed
 * checkpoint of the audit head once a day).
 *
 * `egov serve` runs them every jobs_interval_s seconds in a thread of its own; `egov jobs run`
 * runs them once (for cron, or with jobs_interval_s = 0). Several nodes may run them at the
 * same moment: on PostgreSQL each job takes a transaction-level advisory lock with try-lock, so
 * exactly one node does a given job in a round and the others skip it; on SQLite the write
 * transaction (BEGIN IMMEDIATE) serialises them, and every job is idempotent anyway.
 */
#ifndef EGOV_JOBS_H
#define EGOV_JOBS_H

#include <stdbool.h>

struct app;
struct err;

struct jobs_report {
    int agreements_expired;
    int audit_checkpoints; /* published in this run (0 or 1) */
    int skipped;           /* jobs another node was running */
};

/* Runs each job once, each in its own transaction; -1 with e set when one failed (the others
 * still ran). */
int jobs_run_once(struct app *app, struct jobs_report *r, struct err *e);

/* The scheduler thread of `egov serve`: starts it (interval from app->cfg; nothing when 0),
 * and stops it, waiting for a run in progress to finish. */
int jobs_start(struct app *app);
void jobs_stop(void);

#endif
