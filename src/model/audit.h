/* audit.h - the artifact audit of one run as plain data
 * (spec/run-artifacts.md §3, §12.1 artifact_audit.md).
 *
 * Built by analysis/audit.c (audit_run). Ownership: a struct audit owns its
 * rows and every string in them; audit_free(&a) releases all and sets a
 * to NULL.
 */
#ifndef WZ_MODEL_AUDIT_H
#define WZ_MODEL_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"

/* X(enum, word) */
#define AUDIT_STATE_TABLE(X)                 \
	X(AUD_PRESENT,     "present")        \
	X(AUD_EMPTY,       "empty")          \
	X(AUD_MISSING,     "missing")        \
	X(AUD_UNPARSEABLE, "unparseable")    \
	X(AUD_STUB,        "stub")

enum audit_state {
#define AUD_X(e, w) e,
	AUDIT_STATE_TABLE(AUD_X)
#undef AUD_X
};

struct audit_row {
	enum run_flow flow;
	char *artifact;      /* relative to the run, e.g. "build/test_execution.md" */
	bool required;
	enum audit_state state;
	long long size;      /* bytes (sum for a glob); -1 when missing */
	double mtime;        /* NAN when missing */
	char *note;          /* what the gap means for analyses; NULL when present */
	/* added: */
	int nfiles;          /* files matched (globs); 1 or 0 otherwise */
	char *pack_state;    /* what the pack's wisdom/artifact_audit.md says, NULL if not listed */
	bool disagrees;      /* pack_state contradicts state */
	bool receipt_missing;/* the flow's receipt lists it in missing_required */
};

/* Per flow summary. */
struct audit_flow {
	bool present;                 /* flow folder exists */
	bool expected;                /* the run's generation has this flow */
	enum receipt_status status;   /* receipt status (RS_ABSENT: none) */
	char *status_raw;             /* verbatim word, NULL when absent */
	struct str_list receipt_missing_required;   /* as the receipt lists them */
	int receipt_missing_but_present;            /* of those, files that exist now */
};

struct audit {
	struct audit_row *rows;
	size_t n;
	int present, missing_required, missing_optional, empty, unparseable, stub;
	struct audit_flow flows[FLOW_COUNT];
	char *pack_audit;             /* pack artifact_audit.md read (relative), NULL */
	int disagreements;            /* rows where the pack's matrix disagrees */
	size_t cap;                   /* allocated rows (internal) */
};

const char *audit_state_word(enum audit_state s);
void audit_free(struct audit **a);

#endif
