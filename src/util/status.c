/* status.c - status table lookups and error formatting. */
#include "config.h"
#include "util/status.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *text;
	int exit_code;
} status_info[] = {
#define WZ_X(name, code, text) {text, code},
	WZ_STATUS_TABLE(WZ_X)
#undef WZ_X
};

const char *wz_status_text(enum wz_status s)
{
	if ((unsigned)s >= WZ_STATUS_COUNT)
		return "unknown status";
	return status_info[s].text;
}

int wz_status_exit_code(enum wz_status s)
{
	if ((unsigned)s >= WZ_STATUS_COUNT)
		return 2;
	return status_info[s].exit_code;
}

enum wz_status wz_err_set(struct wz_err *err, enum wz_status code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void wz_err_clear(struct wz_err *err)
{
	if (err) {
		err->code = WZ_OK;
		err->msg[0] = '\0';
	}
}
