/* test_stats.c - the statistical toolkit against the worked examples of
 * spec/analysis.md (W-1, W-2, the statistics of W-20 and W-21) and the
 * edge cases each function documents. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "analysis/stats.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Relative tolerance 1e-3 (analysis.md §0), absolute for values near 0. */
static void near(double got, double want)
{
	double tol = fabs(want) * 1e-3;
	if (tol < 1e-9)
		tol = 1e-9;
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.10g, want %.10g", got, want);
}

static void w1_modified_z(void **state)
{
	(void)state;
	const double ref[] = { 120, 118, 125, 122, 119, 121, 124, 123, 117, 126 };
	near(st_median(ref, ARRAY_LEN(ref)), 121.5);
	near(st_mad(ref, ARRAY_LEN(ref)), 2.5);
	struct st_modz z = st_modified_z(ref, ARRAY_LEN(ref), 140, 0);
	near(z.m, 4.991);
	assert_true(z.anomalous);
	assert_false(z.used_meanad);
	z = st_modified_z(ref, ARRAY_LEN(ref), 131, 0);
	near(z.m, 2.563);
	assert_false(z.anomalous);
}

static void w2_jeffreys(void **state)
{
	(void)state;
	struct st_interval j = st_jeffreys(3, 400, 0.05);
	assert_true(j.valid);
	near(j.point, 0.0075);
	near(j.lo, 0.002117);
	near(j.hi, 0.01988);
	near(st_jeffreys_exceed(3, 400, 0.0144), 0.1157);
	j = st_jeffreys(0, 400, 0.05);
	assert_true(j.lo == 0.0);
	near(j.hi, 0.006256);
	j = st_jeffreys(400, 400, 0.05);
	assert_true(j.hi == 1.0);
	assert_true(j.lo > 0.99 && j.lo < 1.0);
	assert_false(st_jeffreys(1, 0, 0.05).valid);
	assert_false(st_jeffreys(5, 4, 0.05).valid);
	assert_false(st_jeffreys(-1, 4, 0.05).valid);
}

/* The statistics W-20 and W-21 rely on. */
static void w20_w21_numbers(void **state)
{
	(void)state;
	/* W-20: 3 failures of 10 observations; P(rate > 1 %) = 1.000. */
	near(st_jeffreys_exceed(3, 10, 0.01), 1.000);
	assert_int_equal(st_retries_to_confirm(0.05), 2);
	assert_int_equal(st_retries_to_confirm(0.3), 4);
	assert_int_equal(st_retries_to_confirm(0.0), 0);
	assert_int_equal(st_retries_to_confirm(1.0), 0);
	/* W-21: earlier durations, now 2.90 s. */
	const double d[] = { 1.20, 1.25, 1.18, 1.31, 1.22, 1.27, 1.24 };
	struct st_modz z = st_modified_z(d, ARRAY_LEN(d), 2.90, 0.1);
	near(z.median, 1.24);
	near(z.mad, 0.03);
	near(z.m, 37.32);
	assert_true(z.anomalous);
}

static void quantiles(void **state)
{
	(void)state;
	const double x[] = { 5, 1, 4, 2, 3 };
	near(st_quantile(x, 5, 0.0), 1);
	near(st_quantile(x, 5, 1.0), 5);
	near(st_quantile(x, 5, 0.5), 3);
	near(st_quantile(x, 5, 0.9), 4.6);      /* h = 3.6 → 4 + 0.6·1 */
	const double y[] = { 10, 20, 30, 40 };
	near(st_median(y, 4), 25);
	near(st_quantile(y, 4, 0.95), 38.5);    /* numpy: 38.5 */
	assert_true(isnan(st_quantile(x, 0, 0.5)));
	assert_true(isnan(st_quantile(x, 5, 1.5)));
	assert_true(isnan(st_quantile(x, 5, NAN)));
	assert_true(isnan(st_mad(x, 0)));
	/* the input is not reordered */
	assert_true(x[0] == 5 && x[1] == 1);
	const double one[] = { 7 };
	near(st_quantile(one, 1, 0.3), 7);
}

static void modz_degenerate(void **state)
{
	(void)state;
	/* MAD = 0 but meanAD > 0: median 10, |dev| = 0,0,0,0,5 → meanAD 1. */
	const double a[] = { 10, 10, 10, 10, 15 };
	struct st_modz z = st_modified_z(a, 5, 14, 0);
	assert_true(z.used_meanad);
	near(z.m, 4.0 / 1.253314);
	assert_false(z.anomalous);
	z = st_modified_z(a, 5, 20, 0);
	assert_true(z.anomalous);
	/* all equal: decided by the floor */
	const double b[] = { 3, 3, 3 };
	z = st_modified_z(b, 3, 3.05, 0.1);
	assert_true(z.degenerate);
	assert_false(z.anomalous);
	z = st_modified_z(b, 3, 3.5, 0.1);
	assert_true(z.anomalous);
	z = st_modified_z(b, 0, 3.5, 0.1);
	assert_false(z.valid);
	assert_false(z.anomalous);
}

static void incomplete_beta(void **state)
{
	(void)state;
	/* I_x(1,1) = x; I_x(a,1) = x^a; I_x(1,b) = 1-(1-x)^b; symmetry. */
	near(st_betainc(0.3, 1, 1), 0.3);
	near(st_betainc(0.5, 3, 1), 0.125);
	near(st_betainc(0.2, 1, 4), 1 - pow(0.8, 4));
	near(st_betainc(0.5, 7.5, 7.5), 0.5);
	near(st_betainc(0.3, 2.5, 4) + st_betainc(0.7, 4, 2.5), 1.0);
	assert_true(st_betainc(0, 2, 3) == 0.0);
	assert_true(st_betainc(1, 2, 3) == 1.0);
	assert_true(isnan(st_betainc(0.5, 0, 3)));
	assert_true(isnan(st_betainc(-0.1, 2, 3)));
	assert_true(isnan(st_betainc(NAN, 2, 3)));
	/* inverse round-trips */
	double p = st_betainc_inv(0.975, 3.5, 397.5);
	near(st_betainc(p, 3.5, 397.5), 0.975);
	near(st_betainc_inv(0.125, 3, 1), 0.5);
	assert_true(isnan(st_betainc_inv(1.5, 2, 2)));
	assert_true(st_betainc_inv(0, 2, 2) == 0.0);
	assert_true(st_betainc_inv(1, 2, 2) == 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(w1_modified_z),
		cmocka_unit_test(w2_jeffreys),
		cmocka_unit_test(w20_w21_numbers),
		cmocka_unit_test(quantiles),
		cmocka_unit_test(modz_degenerate),
		cmocka_unit_test(incomplete_beta),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
