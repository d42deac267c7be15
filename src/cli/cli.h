/*
 * cli.h - shared plumbing of the subcommands: option parsing into struct config, opening the
 * store as the system operator, reading secrets from the environment or a terminal prompt,
 * and reporting errors with the exit code of their kind.
 */
#ifndef EGOV_CLI_H
#define EGOV_CLI_H

#include <stdbool.h>

#include "app.h"

struct arena;

/* Options a subcommand accepts besides the config keys; value NULL for flags. */
struct cli_opt {
    const char *name; /* without dashes */
    bool takes_value;
    const char *value; /* filled; "" for a present flag, NULL when absent */
    const char *help;
};

/* Parses argv (after the subcommand) into cfg (file, env, flags in precedence order) and opts.
 * Returns 0, 1 when --help was asked (usage printed), or -1 with a message printed. */
int cli_parse(int argc, char **argv, const char *usage, struct config *cfg, struct cli_opt *opts,
              int n_opts);
/* Opens the app and a system-operator context with its arena. */
int cli_open(struct app *app, const struct config *cfg, struct ctx **ctx, struct arena **arena);
void cli_close(struct app *app, struct arena *arena);
/* Prints "egov: <message>" and field errors; returns the exit code of the error kind. */
int cli_fail(const struct err *e);
/* A secret from the environment variable, else a prompt without echo on a terminal; NULL when
 * neither is available. Arena-owned. */
const char *cli_secret(struct arena *a, const char *env, const char *prompt);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_usage(int argc, char **argv);
int cmd_billing(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_keys(int argc, char **argv);

#endif
