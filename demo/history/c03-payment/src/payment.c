/* payment.c - capture and refund through the payment service provider. */
#include "payment.h"

#include <stdio.h>

enum pay_result payment_capture(const struct psp *p, const char *order_id, int64_t cents,
				char *idem_key, unsigned idem_len)
{
	if (cents <= 0)
		return PAY_INVALID;
	/* One idempotency key per order: the PSP deduplicates retries. */
	snprintf(idem_key, idem_len, "chk-%s", order_id);
	return p->capture(p->ctx, idem_key, cents);
}

enum pay_result payment_refund(const struct psp *p, const char *capture_id, int64_t captured,
			       int64_t cents)
{
	if (cents <= 0 || cents > captured)
		return PAY_INVALID;
	return p->refund(p->ctx, capture_id, cents);
}
