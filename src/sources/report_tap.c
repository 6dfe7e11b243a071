/* report_tap.c - Test Anything Protocol 12/13/14, read line by line.
 *
 * Tests are the `ok` / `not ok` points at indentation 0 (indented points
 * belong to subtests and are only counted as nested). `# SKIP` ⇒ skipped,
 * `# TODO` ⇒ todo (not a failure), other `not ok` ⇒ failed. The plan `1..N`
 * is kept; a plan that does not match the points means a truncated run.
 * YAML diagnostics (`---` … `...`) after a point become its failure text.
 */
#include "config.h"
#include "sources/report_readers.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct point {
	bool ok;
	long number;                 /* 0 when absent */
	const char *desc;
	size_t desc_len;
	const char *directive;       /* text after '#', NULL when none */
};

/* Matches `(not )?ok\b ...` on a stripped line. */
static bool parse_point(const char *s, struct point *pt)
{
	const char *p = s, *hash, *e;
	memset(pt, 0, sizeof *pt);
	pt->ok = true;
	if (strncmp(p, "not ", 4) == 0) {
		pt->ok = false;
		p += 4;
	}
	if (p[0] != 'o' || p[1] != 'k' || isalnum((unsigned char)p[2]) || p[2] == '_')
		return false;
	p += 2;
	while (isspace((unsigned char)*p))
		p++;
	if (isdigit((unsigned char)*p)) {
		long long v = 0;
		while (isdigit((unsigned char)*p)) {
			if (v < 1000000000000LL)
				v = v * 10 + (*p - '0');
			p++;
		}
		pt->number = v > 2000000000 ? 2000000000 : (long)v;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (*p == '-') {
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	hash = strchr(p, '#');
	e = hash ? hash : p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	pt->desc = p;
	pt->desc_len = (size_t)(e - p);
	if (hash) {
		hash++;
		while (isspace((unsigned char)*hash))
			hash++;
		pt->directive = hash;
	}
	return true;
}

static bool is_plan(const char *s)
{
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return p[0] == '.' && p[1] == '.' && isdigit((unsigned char)p[2]);
}

/* Value of "key: value" in a YAML line (any indent), or NULL. */
static const char *yaml_value(const char *s, const char *key)
{
	size_t n = strlen(key);
	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, key, n) != 0 || s[n] != ':')
		return NULL;
	s += n + 1;
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static char *unquote(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0])
		return xstrndup(v + 1, n - 2);
	return xstrdup(v);
}

struct tstate {
	struct tr_report *r;
	struct tr_case *last;        /* index-stable only until the next add */
	size_t last_index;
	bool have_last;
	bool last_kept;              /* the last point was stored (keep policy) */
	bool in_yaml;
	int yaml_indent;
	struct buf yaml;
	char *yfile, *ymsg;
	long yline;
	char *subtest;
};

static void flush_yaml(struct tstate *t)
{
	struct tr_case *c;
	if (t->have_last && t->last_kept && t->yaml.len) {
		c = &t->r->cases[t->last_index];
		if (c->bucket == TR_B_FAILED) {
			char *msg = xstrdup(t->ymsg ? t->ymsg : c->message);
			tr_case_set_message(c, msg, buf_str(&t->yaml));
			free(msg);
			if (t->yfile && !c->file) {
				c->file = t->yfile;
				t->yfile = NULL;
				c->line = t->yline;
			}
			tr_case_find_location(c);
		}
	}
	buf_reset(&t->yaml);
	XFREE(&t->yfile);
	XFREE(&t->ymsg);
	t->yline = 0;
	t->in_yaml = false;
}

