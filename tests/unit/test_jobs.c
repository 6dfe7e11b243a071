/* test_jobs.c - the worker pool (src/jobs.c): results applied only through
 * job_dispatch, cancel honoured between units, queued cancelled jobs never
 * run, stale generations dropped, wait-idle times out, notify fd, partial
 * results, listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jobs.h"

/* A job whose units can be held at a chosen unit by a gate. */
struct tj {
	size_t units;
	size_t hold_at;            /* block before this unit until opened (SIZE_MAX: never) */
	atomic_size_t ran;         /* units finished */
	atomic_bool work_called, gate_reached;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool gate_open;
	int applied, released, partials;
	enum job_outcome outcome;
	bool partial_each;
};

static void tj_init(struct tj *t, size_t units, size_t hold_at)
{
	memset(t, 0, sizeof *t);
	t->units = units;
	t->hold_at = hold_at;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->outcome = (enum job_outcome)-1;
}

static void tj_fini(struct tj *t)
{
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
}

static void tj_open(struct tj *t)
{
	pthread_mutex_lock(&t->mu);
	t->gate_open = true;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

static void tj_wait_reached(struct tj *t)
{
	for (int i = 0; i < 5000 && !atomic_load(&t->gate_reached); i++)
		usleep(1000);
	assert_true(atomic_load(&t->gate_reached));
}

static enum job_outcome tj_work(struct job *j, void *arg)
{
	struct tj *t = arg;

	atomic_store(&t->work_called, true);
	for (size_t i = 0; i < t->units; i++) {
		if (job_stop(j))
			return JOB_STOPPED;
		if (i == t->hold_at) {
			pthread_mutex_lock(&t->mu);
			atomic_store(&t->gate_reached, true);
			while (!t->gate_open)
				pthread_cond_wait(&t->cv, &t->mu);
			pthread_mutex_unlock(&t->mu);
			if (job_stop(j))
				return JOB_STOPPED;
		}
		atomic_store(&t->ran, i + 1);
		job_progress(j, i + 1);
		if (t->partial_each)
			job_partial(j);
	}
	return JOB_OK;
}

static void tj_apply(void *arg, enum job_outcome o)
{
	struct tj *t = arg;

	t->applied++;
	t->outcome = o;
}

static void tj_partial(void *arg)
{
	((struct tj *)arg)->partials++;
}

static void tj_release(void *arg)
{
	((struct tj *)arg)->released++;
}

static unsigned submit(struct tj *t, const char *label, int owner)
{
	struct job_spec s = {
		.label = label, .owner = owner, .total = t->units, .work = tj_work,
		.apply = tj_apply, .partial = tj_partial, .release = tj_release, .arg = t,
	};
	return job_submit(&s);
}

static int setup2(void **state)
{
	(void)state;
	return job_init(2, -1) ? 0 : -1;
}

static int setup1(void **state)
{
	(void)state;
	return job_init(1, -1) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	job_shutdown();
	return 0;
}

static void test_applied_on_dispatch_only(void **state)
{
	struct tj t;
	struct job_info ji[4];
	unsigned id;

	(void)state;
	tj_init(&t, 1000, SIZE_MAX);
	id = submit(&t, "count", -1);
	assert_true(id > 0);
	assert_true(job_wait_idle(5));
	/* finished but not applied until the UI thread dispatches */
	assert_int_equal(t.applied, 0);
	assert_int_equal(job_count(), 1);
	assert_int_equal(job_list(ji, 4), 1);
	assert_int_equal(ji[0].id, id);
	assert_int_equal(ji[0].state, JOB_DONE);
	assert_int_equal(ji[0].done, 1000);
	assert_int_equal(ji[0].total, 1000);
	assert_string_equal(ji[0].label, "count");
	assert_int_equal(job_dispatch(), 1);
	assert_int_equal(t.applied, 1);
	assert_int_equal(t.outcome, JOB_OK);
	assert_int_equal(t.released, 1);
	assert_int_equal(job_count(), 0);
	tj_fini(&t);
}

static void test_cancel_between_units(void **state)
{
	struct tj t;
	unsigned id;

	(void)state;
	tj_init(&t, 100, 3);
	id = submit(&t, "held", -1);
	tj_wait_reached(&t);
	assert_int_equal(atomic_load(&t.ran), 3);
	assert_true(job_cancel(id));
	tj_open(&t);
	assert_true(job_wait_idle(5));
	/* the unit in progress finished; no further unit ran */
	assert_int_equal(atomic_load(&t.ran), 3);
	assert_int_equal(job_dispatch(), 1);
	assert_int_equal(t.applied, 0);
	assert_int_equal(t.released, 1);
	assert_false(job_cancel(id));     /* released: gone */
	tj_fini(&t);
}

static void test_queued_cancelled_never_runs(void **state)
{
	struct tj a, b;
	unsigned ib;
	struct job_info ji[4];

	(void)state;
	tj_init(&a, 10, 0);
	tj_init(&b, 10, SIZE_MAX);
	submit(&a, "first", -1);
	tj_wait_reached(&a);             /* the only worker is busy */
	ib = submit(&b, "second", -1);
	assert_int_equal(job_list(ji, 4), 2);
	assert_int_equal(ji[0].id, ib);   /* newest first */
	assert_int_equal(ji[0].state, JOB_QUEUED);
	assert_int_equal(ji[1].state, JOB_RUNNING);
	assert_int_equal(job_active(-1), 2);
	assert_true(job_cancel(ib));
	tj_open(&a);
	assert_true(job_wait_idle(5));
	assert_false(atomic_load(&b.work_called));
	assert_int_equal(job_dispatch(), 2);
	assert_int_equal(a.applied, 1);
	assert_int_equal(b.applied, 0);
	assert_int_equal(b.released, 1);
	tj_fini(&a);
	tj_fini(&b);
}

static void test_stale_generation_dropped(void **state)
{
	struct tj old, cur;
	unsigned long g0;

	(void)state;
	g0 = job_owner_gen(5);
	tj_init(&old, 5, SIZE_MAX);
	tj_init(&cur, 5, SIZE_MAX);
	submit(&old, "old", 5);
	assert_true(job_wait_idle(5));
	/* the owner moved on before the UI dispatched the result */
	assert_int_equal(job_owner_bump(5), g0 + 1);
	submit(&cur, "new", 5);
	assert_true(job_wait_idle(5));
	assert_int_equal(job_dispatch(), 2);
	assert_int_equal(old.applied, 0);
	assert_int_equal(old.released, 1);
	assert_int_equal(atomic_load(&old.ran), 5);   /* it did finish */
	assert_int_equal(cur.applied, 1);
	tj_fini(&old);
	tj_fini(&cur);
}

static void test_cancel_owner(void **state)
{
	struct tj a, b, c;

	(void)state;
	tj_init(&a, 10, 0);
	tj_init(&b, 10, 0);
	tj_init(&c, 10, SIZE_MAX);
	submit(&a, "a", 1);
	submit(&b, "b", 1);
	tj_wait_reached(&a);
	tj_wait_reached(&b);
	submit(&c, "c", 2);
	/* a and b are running (held); c is queued or done */
	assert_int_equal(job_cancel_owner(1), 2);
	assert_int_equal(job_cancel_owner(1), 0);  /* already asked */
	tj_open(&a);
	tj_open(&b);
	assert_true(job_wait_idle(5));
	job_dispatch();
	assert_int_equal(a.applied + b.applied, 0);
	assert_int_equal(a.released + b.released, 2);
	assert_int_equal(c.applied, 1);
	assert_int_equal(atomic_load(&c.ran), 10);
	assert_int_equal(job_cancel_owner(-1), 0);
	assert_int_equal(job_cancel_owner(JOB_MAX_OWNERS), 0);
	tj_fini(&a);
	tj_fini(&b);
	tj_fini(&c);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_wait_idle_times_out(void **state)
{
	struct tj t;
	double t0, el;

	(void)state;
	tj_init(&t, 3, 1);
	submit(&t, "stuck", -1);
	tj_wait_reached(&t);
	t0 = now_s();
	assert_false(job_wait_idle(0.05));
	el = now_s() - t0;
	assert_true(el >= 0.045);
	assert_true(el < 2.0);
	assert_int_equal(job_active(-1), 1);
	tj_open(&t);
	assert_true(job_wait_idle(5));
	assert_int_equal(job_dispatch(), 1);
	assert_int_equal(t.applied, 1);
	tj_fini(&t);
}

static void test_notify_fd_and_partial(void **state)
{
	int fds[2];
	struct tj t;
	struct pollfd p;
	unsigned char buf[64];
	ssize_t n;

	(void)state;
	job_shutdown();
	assert_int_equal(pipe(fds), 0);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	assert_true(job_init(2, fds[1]));
	tj_init(&t, 4, 2);
	t.partial_each = true;
	submit(&t, "partial", 3);
	tj_wait_reached(&t);
	/* two units done, each posted a partial: at least one wake byte */
	p.fd = fds[0];
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 2000), 1);
	n = read(fds[0], buf, sizeof buf);
	assert_true(n >= 1);
	assert_int_equal(buf[0], 0);
	assert_int_equal(job_dispatch(), 0);     /* still running */
	assert_int_equal(t.partials, 1);          /* coalesced into one call */
	assert_int_equal(job_dispatch(), 0);
	assert_int_equal(t.partials, 1);          /* nothing new */
	tj_open(&t);
	assert_true(job_wait_idle(5));
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_int_equal(job_dispatch(), 1);
	assert_int_equal(t.applied, 1);
	tj_fini(&t);
	job_shutdown();
	close(fds[0]);
	close(fds[1]);
}

