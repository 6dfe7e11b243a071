/* report_text.c - renders a wisdom-report/1 document as readable text.
 * Every value that may come from an artifact goes through rtext_sanitize. */
#include "config.h"
#include "sinks/report_text.h"
#include "util/sanitize.h"
#include "sinks/report_learn.h"
#include "sinks/report_issues.h"
#include "sinks/report_tests.h"
#include "util/xalloc.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length and the
 * code point, or 0 when the bytes there are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len, i;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return len;
}

/* Bidirectional overrides, isolates and marks: they reorder what the reader
 * sees ("Trojan Source"), so they are shown, not obeyed. */
void rtext_sanitize(const char *s, size_t n, bool utf8, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			buf_printf(out, "\\x%02X", p[i]);
			i++;
			continue;
		}
		if (cp < 0x20)
			buf_printf(out, "^%c", (char)(cp + 0x40));
		else if (cp == 0x7F)
			buf_puts(out, "^?");
		else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x80 && !utf8) || san_is_bidi(cp))
			buf_printf(out, "<U+%04X>", cp);
		else
			buf_append(out, p + i, len);
		i += len;
	}
}

char *rtext_safe(const char *s, bool utf8)
{
	struct buf b = {0};
	if (s)
		rtext_sanitize(s, strlen(s), utf8, &b);
	return b.p ? buf_detach(&b) : xstrdup("");
}

bool rtext_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* ---- rendering helpers ---------------------------------------------------- */

struct out {
	struct buf b;
	bool utf8;
};

