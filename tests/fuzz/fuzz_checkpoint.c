/*
 * fuzz_checkpoint.c - one line of an audit checkpoint file (audit_checkpoint_parse in
 * domain/audit/audit_checkpoint.c) on arbitrary bytes: the file comes from outside the store
 * and `egov audit verify --checkpoint FILE` reads it.
 *
 * Contract checked: a rejected line says why; an accepted one has seq >= 1, every member set,
 * an `at` that formats back to the text it was read from, and a signed message that names its
 * seq and hash.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct app app;
    char *s = fuzz_cstr(data, size);
    struct arena *a = arena_new();
    struct ctx *ctx = ctx_new(&app, a);
    struct audit_checkpoint cp;
    const char *why = NULL;
    char seq[32];

    if (audit_checkpoint_parse(ctx, s, 7, &cp, &why) < 0) {
        fuzz_check(why && *why);
    } else {
        fuzz_check(cp.seq >= 1 && cp.line == 7);
        fuzz_check(cp.hash && cp.hash_alg && cp.reason && cp.key_id && cp.algorithm &&
                   cp.signature);
        const char *msg = audit_checkpoint_message(ctx, &cp);
        snprintf(seq, sizeof(seq), "\nseq=%" PRId64 "\n", cp.seq);
        fuzz_check(strstr(msg, seq) != NULL);
        fuzz_check(strncmp(msg, "egov-audit-checkpoint/1\n", 24) == 0);
    }
    arena_free(a);
    free(s);
    return 0;
}
