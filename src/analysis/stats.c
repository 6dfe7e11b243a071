/* stats.c - statistical toolkit (spec/analysis.md §1.1-§1.3). */
#include "analysis/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *c = xmalloc(n * sizeof *c);
	memcpy(c, x, n * sizeof *c);
	qsort(c, n, sizeof *c, cmp_double);
	return c;
}

static double quantile_sorted(const double *s, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return s[n - 1];
	return s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]);
}

double st_quantile(const double *x, size_t n, double q)
{
	if (n == 0 || !(q >= 0.0 && q <= 1.0))
		return NAN;
	double *s = sorted_copy(x, n);
	double r = quantile_sorted(s, n, q);
	free(s);
	return r;
}

double st_median(const double *x, size_t n)
{
	return st_quantile(x, n, 0.5);
}

double st_mad(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double med = st_median(x, n);
	double *d = xmalloc(n * sizeof *d);
	for (size_t i = 0; i < n; i++)
		d[i] = fabs(x[i] - med);
	double r = st_median(d, n);
	free(d);
	return r;
}

double st_mean_abs_dev(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double med = st_median(x, n), sum = 0.0;
	for (size_t i = 0; i < n; i++)
		sum += fabs(x[i] - med);
	return sum / (double)n;
}

struct st_modz st_modified_z(const double *ref, size_t n, double v, double abs_floor)
{
	struct st_modz z = { 0 };
	if (n == 0)
		return z;
	z.valid = true;
	z.median = st_median(ref, n);
	z.mad = st_mad(ref, n);
	if (z.mad > 0.0) {
		z.m = 0.6745 * (v - z.median) / z.mad;
	} else {
		double mean_ad = st_mean_abs_dev(ref, n);
		if (mean_ad > 0.0) {
			z.used_meanad = true;
			z.m = (v - z.median) / (1.253314 * mean_ad);
		} else {
			z.degenerate = true;
			z.m = 0.0;
			z.anomalous = fabs(v - z.median) > abs_floor;
			return z;
		}
	}
	z.anomalous = fabs(z.m) > ST_MODZ_THRESHOLD;
	return z;
}

/* Continued fraction for I_p(a,b) (modified Lentz). */
static double betacf(double p, double a, double b)
{
	const double tiny = 1e-300;
	double qab = a + b, qap = a + 1.0, qam = a - 1.0;
	double c = 1.0, d = 1.0 - qab * p / qap;
	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	double h = d;
	for (int m = 1; m <= 10000; m++) {
		double m2 = 2.0 * m;
		double aa = m * (b - m) * p / ((qam + m2) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * p / ((a + m2) * (qap + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-15)
			break;
	}
	return h;
}

double st_betainc(double p, double a, double b)
{
	if (!(a > 0.0) || !(b > 0.0) || !(p >= 0.0 && p <= 1.0) || !isfinite(a) || !isfinite(b))
		return NAN;
	if (p == 0.0)
		return 0.0;
	if (p == 1.0)
		return 1.0;
	double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(p) + b * log1p(-p);
	double bt = exp(lbt);
	if (p < (a + 1.0) / (a + b + 2.0))
		return bt * betacf(p, a, b) / a;
	return 1.0 - bt * betacf(1.0 - p, b, a) / b;
}

double st_betainc_inv(double y, double a, double b)
{
	if (!(y >= 0.0 && y <= 1.0) || !(a > 0.0) || !(b > 0.0))
		return NAN;
	if (y == 0.0)
		return 0.0;
	if (y == 1.0)
		return 1.0;
	double lo = 0.0, hi = 1.0;
	for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
		double mid = 0.5 * (lo + hi);
		if (st_betainc(mid, a, b) < y)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

struct st_interval st_jeffreys(long x, long n, double alpha)
{
	struct st_interval r = { NAN, NAN, NAN, false };
	if (n <= 0 || x < 0 || x > n || !(alpha > 0.0 && alpha < 1.0))
		return r;
	double a = (double)x + 0.5, b = (double)(n - x) + 0.5;
	r.valid = true;
	r.point = (double)x / (double)n;
	r.lo = x == 0 ? 0.0 : st_betainc_inv(alpha / 2.0, a, b);
	r.hi = x == n ? 1.0 : st_betainc_inv(1.0 - alpha / 2.0, a, b);
	return r;
}

double st_jeffreys_exceed(long x, long n, double p0)
{
	if (n <= 0 || x < 0 || x > n || !(p0 >= 0.0 && p0 <= 1.0))
		return NAN;
	return 1.0 - st_betainc(p0, (double)x + 0.5, (double)(n - x) + 0.5);
}

int st_retries_to_confirm(double p)
{
	if (!(p > 0.0 && p < 1.0))
		return 0;
	double k = ceil(log(0.01) / log(p) - 1e-12);
	return k < 1.0 ? 1 : (int)k;
}
