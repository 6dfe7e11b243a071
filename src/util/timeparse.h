/* timeparse.h - timestamps as UTC Unix seconds (double).
 *
 * Accepts what real runs contain: RFC 3339 with `Z` or `±hh:mm`, fractions,
 * the invalid Flow Studio suffix `+00:00Z`, a space instead of `T`, bare
 * dates, and zone-less times (taken as UTC and flagged).
 * Ownership: no allocation.
 */
#ifndef WZ_UTIL_TIMEPARSE_H
#define WZ_UTIL_TIMEPARSE_H

#include <stddef.h>

enum tp_flags {
	TP_ZONELESS = 1 << 0,   /* no zone given: assumed UTC */
	TP_DATE_ONLY = 1 << 1,  /* bare YYYY-MM-DD */
	TP_REPAIRED = 1 << 2,   /* `+00:00Z` style suffix repaired */
};

/* Parses the timestamp at the start of s (leading blanks allowed, trailing
 * text allowed when `end` is non-NULL; otherwise only blanks may follow).
 * Returns 1 and sets *t (and *flags) on success, 0 otherwise. */
int tp_parse(const char *s, double *t, int *flags, const char **end);

/* Finds the first ISO timestamp (YYYY-MM-DDTHH:MM...) anywhere in s. */
int tp_find(const char *s, double *t, int *flags);

/* Formats t as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). out >= 21 bytes. */
void tp_format(double t, char *out, size_t n);

/* Parses a duration like `24h`, `30d`, `90s`, `15m`, `2w`; returns seconds
 * or -1 when s is not a duration. */
double tp_duration(const char *s);

/* Formats a duration compactly: `1h10`, `5h`, `42m`, `3d4h`, `12s`. */
void tp_format_duration(double secs, char *out, size_t n);

#endif
