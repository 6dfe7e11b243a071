#ifndef CHECKOUT_AUTH_TOKEN_H
#define CHECKOUT_AUTH_TOKEN_H

#define TOKEN_FIELDS 6
#define TOKEN_FIELD_MAX 128

enum token_status {
	TOKEN_OK,
	TOKEN_MALFORMED,
	TOKEN_NO_EXPIRY,
	TOKEN_WRONG_AUDIENCE,
	TOKEN_BAD_SIGNATURE,
	TOKEN_NOT_YET_VALID,
	TOKEN_EXPIRED,
};

struct token {
	char subject[64];
	char audience[64];
	long issued_at;
	long not_before;
	long expires_at;
	char signature[TOKEN_FIELD_MAX];
};

struct token_keyring;

/* 1 when sig is a valid HMAC of raw's first five fields under any key. */
int token_keyring_check(const struct token_keyring *keys, const char *raw, const char *sig);

enum token_status token_parse(const char *raw, struct token *t);
enum token_status token_check_times(const struct token *t, long now);
enum token_status token_verify(const char *raw, const char *audience, long now,
			       const struct token_keyring *keys, struct token *out);

#endif
