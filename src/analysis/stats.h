/* stats.h - the statistical toolkit shared by every analyzer
 * (spec/analysis.md §1.1-§1.3): type-7 quantiles, median, MAD, modified z,
 * the regularised incomplete beta and its inverse, Jeffreys intervals.
 *
 * Pure functions: no I/O, no clock, no global state. Inputs are never
 * modified (sorting happens on a private copy). Ownership: nothing here
 * returns memory to free.
 */
#ifndef WZ_ANALYSIS_STATS_H
#define WZ_ANALYSIS_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Type-7 quantile of x[0..n) at q in [0,1] (numpy default, Prometheus
 * quantile_over_time). NaN when n == 0 or q is outside [0,1]. */
double st_quantile(const double *x, size_t n, double q);
/* st_quantile(x, n, 0.5). */
double st_median(const double *x, size_t n);
/* Median absolute deviation about the median (unscaled). NaN when n == 0. */
double st_mad(const double *x, size_t n);
/* Mean absolute deviation about the median. NaN when n == 0. */
double st_mean_abs_dev(const double *x, size_t n);

/* Modified z of v against a reference sample (Iglewicz & Hoaglin 1993). */
#define ST_MODZ_THRESHOLD 3.5
struct st_modz {
	double m;          /* the score; 0 when both MAD and meanAD are 0 */
	double median;
	double mad;
	bool used_meanad;  /* MAD was 0: M = (v-median)/(1.253314*meanAD) */
	bool degenerate;   /* MAD and meanAD both 0: decided by the floor */
	bool anomalous;    /* |M| > 3.5, or (degenerate) |v-median| > abs_floor */
	bool valid;        /* false when the reference is empty */
};
struct st_modz st_modified_z(const double *ref, size_t n, double v, double abs_floor);

/* Regularised incomplete beta I_p(a,b) for a, b > 0, p in [0,1]; NaN on
 * bad arguments. Continued fraction (modified Lentz), rel. error < 1e-12. */
double st_betainc(double p, double a, double b);
/* The p with I_p(a,b) = y, by bisection to 1e-15. NaN on bad arguments. */
double st_betainc_inv(double y, double a, double b);

/* Jeffreys interval for x successes of n at level 1-alpha (Brown, Cai &
 * DasGupta 2001): quantiles alpha/2 and 1-alpha/2 of Beta(x+1/2, n-x+1/2);
 * lo = 0 when x == 0, hi = 1 when x == n. valid false when n <= 0,
 * x < 0 or x > n. */
struct st_interval {
	double point;      /* x/n */
	double lo, hi;
	bool valid;
};
struct st_interval st_jeffreys(long x, long n, double alpha);
/* Posterior probability that the rate exceeds p0 under the Jeffreys prior:
 * 1 - I_p0(x+1/2, n-x+1/2). NaN when the arguments are invalid. */
double st_jeffreys_exceed(long x, long n, double p0);

/* Retries needed so that all of them failing has probability < 1 % if the
 * test were merely flaky with failure rate p: ceil(ln 0.01 / ln p)
 * (analysis.md §6.1). 0 when p is not in (0,1). */
int st_retries_to_confirm(double p);

#endif
