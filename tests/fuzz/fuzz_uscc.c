/*
 * fuzz_uscc.c - the Unified Social Credit Code checker (core/uscc.c) on arbitrary bytes.
 *
 * Contract checked: uscc_check never reads past the string; a code it accepts is exactly what
 * uscc_complete computes from its first 16 characters; uscc_complete only ever produces codes
 * that uscc_check accepts; every result has a rule name and a message.
 */
#include <string.h>

#include "fuzz_common.h"
#include "core/uscc.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *code = fuzz_cstr(data, size);
    char out[19];
    enum uscc_result r = uscc_check(code);

    fuzz_check(r >= USCC_OK && r <= USCC_BAD_CHECK);
    fuzz_check(uscc_rule(r) && uscc_message(r) && *uscc_message(r));
    if (r == USCC_OK) {
        char prefix[17];
        memcpy(prefix, code, 16);
        prefix[16] = 0;
        fuzz_check(uscc_complete(prefix, out) == 0);
        fuzz_check(memcmp(out, code, 19) == 0);
    }
    /* The other direction: whatever 16 characters complete to must then pass the check. */
    if (strlen(code) >= 16) {
        code[16] = 0;
        if (uscc_complete(code, out) == 0) {
            fuzz_check(strlen(out) == 18 && memcmp(out, code, 16) == 0);
            fuzz_check(uscc_check(out) == USCC_OK);
        }
    }
    free(code);
    return 0;
}
