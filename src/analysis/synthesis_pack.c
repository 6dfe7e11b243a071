/* synthesis_pack.c - candidates from the pack's wisdom/learnings.md and
 * wisdom/feedback_actions.md (spec/run-artifacts.md §6, §12), each with
 * its file:line and the artifacts it cites as evidence. */
#include "config.h"
#include "analysis/synthesis_internal.h"
#include "sources/md_markers.h"
#include "sources/md_summary.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define EXCERPT_MAX 200

struct line {
	const char *p;
	size_t n;
};

struct doc {
	char *rel;          /* run-relative path actually read */
	char *data;
	struct line *v;
	size_t n;
};

/* ---- helpers shared with synthesis_run.c ---- */

char *syn_run_rel(const char *cited)
{
	struct buf b = {0};
	const char *p = cited ? cited : "";
	const char *runs;
	char *t;
	while (*p == ' ' || *p == '`' || *p == '"' || *p == '\'')
		p++;
	runs = strstr(p, ".runs/");
	if (runs) {
		const char *q = strchr(runs + 6, '/');
		if (q)
			p = q + 1;
	} else if ((runs = strstr(p, "swarm/runs/")) != NULL) {
		const char *q = strchr(runs + 11, '/');
		if (q)
			p = q + 1;
	}
	for (; *p; p++)
		if (*p != '`' && *p != '"')
			buf_putc(&b, *p);
	t = txt_trim_dup(b.p ? b.p : "", b.len);
	buf_free(&b);
	return t;
}

bool syn_cited_exists(const struct run *r, const char *rel)
{
	size_t n = strcspn(rel, "#: (");
	char *path, *full;
	bool ok;
	if (!r || !r->path || n == 0 || strstr(rel, ".."))
		return false;
	path = xstrndup(rel, n);
	full = fio_join(r->path, path);
	ok = fio_is_file(full) || fio_is_dir(full);
	free(full);
	free(path);
	return ok;
}

void syn_ev(struct learning *l, enum fnd_ev_type type, const char *locator, const char *excerpt,
	    const char *analyzer, enum fnd_confidence conf)
{
	struct evidence e;
	char *ex = NULL;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.locator = (char *)locator;
	if (excerpt) {
		size_t n = strcspn(excerpt, "\n");
		ex = txt_trim_dup(excerpt, n > EXCERPT_MAX ? EXCERPT_MAX : n);
	}
	e.excerpt = ex;
	e.analyzer = (char *)analyzer;
	e.confidence = conf;
	learning_add_evidence(l, &e);
	free(ex);
}

void syn_component(struct learning *l, const char *s)
{
	size_t i;
	if (!s || !*s)
		return;
	for (i = 0; i < l->components.n; i++)
		if (strcmp(l->components.v[i], s) == 0)
			return;
	str_list_push(&l->components, s);
}

static bool file_like(const char *w, size_t n)
{
	static const char *const ext[] = {".md", ".json", ".rs", ".py", ".go", ".c", ".h", ".yaml",
					  ".yml", ".toml", ".js", ".ts", ".sh", ".txt", NULL};
	size_t i;
	if (n < 3)
		return false;
	if (memchr(w, '/', n) && memchr(w, '.', n))
		return true;
	for (i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && memcmp(w + n - e, ext[i], e) == 0)
			return true;
	}
	return false;
}

void syn_file_components(struct learning *l, const char *text)
{
	const char *p = text ? text : "";
	while (*p) {
		size_t n;
		p += strspn(p, " \t\r\n`\"'(),;[]");
		n = strcspn(p, " \t\r\n`\"'(),;[]");
		if (!n)
			break;
		while (n && (p[n - 1] == '.' || p[n - 1] == ':'))
			n--;
		if (file_like(p, n)) {
			char *w = xstrndup(p, n);
			char *rel = syn_run_rel(w);
			syn_component(l, rel);
			free(rel);
			free(w);
		}
		p += strcspn(p, " \t\r\n`\"'(),;[]");
	}
}

/* ---- document access ---- */

