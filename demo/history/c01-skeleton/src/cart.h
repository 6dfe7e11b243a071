#ifndef CHECKOUT_CART_H
#define CHECKOUT_CART_H

#include <stddef.h>
#include <stdint.h>

#define CART_MAX_ITEMS 64

struct cart_item {
	char sku[32];
	uint32_t quantity;
	int64_t unit_price_cents;
};

struct cart {
	char currency[4];
	size_t count;
	struct cart_item items[CART_MAX_ITEMS];
};

enum cart_result { CART_OK, CART_FULL, CART_NOT_FOUND, CART_OVERFLOW, CART_CURRENCY };

void cart_init(struct cart *c, const char *currency);
enum cart_result cart_add(struct cart *c, const char *sku, uint32_t qty, int64_t price,
			  const char *currency);
enum cart_result cart_remove(struct cart *c, const char *sku);
int64_t cart_total_cents(const struct cart *c);

#endif
