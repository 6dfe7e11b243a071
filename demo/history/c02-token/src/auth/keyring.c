/* keyring.c - the gateway's signing keys, rotated daily; two are live
 * during a rotation. */
#include "auth/token.h"

#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

struct token_keyring {
	int count;
	unsigned char key[2][32];
};

static void hex(const unsigned char *in, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", in[i]);
}

int token_keyring_check(const struct token_keyring *keys, const char *raw, const char *sig)
{
	const char *last = strrchr(raw, '.');
	unsigned char mac[32];
	unsigned maclen = 0;
	char want[65];

	if (!keys || !last)
		return 0;
	for (int i = 0; i < keys->count; i++) {
		HMAC(EVP_sha256(), keys->key[i], 32, (const unsigned char *)raw,
		     (size_t)(last - raw), mac, &maclen);
		hex(mac, maclen, want);
		if (strcmp(want, sig) == 0)
			return 1;
	}
	return 0;
}
