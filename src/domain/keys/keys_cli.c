/*
 * keys_cli.c - `egov keys list | rotate | export-legacy --out FILE`: the operator's view of the
 * signing keys (docs/keys.md). Rotation runs on the host that holds the key file; the other
 * nodes are restarted with the new file afterwards (until then they refuse to sign).
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/banned.h"

static const char usage[] =
    "usage: egov keys list | rotate | retire --key-id ID | export-legacy --out FILE";

static void print_key(const struct signing_key *k)
{
    char from[40], until[40] = "";
    time_format(k->valid_from, from, sizeof(from));
    if (k->retired_at)
        time_format(k->retired_at, until, sizeof(until));
    printf("%-26s %-8s from %s%s%s\n", k->id, k->algorithm, from, k->retired_at ? " retired " : "",
           until);
}

static int keys_cli_list(struct ctx *ctx)
{
    struct signing_key *items;
    int n;
    if (keys_list(ctx, &items, &n) < 0)
        return cli_fail(&ctx->err);
    for (int i = 0; i < n; i++)
        print_key(&items[i]);
    return 0;
}

static int keys_cli_rotate(struct ctx *ctx)
{
    struct signing_key now = {0}, old = {0};
    if (keys_rotate(ctx, &now, &old) < 0)
        return cli_fail(&ctx->err);
    printf("new signing key %s; %s is retired (it still verifies what it signed)\n", now.id,
           old.id);
    printf("restart every egov serve node with the new key\n");
    return 0;
}

int cmd_keys(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct err e;
    int n, rc;
    struct cli_opt opts[] = {{"out", true, NULL, "export-legacy: the key file to write (0600)"},
                             {"key-id", true, NULL, "retire: the key to retire"}};
    if (argc < 1 || (strcmp(argv[0], "list") != 0 && strcmp(argv[0], "rotate") != 0 &&
                     strcmp(argv[0], "export-legacy") != 0 && strcmp(argv[0], "retire") != 0)) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    rc = cli_parse(argc - 1, argv + 1, usage, &cfg, opts, 2);
    if (rc)
        return rc > 0 ? 0 : 2;
    err_clear(&e);
    if (!strcmp(argv[0], "export-legacy")) {
        /* Before the migration: the store must not be migrated first. */
        if (!opts[0].value || !*opts[0].value) {
            fprintf(stderr, "egov: export-legacy needs --out FILE\n");
            return 2;
        }
        if (app_init(&app, &cfg, &e) < 0)
            return cli_fail(&e);
        rc = keys_export_legacy(&app, opts[0].value, &n, &e) < 0 ? cli_fail(&e) : 0;
        if (!rc)
            printf("signing key written to %s (mode 0600); set signing_key=file:%s\n",
                   opts[0].value, opts[0].value);
        app_release(&app);
        return rc;
    }
    if (!strcmp(argv[0], "retire") && (!opts[1].value || !*opts[1].value)) {
        fprintf(stderr, "egov: retire needs --key-id ID (see egov keys list)\n");
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    if (keys_migrate(&app, &n, &e) < 0 || app_open_signer(&app, &e) < 0) {
        rc = cli_fail(&e);
    } else {
        if (!strcmp(argv[0], "list"))
            rc = keys_cli_list(ctx);
        else if (!strcmp(argv[0], "rotate"))
            rc = keys_cli_rotate(ctx);
        else if (keys_retire(ctx, opts[1].value) < 0)
            rc = cli_fail(&ctx->err);
        else
            printf("%s is retired (it still verifies what it signed)\n", opts[1].value);
    }
    cli_close(&app, arena);
    return rc;
}
