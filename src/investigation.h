/* investigation.h - "investigate this run": the state every headless
 * subcommand (and later the console) builds before it shows or writes
 * anything: the run, its artifact audit, cross-run playbook findings, the
 * learning candidates (analysis/synthesis.h) and the decisions journal.
 *
 * Ownership: inv_open() returns a struct investigation the caller releases
 * with inv_free(&inv) (frees everything, NULLs inv). Members are owned by
 * the struct; callers read them and must not free them.
 */
#ifndef WZ_INVESTIGATION_H
#define WZ_INVESTIGATION_H

#include <stdbool.h>
#include <stddef.h>

#include "model/audit.h"
#include "model/finding.h"
#include "model/learning.h"
#include "model/run.h"
#include "sinks/journal.h"
#include "util/status.h"

/* What to assemble beyond the run and its audit. */
enum inv_want {
	INV_RUN_ONLY = 0,          /* the run alone (the caller runs its analyzers) */
	INV_AUDIT = 8,             /* + the artifact audit */
	INV_LEARNINGS = 1,         /* + audit, playbook findings, candidates */
	INV_JOURNAL_RO = 2,        /* + the journal, read-only */
	INV_JOURNAL_RW = 4,        /* + the journal, writable (takes the lock) */
};

struct investigation {
	struct run *run;
	struct audit *audit;
	struct finding **findings;     /* playbook findings (INV_LEARNINGS) */
	size_t nfindings;
	struct learning_set *set;      /* NULL unless INV_LEARNINGS */
	struct journal *jr;            /* NULL unless a journal was asked for */
};

/* Opens run_spec (NULL: discovery, spec/run-artifacts.md §2) under repo
 * (may be NULL) and assembles what `want` (a mask of enum inv_want) asks
 * for. WZ_ENORUN / the reader's status with a message naming the place on
 * failure; *out is NULL then. */
enum wz_status inv_open(const char *run_spec, const char *repo, unsigned want, struct investigation **out,
			struct wz_err *err);
/* The same with a progress/cancel hook (model/inventory.h; may be NULL)
 * for the one walk of the run's folders: WZ_ECANCELED when it stopped. */
struct scan_hook;
enum wz_status inv_open_ex(const char *run_spec, const char *repo, unsigned want, const struct scan_hook *hook,
			   struct investigation **out, struct wz_err *err);
void inv_free(struct investigation **inv);

#endif