static void test_shutdown_releases_everything(void **state)
{
	struct tj a, b;

	(void)state;
	tj_init(&a, 10, 0);
	tj_init(&b, 10, SIZE_MAX);
	submit(&a, "held", -1);
	tj_wait_reached(&a);
	submit(&b, "queued", -1);
	tj_open(&a);
	job_shutdown();
	assert_int_equal(a.released, 1);
	assert_int_equal(b.released, 1);
	assert_int_equal(a.applied + b.applied, 0);
	/* not running: submit refuses and releases at once */
	tj_init(&b, 1, SIZE_MAX);
	assert_int_equal(submit(&b, "late", -1), 0);
	assert_int_equal(b.released, 1);
	assert_int_equal(job_count(), 0);
	assert_true(job_wait_idle(0));
	tj_fini(&a);
	tj_fini(&b);
}

static void test_label_cut(void **state)
{
	struct tj t;
	struct job_info ji[1];
	char lbl[200];

	(void)state;
	memset(lbl, 'x', sizeof lbl - 1);
	lbl[sizeof lbl - 1] = '\0';
	tj_init(&t, 1, SIZE_MAX);
	submit(&t, lbl, 99);   /* owner out of range counts as none */
	assert_true(job_wait_idle(5));
	assert_int_equal(job_list(ji, 1), 1);
	assert_int_equal(strlen(ji[0].label), JOB_LABEL_MAX - 1);
	assert_int_equal(ji[0].owner, -1);
	job_dispatch();
	assert_int_equal(t.applied, 1);
	tj_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_applied_on_dispatch_only, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_between_units, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_queued_cancelled_never_runs, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_stale_generation_dropped, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_owner, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_wait_idle_times_out, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_notify_fd_and_partial, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_releases_everything, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_label_cut, setup2, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