static bool load_doc(const struct run *r, const char *name, struct doc *d, struct learning_set *s)
{
	char *packrel = xasprintf("wisdom/.pack/%s", name);
	char *full = fio_join(r->path, packrel);
	struct wz_err err;
	size_t len = 0;
	struct txt_lines it;
	const char *lp;
	size_t ln;
	memset(d, 0, sizeof *d);
	wz_err_clear(&err);
	if (fio_is_file(full)) {
		d->rel = packrel;
	} else {
		free(packrel);
		free(full);
		d->rel = xasprintf("wisdom/%s", name);
		full = fio_join(r->path, d->rel);
		if (!fio_is_file(full)) {
			free(full);
			XFREE(&d->rel);
			return false;
		}
	}
	if (fio_read(full, FIO_DEFAULT_MAX, &d->data, &len, &err) != WZ_OK) {
		str_list_push(&s->warnings, err.msg);
		free(full);
		XFREE(&d->rel);
		return false;
	}
	free(full);
	txt_lines_init(&it, d->data, len);
	while (txt_lines_next(&it, &lp, &ln)) {
		d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
		d->v[d->n].p = lp;
		d->v[d->n].n = ln;
		d->n++;
	}
	return true;
}

static void doc_free(struct doc *d)
{
	free(d->rel);
	free(d->data);
	free(d->v);
	memset(d, 0, sizeof *d);
}

static bool is_marker(const struct line *l, enum run_marker mk)
{
	struct mdm_count c;
	mdm_count_pattern(l->p, l->n, mdm_pattern(mk), &c);
	return c.counted == 1;
}

static size_t indent(const struct line *l)
{
	size_t i = 0;
	while (i < l->n && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	return i;
}

static bool blank(const struct line *l)
{
	return indent(l) == l->n;
}

/* Text after `prefix` on line l (prefix known to match), trimmed. */
static char *rest(const struct line *l, size_t skip)
{
	return skip <= l->n ? txt_trim_dup(l->p + skip, l->n - skip) : xstrdup("");
}

/* Skips an id like "ISSUE-DRAFT-001: " or "SUG-001: " at the start of s. */
static const char *skip_id(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = s;
	if (strncmp(p, prefix, n) != 0)
		return s;
	p += n;
	if (!isdigit((unsigned char)*p))
		return s;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == ':')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

static char *locator(const char *rel, int line)
{
	return xasprintf("%s:%d", rel, line);
}

/* Adds the pack line itself as evidence. */
static void self_ev(struct learning *l, const struct doc *d, size_t i)
{
	char *loc = locator(d->rel, (int)i + 1);
	char *ex = txt_trim_dup(d->v[i].p, d->v[i].n);
	syn_ev(l, EV_ARTIFACT, loc, ex, "pack", CONF_MEDIUM);
	free(ex);
	free(loc);
}

/* Adds a cited artifact: "path#heading[: text]", "path (L17, …)",
 * "path (note)", "`path`: text". The locator is the path (with :line or
 * #heading); the rest becomes the excerpt unless one is given. */
static void cited_ev(struct learning *l, const struct run *r, const char *cited, const char *excerpt)
{
	char *rel = syn_run_rel(cited);
	char *loc, *comp, *ex = NULL;
	const char *hash = strchr(rel, '#');
	size_t pn = strcspn(rel, "#: (");
	bool ok = syn_cited_exists(r, rel);
	if (hash) {
		const char *c = strstr(hash, ": ");
		loc = c ? xstrndup(rel, (size_t)(c - rel)) : xstrdup(rel);
		if (c)
			ex = xstrdup(c + 2);
	} else {
		const char *sp = rel + strcspn(rel, " \t");
		const char *lp = strstr(rel, "(L");
		if (lp && isdigit((unsigned char)lp[2]))
			loc = xasprintf("%.*s:%d", (int)pn, rel, atoi(lp + 2));
		else
			loc = xstrndup(rel, (size_t)(sp - rel));
		if (*sp) {
			char *t = txt_trim_dup(sp, strlen(sp));
			size_t tn = strlen(t);
			if (tn >= 2 && t[0] == '(' && t[tn - 1] == ')')
				ex = xstrndup(t + 1, tn - 2);
			else
				ex = xstrdup(t);
			free(t);
		}
	}
	syn_ev(l, EV_ARTIFACT, loc, excerpt ? excerpt : ex, "pack", ok ? CONF_MEDIUM : CONF_LOW);
	comp = xstrndup(rel, pn);
	if (*comp && strcmp(comp, "wisdom/learnings.md") != 0 && strcmp(comp, "wisdom/feedback_actions.md") != 0)
		syn_component(l, comp);
	free(comp);
	free(ex);
	free(loc);
	free(rel);
}

/* Indented `- key: value` sub-item: returns the value when the key matches. */
static char *sub_value(const struct line *l, const char *key)
{
	size_t i = indent(l), k = strlen(key);
	if (i == 0 || i + 2 + k + 1 > l->n || l->p[i] != '-' || l->p[i + 1] != ' ')
		return NULL;
	if (strncmp(l->p + i + 2, key, k) != 0 || l->p[i + 2 + k] != ':')
		return NULL;
	return rest(l, i + 3 + k);
}

static void labels_from(struct learning *l, const char *v)
{
	const char *p = v;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *t = txt_trim_dup(p, n);
		char *u = mds_unquote(t, strlen(t));
		if (*u)
			str_list_push(&l->out_labels, u);
		free(u);
		free(t);
		p += n;
		if (*p == ',')
			p++;
	}
}

