#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cart.h"

static void add_item(void **state)
{
	struct cart c;
	(void)state;
	cart_init(&c, "EUR");
	assert_int_equal(cart_add(&c, "SKU-1", 2, 450, "EUR"), CART_OK);
	assert_int_equal(c.count, 1);
	assert_int_equal(cart_total_cents(&c), 900);
}

static void remove_item(void **state)
{
	struct cart c;
	(void)state;
	cart_init(&c, "EUR");
	cart_add(&c, "SKU-1", 1, 100, "EUR");
	cart_add(&c, "SKU-2", 1, 200, "EUR");
	assert_int_equal(cart_remove(&c, "SKU-1"), CART_OK);
	assert_int_equal(cart_total_cents(&c), 200);
	assert_int_equal(cart_remove(&c, "SKU-9"), CART_NOT_FOUND);
}

static void empty_cart_total_zero(void **state)
{
	struct cart c;
	(void)state;
	cart_init(&c, "EUR");
	assert_int_equal(cart_total_cents(&c), 0);
}

static void quantity_overflow_rejected(void **state)
{
	struct cart c;
	(void)state;
	cart_init(&c, "EUR");
	assert_int_equal(cart_add(&c, "SKU-1", 10001, 1, "EUR"), CART_OVERFLOW);
}

static void currency_mismatch_rejected(void **state)
{
	struct cart c;
	(void)state;
	cart_init(&c, "EUR");
	assert_int_equal(cart_add(&c, "SKU-1", 1, 1, "USD"), CART_CURRENCY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_item),
		cmocka_unit_test(remove_item),
		cmocka_unit_test(empty_cart_total_zero),
		cmocka_unit_test(quantity_overflow_rejected),
		cmocka_unit_test(currency_mismatch_rejected),
	};
	return cmocka_run_group_tests_name("cart", tests, NULL, NULL);
}
