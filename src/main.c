/*
 * main.c - the subcommand table of the egov binary, and nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "version.h"
#include "core/banned.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", cmd_serve, "run the HTTP API and web console"},
    {"init", cmd_init, "create the schema, the root management institution and its admin"},
    {"migrate", cmd_migrate, "apply pending schema migrations"},
    {"demo", cmd_demo, "fill the store with a realistic provincial government cloud"},
    {"user", cmd_user, "add a person, change a password, disable a person"},
    {"audit", cmd_audit, "verify the hash chain of the audit trail"},
    {"jobs", cmd_jobs, "run the periodic jobs once (agreement expiry), e.g. from cron"},
    {"usage", cmd_usage, "import usage records (CSV or NDJSON), list a batch's outcomes"},
    {"billing", cmd_billing, "rate a month into bills, issue them, settle with providers, verify"},
    {"keys", cmd_keys, "list, rotate or retire the signing keys; export an older store's key"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "this list"},
};

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("egov %s\n", EGOV_VERSION);
    return 0;
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("usage: egov <command> [options]   (egov <command> --help for its options)\n\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("  %-8s %s\n", commands[i].name, commands[i].help);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cmd_help(0, NULL) == 0 && argc < 2 ? 2 : 0;
    if (!strcmp(argv[1], "--version"))
        return cmd_version(0, NULL);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "egov: '%s' is not a command; see egov help\n", argv[1]);
    return 2;
}
