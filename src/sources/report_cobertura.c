/* report_cobertura.c - Cobertura XML (coverage.py, gcovr, Cobertura) and
 * JaCoCo XML coverage, read as a stream.
 *
 * Cobertura: lines = distinct (class filename, line number) from the
 * class-level <lines> (method-level ones repeat them), hit when the largest
 * `hits` is > 0; branches from condition-coverage="NN% (covered/valid)".
 * JaCoCo: <sourcefile> <line nr mi ci mb cb/>, method counters per file;
 * the report-level <counter>s are the declared totals.
 */
#include "config.h"
#include "sources/report_readers.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cstate {
	struct report_xml x;
	struct tr_report *r;
	bool jacoco;
	/* Cobertura */
	struct tr_cov_file *cls;     /* current <class>, NULL outside */
	int cls_depth, lines_depth;  /* -1 when not inside */
	size_t cls_index;
	/* JaCoCo */
	char *package;
	size_t sf_index;
	bool in_sf;
	int sf_depth;
	long long bad_lines;
	bool saturated;
};

static long line_number(const char *s)
{
	long long v;
	if (!tr_parse_count(s, &v) || v <= 0 || v > 100000000)
		return -1;
	return (long)v;
}

static void cobertura_line(struct cstate *c)
{
	char *num = report_xml_attr(&c->x, "number");
	char *hits = report_xml_attr(&c->x, "hits");
	char *cc = report_xml_attr(&c->x, "condition-coverage");
	long n = line_number(num);
	int cov = 0, valid = 0;
	bool sat;
	unsigned long long h = tr_parse_hits(hits, &sat);

	c->saturated = c->saturated || sat;
	if (cc) {
		const char *p = strchr(cc, '(');
		if (!p || sscanf(p, "(%d/%d)", &cov, &valid) != 2 || cov < 0 || valid < 0 ||
		    cov > valid || valid > 1000000)
			cov = valid = 0;
	}
	if (n < 0) {
		if (c->bad_lines++ == 0)
			tr_add_warning(c->r, "%s:%d: <line> without a valid number=\"%s\"; ignored",
				       c->r->path, xmlTextReaderGetParserLineNumber(c->x.rd),
				       num ? num : "(missing)");
	} else {
		tr_cov_add_line(&c->r->files[c->cls_index], n, h, cov, valid);
	}
	free(num);
	free(hits);
	free(cc);
}

static void jacoco_line(struct cstate *c)
{
	static const char *const keys[] = { "nr", "mi", "ci", "mb", "cb" };
	long long v[5] = { 0 };
	for (int i = 0; i < 5; i++) {
		char *s = report_xml_attr(&c->x, keys[i]);
		if (s && !tr_parse_count(s, &v[i]))
			v[i] = i == 0 ? -1 : 0;
		free(s);
	}
	if (v[0] <= 0) {
		if (c->bad_lines++ == 0)
			tr_add_warning(c->r, "%s:%d: <line> without a valid nr=; ignored", c->r->path,
				       xmlTextReaderGetParserLineNumber(c->x.rd));
		return;
	}
	if (v[1] + v[2] == 0 && v[3] + v[4] == 0)
		return;
	tr_cov_add_line(&c->r->files[c->sf_index], (long)v[0], (unsigned long long)v[2],
			(int)(v[4] > 1000000 ? 0 : v[4]), (int)(v[3] + v[4] > 1000000 ? 0 : v[3] + v[4]));
}

static void jacoco_counter(struct cstate *c, int depth)
{
	char *type = report_xml_attr(&c->x, "type");
	char *missed = report_xml_attr(&c->x, "missed");
	char *covered = report_xml_attr(&c->x, "covered");
	long long m, k;
	if (type && tr_parse_count(missed, &m) && tr_parse_count(covered, &k)) {
		const char *what = !strcmp(type, "LINE") ? "lines" : !strcmp(type, "BRANCH") ? "branches" :
				   !strcmp(type, "METHOD") ? "methods" : NULL;
		if (depth == 1 && what) {
			char key[32], val[32];
			snprintf(key, sizeof key, "%s-valid", what);
			snprintf(val, sizeof val, "%lld", m + k);
			tr_add_declared(c->r, key, val);
			snprintf(key, sizeof key, "%s-covered", what);
			snprintf(val, sizeof val, "%lld", k);
			tr_add_declared(c->r, key, val);
		} else if (c->in_sf && depth == c->sf_depth + 1 && !strcmp(type, "METHOD")) {
			struct tr_cov_file *f = &c->r->files[c->sf_index];
			f->has_functions = true;
			f->functions_found += m + k;
			f->functions_hit += k;
		}
	}
	free(type);
	free(missed);
	free(covered);
}