static void add_point(struct tstate *t, const struct point *pt, long lineno)
{
	struct tr_case *c;
	enum tr_status st;
	enum tr_bucket bk;

	if (pt->directive && strncasecmp(pt->directive, "skip", 4) == 0) {
		st = TR_SKIP;
		bk = TR_B_SKIPPED;
	} else if (pt->directive && strncasecmp(pt->directive, "todo", 4) == 0) {
		st = pt->ok ? TR_XPASS : TR_XFAIL;
		bk = TR_B_TODO;
	} else if (pt->ok) {
		st = TR_PASS;
		bk = TR_B_PASSED;
	} else {
		st = TR_FAIL;
		bk = TR_B_FAILED;
	}
	t->have_last = true;
	t->last_kept = tr_admit(t->r, st, bk);
	if (!t->last_kept) {
		tr_count_only(t->r, TR_K_TEST, st, bk, false);
		return;
	}
	c = tr_add_case(t->r, TR_K_TEST);
	c->src_line = (int)(lineno > 2000000000 ? 0 : lineno);
	if (pt->desc_len) {
		tr_case_put(t->r, c, TR_F_NAME, pt->desc, pt->desc_len);
	} else {
		char tmp[48];
		int n = snprintf(tmp, sizeof tmp, "test %ld", pt->number);
		tr_case_put(t->r, c, TR_F_NAME, tmp, (size_t)n);
	}
	if (t->subtest)
		tr_case_put(t->r, c, TR_F_SUITE, t->subtest, strlen(t->subtest));
	tr_case_make_id(t->r, c);
	c->status = st;
	c->bucket = bk;
	if (bk == TR_B_FAILED)
		tr_case_set_message(c, c->name, NULL);
	if (pt->directive && c->bucket != TR_B_FAILED && *pt->directive)
		tr_case_set_message(c, pt->directive, NULL);
	t->last_index = t->r->ncases - 1;
}

enum wz_status report_tap_read(int fd, struct tr_report *r, struct wz_err *err)
{
	struct report_lines it;
	struct tstate t;
	char *line;
	size_t len;
	long long plan_n = -1;

	(void)err;
	memset(&t, 0, sizeof t);
	t.r = r;
	report_lines_init(&it, fd);
	while (report_lines_next(&it, &line, &len)) {
		int indent = 0;
		const char *s = line;
		struct point pt;
		while (*s == ' ' || *s == '\t') {
			s++;
			indent++;
		}
		if (t.in_yaml) {
			const char *v;
			if (strcmp(s, "...") == 0 && indent <= t.yaml_indent + 2) {
				flush_yaml(&t);
				continue;
			}
			if (indent > 0 || *s == '\0') {
				if (t.yaml.len < TR_TEXT_MAX) {
					buf_append(&t.yaml, line, len);
					buf_putc(&t.yaml, '\n');
				}
				if ((v = yaml_value(s, "message")) != NULL && !t.ymsg && *v)
					t.ymsg = unquote(v);
				else if ((v = yaml_value(s, "file")) != NULL && !t.yfile && *v)
					t.yfile = unquote(v);
				else if ((v = yaml_value(s, "line")) != NULL && !t.yline)
					t.yline = atol(v) > 0 && atol(v) < 100000000 ? atol(v) : 0;
				continue;
			}
			/* A non-indented line ends an unterminated block. */
			flush_yaml(&t);
		}
		if (strcmp(s, "---") == 0 && t.have_last && indent > 0) {
			t.in_yaml = true;
			t.yaml_indent = indent;
			continue;
		}
		if (indent == 0 && is_plan(s)) {
			free(r->plan);
			r->plan = xstrdup(s);
			plan_n = atoll(strstr(s, "..") + 2);
			continue;
		}
		if (indent == 0 && strncasecmp(s, "bail out!", 9) == 0) {
			r->bail_out = true;
			continue;
		}
		if (indent == 0 && strncmp(s, "# Subtest: ", 11) == 0) {
			free(t.subtest);
			t.subtest = xstrdup(s + 11);
			continue;
		}
		if (!parse_point(s, &pt))
			continue;
		if (indent > 0) {
			r->nested_points++;
			continue;
		}
		add_point(&t, &pt, it.lineno);
	}
	if (t.in_yaml)
		flush_yaml(&t);
	if (it.error)
		tr_set_error(r, it.lineno, "%s:%ld: read error; counted what was read before it", r->path, it.lineno);
	tr_report_finish(r, false);
	if (r->bail_out) {
		tr_add_warning(r, "%s: the run bailed out (\"Bail out!\")", r->path);
	} else if (plan_n >= 0 && plan_n != r->totals.tests) {
		tr_set_error(r, it.lineno, "%s:%ld: plan %s but %lld test point(s): the output is truncated or the "
			     "runner died; the points present are counted", r->path, it.lineno, r->plan,
			     r->totals.tests);
	} else if (plan_n < 0) {
		if (r->totals.tests == 0)
			tr_set_error(r, it.lineno, "%s:%ld: no TAP plan and no test points", r->path, it.lineno);
		else
			tr_add_warning(r, "%s: no plan line (1..N); cannot tell whether the output is complete",
				       r->path);
	}
	report_lines_free(&it);
	buf_free(&t.yaml);
	free(t.yfile);
	free(t.ymsg);
	free(t.subtest);
	return WZ_OK;
}
