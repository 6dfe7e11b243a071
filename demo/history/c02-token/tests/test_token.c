#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "auth/token.h"

/* iat=1000 nbf=1000 exp=4600 (one hour) */
static const struct token valid = { "u-1842", "checkout", 1000, 1000, 4600, "" };

static void parse_valid_token(void **state)
{
	struct token t;
	(void)state;
	assert_int_equal(token_parse("u-1842.checkout.1000.1000.4600.ab12", &t), TOKEN_OK);
	assert_string_equal(t.subject, "u-1842");
	assert_int_equal(t.expires_at, 4600);
}

static void reject_bad_signature(void **state)
{
	struct token t;
	(void)state;
	assert_int_equal(token_verify("u-1842.checkout.1000.1000.4600.00", "checkout", 2000,
				      NULL, &t), TOKEN_BAD_SIGNATURE);
}

static void expired_token_rejected(void **state)
{
	(void)state;
	/* ten minutes after expiry */
	assert_int_equal(token_check_times(&valid, 4600 + 600), TOKEN_EXPIRED);
}

static void not_before_enforced(void **state)
{
	(void)state;
	/* ten minutes before the token becomes valid */
	assert_int_equal(token_check_times(&valid, 1000 - 600), TOKEN_NOT_YET_VALID);
}

static void missing_exp_rejected(void **state)
{
	struct token t;
	(void)state;
	assert_int_equal(token_parse("u-1842.checkout.1000.1000..ab12", &t), TOKEN_NO_EXPIRY);
}

static void audience_mismatch_rejected(void **state)
{
	struct token t;
	(void)state;
	assert_int_equal(token_verify("u-1842.billing.1000.1000.4600.ab12", "checkout", 2000,
				      NULL, &t), TOKEN_WRONG_AUDIENCE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_valid_token),
		cmocka_unit_test(reject_bad_signature),
		cmocka_unit_test(expired_token_rejected),
		cmocka_unit_test(not_before_enforced),
		cmocka_unit_test(missing_exp_rejected),
		cmocka_unit_test(audience_mismatch_rejected),
	};
	return cmocka_run_group_tests_name("token", tests, NULL, NULL);
}
