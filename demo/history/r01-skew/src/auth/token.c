/* token.c - session tokens: "<sub>.<aud>.<iat>.<nbf>.<exp>.<sig>".
 *
 * The signature is an HMAC-SHA256 over the first five fields, hex encoded,
 * computed by the gateway with the shared key from the vault. This file
 * only parses and checks; it never issues tokens.
 */
#include "auth/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Accepted difference between our clock and the gateway's, in seconds.
 * Nodes in the eu-west pool drift by up to four minutes between NTP syncs. */
static long token_skew = TOKEN_DEFAULT_SKEW;

int token_set_skew(long seconds)
{
	if (seconds < 0 || seconds > TOKEN_MAX_SKEW)
		return -1;
	token_skew = seconds;
	return 0;
}

long token_get_skew(void)
{
	return token_skew;
}

static int split_fields(const char *s, char fields[TOKEN_FIELDS][TOKEN_FIELD_MAX])
{
	int n = 0;
	size_t len = 0;

	for (; *s; s++) {
		if (*s == '.') {
			if (n == TOKEN_FIELDS - 1)
				return -1;
			fields[n][len] = '\0';
			n++;
			len = 0;
			continue;
		}
		if (len + 1 >= TOKEN_FIELD_MAX)
			return -1;
		fields[n][len++] = *s;
	}
	fields[n][len] = '\0';
	return n == TOKEN_FIELDS - 1 ? 0 : -1;
}

static int parse_time(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end != '\0' || v < 0)
		return -1;
	*out = v;
	return 0;
}

enum token_status token_parse(const char *raw, struct token *t)
{
	char f[TOKEN_FIELDS][TOKEN_FIELD_MAX];

	memset(t, 0, sizeof *t);
	if (!raw || split_fields(raw, f) != 0)
		return TOKEN_MALFORMED;
	snprintf(t->subject, sizeof t->subject, "%s", f[0]);
	snprintf(t->audience, sizeof t->audience, "%s", f[1]);
	if (parse_time(f[2], &t->issued_at) != 0 || parse_time(f[3], &t->not_before) != 0)
		return TOKEN_MALFORMED;
	if (f[4][0] == '\0')
		return TOKEN_NO_EXPIRY;
	if (parse_time(f[4], &t->expires_at) != 0)
		return TOKEN_MALFORMED;
	snprintf(t->signature, sizeof t->signature, "%s", f[5]);
	return TOKEN_OK;
}

enum token_status token_check_times(const struct token *t, long now)
{
	/* Tolerate the gateway's clock running ahead or behind ours. */
	long window = token_skew;
	if (now + window < t->not_before - window)
		return TOKEN_NOT_YET_VALID;
	if (now - window > t->expires_at + window)
		return TOKEN_EXPIRED;
	return TOKEN_OK;
}

enum token_status token_verify(const char *raw, const char *audience, long now,
			       const struct token_keyring *keys, struct token *out)
{
	enum token_status st = token_parse(raw, out);

	if (st != TOKEN_OK)
		return st;
	if (strcmp(out->audience, audience) != 0)
		return TOKEN_WRONG_AUDIENCE;
	if (!token_keyring_check(keys, raw, out->signature))
		return TOKEN_BAD_SIGNATURE;
	return token_check_times(out, now);
}
