/* jobs.c - the worker pool: one mutex guards the job list and the queue;
 * progress, totals and cancel flags are atomics so the UI reads them
 * without the lock. Workers never call UI callbacks: finished jobs wait on
 * the list until job_dispatch() runs on the UI thread. */
#include "config.h"
#include "jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/xalloc.h"

#define JOB_MAX_WORKERS 16

struct job {
	unsigned id;
	char label[JOB_LABEL_MAX];
	int owner;
	unsigned long gen;
	struct job_spec spec;
	atomic_size_t done, total;
	atomic_bool cancel, partial_pending;
	enum job_state state;          /* under the pool lock */
	enum job_outcome outcome;      /* valid once finished */
	struct job *next;              /* all jobs, newest first */
	struct job *qnext;             /* queue, oldest first */
};

static struct {
	bool running, stopping;
	pthread_mutex_t mu;
	pthread_cond_t work_cv, idle_cv;
	pthread_t threads[JOB_MAX_WORKERS];
	int nthreads;
	int notify_fd;
	struct job *all;               /* newest first */
	struct job *qhead, *qtail;
	size_t nactive;                /* queued + running */
	unsigned next_id;
	unsigned long gen[JOB_MAX_OWNERS];
} P = {.mu = PTHREAD_MUTEX_INITIALIZER, .notify_fd = -1};

static void notify(void)
{
	unsigned char b = 0;

	if (P.notify_fd >= 0) {
		ssize_t r = write(P.notify_fd, &b, 1);
		(void)r;            /* a full pipe already holds a wake-up */
	}
}

static bool owner_ok(int owner)
{
	return owner >= 0 && owner < JOB_MAX_OWNERS;
}

/* Streamed reads (fio_stream) inside a job report bytes as its progress
 * and stop when the job is cancelled. */
static void fio_report(void *arg, unsigned long long done, unsigned long long total)
{
	job_set_total(arg, (size_t)total);
	job_progress(arg, (size_t)done);
}

static bool fio_stop(void *arg)
{
	return job_stop(arg);
}

static void *worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&P.mu);
	for (;;) {
		struct job *j;
		enum job_outcome out;

		while (!P.stopping && !P.qhead)
			pthread_cond_wait(&P.work_cv, &P.mu);
		if (P.stopping)
			break;
		j = P.qhead;
		P.qhead = j->qnext;
		if (!P.qhead)
			P.qtail = NULL;
		j->qnext = NULL;
		if (atomic_load(&j->cancel)) {
			j->state = JOB_CANCELLED;
			j->outcome = JOB_STOPPED;
		} else {
			struct fio_progress fp = {fio_report, fio_stop, NULL};
			j->state = JOB_RUNNING;
			fp.arg = j;
			pthread_mutex_unlock(&P.mu);
			fio_progress_set(&fp);
			out = j->spec.work ? j->spec.work(j, j->spec.arg) : JOB_OK;
			fio_progress_set(NULL);
			pthread_mutex_lock(&P.mu);
			j->outcome = out;
			j->state = out == JOB_OK ? JOB_DONE : out == JOB_STOPPED ? JOB_CANCELLED : JOB_FAILED;
		}
		P.nactive--;
		pthread_cond_broadcast(&P.idle_cv);
		notify();
	}
	pthread_mutex_unlock(&P.mu);
	return NULL;
}

bool job_init(int workers, int notify_fd)
{
	if (P.running)
		return true;
	if (workers <= 0)
		workers = 2;
	if (workers > JOB_MAX_WORKERS)
		workers = JOB_MAX_WORKERS;
	if (pthread_cond_init(&P.work_cv, NULL) != 0)
		return false;
	if (pthread_cond_init(&P.idle_cv, NULL) != 0) {
		pthread_cond_destroy(&P.work_cv);
		return false;
	}
	P.notify_fd = notify_fd;
	P.stopping = false;
	P.nthreads = 0;
	for (int i = 0; i < workers; i++) {
		if (pthread_create(&P.threads[i], NULL, worker, NULL) != 0)
			break;
		P.nthreads++;
	}
	P.running = true;
	if (P.nthreads == 0) {
		job_shutdown();
		return false;
	}
	return true;
}

