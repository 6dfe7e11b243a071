#ifndef CHECKOUT_PAYMENT_H
#define CHECKOUT_PAYMENT_H

#include <stdint.h>

enum pay_result { PAY_OK, PAY_DECLINED, PAY_TIMEOUT, PAY_DUPLICATE, PAY_INVALID };

/* The PSP client; tests pass a fake. */
struct psp {
	enum pay_result (*capture)(void *ctx, const char *idem_key, int64_t cents);
	enum pay_result (*refund)(void *ctx, const char *capture_id, int64_t cents);
	void *ctx;
};

enum pay_result payment_capture(const struct psp *p, const char *order_id, int64_t cents,
				char *idem_key, unsigned idem_len);
enum pay_result payment_refund(const struct psp *p, const char *capture_id, int64_t captured,
			       int64_t cents);

#endif
