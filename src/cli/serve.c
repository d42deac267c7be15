/*
 * serve.c - `egov serve`: migrate the store if it is behind, then run the HTTP server.
 */
#include <stdio.h>

#include "cli.h"
#include "db/db.h"
#include "domain/keys/keys.h"
#include "http/server.h"
#include "core/banned.h"

int cmd_serve(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct err e;
    int n;
    int rc = cli_parse(argc, argv, "usage: egov serve [--db URL] [--listen HOST:PORT] [options]",
                       &cfg, NULL, 0);
    if (rc)
        return rc > 0 ? 0 : 2;
    err_clear(&e);
    if (app_init(&app, &cfg, &e) < 0)
        return cli_fail(&e);
    /* Several nodes may start at once: db_migrate serialises them (advisory lock). */
    if (keys_migrate(&app, &n, &e) < 0 || app_open_signer(&app, &e) < 0 ||
        server_run(&app, &e) < 0) {
        app_release(&app);
        return cli_fail(&e);
    }
    app_release(&app);
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct err e;
    int n;
    int rc = cli_parse(argc, argv, "usage: egov migrate [--db URL]", &cfg, NULL, 0);
    if (rc)
        return rc > 0 ? 0 : 2;
    err_clear(&e);
    if (app_init(&app, &cfg, &e) < 0)
        return cli_fail(&e);
    if (keys_migrate(&app, &n, &e) < 0) {
        app_release(&app);
        return cli_fail(&e);
    }
    printf("applied %d migration(s); schema is at version %d\n", n, db_migrations_known());
    app_release(&app);
    return 0;
}
