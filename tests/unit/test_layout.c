/* test_layout.c - layout rectangles for every size, and every pane's row
 * builder at every width (ui.md §9: "paints every pane at every size from
 * 1x1 to 200x60" — the curses half is tests/ui/sizes.sh). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/audit.h"
#include "sources/runs.h"
#include "ui/layout.h"
#include "ui/pane.h"
#include "util/xalloc.h"

static void test_modes_at_boundaries(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(12, 39, true, &l);
	assert_int_equal(l.mode, LAY_TOO_SMALL);
	layout_compute(11, 40, true, &l);
	assert_int_equal(l.mode, LAY_TOO_SMALL);
	layout_compute(12, 40, true, &l);
	assert_int_equal(l.mode, LAY_REDUCED);
	layout_compute(24, 79, true, &l);
	assert_int_equal(l.mode, LAY_REDUCED);
	layout_compute(23, 80, true, &l);
	assert_int_equal(l.mode, LAY_REDUCED);
	layout_compute(24, 80, true, &l);
	assert_int_equal(l.mode, LAY_FULL);
	/* 80x24: tab 0, title 1, header 2, body 3-21, status 22, hint 23 (ui.md §1.1) */
	assert_int_equal(l.tabs.y, 0);
	assert_int_equal(l.title.y, 1);
	assert_int_equal(l.header.y, 2);
	assert_int_equal(l.body.y, 3);
	assert_int_equal(l.body.h, 19);
	assert_int_equal(l.status.y, 22);
	assert_int_equal(l.hint.y, 23);
	assert_false(l.wide_tabs);
	layout_compute(24, 80, false, &l);
	assert_int_equal(l.body.y, 2);
	assert_int_equal(l.body.h, 20);
	layout_compute(48, 160, true, &l);
	assert_true(l.wide_tabs);
	layout_compute(-5, -7, true, &l);
	assert_int_equal(l.rows, 0);
	assert_int_equal(l.cols, 0);
	assert_int_equal(l.mode, LAY_TOO_SMALL);
}

static void test_every_size_inside(void **state)
{
	(void)state;
	for (int r = 0; r <= 60; r++)
		for (int c = 0; c <= 200; c++)
			for (int h = 0; h < 2; h++) {
				struct layout l;
				layout_compute(r, c, h, &l);
				assert_true(layout_rect_inside(&l.tabs, r, c));
				assert_true(layout_rect_inside(&l.title, r, c));
				assert_true(layout_rect_inside(&l.header, r, c));
				assert_true(layout_rect_inside(&l.body, r, c));
				assert_true(layout_rect_inside(&l.status, r, c));
				assert_true(layout_rect_inside(&l.hint, r, c));
				assert_true(l.body.h >= 0 && l.body.w >= 0);
				if (l.mode != LAY_TOO_SMALL) {
					/* rows do not overlap and the body has room */
					assert_true(l.body.h >= LAY_MIN_ROWS - 5);
					assert_true(l.body.y + l.body.h <= l.status.y);
					assert_int_equal(l.hint.y, r - 1);
				}
			}
}

static const char *shared_dir(void)
{
	const char *s = getenv("SHARED");
	return s && *s ? s : "../shared";
}

/* Builds every pane (list, and each drill-down reachable by Enter on the
 * first rows) at widths 1..200 on the real run; checks facts read by hand
 * from the run's files. */
