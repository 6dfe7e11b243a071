/* report_junit.c - JUnit XML (and the xunit dialects of pytest, Jest,
 * GoogleTest, Catch2, Surefire, nextest, gotestsum ...) read as a stream.
 *
 * Counting (spec/run-artifacts.md §14): every <testcase> at any depth is one
 * test with one outcome: <error> > <failure> > <skipped>/status > passed.
 * Surefire rerun markers only mark the test flaky. <error>/<failure> directly
 * in a <testsuite> are suite-level errors, not tests. Declared totals come
 * from the root element, or the sum over the top-level suites.
 */
#include "config.h"
#include "sources/report_readers.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DECL_ATTRS(X) X(tests) X(failures) X(errors) X(skipped) X(disabled)

enum child { CH_NONE, CH_SKIPPED, CH_FAILURE, CH_ERROR };   /* by priority */

/* The testcase being read. Its attributes are copied into buffers reused
 * from case to case (no allocation per case once they have grown). */
struct pending {
	struct buf name, classname, file;
	bool has_name, has_file;
	long line;            /* testcase line=, 0 when absent or invalid */
	double time;          /* < 0 when absent or invalid */
	bool status_skip;     /* status= says it did not run */
	int src_line;
	enum child outcome;
	bool flaky, xfail;
	char *msg;            /* message attribute of the outcome element */
	struct buf text;      /* text of the outcome element (bounded) */
	char *fail_file;      /* file=/line= on the outcome element (Catch2) */
	char *fail_line;
};

struct jstate {
	struct report_xml x;
	struct tr_report *r;
	/* suite stack: name per open <testsuite> (interned in r, NULL if none) */
	char **suites;
	int *suite_depth;
	size_t nsuites, suites_cap, depth_cap;
	bool in_case;
	int case_depth;
	struct pending pc;
	/* capture of an outcome element's text */
	int cap_depth;        /* -1: not capturing */
	enum child cap_kind;
	bool cap_suite_level;
	struct buf suite_text;
	char *suite_msg;
	int suite_err_line;
	bool root_seen, root_has_tests, root_is_suites;
	/* sums over top-level suites */
	long long sum[5];
	bool sum_seen[5], sum_bad[5];
	char *sum_bad_raw[5];
};

static const char *const decl_names[] = {
#define J_X(a) #a,
	DECL_ATTRS(J_X)
#undef J_X
};

static void pending_clear(struct pending *p)
{
	buf_reset(&p->name);
	buf_reset(&p->classname);
	buf_reset(&p->file);
	buf_reset(&p->text);
	XFREE(&p->msg);
	XFREE(&p->fail_file);
	XFREE(&p->fail_line);
	p->has_name = p->has_file = false;
	p->line = 0;
	p->time = -1;
	p->status_skip = false;
	p->src_line = 0;
	p->outcome = CH_NONE;
	p->flaky = p->xfail = false;
}

static void pending_free(struct pending *p)
{
	pending_clear(p);
	buf_free(&p->name);
	buf_free(&p->classname);
	buf_free(&p->file);
	buf_free(&p->text);
}