static void release(struct job *j)
{
	if (j->spec.release)
		j->spec.release(j->spec.arg);
	free(j);
}

void job_shutdown(void)
{
	struct job *j, *next;

	if (!P.running)
		return;
	pthread_mutex_lock(&P.mu);
	P.stopping = true;
	for (j = P.all; j; j = j->next)
		atomic_store(&j->cancel, true);
	pthread_cond_broadcast(&P.work_cv);
	pthread_mutex_unlock(&P.mu);
	for (int i = 0; i < P.nthreads; i++)
		pthread_join(P.threads[i], NULL);
	for (j = P.all; j; j = next) {
		next = j->next;
		release(j);
	}
	P.all = P.qhead = P.qtail = NULL;
	P.nactive = 0;
	P.nthreads = 0;
	P.running = false;
	P.notify_fd = -1;
	pthread_cond_destroy(&P.work_cv);
	pthread_cond_destroy(&P.idle_cv);
}

unsigned job_submit(const struct job_spec *spec)
{
	struct job *j;
	unsigned id;

	if (!P.running) {
		if (spec->release)
			spec->release(spec->arg);
		return 0;
	}
	j = xcalloc(1, sizeof *j);
	j->spec = *spec;
	snprintf(j->label, sizeof j->label, "%s", spec->label ? spec->label : "job");
	j->owner = owner_ok(spec->owner) ? spec->owner : -1;
	atomic_init(&j->done, 0);
	atomic_init(&j->total, spec->total);
	atomic_init(&j->cancel, false);
	atomic_init(&j->partial_pending, false);
	pthread_mutex_lock(&P.mu);
	j->id = id = ++P.next_id;
	j->gen = j->owner >= 0 ? P.gen[j->owner] : 0;
	j->state = JOB_QUEUED;
	j->next = P.all;
	P.all = j;
	if (P.qtail)
		P.qtail->qnext = j;
	else
		P.qhead = j;
	P.qtail = j;
	P.nactive++;
	pthread_cond_signal(&P.work_cv);
	pthread_mutex_unlock(&P.mu);
	return id;
}

static bool unfinished(const struct job *j)
{
	return j->state == JOB_QUEUED || j->state == JOB_RUNNING;
}

bool job_cancel(unsigned id)
{
	bool found = false;

	if (!P.running)
		return false;
	pthread_mutex_lock(&P.mu);
	for (struct job *j = P.all; j; j = j->next)
		if (j->id == id) {
			atomic_store(&j->cancel, true);
			found = true;
			break;
		}
	pthread_mutex_unlock(&P.mu);
	return found;
}

