/*
 * cli.c - option parsing and the operator context shared by the subcommands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "core/banned.h"

int cli_parse(int argc, char **argv, const char *usage, struct config *cfg, struct cli_opt *opts,
              int n_opts)
{
    struct err e;
    const char *config_file = getenv("EGOV_CONFIG");
    err_clear(&e);
    config_defaults(cfg);
    /* First pass: --config, so that the file is read before env and flags override it. */
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_file = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            config_file = argv[i] + 9;
    }
    if (config_file && config_load_file(cfg, config_file, &e) < 0)
        return cli_fail(&e), -1;
    if (config_load_env(cfg, &e) < 0)
        return cli_fail(&e), -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[64];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s\n", usage);
            for (int k = 0; k < n_opts; k++)
                printf("  --%s%s\n      %s\n", opts[k].name, opts[k].takes_value ? " VALUE" : "",
                       opts[k].help);
            printf("\n");
            config_print_help(stdout);
            return 1;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "egov: unexpected argument '%s'\n%s\n", a, usage);
            return -1;
        }
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (len >= sizeof(name)) {
            fprintf(stderr, "egov: unknown option %s\n", a);
            return -1;
        }
        memcpy(name, a + 2, len);
        name[len] = 0;
        if (!strcmp(name, "config")) {
            i += eq ? 0 : 1;
            continue;
        }
        int k;
        for (k = 0; k < n_opts; k++)
            if (!strcmp(opts[k].name, name))
                break;
        bool needs = k < n_opts ? opts[k].takes_value : config_is_key(name);
        if (k == n_opts && !config_is_key(name)) {
            fprintf(stderr, "egov: unknown option --%s (see --help)\n", name);
            return -1;
        }
        if (needs) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                fprintf(stderr, "egov: --%s needs a value\n", name);
                return -1;
            }
        }
        if (k < n_opts)
            opts[k].value = needs ? val : "";
        else if (config_set(cfg, name, val, &e) < 0)
            return cli_fail(&e), -1;
    }
    return 0;
}

int cli_open(struct app *app, const struct config *cfg, struct ctx **ctx, struct arena **arena)
{
    struct err e;
    err_clear(&e);
    if (app_init(app, cfg, &e) < 0)
        return cli_fail(&e);
    *arena = arena_new();
    *ctx = ctx_new(app, *arena);
    (*ctx)->caller.is_system = true;
    (*ctx)->caller.login = "system";
    snprintf((*ctx)->client_ip, sizeof((*ctx)->client_ip), "cli");
    return 0;
}

void cli_close(struct app *app, struct arena *arena)
{
    arena_free(arena);
    app_release(app);
}

int cli_fail(const struct err *e)
{
    fprintf(stderr, "egov: %s\n", e->message[0] ? e->message : "failed");
    for (int i = 0; i < e->n_fields; i++)
        if (strcmp(e->fields[i].message, e->message) != 0 || i > 0)
            fprintf(stderr, "  %s (%s): %s\n", e->fields[i].field, e->fields[i].rule,
                    e->fields[i].message);
    return err_exit_code(e->kind ? e->kind : ERR_INTERNAL);
}

const char *cli_secret(struct arena *a, const char *env, const char *prompt)
{
    const char *v = getenv(env);
    char buf[256];
    struct termios old, quiet;
    if (v && *v)
        return arena_strdup(a, v);
    if (!isatty(STDIN_FILENO))
        return NULL;
    fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &old);
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char *got = fgets(buf, sizeof(buf), stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fprintf(stderr, "\n");
    if (!got)
        return NULL;
    buf[strcspn(buf, "\r\n")] = 0;
    return arena_strdup(a, buf);
}
