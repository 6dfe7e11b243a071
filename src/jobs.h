/* jobs.h - background jobs on a small worker pool (ARCHITECTURE.md §3,
 * ui.md §0 rule 5 and §9 "Jobs"). Curses-free.
 *
 * A job is a unit of CPU or I/O work (loading a run, reading an artifact,
 * searching 100 000 lines) that runs on a worker thread while the UI keeps
 * drawing. Every job has an id, a label, done/total progress (atomics the
 * UI reads at any time), an owning view, a generation and a cancel flag.
 * The work function checks job_stop() between work units and returns early
 * when it is set.
 *
 * Completion never calls back on the worker: the job is queued as finished
 * and one byte is written to the notify fd (the UI's self-pipe); the UI
 * thread then calls job_dispatch(), which runs each finished job's `apply`
 * callback on the UI thread — unless the job was cancelled or its
 * generation is stale (its owner moved on with job_cancel_owner() or
 * job_owner_bump()), in which case the result is dropped. Either way the
 * job's `release` callback frees its argument afterwards.
 *
 * The pool is process-wide: job_init() starts it, job_shutdown() cancels
 * what is left, joins the workers and releases every job. All functions
 * except the work-side ones (job_stop, job_progress, job_set_total,
 * job_partial) are for the UI thread.
 *
 * Ownership: the pool owns each job from job_submit() until release; the
 * `arg` belongs to the job's callbacks (release frees it).
 */
#ifndef WZ_JOBS_H
#define WZ_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#define JOB_MAX_OWNERS 64       /* owners are 0 .. JOB_MAX_OWNERS-1; -1 = none */
#define JOB_LABEL_MAX 48

struct job;

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_CANCELLED, JOB_FAILED };

/* What the work function reports. */
enum job_outcome { JOB_OK, JOB_STOPPED, JOB_ERROR };

struct job_spec {
	const char *label;          /* copied, cut to JOB_LABEL_MAX-1 bytes */
	int owner;                  /* view id, or -1 */
	size_t total;               /* work units (0 = unknown) */
	/* Worker thread. Check job_stop() between units; report progress. */
	enum job_outcome (*work)(struct job *j, void *arg);
	/* UI thread, in job_dispatch(): a finished job whose result is
	 * current (not cancelled, generation still the owner's). */
	void (*apply)(void *arg, enum job_outcome outcome);
	/* UI thread, optional: called by job_dispatch() while the job runs
	 * after the worker called job_partial() (partial results; the arg
	 * must guard what it shares with its own lock). */
	void (*partial)(void *arg);
	/* Frees arg (any thread that releases the job: normally the UI). */
	void (*release)(void *arg);
	void *arg;
};

/* A snapshot of one job for :jobs and the status bar. */
struct job_info {
	unsigned id;
	char label[JOB_LABEL_MAX];
	size_t done, total;
	int owner;
	enum job_state state;
	bool cancel;                /* cancel requested */
};

/* Starts `workers` threads (<= 0: 2). notify_fd (or -1) gets one zero byte
 * per finished job or partial result. Idempotent. False when a thread or
 * lock cannot be created. */
bool job_init(int workers, int notify_fd);
/* Cancels every job, joins the workers, releases everything. */
void job_shutdown(void);

/* Queues a job; returns its id (> 0), or 0 when the pool is not running
 * (the spec's release is still called). The job carries the owner's
 * current generation. */
unsigned job_submit(const struct job_spec *spec);

/* Requests cancellation; a queued job never runs. False: no such job. */
bool job_cancel(unsigned id);
/* Cancels every job of the owner and bumps its generation, so results
 * already finished but not yet dispatched are dropped. Returns how many
 * unfinished jobs were asked to stop. */
int job_cancel_owner(int owner);
/* Cancels every job. Returns how many. */
int job_cancel_all(void);
/* Bumps the owner's generation without cancelling (in-flight results of
 * the old generation are dropped when they arrive). Returns the new one. */
unsigned long job_owner_bump(int owner);
unsigned long job_owner_gen(int owner);

/* UI thread: applies (or drops) finished jobs and calls partial callbacks.
 * Returns the number of jobs released. */
int job_dispatch(void);
/* Waits until no job is queued or running, at most timeout_s seconds
 * (< 0: forever). True when idle. Finished jobs still need job_dispatch(). */
bool job_wait_idle(double timeout_s);
/* Number of jobs not yet released (queued, running or finished). */
size_t job_count(void);
/* Unreleased jobs, newest first, into out[0..max); returns how many. */
size_t job_list(struct job_info *out, size_t max);
/* Jobs still queued or running of the owner (-1: all). */
size_t job_active(int owner);

/* Worker side. */
bool job_stop(const struct job *j);          /* cancel requested */
void job_progress(struct job *j, size_t done);
void job_set_total(struct job *j, size_t total);
void job_partial(struct job *j);             /* wake the UI for `partial` */
unsigned job_id(const struct job *j);

#endif
