/*
 * audit_cli.c - `egov audit verify [--checkpoint FILE [--public-key PEM]]`: exit 0 when the
 * chain is intact (and holds against every checkpoint of FILE); otherwise exit 1 and name the
 * first bad record or checkpoint.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/banned.h"

#define PEM_MAX 16384

/* The PEM file, arena-owned; NULL with a message when unreadable. */
static const char *read_pem(struct arena *a, const char *path)
{
    char *buf = arena_alloc(a, PEM_MAX + 1);
    FILE *f = fopen(path, "r");
    size_t n;
    if (!f) {
        fprintf(stderr, "egov: cannot read the public key %s\n", path);
        return NULL;
    }
    n = fread(buf, 1, PEM_MAX, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

int cmd_audit(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct audit_verdict v;
    struct audit_checkpoint_verdict cv;
    struct cli_opt opts[] = {
        {"checkpoint", true, NULL, "file of signed checkpoints (JSON lines) to hold the chain to"},
        {"public-key", true, NULL,
         "PEM public key the checkpoints must be signed with (default: the store's key)"},
    };
    static const char usage[] =
        "usage: egov audit verify [--checkpoint FILE [--public-key PEM]] [--db URL]";
    const char *pem = NULL;
    if (argc < 1 || strcmp(argv[0], "verify") != 0) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, opts, 2);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (opts[1].value && !opts[0].value) {
        fprintf(stderr, "egov: --public-key needs --checkpoint\n%s\n", usage);
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    if (opts[1].value && !(pem = read_pem(arena, opts[1].value))) {
        cli_close(&app, arena);
        return 2;
    }
    rc = opts[0].value ? audit_verify_checkpoints(ctx, opts[0].value, pem, &v, &cv)
                       : audit_verify(ctx, &v);
    if (rc < 0) {
        rc = cli_fail(&ctx->err);
    } else if (!v.ok) {
        printf("audit chain BROKEN at record %lld: %s\n", (long long)v.first_bad_seq, v.reason);
        rc = 1;
    } else if (opts[0].value && cv.bad_checkpoint_line) {
        printf("audit chain does NOT hold against the checkpoints: %s\n", cv.reason);
        rc = 1;
    } else {
        printf("audit chain intact: %lld records", (long long)v.n_records);
        if (opts[0].value)
            printf(", %d checkpoint(s) hold%s", cv.n_checkpoints,
                   pem ? "" : " (signatures checked with the store's own public key)");
        printf("\n");
        rc = 0;
    }
    cli_close(&app, arena);
    return rc;
}
