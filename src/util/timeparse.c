/* timeparse.c - ISO 8601 / RFC 3339 parsing without locale or TZ reads. */
#include "config.h"
#include "util/timeparse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int tp_parse(const char *s, double *t, int *flags, const char **end)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, fl = 0;
	double frac = 0, off = 0;
	const char *p = s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, 2, &d))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return 0;
	p += 10;
	if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
			return 0;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				return 0;
			p += 3;
			if (*p == '.' || *p == ',') {
				double scale = 0.1;
				p++;
				if (!isdigit((unsigned char)*p))
					return 0;
				while (isdigit((unsigned char)*p)) {
					frac += (*p - '0') * scale;
					scale /= 10;
					p++;
				}
			}
		}
		if (h > 24 || mi > 59 || sec > 60)
			return 0;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
			int oh, om = 0, sign = *p == '-' ? -1 : 1;
			if (!digits(p + 1, 2, &oh))
				return 0;
			p += 3;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p)) {
				if (!digits(p, 2, &om))
					return 0;
				p += 2;
			}
			off = sign * (oh * 3600.0 + om * 60.0);
			if (*p == 'Z') { /* `+00:00Z`: invalid but seen in Flow Studio */
				p++;
				fl |= TP_REPAIRED;
			}
		} else {
			fl |= TP_ZONELESS;
		}
	} else {
		fl |= TP_DATE_ONLY | TP_ZONELESS;
	}
	if (end) {
		*end = p;
	} else {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p)
			return 0;
	}
	*t = (double)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400.0 + h * 3600.0 +
	     mi * 60.0 + sec + frac - off;
	if (flags)
		*flags = fl;
	return 1;
}

int tp_find(const char *s, double *t, int *flags)
{
	const char *p;
	for (p = s; *p; p++) {
		const char *end;
		if (isdigit((unsigned char)*p) && (p == s || !isdigit((unsigned char)p[-1])) &&
		    tp_parse(p, t, flags, &end) && !(flags && (*flags & TP_DATE_ONLY)))
			return 1;
	}
	return 0;
}

void tp_format(double t, char *out, size_t n)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double tp_duration(const char *s)
{
	double v;
	char unit;
	int used = 0;
	if (!s || !isdigit((unsigned char)s[0]) || sscanf(s, "%lf%c%n", &v, &unit, &used) != 2 ||
	    s[used] != '\0' || !isfinite(v) || v < 0 || v > 1e12)
		return -1;
	switch (unit) {
	case 's': return v;
	case 'm': return v * 60;
	case 'h': return v * 3600;
	case 'd': return v * 86400;
	case 'w': return v * 7 * 86400;
	default: return -1;
	}
}

void tp_format_duration(double secs, char *out, size_t n)
{
	long long s = (long long)llround(secs < 0 ? -secs : secs);
	const char *sign = secs < 0 ? "-" : "";
	if (s < 60)
		snprintf(out, n, "%s%llds", sign, s);
	else if (s < 3600)
		snprintf(out, n, "%s%lldm", sign, s / 60);
	else if (s < 86400)
		snprintf(out, n, "%s%lldh%02lld", sign, s / 3600, (s % 3600) / 60);
	else
		snprintf(out, n, "%s%lldd%lldh", sign, s / 86400, (s % 86400) / 3600);
}