/* Appends a value: strings sanitised, numbers as written, null as `unk`. */
static void val(struct out *o, const json_t *v, const char *unk)
{
	if (!v || json_is_null(v)) {
		buf_puts(&o->b, unk);
	} else if (json_is_string(v)) {
		rtext_sanitize(json_string_value(v), json_string_length(v), o->utf8, &o->b);
	} else if (json_is_integer(v)) {
		buf_printf(&o->b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(&o->b, "%g", json_real_value(v));
	} else if (json_is_true(v)) {
		buf_puts(&o->b, "yes");
	} else if (json_is_false(v)) {
		buf_puts(&o->b, "no");
	} else {
		buf_puts(&o->b, "?");
	}
}

/* A value padded to `w` columns (counting UTF-8 characters). */
static void cell(struct out *o, const json_t *v, const char *unk, int w)
{
	size_t start = o->b.len, i;
	int cols = 0;
	val(o, v, unk);
	for (i = start; i < o->b.len; i++)
		if (((unsigned char)o->b.p[i] & 0xC0) != 0x80)
			cols++;
	while (cols++ < w)
		buf_putc(&o->b, ' ');
}

static const json_t *get(const json_t *o, const char *k)
{
	return json_object_get(o, k);
}

static void heading(struct out *o, const char *title)
{
	buf_printf(&o->b, "\n%s\n", title);
}

static void section_run(struct out *o, const json_t *run)
{
	buf_puts(&o->b, "wisdom report: run ");
	val(o, get(run, "id"), "unknown");
	buf_puts(&o->b, "\n  title       ");
	val(o, get(run, "task_title"), "unknown");
	buf_puts(&o->b, "\n  path        ");
	val(o, get(run, "path"), "unknown");
	buf_puts(&o->b, "\n  generation  ");
	val(o, get(run, "generation"), "unknown");
	buf_puts(&o->b, "\n  github      ");
	val(o, get(run, "github_repo"), "unknown repo");
	buf_puts(&o->b, "  issue #");
	val(o, get(run, "issue_number"), "unknown");
	buf_puts(&o->b, "  PR #");
	val(o, get(run, "pr_number"), "unknown");
	buf_puts(&o->b, "\n  canonical   ");
	val(o, get(run, "canonical_key"), "none");
	buf_puts(&o->b, "  run_meta.json ");
	val(o, get(run, "has_meta"), "?");
	buf_puts(&o->b, "  in index.json ");
	val(o, get(run, "indexed"), "?");
	buf_puts(&o->b, "\n");
}

static void section_flows(struct out *o, const json_t *flows)
{
	const char *name;
	const json_t *f;
	heading(o, "Flows");
	buf_printf(&o->b, "  %-8s %-16s %-10s %-22s %-6s %s\n", "flow", "status", "action", "completed_at",
		   "stale", "receipt");
	json_object_foreach((json_t *)flows, name, f) {
		const json_t *rc = get(f, "receipt");
		buf_printf(&o->b, "  %-8s ", name);
		if (!json_is_true(get(f, "dir_present")) && json_is_null(get(f, "status")))
			buf_printf(&o->b, "%-16s ", "(no folder)");
		else
			cell(o, get(f, "status"), "no receipt", 17);
		cell(o, get(f, "recommended_action"), "-", 11);
		cell(o, get(f, "completed_at"), "unknown", 23);
		buf_printf(&o->b, "%-6s ", json_is_true(get(f, "stale")) ? "STALE" : "");
		if (rc && json_is_string(rc) && strcmp(json_string_value(rc), "parsed") == 0)
			val(o, get(f, "source"), "");
		else
			val(o, rc, "missing");
		if (!json_is_null(get(f, "error"))) {
			buf_puts(&o->b, "  (");
			val(o, get(f, "error"), "");
			buf_puts(&o->b, ")");
		}
		buf_putc(&o->b, '\n');
	}
}

#define RT_TEST_FIELDS(X) X("passed") X("failed") X("skipped") X("xfailed") X("xpassed") X("errors")

/* A count right-aligned in 8 columns; null is "unknown", never 0. */
static void num_cell(struct out *o, const json_t *v)
{
	if (json_is_integer(v))
		buf_printf(&o->b, " %8lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(&o->b, " %8g", json_real_value(v));
	else
		buf_printf(&o->b, " %8s", "unknown");
}

static void section_tests(struct out *o, const json_t *t)
{
	const json_t *srcs = get(t, "sources"), *s;
	size_t i;
	heading(o, "Tests");
	if (!json_array_size(srcs)) {
		buf_puts(&o->b, "  no test evidence found (unknown, not 0)\n");
		return;
	}
	if (json_is_true(get(t, "agree"))) {
		buf_puts(&o->b, "  sources agree where both know a value\n");
	} else {
		const json_t *d;
		buf_puts(&o->b, "  SOURCES DISAGREE on:");
		json_array_foreach(get(t, "disagreements"), i, d) {
			buf_putc(&o->b, ' ');
			val(o, d, "");
		}
		buf_puts(&o->b, " (every source shown; none picked)\n");
	}
	buf_printf(&o->b, "  %-52s", "source");
#define RT_X(k) buf_printf(&o->b, " %8s", k);
	RT_TEST_FIELDS(RT_X)
#undef RT_X
	buf_putc(&o->b, '\n');
	json_array_foreach(srcs, i, s) {
		buf_puts(&o->b, "  ");
		cell(o, get(s, "source"), "?", 52);
#define RT_X(k) num_cell(o, get(s, k));
		RT_TEST_FIELDS(RT_X)
#undef RT_X
		if (!json_is_null(get(s, "at"))) {
			buf_puts(&o->b, "  at ");
			val(o, get(s, "at"), "");
		}
		buf_putc(&o->b, '\n');
	}
}

static void verdict_line(struct out *o, const char *label, const json_t *v)
{
	buf_printf(&o->b, "  %-12s ", label);
	cell(o, get(v, "value"), "unknown", 14);
	if (!json_is_null(get(v, "source"))) {
		buf_puts(&o->b, "from ");
		val(o, get(v, "source"), "");
	}
	if (!json_is_null(get(v, "receipt"))) {
		buf_puts(&o->b, json_is_true(get(v, "agree")) ? "  (receipt agrees: " : "  (RECEIPT DISAGREES: ");
		val(o, get(v, "receipt"), "");
		buf_puts(&o->b, ")");
	}
	if (get(v, "reason") && !json_is_null(get(v, "reason"))) {
		buf_puts(&o->b, "  reason ");
		val(o, get(v, "reason"), "");
	}
	buf_putc(&o->b, '\n');
}

static void section_verdicts(struct out *o, const json_t *doc)
{
	const json_t *dt = get(doc, "deploy_time");
	heading(o, "Verdicts");
	verdict_line(o, "merge", get(doc, "merge_verdict"));
	verdict_line(o, "deployment", get(doc, "deployment_verdict"));
	buf_printf(&o->b, "  %-12s ", "smoke");
	val(o, get(doc, "smoke_signal"), "unknown");
	buf_printf(&o->b, "\n  %-12s ", "deploy T");
	val(o, get(dt, "t"), "unknown");
	if (!json_is_null(get(dt, "source"))) {
		buf_puts(&o->b, "  from ");
		val(o, get(dt, "source"), "");
	}
	if (json_is_true(get(dt, "approximate")))
		buf_puts(&o->b, "  (approximate)");
	buf_putc(&o->b, '\n');
}

static void section_markers(struct out *o, const json_t *mk)
{
	const char *name;
	const json_t *m;
	heading(o, "Markers (counted at line start; stated values beside)");
	buf_printf(&o->b, "  %-24s %8s %8s  %s\n", "marker", "counted", "stated", "file");
	json_object_foreach((json_t *)mk, name, m) {
		buf_printf(&o->b, "  %-24s ", name);
		if (json_is_true(get(m, "file_present"))) {
			buf_printf(&o->b, "%8lld ", (long long)json_integer_value(get(m, "counted")));
		} else {
			buf_printf(&o->b, "%8s ", "-");
		}
		{
			const json_t *st = get(m, "stated");
			if (json_is_number(st))
				buf_printf(&o->b, "%8g", json_number_value(st));
			else
				buf_printf(&o->b, "%8s", "-");
		}
		buf_puts(&o->b, "  ");
		val(o, get(m, "file"), "");
		if (!json_is_true(get(m, "file_present")))
			buf_puts(&o->b, " (file missing)");
		if (!json_is_true(get(m, "agree")))
			buf_puts(&o->b, "  STATED != COUNTED");
		buf_putc(&o->b, '\n');
	}
}

static void section_obs(struct out *o, const json_t *ob)
{
	heading(o, "Observability inventory");
	if (!json_is_true(get(ob, "inventory"))) {
		buf_puts(&o->b, "  no inventory\n");
		return;
	}
	buf_printf(&o->b, "  %lld metrics, %lld log events, %lld trace spans, %lld SLOs, %lld alerts",
		   (long long)json_integer_value(get(ob, "metrics")), (long long)json_integer_value(get(ob, "log_events")),
		   (long long)json_integer_value(get(ob, "trace_spans")), (long long)json_integer_value(get(ob, "slos")),
		   (long long)json_integer_value(get(ob, "alerts")));
	if (json_integer_value(get(ob, "sentinels")) > 0)
		buf_printf(&o->b, " (%lld declared none)", (long long)json_integer_value(get(ob, "sentinels")));
	buf_puts(&o->b, "  from ");
	val(o, get(ob, "source"), "?");
	buf_putc(&o->b, '\n');
}

static void section_audit(struct out *o, const json_t *doc)
{
	const json_t *a = get(doc, "audit"), *s = get(doc, "audit_summary"), *row;
	size_t i;
	int gaps = 0;
	heading(o, "Artifact audit");
	if (!json_is_array(a)) {
		buf_puts(&o->b, "  not run\n");
		return;
	}
	buf_printf(&o->b, "  %lld present, %lld missing required, %lld missing optional, %lld empty, %lld unparseable, %lld stub\n",
		   (long long)json_integer_value(get(s, "present")), (long long)json_integer_value(get(s, "missing_required")),
		   (long long)json_integer_value(get(s, "missing_optional")), (long long)json_integer_value(get(s, "empty")),
		   (long long)json_integer_value(get(s, "unparseable")), (long long)json_integer_value(get(s, "stub")));
	json_array_foreach(a, i, row) {
		const char *st = json_string_value(get(row, "state"));
		bool required = st && strcmp(json_string_value(get(row, "need")), "required") == 0;
		if (!st || strcmp(st, "present") == 0 || (!required && strcmp(st, "missing") == 0))
			continue;
		if (!gaps++)
			buf_puts(&o->b, "  gaps:\n");
		buf_puts(&o->b, "    ");
		cell(o, get(row, "state"), "?", 12);
		cell(o, get(row, "need"), "?", 9);
		val(o, get(row, "artifact"), "?");
		if (!json_is_null(get(row, "note"))) {
			buf_puts(&o->b, "  ");
			val(o, get(row, "note"), "");
		}
		buf_putc(&o->b, '\n');
	}
	if (json_integer_value(get(s, "missing_optional")) > 0)
		buf_printf(&o->b, "  (%lld optional artifacts missing; see --json audit[])\n",
			   (long long)json_integer_value(get(s, "missing_optional")));
}

static void section_backends(struct out *o, const json_t *be)
{
	const char *name;
	const json_t *b;
	heading(o, "Backends (reachability not checked)");
	json_object_foreach((json_t *)be, name, b) {
		buf_printf(&o->b, "  %-16s ", name);
		cell(o, get(b, "state"), "?", 14);
		val(o, get(b, "reason"), "");
		buf_putc(&o->b, '\n');
	}
}

static void list_section(struct out *o, const char *title, const json_t *arr, const char *none)
{
	const json_t *v;
	size_t i;
	heading(o, title);
	if (!json_array_size(arr)) {
		buf_printf(&o->b, "  %s\n", none);
		return;
	}
	json_array_foreach(arr, i, v) {
		buf_puts(&o->b, "  - ");
		val(o, v, "");
		buf_putc(&o->b, '\n');
	}
}

/* One line per finding (status, analyzer, title), its body lines and the
 * last reason (the rule that decided) indented below. */
static void section_findings(struct out *o, const json_t *arr)
{
	const json_t *f;
	size_t i;
	json_array_foreach(arr, i, f) {
		const char *body = json_string_value(get(f, "body"));
		buf_puts(&o->b, "  ");
		cell(o, get(f, "status"), "?", 13);
		cell(o, get(f, "analyzer"), "?", 10);
		val(o, get(f, "title"), "?");
		buf_putc(&o->b, '\n');
		while (body && *body) {
			const char *nl = strchr(body, '\n');
			size_t n = nl ? (size_t)(nl - body) : strlen(body);
			buf_puts(&o->b, "      ");
			rtext_sanitize(body, n, o->utf8, &o->b);
			buf_putc(&o->b, '\n');
			body = nl ? nl + 1 : NULL;
		}
		if (json_array_size(get(f, "reasons"))) {
			buf_puts(&o->b, "      ");
			val(o, json_array_get(get(f, "reasons"), json_array_size(get(f, "reasons")) - 1), "");
			buf_putc(&o->b, '\n');
		}
	}
}

char *rtext_render(const json_t *doc, bool utf8)
{
	struct out o = {{0}, utf8};
	section_run(&o, get(doc, "run"));
	section_flows(&o, get(doc, "flows"));
	section_tests(&o, get(doc, "tests"));
	section_verdicts(&o, doc);
	section_markers(&o, get(doc, "markers"));
	section_obs(&o, get(doc, "observability"));
	section_audit(&o, doc);
	section_backends(&o, get(doc, "backends"));
	rtests_text(doc, utf8, &o.b);
	rissues_text(doc, utf8, &o.b);
	heading(&o, "Findings and learnings");
	buf_printf(&o.b, "  %zu findings, %zu learnings\n",
		   json_array_size(get(doc, "findings")), json_array_size(get(doc, "learnings")));
	section_findings(&o, get(doc, "findings"));
	rlearn_text(get(doc, "learnings"), utf8, &o.b);
	list_section(&o, "Warnings", get(doc, "warnings"), "none");
	list_section(&o, "Needs attention", get(doc, "attention"), "nothing");
	return buf_detach(&o.b);
}
