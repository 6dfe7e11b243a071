/* wisdom_chart.h - mermaid `xychart-beta` trend blocks for the wisdom
 * markdown (spec/run-artifacts.md §12.1: "xychart-beta (trends) blocks
 * may follow a table").
 *
 * Two layers:
 *  - wch_render(): pure; labelled points in, one fenced ```mermaid block
 *    out. A point whose value (line, or bar when the chart has a bar
 *    series) is NaN or infinite is left out; with fewer than 2 points left
 *    nothing is written. Labels are sanitised so no byte of run data can
 *    break out of the quoted string or the code fence: `"` and '`' become
 *    `'`, control bytes (newline, ESC, ...) and invalid UTF-8 become a
 *    space or `?`, ANSI escape sequences are dropped, and long labels are
 *    cut (x labels at WCH_LABEL_MAX, titles at
 *    WCH_TITLE_MAX).
 *  - wch_trend_gather()/wch_trend_md(): the run's trends across the runs of
 *    its `.runs/` folder, oldest -> newest: line coverage % per run (from
 *    cov_gather_history() + cov_evidence_line_total()) and tests per run
 *    (executed as a line, failed as bars, from th_gather()).
 *
 * Ownership: a wch_trend owns its labels (wch_trend_clear()); wch_render
 * borrows its input and appends to the caller's buf.
 */
#ifndef WZ_SINKS_WISDOM_CHART_H
#define WZ_SINKS_WISDOM_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "util/buf.h"

/* Longest label written (bytes, before the cut marker). */
#define WCH_LABEL_MAX 32
/* Longest title / y-axis label written. */
#define WCH_TITLE_MAX 80

struct wch_point {
	const char *label;       /* x label (run id shortened, date, ...) */
	double line;             /* value of the line series */
	double bar;              /* value of the bar series (when has_bar) */
};

struct wch_chart {
	const char *title;
	const char *y_label;
	double y_min, y_max;     /* y-axis range; both NAN: mermaid picks */
	bool has_bar;            /* also a bar series (drawn under the line) */
	const struct wch_point *v;
	size_t n;
};

/* Appends the block for c to b. Returns the number of points written (0:
 * nothing written, fewer than 2 usable points). */
size_t wch_render(struct buf *b, const struct wch_chart *c);

/* A label made safe for a mermaid quoted string (see above). */
void wch_label(struct buf *b, const char *s);

/* One run of a trend. */
struct wch_run {
	char *label;             /* shortened run id */
	double value;            /* line value; NAN none */
	double bar;              /* bar value; NAN none */
};

struct wch_series {
	struct wch_run *v;       /* oldest first */
	size_t n;
};

struct wch_trend {
	struct wch_series coverage;   /* value: line coverage % */
	struct wch_series tests;      /* value: tests executed, bar: failed */
};

/* Fills t for run r (its own values last). Problems reading other runs
 * leave them out; never fails. */
void wch_trend_gather(const struct run *r, struct wch_trend *t);
void wch_trend_clear(struct wch_trend *t);

/* Shortens run ids in place for the x axis: drops the prefix every id
 * shares (up to a '-' or '_'), then cuts each to WCH_LABEL_MAX. */
void wch_series_shorten(struct wch_series *s);

/* The coverage chart (when >= 2 runs have coverage) and the tests chart
 * (when >= 2 runs have results). Nothing when t is NULL. */
void wch_trend_md(struct buf *b, const struct wch_trend *t);

#endif
