/*
 * org_cli.c - `egov init` and `egov user add|passwd|disable`, calling the same services as the
 * API, as the system operator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org.h"
#include "org_store.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/uscc.h"
#include "db/db.h"
#include "domain/keys/keys.h"
#include "core/banned.h"

int cmd_init(int argc, char **argv)
{
    struct cli_opt opts[] = {
        {"admin", true, NULL, "login of the first administrator (required)"},
        {"name", true, NULL, "name of the root management institution"},
        {"uscc", true, NULL, "its unified social credit code"},
        {"level", true, NULL, "central or provincial (default provincial)"},
        {"region", true, NULL, "GB/T 2260 code of its region (default 110000)"},
        {"admin-name", true, NULL, "the administrator's name"},
    };
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    int n;
    int rc = cli_parse(argc, argv,
                       "usage: egov init --admin LOGIN [--db URL] [--name NAME] [--uscc CODE]\n"
                       "The administrator's password is read from EGOV_ADMIN_PASSWORD or asked "
                       "for on a terminal.",
                       &cfg, opts, 6);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!opts[0].value) {
        fprintf(stderr, "egov init: --admin LOGIN is required\n");
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    rc = 0;
    const char *password = cli_secret(arena, "EGOV_ADMIN_PASSWORD", "administrator password: ");
    char code[19];
    uscc_complete("1110000000000000", code);
    struct institution_input in;
    struct institution root;
    struct person_input pin;
    struct person admin;
    const char *generated;
    memset(&in, 0, sizeof(in));
    in.v.name = opts[1].value ? opts[1].value : "政务云服务管理机构";
    in.v.uscc = opts[2].value ? opts[2].value : code;
    in.v.level = opts[3].value ? opts[3].value : "provincial";
    in.v.region = opts[4].value ? opts[4].value : "110000";
    memset(&pin, 0, sizeof(pin));
    pin.v.login = opts[0].value;
    pin.v.name = opts[5].value ? opts[5].value : "系统管理员";
    pin.v.team = "administrative";
    pin.v.is_admin = true;
    pin.password = password;
    pin.has = PERSON_F_INSTITUTION;
    if (!password) {
        fprintf(stderr, "egov init: set EGOV_ADMIN_PASSWORD or run on a terminal\n");
        rc = 2;
    } else if (keys_migrate(&app, &n, &ctx->err) < 0 ||
               institution_create_root(ctx, &in, &root) < 0) {
        rc = cli_fail(&ctx->err);
    } else {
        pin.v.institution_id = root.id;
        if (person_create(ctx, &pin, &admin, &generated) < 0)
            rc = cli_fail(&ctx->err);
        else
            printf("initialised: institution %lld (%s), administrator %s\n", (long long)root.id,
                   root.name, admin.login);
    }
    cli_close(&app, arena);
    return rc;
}

static int find_login(struct ctx *ctx, const char *login, struct person *p)
{
    int rc = org_store_person_by_login(ctx, login, p, NULL);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "no person with login %s", login);
}

int cmd_user(int argc, char **argv)
{
    struct cli_opt opts[] = {
        {"login", true, NULL, "the person's login (required)"},
        {"name", true, NULL, "add: the person's name"},
        {"institution", true, NULL, "add: institution id"},
        {"team", true, NULL, "add: administrative or technical (default technical)"},
        {"admin", false, NULL, "add: make the person an administrator"},
    };
    static const char usage[] =
        "usage: egov user add --login L --name N --institution ID [--team T] [--admin]\n"
        "       egov user passwd --login L     (password from EGOV_USER_PASSWORD or a prompt)\n"
        "       egov user disable --login L";
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct person p, out;
    const char *verb = argc > 0 ? argv[0] : "";
    if (strcmp(verb, "add") != 0 && strcmp(verb, "passwd") != 0 && strcmp(verb, "disable") != 0) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, opts, 5);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (!opts[0].value) {
        fprintf(stderr, "egov user %s: --login is required\n", verb);
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    rc = 0;
    if (!strcmp(verb, "add")) {
        struct person_input in;
        const char *generated;
        memset(&in, 0, sizeof(in));
        in.has = PERSON_F_INSTITUTION | PERSON_F_LOGIN | PERSON_F_NAME | PERSON_F_TEAM;
        in.v.login = opts[0].value;
        in.v.name = opts[1].value;
        in.v.institution_id = opts[2].value ? strtoll(opts[2].value, NULL, 10) : 0;
        in.v.team = opts[3].value ? opts[3].value : "technical";
        in.v.is_admin = opts[4].value != NULL;
        in.password = cli_secret(arena, "EGOV_USER_PASSWORD", "password (empty: generate): ");
        if (in.password && !*in.password)
            in.password = NULL;
        if (person_create(ctx, &in, &out, &generated) < 0)
            rc = cli_fail(&ctx->err);
        else
            printf("added %s (id %lld)%s%s\n", out.login, (long long)out.id,
                   generated ? "; generated password: " : "", generated ? generated : "");
    } else if (!strcmp(verb, "passwd")) {
        const char *pw = cli_secret(arena, "EGOV_USER_PASSWORD", "new password: ");
        if (!pw) {
            fprintf(stderr, "egov user passwd: set EGOV_USER_PASSWORD or run on a terminal\n");
            rc = 2;
        } else if (find_login(ctx, opts[0].value, &p) < 0 ||
                   person_set_password(ctx, p.id, NULL, pw) < 0) {
            rc = cli_fail(&ctx->err);
        } else {
            printf("password of %s changed; their sessions were ended\n", p.login);
        }
    } else {
        struct person_input in;
        memset(&in, 0, sizeof(in));
        in.has = PERSON_F_ENABLED;
        in.v.enabled = false;
        if (find_login(ctx, opts[0].value, &p) < 0 || person_update(ctx, p.id, -1, &in, &out) < 0)
            rc = cli_fail(&ctx->err);
        else
            printf("%s disabled; their sessions were ended\n", out.login);
    }
    cli_close(&app, arena);
    return rc;
}
