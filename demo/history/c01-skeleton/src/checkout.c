/* checkout - reads a cart as "SKU QTY PRICE_CENTS" lines on stdin and
 * prints the total. The HTTP front end lives in the gateway. */
#include <stdio.h>

#include "cart.h"

int main(void)
{
	struct cart c;
	char sku[32];
	unsigned qty;
	long long price;

	cart_init(&c, "EUR");
	while (scanf("%31s %u %lld", sku, &qty, &price) == 3) {
		if (cart_add(&c, sku, qty, price, "EUR") != CART_OK) {
			fprintf(stderr, "checkout: rejected item %s\n", sku);
			return 1;
		}
	}
	printf("total_cents=%lld\n", (long long)cart_total_cents(&c));
	return 0;
}