static void test_panes_every_width(void **state)
{
	char *path = xasprintf("%s/data/runs/dss-local-alignment-audit", shared_dir());
	struct run *r = NULL;
	struct wz_err err;
	struct ui_data d;
	struct pane panes[PANE_COUNT];

	(void)state;
	if (runs_open(NULL, path, &r, &err) != WZ_OK) {
		free(path);
		skip();
	}
	free(path);
	memset(&d, 0, sizeof d);
	d.run = r;
	d.audit = audit_run(r);
	d.tab_size = 8;
	d.offline = true;
	memset(panes, 0, sizeof panes);
	for (int i = 0; i < PANE_COUNT; i++) {
		panes[i].ops = pane_table[i];
		if (panes[i].ops->init)
			panes[i].ops->init(&panes[i]);
		if (panes[i].ops->load)
			panes[i].ops->load(&panes[i], &d);
	}
	for (int i = 0; i < PANE_COUNT; i++) {
		for (int depth_try = 0; depth_try < 3; depth_try++) {
			for (int w = 1; w <= 200; w++) {
				struct pane_frame f;
				memset(&f, 0, sizeof f);
				panes[i].ops->build(&panes[i], &d, w, &f);
				assert_true(f.title.n > 0);
				pane_frame_free(&f);
			}
			/* drill into the third selectable row if the pane allows it */
			{
				struct pane_frame f;
				const struct ui_rows *rows;
				int seen = 0;
				memset(&f, 0, sizeof f);
				panes[i].ops->build(&panes[i], &d, 80, &f);
				rows = f.body_ref ? f.body_ref : &f.body;
				for (size_t k = 0; k < rows->n; k++)
					if (rows->v[k].selectable && ++seen == 3) {
						panes[i].ops->enter(&panes[i], &d, &rows->v[k]);
						break;
					}
				pane_frame_free(&f);
			}
		}
	}
	/* Flow list: seven flows (7-flow run), keys in flow order; build is
	 * CANNOT_PROCEED with 3 blockers and 4 missing_required
	 * (build/build_receipt.json). */
	{
		struct pane *p = &panes[0];
		struct pane_frame f;
		char *t;
		while (p->ops->back(p))
			;
		memset(&f, 0, sizeof f);
		p->ops->build(p, &d, 80, &f);
		assert_int_equal(f.body.n, 7);
		for (int k = 0; k < 7; k++)
			assert_int_equal(f.body.v[k].key, k);
		t = row_text(&f.body.v[2]);
		assert_non_null(strstr(t, "CANNOT_PR"));
		free(t);
		assert_true(p->ops->enter(p, &d, &f.body.v[2]));
		pane_frame_free(&f);
		memset(&f, 0, sizeof f);
		p->ops->build(p, &d, 120, &f);
		{
			bool found = false;
			for (size_t k = 0; k < f.body.n; k++) {
				t = row_text(&f.body.v[k]);
				if (strstr(t, "blockers 3") && strstr(t, "missing_required 4"))
					found = true;
				free(t);
			}
			assert_true(found);
		}
		/* 22 files in build/ (ls) */
		t = row_text(&f.body.v[f.body.n - 1]);
		assert_non_null(strstr(t, "build/test_execution.md"));
		free(t);
		pane_frame_free(&f);
	}
	for (int i = 0; i < PANE_COUNT; i++)
		if (panes[i].ops->free)
			panes[i].ops->free(&panes[i]);
	audit_free(&d.audit);
	run_free(&r);
}

/* A synthetic run with no times and no receipts must still build. */
static void test_empty_run(void **state)
{
	struct run *r = run_new();
	struct ui_data d;
	struct pane p;

	(void)state;
	memset(&d, 0, sizeof d);
	d.run = r;
	memset(&p, 0, sizeof p);
	p.ops = &pane_flow_ops;
	p.ops->init(&p);
	for (int w = 1; w <= 200; w++) {
		struct pane_frame f;
		memset(&f, 0, sizeof f);
		p.ops->build(&p, &d, w, &f);
		assert_int_equal(f.body.n, 7);
		pane_frame_free(&f);
	}
	d.run = NULL;
	d.run_error = "no run here";
	{
		struct pane_frame f;
		memset(&f, 0, sizeof f);
		p.ops->build(&p, &d, 80, &f);
		assert_int_equal(f.body.n, 1);
		assert_false(f.body.v[0].selectable);
		pane_frame_free(&f);
	}
	p.ops->free(&p);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_at_boundaries),
		cmocka_unit_test(test_every_size_inside),
		cmocka_unit_test(test_panes_every_width),
		cmocka_unit_test(test_empty_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
