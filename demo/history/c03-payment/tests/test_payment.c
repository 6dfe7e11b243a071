#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "payment.h"

struct fake { int calls; enum pay_result next; char last_key[64]; };

static enum pay_result fake_capture(void *ctx, const char *key, int64_t cents)
{
	struct fake *f = ctx;
	(void)cents;
	f->calls++;
	strncpy(f->last_key, key, sizeof f->last_key - 1);
	return f->next;
}

static enum pay_result fake_refund(void *ctx, const char *id, int64_t cents)
{
	(void)id; (void)cents;
	return ((struct fake *)ctx)->next;
}

static void capture_ok(void **state)
{
	struct fake f = { 0, PAY_OK, "" };
	struct psp p = { fake_capture, fake_refund, &f };
	char key[64];
	(void)state;
	assert_int_equal(payment_capture(&p, "o-77", 1999, key, sizeof key), PAY_OK);
	assert_string_equal(key, "chk-o-77");
}

static void capture_declined(void **state)
{
	struct fake f = { 0, PAY_DECLINED, "" };
	struct psp p = { fake_capture, fake_refund, &f };
	char key[64];
	(void)state;
	assert_int_equal(payment_capture(&p, "o-78", 500, key, sizeof key), PAY_DECLINED);
}

static void refund_partial(void **state)
{
	struct fake f = { 0, PAY_OK, "" };
	struct psp p = { fake_capture, fake_refund, &f };
	(void)state;
	assert_int_equal(payment_refund(&p, "cap-1", 1000, 400), PAY_OK);
	assert_int_equal(payment_refund(&p, "cap-1", 1000, 1400), PAY_INVALID);
}

static void idempotency_key_reused(void **state)
{
	struct fake f = { 0, PAY_OK, "" };
	struct psp p = { fake_capture, fake_refund, &f };
	char k1[64], k2[64];
	(void)state;
	payment_capture(&p, "o-80", 100, k1, sizeof k1);
	payment_capture(&p, "o-80", 100, k2, sizeof k2);
	assert_string_equal(k1, k2);
}

/* Talks to the PSP sandbox with a 2 s budget; the sandbox is slow at times. */
static void capture_timeout_retry(void **state)
{
	struct fake f = { 0, PAY_OK, "" };
	struct psp p = { fake_capture, fake_refund, &f };
	char key[64];
	struct timespec t0, t1;
	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(payment_capture(&p, "o-81", 100, key, sizeof key), PAY_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_ok),
		cmocka_unit_test(capture_declined),
		cmocka_unit_test(refund_partial),
		cmocka_unit_test(idempotency_key_reused),
		cmocka_unit_test(capture_timeout_retry),
	};
	return cmocka_run_group_tests_name("payment", tests, NULL, NULL);
}
