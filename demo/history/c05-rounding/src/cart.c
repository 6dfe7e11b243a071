#include "cart.h"

#include <string.h>

void cart_init(struct cart *c, const char *currency)
{
	memset(c, 0, sizeof *c);
	strncpy(c->currency, currency, sizeof c->currency - 1);
}

enum cart_result cart_add(struct cart *c, const char *sku, uint32_t qty, int64_t price,
			  const char *currency)
{
	if (strcmp(currency, c->currency) != 0)
		return CART_CURRENCY;
	if (qty == 0 || qty > 10000)
		return CART_OVERFLOW;
	for (size_t i = 0; i < c->count; i++) {
		if (strcmp(c->items[i].sku, sku) == 0) {
			if (c->items[i].quantity + qty > 10000)
				return CART_OVERFLOW;
			c->items[i].quantity += qty;
			return CART_OK;
		}
	}
	if (c->count == CART_MAX_ITEMS)
		return CART_FULL;
	strncpy(c->items[c->count].sku, sku, sizeof c->items[0].sku - 1);
	c->items[c->count].quantity = qty;
	c->items[c->count].unit_price_cents = price;
	c->count++;
	return CART_OK;
}

enum cart_result cart_remove(struct cart *c, const char *sku)
{
	for (size_t i = 0; i < c->count; i++) {
		if (strcmp(c->items[i].sku, sku) == 0) {
			memmove(&c->items[i], &c->items[i + 1],
				(c->count - i - 1) * sizeof c->items[0]);
			c->count--;
			return CART_OK;
		}
	}
	return CART_NOT_FOUND;
}

/* Prices carry tenths of a cent from the catalogue feed; round the sum
 * half-to-even so totals match the ledger. */
static int64_t round_half_even(int64_t tenths)
{
	int64_t q = tenths / 10, r = tenths % 10;

	if (r > 5 || (r == 5 && (q % 2) != 0))
		q++;
	return q;
}

int64_t cart_total_cents(const struct cart *c)
{
	int64_t tenths = 0;
	for (size_t i = 0; i < c->count; i++)
		tenths += c->items[i].unit_price_cents * 10 * (int64_t)c->items[i].quantity;
	return round_half_even(tenths);
}
