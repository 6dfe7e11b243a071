/* learning.h - learning candidates: what a person reviews, accepts or
 * rejects (spec/analysis.md §9, design/ui.md §4.1).
 *
 * A candidate has a stable id (`L-` + 16 hex digits of FNV-1a-64 over
 * kind "\n" subject key), an origin (the KIND column), an analysis kind,
 * title/body, severity, confidence with its reason, evidence and the
 * outputs it proposes (wisdom file section, GitHub issue + labels,
 * playbook suggestion). `src_hash` fingerprints the source text so a
 * decision made on older text can be flagged Δ.
 *
 * Ownership: a struct learning_set owns its candidates and everything in
 * them; learning_set_free(&s) releases all and NULLs s. learning_clear()
 * releases the insides of one candidate.
 */
#ifndef WZ_MODEL_LEARNING_H
#define WZ_MODEL_LEARNING_H

#include <stdbool.h>
#include <stddef.h>

#include "model/finding.h"
#include "model/run.h"

/* Analysis kinds in tie-break order (§9.1, §9.5). X(enum, word) */
#define LEARN_KIND_TABLE(X)                          \
	X(LK_REGRESSION,          "regression")        \
	X(LK_FLAKY_TEST,          "flaky_test")        \
	X(LK_TEST_GAP,            "test_gap")          \
	X(LK_COVERAGE_DROP,       "coverage_drop")     \
	X(LK_OBSERVABILITY_GAP,   "observability_gap") \
	X(LK_INCIDENT_FOLLOWUP,   "incident_followup") \
	X(LK_SLO_BUDGET,          "slo_budget")        \
	X(LK_COST_OVERRUN,        "cost_overrun")      \
	X(LK_DEPENDENCY_CHANGE,   "dependency_change") \
	X(LK_PROCESS,             "process")           \
	X(LK_PLAYBOOK_UPDATE,     "playbook_update")

enum learn_kind {
#define LK_X(e, w) e,
	LEARN_KIND_TABLE(LK_X)
#undef LK_X
	LK_COUNT
};

/* Where a candidate came from: the KIND column of the Learnings pane.
 * X(enum, word) */
#define LEARN_ORIGIN_TABLE(X)              \
	X(LO_LEARNING,    "LEARNING")      \
	X(LO_ACTION,      "ACTION")        \
	X(LO_ISSUE_DRAFT, "ISSUE-DRAFT")   \
	X(LO_SUGGESTION,  "SUGGESTION")    \
	X(LO_PACK_OBS,    "PACK-OBS")      \
	X(LO_FINDING,     "FINDING")

enum learn_origin {
#define LK_X(e, w) e,
	LEARN_ORIGIN_TABLE(LK_X)
#undef LK_X
	LO_COUNT
};

#define LEARN_ID_LEN 18   /* "L-" + 16 hex digits */

struct learning {
	char id[LEARN_ID_LEN + 1];
	enum learn_kind kind;
	enum learn_origin origin;
	char *subject;            /* subject key the id is made from */
	char *title;              /* one line */
	char *body;               /* may be NULL */
	enum fnd_severity severity;
	enum fnd_confidence confidence;
	char *confidence_reason;  /* why that grade */
	struct evidence *ev;
	size_t nev;
	int sources;              /* distinct analyzers agreeing (>= 1) */
	double rank;              /* §9.5 */
	char src_hash[17];        /* FNV-1a-64 of title + body, hex */
	struct str_list merged_ids;   /* other ids merged into this one (journal lookups) */
	struct str_list components;   /* subject components used for merging */
	bool input_missing;           /* a required input was missing */
	bool source_unverified;       /* the source artifact's flow is UNVERIFIED */
	/* proposed outputs (§9.6) */
	char *out_section;        /* e.g. "learnings.md ## Actions" */
	char *out_issue_title;    /* NULL: no GitHub issue proposed */
	struct str_list out_labels;
	char *out_playbook;       /* e.g. ".claude/agents/deploy-decider.md", NULL none */
	int order;                /* insertion order (the "older" of two is lower) */
};

struct learning_set {
	struct learning *v;
	size_t n, cap;
	struct str_list warnings; /* "path:line: message" met while building */
};

const char *learn_kind_word(enum learn_kind k);
int learn_kind_parse(const char *w);       /* -1 when unknown */
const char *learn_origin_word(enum learn_origin o);

struct learning_set *learning_set_new(void);
/* Appends a zeroed candidate (order set) and returns it; pointers into the
 * set are invalidated by the next append. */
struct learning *learning_set_add(struct learning_set *s);
/* Index of the candidate with this id (or with it among merged_ids); -1. */
long learning_set_find(const struct learning_set *s, const char *id);
/* Hex digits after "L-" that keep v[k]'s id unique in s: at least 7, at most 16
 * (ui.md §4.1 shortest unique prefix). */
int learning_set_prefix(const struct learning_set *s, size_t k);
void learning_add_evidence(struct learning *l, const struct evidence *e);   /* copies */
void learning_clear(struct learning *l);
void learning_set_free(struct learning_set **s);

#endif