/* ---- learnings.md ---- */

static void learning_block(const struct run *r, const struct doc *d, size_t h, size_t end,
			   struct learning_set *s, bool unverified)
{
	struct buf body = {0};
	char *area = rest(&d->v[h], strlen("## Learning: "));
	char *title = NULL, *subject, *section;
	const char *sub = "";
	size_t i, last = end;
	struct learning *l;
	while (last > h + 1 && (blank(&d->v[last - 1]) || (d->v[last - 1].n >= 3 && memcmp(d->v[last - 1].p, "---", 3) == 0)))
		last--;
	for (i = h + 1; i < last; i++) {
		const struct line *x = &d->v[i];
		buf_printf(&body, "%s%.*s", body.len ? "\n" : "", (int)x->n, x->p);
		if (mds_heading_level(x->p, x->n) == 3) {
			sub = x->p + 4;
			continue;
		}
		if (!title && strncmp(sub, "Recommendation", 14) == 0 && x->n > 2 && x->p[0] == '-') {
			char *t = rest(x, 2), *e;
			char *st = t[0] == '*' && t[1] == '*' ? t + 2 : NULL;
			if (st && (e = strstr(st, "**")) != NULL) {
				*e = '\0';
				if (e > st && e[-1] == ':')
					e[-1] = '\0';
				title = xasprintf("%s: %s", area, st);
			} else {
				title = xasprintf("%s: %s", area, t);
			}
			free(t);
		}
	}
	if (!title)
		title = xasprintf("Learning: %s", area);
	subject = xasprintf("learning:%s", area);
	l = syn_candidate(s, LK_PROCESS, LO_LEARNING, subject, r->id, title, body.p);
	l->source_unverified = unverified;
	self_ev(l, d, h);
	sub = "";
	for (i = h + 1; i < last; i++) {
		const struct line *x = &d->v[i];
		if (mds_heading_level(x->p, x->n) == 3) {
			sub = x->p + 4;
			continue;
		}
		if (strncmp(sub, "Evidence", 8) == 0 && x->n > 2 && x->p[0] == '-') {
			char *t = rest(x, 2);
			char *colon = strstr(t, ": ");
			if (colon)
				*colon = '\0';
			cited_ev(l, r, t, colon ? colon + 2 : NULL);
			free(t);
		}
	}
	section = xasprintf("learnings.md ## Learning: %s", area);
	l->out_section = section;
	free(subject);
	free(title);
	free(area);
	buf_free(&body);
}

static void read_learnings(const struct run *r, struct learning_set *s, bool unverified)
{
	struct doc d;
	size_t i, j;
	if (!load_doc(r, "learnings.md", &d, s))
		return;
	for (i = 0; i < d.n; i++) {
		const struct line *x = &d.v[i];
		if (is_marker(x, MK_LEARNING)) {
			for (j = i + 1; j < d.n; j++) {
				int lv = mds_heading_level(d.v[j].p, d.v[j].n);
				if (lv >= 1 && lv <= 2)
					break;
			}
			learning_block(r, &d, i, j, s, unverified);
		} else if (is_marker(x, MK_ACTION)) {
			char *t = rest(x, strlen("- ACTION: "));
			char *subj = xasprintf("action:%s", t);
			struct learning *l = syn_candidate(s, LK_PROCESS, LO_ACTION, subj, r->id, t, t);
			l->source_unverified = unverified;
			self_ev(l, &d, i);
			syn_file_components(l, t);
			l->out_section = xstrdup("learnings.md ## Actions");
			l->out_issue_title = xstrdup(t);
			str_list_push(&l->out_labels, "process");
			free(subj);
			free(t);
		} else if (is_marker(x, MK_PACK_OBS)) {
			char *t = rest(x, strlen("- PACK_OBS: "));
			char *subj = xasprintf("pack_obs:%s", t);
			struct buf body = {0};
			struct learning *l;
			buf_puts(&body, t);
			for (j = i + 1; j < d.n && (blank(&d.v[j]) || indent(&d.v[j]) > 0); j++)
				if (!blank(&d.v[j]))
					buf_printf(&body, "\n%.*s", (int)d.v[j].n, d.v[j].p);
			l = syn_candidate(s, LK_PLAYBOOK_UPDATE, LO_PACK_OBS, subj, r->id, t, body.p);
			l->source_unverified = unverified;
			self_ev(l, &d, i);
			syn_file_components(l, t);
			for (j = i + 1; j < d.n && (blank(&d.v[j]) || indent(&d.v[j]) > 0); j++) {
				char *v = sub_value(&d.v[j], "source");
				if (v)
					cited_ev(l, r, v, NULL);
				free(v);
			}
			l->out_section = xstrdup("learnings.md ## Pack/Flow Observations");
			free(subj);
			free(t);
			buf_free(&body);
		}
	}
	doc_free(&d);
}

