/* payment.c - capture and refund through the payment service provider. */
#include "payment.h"

#include <stdio.h>

enum pay_result payment_capture(const struct psp *p, const char *order_id, int64_t cents,
				char *idem_key, unsigned idem_len)
{
	if (cents <= 0)
		return PAY_INVALID;
	/* One idempotency key per order: the PSP deduplicates retries. */
	enum pay_result r;

	snprintf(idem_key, idem_len, "chk-%s", order_id);
	r = p->capture(p->ctx, idem_key, cents);
	/* The PSP times out under load but usually completed the capture;
	 * retry once with the same key so it is never charged twice. */
	if (r == PAY_TIMEOUT)
		r = p->capture(p->ctx, idem_key, cents);
	return r;
}

enum pay_result payment_refund(const struct psp *p, const char *capture_id, int64_t captured,
			       int64_t cents)
{
	if (cents <= 0 || cents > captured)
		return PAY_INVALID;
	return p->refund(p->ctx, capture_id, cents);
}
