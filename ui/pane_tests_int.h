/* pane_tests_int.h - private to the Tests pane (pane_tests.c: state, jobs,
 * keys; pane_tests_rows.c: the rows it shows). Not for other panes.
 *
 * Ownership: struct tests_st belongs to the pane (pane_tests.c allocates and
 * frees it); the row builders only read it and append rows to the frame.
 */
#ifndef WZ_UI_PANE_TESTS_INT_H
#define WZ_UI_PANE_TESTS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/tests_analysis.h"
#include "ui/pane.h"

struct tests_st {
	struct ta_result *ta;       /* NULL until the analysis job is applied */
	bool running;               /* analysis job queued or running */
	char *error;
	size_t *order;              /* indices into ta->reg->v, sorted */
	size_t norder;
	/* drill-down */
	long sel;                   /* finding index */
	char *path;                 /* focus file */
	long line, start, end;
	struct ta_blame blame;
	bool blame_done, blame_running;
	char *blame_err;
	struct chg_commit *commit;  /* depth 2 */
	char *commit_err;
	char rev[CHG_SHA_LEN + 1];  /* b: blame at this commit ("" the range head) */
	unsigned long gen;          /* bumps on every drill-down change */
};

/* qsort order of the findings (indices into tests_sort_findings->v, set
 * before each qsort on the UI thread): section, severity, class, name. */
extern const struct reg_result *tests_sort_findings;
int tests_cmp_find(const void *pa, const void *pb);
/* The finding list (depth 0), a finding's output and blame (depth 1) and a
 * blamed line's commit (depth 2). */
void tests_rows_list(struct tests_st *s, const struct ui_data *d, int cols, struct pane_frame *f);
void tests_rows_detail(struct tests_st *s, const struct ui_data *d, struct pane_frame *f);
void tests_rows_commit(struct tests_st *s, struct pane_frame *f);

#endif
