/*
 * uscc.h - the Unified Social Credit Code (统一社会信用代码, GB 32100-2015).
 *
 * 18 characters from the 31-character set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z).
 * Position 18 is a check character over positions 1-17 (GB 32100); positions 9-17 are the
 * organisation code of GB 11714, whose position 17 is its own check character (0-9 or X).
 */
#ifndef EGOV_USCC_H
#define EGOV_USCC_H

enum uscc_result {
    USCC_OK = 0,
    USCC_BAD_LENGTH,    /* not exactly 18 characters */
    USCC_BAD_CHARACTER, /* a character outside the 31-character set */
    USCC_BAD_ORG_CHECK, /* the GB 11714 check character at position 17 is wrong */
    USCC_BAD_CHECK,     /* the GB 32100 check character at position 18 is wrong */
};

/* Validates an upper-case code. */
enum uscc_result uscc_check(const char *code);
/* A stable rule name for the result ("length", "charset", "org_check", "check"). */
const char *uscc_rule(enum uscc_result r);
/* Human-readable explanation of the result (English). */
const char *uscc_message(enum uscc_result r);
/*
 * Completes a code from its first 16 characters (registration authority, category, region,
 * 8-character organisation-code body): computes position 17 and 18 into out[19].
 * Returns -1 when the prefix has bad characters or the org check needs a letter the set lacks.
 */
int uscc_complete(const char *prefix16, char out[19]);

#endif
