/*
 * banned.h - functions that egov code must not call.
 *
 * Each is either unbounded (sprintf, strcpy, strcat, gets), silently wrong on bad input (atoi,
 * atol) or not thread-safe (strtok, localtime, gmtime). Including this header after the system
 * headers turns any use into a compile error that names the safer replacement.
 */
#ifndef EGOV_BANNED_H
#define EGOV_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_egov

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef gmtime
#define gmtime(x) BANNED(gmtime)

#endif