/* ---- feedback_actions.md ---- */

/* Body lines and cited evidence of an ISSUE draft or a SUG item. */
static void item_details(const struct run *r, const struct doc *d, size_t i, struct learning *l,
			 struct buf *body, char **target)
{
	size_t j;
	const char *list = NULL;   /* current nested list key */
	for (j = i + 1; j < d->n && (blank(&d->v[j]) || indent(&d->v[j]) > 0); j++) {
		const struct line *x = &d->v[j];
		char *v;
		size_t in = indent(x);
		if (blank(x))
			continue;
		buf_printf(body, "\n%.*s", (int)x->n, x->p);
		if ((v = sub_value(x, "labels")) != NULL) {
			labels_from(l, v);
			list = NULL;
		} else if ((v = sub_value(x, "target_flow")) != NULL) {
			free(*target);
			*target = xstrdup(v);
			list = NULL;
		} else if ((v = sub_value(x, "evidence")) != NULL) {
			if (*v)
				cited_ev(l, r, v, NULL);
			list = "evidence";
		} else if ((v = sub_value(x, "proposed_change")) != NULL) {
			const char *bt = strchr(v, '`');
			if (bt && strchr(bt + 1, '`') && !l->out_playbook)
				l->out_playbook = xstrndup(bt + 1, (size_t)(strchr(bt + 1, '`') - bt - 1));
			list = NULL;
		} else if (in >= 4 && list && x->n > in + 2 && x->p[in] == '-') {
			char *t = rest(x, in + 2);
			cited_ev(l, r, t, NULL);
			free(t);
		} else if (in <= 2) {
			list = NULL;
		}
		free(v);
	}
}

static void read_feedback(const struct run *r, struct learning_set *s, bool unverified)
{
	struct doc d;
	size_t i;
	char *heading = NULL;
	if (!load_doc(r, "feedback_actions.md", &d, s))
		return;
	for (i = 0; i < d.n; i++) {
		const struct line *x = &d.v[i];
		bool issue = is_marker(x, MK_ISSUE), sug = !issue && is_marker(x, MK_SUG);
		struct learning *l;
		struct buf body = {0};
		char *t, *subj, *target = NULL;
		const char *title;
		if (mds_heading_level(x->p, x->n) == 2) {
			free(heading);
			heading = rest(x, 3);
			continue;
		}
		if (!issue && !sug)
			continue;
		t = rest(x, issue ? strlen("- ISSUE: ") : strlen("- [ ] "));
		title = issue ? skip_id(t, "ISSUE-DRAFT-") : skip_id(t, "SUG-");
		subj = xasprintf("%s:%s", issue ? "issue" : "suggestion", title);
		buf_puts(&body, title);
		l = syn_candidate(s, issue ? LK_PROCESS : LK_PLAYBOOK_UPDATE,
				  issue ? LO_ISSUE_DRAFT : LO_SUGGESTION, subj, r->id, title, NULL);
		l->source_unverified = unverified;
		self_ev(l, &d, i);
		item_details(r, &d, i, l, &body, &target);
		free(l->body);
		l->body = buf_detach(&body);
		syn_rehash(l);
		if (target) {
			char *c = xasprintf("flow:%s", target);
			syn_component(l, c);
			free(c);
		}
		if (l->out_playbook)
			syn_component(l, l->out_playbook);
		l->out_section = xasprintf("feedback_actions.md ## %s", heading ? heading : "(top)");
		if (issue) {
			size_t k;
			l->out_issue_title = xstrdup(title);
			for (k = 0; k < l->out_labels.n; k++)
				if (strstr(l->out_labels.v[k], "security"))
					l->severity = SEV_MAJOR;
		}
		free(target);
		free(subj);
		free(t);
	}
	free(heading);
	doc_free(&d);
}

void syn_from_pack(const struct run *r, struct learning_set *s)
{
	bool unverified;
	if (!r || !r->path)
		return;
	unverified = r->flows[FLOW_WISDOM].receipt.status == RS_UNVERIFIED;
	read_learnings(r, s, unverified);
	read_feedback(r, s, unverified);
}
