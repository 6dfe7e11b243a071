/* wisdom_md.h - the wisdom markdown files `wisdom publish` writes into
 * RUN/wisdom/ (spec/run-artifacts.md §12.1): artifact_audit.md,
 * regression_report.md, learnings.md, feedback_actions.md.
 *
 * Every file keeps the pack's shape so the swarm (and our own readers)
 * read it back: `# <Title>`, a `## Machine Summary` of bare `key: value`
 * lines (status, recommended_action, route_to_*, blockers,
 * missing_required, concerns, the file's counts, `generator:
 * wisdom/<version>`), `## Inputs` (artifacts read, commit range, each
 * backend used/skipped with the reason), then the file's sections. Only
 * accepted or edited candidates appear as learnings, each with its id.
 * No clock value is written into markdown, so an unchanged run gives an
 * unchanged file (re-publishing is a no-op).
 *
 * The text returned here is NOT redacted: the publisher redacts every file
 * and body in one place before diffing, writing or posting.
 *
 * Ownership: wmd_items_build() fills an array the caller releases with
 * wmd_items_free(); the wmd_* writers return malloc'd text the caller
 * frees. Inputs are borrowed.
 */
#ifndef WZ_SINKS_WISDOM_MD_H
#define WZ_SINKS_WISDOM_MD_H

#include <stdbool.h>
#include <stddef.h>

#include "model/audit.h"
#include "model/learning.h"
#include "model/run.h"
#include "sinks/journal.h"
#include "sources/extensions.h"
#include "util/buf.h"

/* Marker our files carry, to tell them from the pack's. */
#define WMD_GENERATOR_KEY "generator: wisdom/"

/* Content level of spec/run-artifacts.md §13. */
enum wmd_level {
	WMD_FULL,        /* evidence as blob links */
	WMD_PATHS,       /* not pushed: run-relative paths instead of links */
	WMD_COUNTS,      /* secrets gate failed: counts and paths only */
};

/* One candidate with its decision, as it will be written. */
struct wmd_item {
	const struct learning *l;     /* borrowed from the learning_set */
	enum jr_state state;
	bool delta;                   /* decided on older source text */
	char *title;                  /* the edited title, else the candidate's */
	char *body;                   /* the edited body, else the candidate's (may be NULL) */
	struct str_list labels;       /* edited labels, else the proposed ones */
	long issue_number;            /* published issue (journal), 0 none */
	char *issue_url;              /* may be NULL */
	char *issue_hash;             /* content hash last published, NULL none */
};

struct wch_trend;

struct wmd_input {
	const struct run *run;
	const struct audit *audit;              /* may be NULL */
	const struct ext_result *backends;      /* EB_COUNT entries or NULL */
	const char *github_state;               /* "used api.github.com repo o/r" or "skipped: …"; NULL unknown */
	const struct wmd_item *items;
	size_t nitems;
	enum wmd_level level;
	const char *link_base;                  /* https://github.com/o/r/blob/<sha>/ or NULL */
	const char *version;                    /* NULL: PACKAGE_VERSION */
	const struct wch_trend *trend;          /* xychart trends (sinks/wisdom_chart.h); NULL: none */
};

/* A decided item is written when accepted or edited (and not Δ-pending). */
bool wmd_item_published(const struct wmd_item *it);

/* One item per candidate of set, with its journal state (jr may be NULL:
 * all proposed); edited text is read from the journal's edit file
 * (`Title: …` / `Labels: a, b` header lines, a blank line, then the
 * body). Publish notes (`publish issue #N hash=H url=U`) fill issue_*. */
void wmd_items_build(const struct learning_set *set, const struct journal *jr, const char *run_path,
		     struct wmd_item **out, size_t *n);
void wmd_items_free(struct wmd_item *v, size_t n);

/* Parses a publish note `issue #N hash=H url=U` (or `comment #ID hash=H
 * url=U`). Returns 1 and fills what it found (strings malloc'd). */
int wmd_parse_publish_note(const char *note, const char *what, long long *num, char **hash, char **url);

char *wmd_artifact_audit(const struct wmd_input *in);
char *wmd_regression_report(const struct wmd_input *in);
char *wmd_learnings(const struct wmd_input *in);
char *wmd_feedback_actions(const struct wmd_input *in);

/* Counts written into those files (for wisdom_receipt.json, recounted). */
struct wmd_counts {
	int learnings, actions, pack_obs, issue_drafts, suggestions, regressions;
};
void wmd_count(const struct wmd_item *items, size_t n, struct wmd_counts *c);

/* Shared pieces (also used by the GitHub bodies). */
/* The mermaid `gantt` block of the flow timeline (receipt completed_at);
 * nothing when fewer than one flow has a time. */
void wmd_gantt(struct buf *b, const struct run *r);
/* An evidence item as a markdown list item (link, path or count only). */
void wmd_evidence_line(struct buf *b, const struct wmd_input *in, const struct evidence *e);
/* A value safe inside one table cell / one line: newlines and `|` escaped. */
void wmd_cell(struct buf *b, const char *s);

#endif
