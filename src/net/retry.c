/* retry.c - retry decisions and waits (see retry.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "net/retry.h"

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int month_of(const char *m)
{
	for (int i = 0; i < 12; i++)
		if (strncasecmp(m, months[i], 3) == 0)
			return i;
	return -1;
}

static double utc_seconds(int y, int mon, int d, int h, int mi, int s)
{
	/* days from civil (Howard Hinnant), no timegm() locale/TZ dependence */
	y -= mon <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = era * 146097 + doe - 719468;
	return (double)days * 86400.0 + h * 3600.0 + mi * 60.0 + s;
}

bool retry_parse_http_date(const char *s, double *t)
{
	char wd[16], mon[8], tz[8];
	int d, y, h, mi, sec, n = 0, m;
	if (!s)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (sscanf(s, "%15[A-Za-z], %d %3s %d %d:%d:%d %7s%n", wd, &d, mon, &y, &h, &mi, &sec, tz, &n) == 8 &&
	    strcmp(tz, "GMT") == 0) {
		/* fall through to the common checks */
	} else if (sscanf(s, "%15[A-Za-z], %d-%3s-%d %d:%d:%d %7s%n", wd, &d, mon, &y, &h, &mi, &sec, tz, &n) ==
			   8 &&
		   strcmp(tz, "GMT") == 0) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		if (y < 100)
			y += y < 70 ? 2000 : 1900;
	} else if (sscanf(s, "%15[A-Za-z] %3s %d %d:%d:%d %d%n", wd, mon, &d, &h, &mi, &sec, &y, &n) == 7) {
		/* asctime: Sun Nov  6 08:49:37 1994 */
	} else {
		return false;
	}
	while (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n')
		n++;
	if (s[n])
		return false;
	m = month_of(mon);
	if (m < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970 || h < 0 || mi < 0 ||
	    sec < 0)
		return false;
	*t = utc_seconds(y, m + 1, d, h, mi, sec);
	return true;
}

static bool parse_num(const char *v, double *out)
{
	char *end;
	if (!v)
		return false;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!isdigit((unsigned char)*v))
		return false;
	errno = 0;
	double x = strtod(v, &end);
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (*end || errno || !isfinite(x) || x < 0)
		return false;
	*out = x;
	return true;
}

bool retry_parse_after(const char *value, double now, double *wait)
{
	double x;
	if (parse_num(value, &x)) {
		*wait = x;
		return true;
	}
	if (retry_parse_http_date(value, &x)) {
		*wait = x > now ? x - now : 0;
		return true;
	}
	return false;
}

bool retry_parse_reset(const char *value, double now, double *wait)
{
	double x;
	if (!parse_num(value, &x))
		return false;
	if (x > 1e9)
		*wait = x > now ? x - now : 0;
	else
		*wait = x;
	return true;
}

double retry_backoff(int failed, retry_rand_fn rnd, void *ctx)
{
	double cap = RETRY_BACKOFF_BASE_S;
	for (int i = 1; i < failed && cap < RETRY_BACKOFF_CAP_S; i++)
		cap *= 2;
	if (cap > RETRY_BACKOFF_CAP_S)
		cap = RETRY_BACKOFF_CAP_S;
	double r = rnd ? rnd(ctx) : 0.5;
	if (!(r >= 0) || r >= 1)
		r = 0.5;
	return r * cap;
}

static bool is_zero(const char *v)
{
	double x;
	return parse_num(v, &x) && x == 0;
}

void retry_decide(const struct retry_in *in, retry_rand_fn rnd, void *ctx, struct retry_out *out)
{
	double w = -1, reset = -1;
	memset(out, 0, sizeof *out);

	if (in->status == 0 && (in->transport_error || in->timed_out)) {
		/* a create that may have reached the server is never repeated */
		if (in->creating && !in->nothing_sent)
			return;
		out->why = RW_TRANSPORT;
	} else if (in->status == 429 ||
		   (in->status == 403 && is_zero(in->h.ratelimit_remaining))) {
		out->why = RW_RATE_LIMIT;
	} else if (in->status == 403 && (in->h.retry_after || in->body_says_rate_limit)) {
		out->why = RW_SECONDARY;
	} else if (in->status >= 500 && in->status <= 599) {
		if (in->creating)
			return; /* the server may have created it */
		out->why = RW_SERVER;
	} else {
		return;
	}

	if (in->h.retry_after && retry_parse_after(in->h.retry_after, in->now, &w)) {
		/* the server said */
	} else if ((out->why == RW_RATE_LIMIT || out->why == RW_SECONDARY) && in->h.ratelimit_reset &&
		   retry_parse_reset(in->h.ratelimit_reset, in->now, &reset) &&
		   (out->why == RW_RATE_LIMIT || is_zero(in->h.ratelimit_remaining))) {
		w = reset;
	} else {
		w = retry_backoff(in->attempt, rnd, ctx);
		if (out->why == RW_SECONDARY && w < RETRY_SECONDARY_MIN_S)
			w = RETRY_SECONDARY_MIN_S;
	}
	out->wait = w;
	if (in->attempt >= RETRY_MAX_ATTEMPTS || in->elapsed + w > RETRY_BUDGET_S) {
		out->gave_up = true;
		if (out->why == RW_RATE_LIMIT || out->why == RW_SECONDARY)
			out->until = in->now + w;
		return;
	}
	out->retry = true;
}

const char *retry_why_text(enum retry_why w)
{
	switch (w) {
	case RW_RATE_LIMIT: return "rate limited";
	case RW_SECONDARY: return "secondary rate limit";
	case RW_SERVER: return "server error";
	case RW_TRANSPORT: return "no answer";
	default: return "final";
	}
}

void retry_until_text(double until, char *out, size_t n)
{
	time_t t = (time_t)ceil(until);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, n, "rate limited until %02d:%02d UTC", tm.tm_hour, tm.tm_min);
}