static bool skip_status(const char *s)
{
	static const char *const words[] = { "notrun", "disabled", "skipped", "skip", "ignored" };
	if (!s)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

static long parse_line(const char *s)
{
	long long v;
	if (!tr_parse_count(s, &v) || v <= 0 || v > 100000000)
		return 0;
	return (long)v;
}

static void finish_case(struct jstate *j)
{
	struct pending *p = &j->pc;
	struct tr_report *r = j->r;
	struct tr_case *c;
	enum tr_status st = TR_PASS;
	enum tr_bucket bk = TR_B_PASSED;
	char *suite = j->nsuites > 0 ? j->suites[j->nsuites - 1] : NULL;

	switch (p->outcome) {
	case CH_ERROR: st = TR_ERROR; bk = TR_B_ERROR; break;
	case CH_FAILURE: st = TR_FAIL; bk = TR_B_FAILED; break;
	case CH_SKIPPED: st = p->xfail ? TR_XFAIL : TR_SKIP; bk = TR_B_SKIPPED; break;
	case CH_NONE:
		if (p->status_skip) {
			st = TR_SKIP;
			bk = TR_B_SKIPPED;
		}
		break;
	}
	j->in_case = false;
	if (!tr_admit(r, st, bk)) {
		tr_count_only(r, TR_K_TEST, st, bk, p->flaky);
		pending_clear(p);
		return;
	}
	c = tr_add_case(r, TR_K_TEST);
	if (p->has_name)
		tr_case_put(r, c, TR_F_NAME, p->name.p ? p->name.p : "", p->name.len);
	if (p->classname.len)
		tr_case_put(r, c, TR_F_CLASSNAME, p->classname.p, p->classname.len);
	if (suite) {
		c->suite = suite;                 /* already interned in r */
		c->in_arena |= 1u << TR_F_SUITE;
	}
	tr_case_make_id(r, c);
	c->src_line = p->src_line;
	c->duration = p->time;
	c->status = st;
	c->bucket = bk;
	c->flaky = p->flaky;
	if (p->outcome != CH_NONE)
		tr_case_set_message(c, p->msg, p->text.len ? buf_str(&p->text) : NULL);
	/* Location: the outcome element's file/line, then the text, then the
	 * testcase's own file/line. */
	if (p->fail_file && *p->fail_file) {
		c->file = p->fail_file;           /* heap string, now the case's */
		p->fail_file = NULL;
		c->line = parse_line(p->fail_line);
	}
	if (p->outcome == CH_FAILURE || p->outcome == CH_ERROR)
		tr_case_find_location(c);
	if (!c->file && p->has_file && p->file.len) {
		tr_case_put(r, c, TR_F_FILE, p->file.p, p->file.len);
		c->line = p->line;
	}
	pending_clear(p);
}

/* Walks the current element's attributes without copying the ones not kept
 * (xmlTextReaderGetAttribute allocates per call; this is the hot path). */
static void start_case(struct jstate *j, int depth)
{
	struct pending *p = &j->pc;
	xmlTextReaderPtr rd = j->x.rd;
	bool seen_class = false, seen_line = false, seen_time = false, seen_status = false;
	pending_clear(p);
	j->in_case = true;
	j->case_depth = depth;
	p->src_line = xmlTextReaderGetParserLineNumber(rd);
	while (xmlTextReaderMoveToNextAttribute(rd) == 1) {
		const char *n = (const char *)xmlTextReaderConstLocalName(rd);
		const char *v = (const char *)xmlTextReaderConstValue(rd);
		double d;
		if (!n || !v)
			continue;
		switch (n[0]) {
		case 'n':
			if (!p->has_name && !strcmp(n, "name")) {
				buf_append(&p->name, v, strlen(v));
				p->has_name = true;
			}
			break;
		case 'c':
			if (!seen_class && !strcmp(n, "classname")) {
				buf_append(&p->classname, v, strlen(v));
				seen_class = true;
			}
			break;
		case 'f':
			if (!p->has_file && !strcmp(n, "file")) {
				buf_append(&p->file, v, strlen(v));
				p->has_file = true;
			}
			break;
		case 'l':
			if (!seen_line && !strcmp(n, "line")) {
				p->line = parse_line(v);
				seen_line = true;
			}
			break;
		case 't':
			if (!seen_time && !strcmp(n, "time")) {
				p->time = tr_parse_seconds(v, &d) ? d : -1;
				seen_time = true;
			}
			break;
		case 's':
			if (!seen_status && !strcmp(n, "status")) {
				p->status_skip = skip_status(v);
				seen_status = true;
			}
			break;
		default: break;
		}
	}
	xmlTextReaderMoveToElement(rd);
}

static void start_outcome(struct jstate *j, enum child kind, int depth)
{
	struct pending *p = &j->pc;
	if (kind < p->outcome)
		return;       /* a lower-priority child keeps the better one's text */
	p->outcome = kind;
	free(p->msg);
	p->msg = report_xml_attr(&j->x, "message");
	if (kind == CH_SKIPPED) {
		char *type = report_xml_attr(&j->x, "type");
		p->xfail = type && strstr(type, "xfail");
		free(type);
	}
	free(p->fail_file);
	free(p->fail_line);
	p->fail_file = report_xml_attr(&j->x, "file");
	p->fail_line = report_xml_attr(&j->x, "line");
	buf_reset(&p->text);
	j->cap_depth = depth;
	j->cap_kind = kind;
	j->cap_suite_level = false;
}

static void finish_suite_error(struct jstate *j)
{
	const char *suite = j->nsuites > 0 ? j->suites[j->nsuites - 1] : NULL;
	const char *name = j->cap_kind == CH_ERROR ? "(suite error)" : "(suite failure)";
	enum tr_status st = j->cap_kind == CH_ERROR ? TR_ERROR : TR_FAIL;
	enum tr_bucket bk = j->cap_kind == CH_ERROR ? TR_B_ERROR : TR_B_FAILED;
	struct tr_case *c;
	if (!tr_admit(j->r, st, bk)) {
		tr_count_only(j->r, TR_K_SUITE_ERROR, st, bk, false);
		XFREE(&j->suite_msg);
		buf_reset(&j->suite_text);
		return;
	}
	c = tr_add_case(j->r, TR_K_SUITE_ERROR);
	tr_case_put(j->r, c, TR_F_SUITE, suite ? suite : "", suite ? strlen(suite) : 0);
	tr_case_put(j->r, c, TR_F_NAME, name, strlen(name));
	tr_case_make_id(j->r, c);
	c->status = st;
	c->bucket = bk;
	c->src_line = j->suite_err_line;
	tr_case_set_message(c, j->suite_msg, j->suite_text.len ? buf_str(&j->suite_text) : NULL);
	tr_case_find_location(c);
	free(j->suite_msg);
	j->suite_msg = NULL;
	buf_reset(&j->suite_text);
}

static void declared_from_element(struct jstate *j, bool root, int depth)
{
	for (int i = 0; i < 5; i++) {
		char *v = report_xml_attr(&j->x, decl_names[i]);
		if (!v)
			continue;
		if (root) {
			tr_add_declared(j->r, decl_names[i], v);
		} else if (depth == 1 && j->root_is_suites && !j->root_has_tests) {
			long long n;
			j->sum_seen[i] = true;
			if (tr_parse_count(v, &n)) {
				j->sum[i] += n;
			} else if (!j->sum_bad[i]) {
				j->sum_bad[i] = true;
				j->sum_bad_raw[i] = xstrdup(v);
			}
		}
		free(v);
	}
}

static void on_element(struct jstate *j, const char *name, int depth, bool empty)
{
	if (!j->root_seen) {
		char *t = report_xml_attr(&j->x, "tests");
		j->root_seen = true;
		j->root_has_tests = t != NULL;
		j->root_is_suites = strcmp(name, "testsuites") == 0;
		free(t);
		if (j->root_has_tests)
			declared_from_element(j, true, depth);
	}
	if (j->in_case) {
		enum child kind = CH_NONE;
		if (depth != j->case_depth + 1)
			return;
		if (strcmp(name, "error") == 0)
			kind = CH_ERROR;
		else if (strcmp(name, "failure") == 0)
			kind = CH_FAILURE;
		else if (strcmp(name, "skipped") == 0)
			kind = CH_SKIPPED;
		else if (strncmp(name, "flaky", 5) == 0 || strncmp(name, "rerun", 5) == 0)
			j->pc.flaky = j->pc.flaky || !strcmp(name + 5, "Failure") || !strcmp(name + 5, "Error");
		if (kind != CH_NONE) {
			start_outcome(j, kind, depth);
			if (empty)
				j->cap_depth = -1;
		}
		return;
	}
	if (strcmp(name, "testcase") == 0) {
		start_case(j, depth);
		if (empty)
			finish_case(j);
		return;
	}
	if (strcmp(name, "testsuite") == 0) {
		if (depth > 0 || !j->root_has_tests)
			declared_from_element(j, false, depth);
		if (!empty) {
			j->suites = xgrow(j->suites, &j->suites_cap, j->nsuites + 1, sizeof *j->suites);
			j->suite_depth = xgrow(j->suite_depth, &j->depth_cap, j->nsuites + 1, sizeof *j->suite_depth);
			char *nm = report_xml_attr(&j->x, "name");
			j->suites[j->nsuites] = nm ? tr_intern(j->r, nm, strlen(nm)) : NULL;
			j->suite_depth[j->nsuites++] = depth;
			free(nm);
		}
		return;
	}
	if ((strcmp(name, "error") == 0 || strcmp(name, "failure") == 0) && j->nsuites > 0 &&
	    j->suite_depth[j->nsuites - 1] == depth - 1 && j->cap_depth < 0) {
		j->cap_kind = name[0] == 'e' ? CH_ERROR : CH_FAILURE;
		j->cap_suite_level = true;
		free(j->suite_msg);
		j->suite_msg = report_xml_attr(&j->x, "message");
		j->suite_err_line = xmlTextReaderGetParserLineNumber(j->x.rd);
		buf_reset(&j->suite_text);
		if (empty)
			finish_suite_error(j);
		else
			j->cap_depth = depth;
	}
}

static void on_end(struct jstate *j, int depth)
{
	if (j->cap_depth >= 0 && depth == j->cap_depth) {
		bool suite = j->cap_suite_level;
		j->cap_depth = -1;
		if (suite)
			finish_suite_error(j);
		return;
	}
	if (j->in_case && depth == j->case_depth) {
		finish_case(j);
		return;
	}
	if (j->nsuites > 0 && j->suite_depth[j->nsuites - 1] == depth)
		j->nsuites--;
}

static void on_text(struct jstate *j)
{
	const char *v = (const char *)xmlTextReaderConstValue(j->x.rd);
	struct buf *b = j->cap_suite_level ? &j->suite_text : &j->pc.text;
	size_t n, room;
	if (!v || b->len > TR_TEXT_MAX)
		return;
	n = strlen(v);
	room = TR_TEXT_MAX + 1 - b->len;
	buf_append(b, v, n < room ? n : room);
}

enum wz_status report_junit_read(int fd, struct tr_report *r, struct wz_err *err)
{
	struct jstate j;
	int ret;

	memset(&j, 0, sizeof j);
	j.r = r;
	j.cap_depth = -1;
	j.pc.time = -1;
	if (!report_xml_open(&j.x, fd, r->path))
		return wz_err_set(err, WZ_ENOMEM, "%s: cannot create an XML reader", r->path);
	while ((ret = xmlTextReaderRead(j.x.rd)) == 1) {
		int type = xmlTextReaderNodeType(j.x.rd);
		int depth = xmlTextReaderDepth(j.x.rd);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *name = (const char *)xmlTextReaderConstLocalName(j.x.rd);
			on_element(&j, name ? name : "", depth, xmlTextReaderIsEmptyElement(j.x.rd) == 1);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			on_end(&j, depth);
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
			    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) && j.cap_depth >= 0) {
			on_text(&j);
		}
	}
	if (ret < 0 || j.x.failed) {
		long line = j.x.failed ? j.x.err_line : xmlTextReaderGetParserLineNumber(j.x.rd);
		r->left_open = j.in_case ? 1 : 0;
		tr_set_error(r, line, "%s:%ld: malformed XML: %s%s; counted the %zu testcase(s) closed before it%s",
			     r->path, line, j.x.failed ? j.x.err_msg : "parse error",
			     j.in_case || j.nsuites ? " (elements still open: the file looks truncated)" : "",
			     (size_t)r->seen, j.in_case ? " (1 left open, not counted)" : "");
	} else if (!j.root_seen) {
		tr_set_error(r, 1, "%s:1: no XML element found", r->path);
	}
	if (!j.root_has_tests) {
		for (int i = 0; i < 5; i++) {
			if (j.sum_bad[i]) {
				tr_add_declared(r, decl_names[i], j.sum_bad_raw[i]);
			} else if (j.sum_seen[i]) {
				char tmp[32];
				snprintf(tmp, sizeof tmp, "%lld", j.sum[i]);
				tr_add_declared(r, decl_names[i], tmp);
			}
		}
	}
	for (int i = 0; i < 5; i++)
		free(j.sum_bad_raw[i]);
	free(j.suites);
	free(j.suite_depth);
	free(j.suite_msg);
	buf_free(&j.suite_text);
	pending_free(&j.pc);
	report_xml_close(&j.x);
	tr_report_finish(r, false);
	return WZ_OK;
}
