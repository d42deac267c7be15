/*
 * uscc.c - GB 32100 and GB 11714 check characters. Pure functions: no allocation, no I/O.
 */
#include <string.h>

#include "uscc.h"
#include "banned.h"

static const char charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int w18[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int w_org[8] = {3, 7, 9, 10, 5, 8, 4, 2};

static int value31(char c)
{
    const char *p = c ? strchr(charset, c) : NULL;
    return p ? (int)(p - charset) : -1;
}

/* GB 11714 values: digits 0-9, letters A-Z 10-35. */
static int value36(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

static char org_check(const char *body8)
{
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += value36(body8[i]) * w_org[i];
    int c = 11 - sum % 11;
    return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

static char code_check(const char *c17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += value31(c17[i]) * w18[i];
    int c = 31 - sum % 31;
    return charset[c == 31 ? 0 : c];
}

enum uscc_result uscc_check(const char *code)
{
    if (!code || strlen(code) != 18)
        return USCC_BAD_LENGTH;
    for (int i = 0; i < 18; i++)
        if (value31(code[i]) < 0)
            return USCC_BAD_CHARACTER;
    if (org_check(code + 8) != code[16])
        return USCC_BAD_ORG_CHECK;
    if (code_check(code) != code[17])
        return USCC_BAD_CHECK;
    return USCC_OK;
}

const char *uscc_rule(enum uscc_result r)
{
    switch (r) {
    case USCC_OK:
        return "ok";
    case USCC_BAD_LENGTH:
        return "length";
    case USCC_BAD_CHARACTER:
        return "charset";
    case USCC_BAD_ORG_CHECK:
        return "org_check";
    case USCC_BAD_CHECK:
        return "check";
    }
    return "invalid";
}

const char *uscc_message(enum uscc_result r)
{
    switch (r) {
    case USCC_OK:
        return "valid";
    case USCC_BAD_LENGTH:
        return "a unified social credit code has exactly 18 characters";
    case USCC_BAD_CHARACTER:
        return "only digits and the letters A-Y without I, O, S, V are allowed (GB 32100)";
    case USCC_BAD_ORG_CHECK:
        return "the organisation-code check character (position 17, GB 11714) is wrong";
    case USCC_BAD_CHECK:
        return "the check character (position 18, GB 32100) is wrong";
    }
    return "invalid";
}

int uscc_complete(const char *prefix16, char out[19])
{
    if (!prefix16 || strlen(prefix16) != 16)
        return -1;
    for (int i = 0; i < 16; i++)
        if (value31(prefix16[i]) < 0)
            return -1;
    memcpy(out, prefix16, 16);
    out[16] = org_check(prefix16 + 8);
    if (value31(out[16]) < 0)
        return -1;
    out[17] = code_check(out);
    out[18] = 0;
    return 0;
}