int job_cancel_owner(int owner)
{
	int n = 0;

	if (!owner_ok(owner) || !P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	P.gen[owner]++;
	for (struct job *j = P.all; j; j = j->next)
		if (j->owner == owner && !atomic_load(&j->cancel)) {
			atomic_store(&j->cancel, true);
			if (unfinished(j))
				n++;
		}
	pthread_mutex_unlock(&P.mu);
	return n;
}

int job_cancel_all(void)
{
	int n = 0;

	if (!P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	for (struct job *j = P.all; j; j = j->next)
		if (!atomic_load(&j->cancel)) {
			atomic_store(&j->cancel, true);
			if (unfinished(j))
				n++;
		}
	pthread_mutex_unlock(&P.mu);
	return n;
}

unsigned long job_owner_bump(int owner)
{
	unsigned long g;

	if (!owner_ok(owner))
		return 0;
	pthread_mutex_lock(&P.mu);
	g = ++P.gen[owner];
	pthread_mutex_unlock(&P.mu);
	return g;
}

unsigned long job_owner_gen(int owner)
{
	unsigned long g;

	if (!owner_ok(owner))
		return 0;
	pthread_mutex_lock(&P.mu);
	g = P.gen[owner];
	pthread_mutex_unlock(&P.mu);
	return g;
}

int job_dispatch(void)
{
	struct job *done = NULL, **pp, *j;
	struct job *partial[64];
	size_t npartial = 0;
	int n = 0;

	if (!P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	/* detach finished jobs (oldest first for apply order) */
	for (pp = &P.all; (j = *pp) != NULL;) {
		if (!unfinished(j)) {
			*pp = j->next;
			j->next = done;
			done = j;
			continue;
		}
		if (j->state == JOB_RUNNING && j->spec.partial && npartial < 64 &&
		    atomic_exchange(&j->partial_pending, false))
			partial[npartial++] = j;
		pp = &j->next;
	}
	/* a job with a pending partial cannot be released while we call it:
	 * only this (UI) thread releases jobs */
	for (j = done; j; j = j->next) {
		bool current = !atomic_load(&j->cancel) && j->state != JOB_CANCELLED &&
			       (j->owner < 0 || j->gen == P.gen[j->owner]);
		j->qnext = current ? j : NULL;   /* reuse as a flag */
	}
	pthread_mutex_unlock(&P.mu);
	for (size_t i = 0; i < npartial; i++)
		if (!atomic_load(&partial[i]->cancel))
			partial[i]->spec.partial(partial[i]->spec.arg);
	while (done) {
		j = done;
		done = j->next;
		if (j->qnext && j->spec.apply)
			j->spec.apply(j->spec.arg, j->outcome);
		release(j);
		n++;
	}
	return n;
}

bool job_wait_idle(double timeout_s)
{
	struct timespec dl;
	bool idle;

	if (!P.running)
		return true;
	clock_gettime(CLOCK_REALTIME, &dl);
	if (timeout_s >= 0) {
		double s = (double)dl.tv_sec + (double)dl.tv_nsec / 1e9 + timeout_s;
		dl.tv_sec = (time_t)s;
		dl.tv_nsec = (long)((s - (double)dl.tv_sec) * 1e9);
		if (dl.tv_nsec >= 1000000000L)
			dl.tv_nsec = 999999999L;
	}
	pthread_mutex_lock(&P.mu);
	while (P.nactive > 0) {
		int rc;
		if (timeout_s < 0)
			rc = pthread_cond_wait(&P.idle_cv, &P.mu);
		else
			rc = pthread_cond_timedwait(&P.idle_cv, &P.mu, &dl);
		if (rc == ETIMEDOUT)
			break;
	}
	idle = P.nactive == 0;
	pthread_mutex_unlock(&P.mu);
	return idle;
}

size_t job_count(void)
{
	size_t n = 0;

	if (!P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	for (struct job *j = P.all; j; j = j->next)
		n++;
	pthread_mutex_unlock(&P.mu);
	return n;
}

size_t job_active(int owner)
{
	size_t n = 0;

	if (!P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	for (struct job *j = P.all; j; j = j->next)
		if (unfinished(j) && (owner < 0 || j->owner == owner))
			n++;
	pthread_mutex_unlock(&P.mu);
	return n;
}

size_t job_list(struct job_info *out, size_t max)
{
	size_t n = 0;

	if (!P.running)
		return 0;
	pthread_mutex_lock(&P.mu);
	for (struct job *j = P.all; j && n < max; j = j->next) {
		struct job_info *ji = &out[n++];
		ji->id = j->id;
		memcpy(ji->label, j->label, sizeof ji->label);
		ji->done = atomic_load(&j->done);
		ji->total = atomic_load(&j->total);
		ji->owner = j->owner;
		ji->state = j->state;
		ji->cancel = atomic_load(&j->cancel);
	}
	pthread_mutex_unlock(&P.mu);
	return n;
}

bool job_stop(const struct job *j)
{
	return atomic_load(&((struct job *)j)->cancel);
}

void job_progress(struct job *j, size_t done)
{
	atomic_store(&j->done, done);
}

void job_set_total(struct job *j, size_t total)
{
	atomic_store(&j->total, total);
}

void job_partial(struct job *j)
{
	if (!atomic_exchange(&j->partial_pending, true))
		notify();
}

unsigned job_id(const struct job *j)
{
	return j->id;
}