static void on_element(struct cstate *c, const char *name, int depth, bool empty)
{
	if (depth == 0) {
		static const char *const attrs[] = { "lines-valid", "lines-covered", "line-rate",
						     "branches-valid", "branches-covered", "branch-rate" };
		if (c->jacoco)
			return;
		for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
			char *v = report_xml_attr(&c->x, attrs[i]);
			if (v)
				tr_add_declared(c->r, attrs[i], v);
			free(v);
		}
		return;
	}
	if (c->jacoco) {
		if (!strcmp(name, "package") && !empty) {
			free(c->package);
			c->package = report_xml_attr(&c->x, "name");
		} else if (!strcmp(name, "sourcefile") && !empty) {
			char *n = report_xml_attr(&c->x, "name");
			char *path = c->package && *c->package ? xasprintf("%s/%s", c->package, n ? n : "")
							       : xstrdup(n ? n : "");
			c->sf_index = (size_t)(tr_cov_file(c->r, path) - c->r->files);
			c->in_sf = true;
			c->sf_depth = depth;
			free(n);
			free(path);
		} else if (!strcmp(name, "line") && c->in_sf && depth == c->sf_depth + 1) {
			jacoco_line(c);
		} else if (!strcmp(name, "counter")) {
			jacoco_counter(c, depth);
		}
		return;
	}
	if (!strcmp(name, "class")) {
		char *fn = report_xml_attr(&c->x, "filename");
		c->cls_index = (size_t)(tr_cov_file(c->r, fn ? fn : "") - c->r->files);
		c->cls_depth = empty ? -1 : depth;
		c->lines_depth = -1;
		free(fn);
	} else if (!strcmp(name, "lines") && c->cls_depth >= 0 && depth == c->cls_depth + 1) {
		c->lines_depth = empty ? -1 : depth;
	} else if (!strcmp(name, "line") && c->lines_depth >= 0 && depth == c->lines_depth + 1) {
		cobertura_line(c);
	}
}

static void on_end(struct cstate *c, int depth)
{
	if (c->jacoco) {
		if (c->in_sf && depth == c->sf_depth)
			c->in_sf = false;
		return;
	}
	if (depth == c->lines_depth)
		c->lines_depth = -1;
	else if (depth == c->cls_depth)
		c->cls_depth = -1;
}

enum wz_status report_cobertura_read(int fd, struct tr_report *r, struct wz_err *err)
{
	struct cstate c;
	int ret;
	bool any = false;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.jacoco = r->format == TR_FMT_JACOCO;
	c.cls_depth = c.lines_depth = -1;
	if (!report_xml_open(&c.x, fd, r->path))
		return wz_err_set(err, WZ_ENOMEM, "%s: cannot create an XML reader", r->path);
	while ((ret = xmlTextReaderRead(c.x.rd)) == 1) {
		int type = xmlTextReaderNodeType(c.x.rd);
		int depth = xmlTextReaderDepth(c.x.rd);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *name = (const char *)xmlTextReaderConstLocalName(c.x.rd);
			any = true;
			on_element(&c, name ? name : "", depth, xmlTextReaderIsEmptyElement(c.x.rd) == 1);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			on_end(&c, depth);
		}
	}
	if (ret < 0 || c.x.failed) {
		long line = c.x.failed ? c.x.err_line : xmlTextReaderGetParserLineNumber(c.x.rd);
		tr_set_error(r, line, "%s:%ld: malformed XML: %s; counted the lines read before it",
			     r->path, line, c.x.failed ? c.x.err_msg : "parse error");
	} else if (!any) {
		tr_set_error(r, 1, "%s:1: no XML element found", r->path);
	}
	if (c.bad_lines > 1)
		tr_add_warning(r, "%s: %lld <line> elements without a valid line number were ignored",
			       r->path, c.bad_lines);
	if (c.saturated)
		tr_add_warning(r, "%s: some hit counts are larger than 2^64-1; kept as the maximum", r->path);
	free(c.package);
	report_xml_close(&c.x);
	tr_report_finish(r, false);
	return WZ_OK;
}
