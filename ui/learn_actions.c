/* learn_actions.c - the Learnings pane's own keys (ui.md §4.2, §4.3):
 * following an evidence line (the artifact at its line or heading, the
 * commit, the pane it came from), decisions, marks, undo/redo,
 * pending-next/prev, edit and note in $EDITOR, diff. Every decision is
 * journalled before the screen changes. */
#define _GNU_SOURCE
#include "config.h"
#include "ui/learn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/tests_analysis.h"
#include "sinks/publish.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

/* ---- following evidence ------------------------------------------------------ */

/* Line (1-based) of the heading (or failing that the first line) holding
 * `what` in the file; 0 when not found. */
static long find_anchor(const char *path, const char *what)
{
	char *data = NULL;
	size_t len = 0;
	struct wz_err err;
	struct txt_lines it;
	const char *ln;
	size_t ll;
	long first = 0, found = 0;
	char *needle = xstrdup(what);
	wz_err_clear(&err);
	if (fio_read(path, FIO_DEFAULT_MAX, &data, &len, &err) != WZ_OK) {
		free(needle);
		return 0;
	}
	txt_lines_init(&it, data, len);
	while (!found && txt_lines_next(&it, &ln, &ll)) {
		char *t = xstrndup(ln, ll);
		if (strcasestr(t, needle)) {
			if (t[0] == '#')
				found = it.lineno;
			else if (!first)
				first = it.lineno;
		}
		free(t);
	}
	free(data);
	free(needle);
	return found ? found : first;
}

static bool follow(struct pane *p, struct lrn_st *s, const struct ui_data *d, const struct evidence *ev,
		   struct pane_req *req)
{
	const char *loc = ev->locator ? ev->locator : "";
	struct wz_err err;
	if (ev->type == EV_ARTIFACT || ev->type == EV_BLAME) {
		size_t n = strcspn(loc, ":#");
		char *rel = xstrndup(loc, n), *base = NULL, *full;
		long lineno = 0;
		if (fio_is_file((full = fio_join(s->inv->run->path, rel))) > 0)
			base = s->inv->run->path;
		else if (s->inv->run->repo_root) {
			free(full);
			full = fio_join(s->inv->run->repo_root, rel);
			if (fio_is_file(full) > 0)
				base = s->inv->run->repo_root;
		}
		if (!base) {
			snprintf(req->msg, sizeof req->msg, "%.200s: no such file in the run or its repository", rel);
			req->msg_error = true;
			free(rel);
			free(full);
			return false;
		}
		if (loc[n] == ':')
			lineno = strtol(loc + n + 1, NULL, 10);
		else if (loc[n] == '#' && loc[n + 1])
			lineno = find_anchor(full, loc + n + 1);
		lrn_follow_clear(s);
		viewer_open(&s->viewer, base, rel, d->tab_size, p->index);
		s->follow = LF_VIEWER;
		s->goto_line = lineno;
		free(rel);
		free(full);
		return true;
	}
	if (ev->type == EV_COMMIT) {
		lrn_follow_clear(s);
		wz_err_clear(&err);
		if (!s->inv->run->repo_root ||
		    ta_show_commit(s->inv->run->repo_root, loc, &s->commit, &err) != WZ_OK) {
			snprintf(req->msg, sizeof req->msg, "commit %.40s: %.180s", loc,
				 s->inv->run->repo_root ? err.msg : "the run has no repository");
			req->msg_error = true;
			return false;
		}
		s->follow = LF_COMMIT;
		return true;
	}
	if (ev->type == EV_TEST || ev->type == EV_PANE) {
		const char *name = ev->type == EV_TEST ? "tests" : loc;
		for (int i = 0; i < PANE_COUNT; i++)
			if (strncmp(pane_table[i]->name, name, strlen(pane_table[i]->name)) == 0) {
				req->goto_pane = i;
				snprintf(req->msg, sizeof req->msg, "%.200s", loc);
				return false;
			}
	}
	snprintf(req->msg, sizeof req->msg, "%s %.200s (nothing to open here)", fnd_ev_type_word(ev->type), loc);
	return false;
}

/* ---- decisions ------------------------------------------------------------- */

static long current(struct pane *p, struct lrn_st *s, const struct pane_view *v)
{
	if (p->depth > 0)
		return s->sel;
	if (v->cursor < s->n)
		return (long)s->items[v->cursor].index;
	return -1;
}

static void short_id(const struct lrn_st *s, long idx, char *out, size_t n)
{
	long pos = lrn_pos_of(s, (size_t)idx);
	snprintf(out, n, "L-%.*s", pos >= 0 ? s->items[pos].prefix : 7, s->inv->set->v[idx].id + 2);
}

static void decide(struct pane *p, struct lrn_st *s, const struct ui_data *d, enum jr_op op, const long *idx,
		   size_t n, struct pane_req *req)
{
	const char **ids = xcalloc(n + 1, sizeof *ids), **hashes = xcalloc(n + 1, sizeof *hashes);
	struct wz_err err;
	static const char *const done[] = {[JR_ACCEPT] = "Accepted", [JR_REJECT] = "Rejected", [JR_RESET] = "Reset"};
	char sid[32];
	for (size_t i = 0; i < n; i++) {
		ids[i] = s->inv->set->v[idx[i]].id;
		hashes[i] = s->inv->set->v[idx[i]].src_hash;
	}
	wz_err_clear(&err);
	if (jr_decide(s->inv->jr, op, ids, n, hashes, NULL, d->now, &err) != WZ_OK) {
		snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
		req->msg_error = true;
	} else {
		lrn_items_refresh(s);
		short_id(s, idx[0], sid, sizeof sid);
		if (n == 1)
			snprintf(req->msg, sizeof req->msg, "%s %s (u undoes)", done[op], sid);
		else
			snprintf(req->msg, sizeof req->msg, "%s %zu learnings as one step (u undoes)", done[op], n);
	}
	free(ids);
	free(hashes);
	(void)p;
}

static void decide_marked(struct pane *p, struct lrn_st *s, const struct ui_data *d, enum jr_op op,
			  struct pane_req *req)
{
	long *idx = xcalloc(s->n + 1, sizeof *idx);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->marked[s->items[i].index])
			idx[k++] = (long)s->items[i].index;
	if (!k) {
		snprintf(req->msg, sizeof req->msg, "No marked learnings: <Space> marks one, * marks all");
		req->msg_error = true;
	} else {
		decide(p, s, d, op, idx, k, req);
		if (!req->msg_error)
			memset(s->marked, 0, s->inv->set->n * sizeof *s->marked);
	}
	free(idx);
}

static void undo_redo(struct lrn_st *s, const struct ui_data *d, bool redo, struct pane_req *req)
{
	struct wz_err err;
	wz_err_clear(&err);
	if ((redo ? jr_redo : jr_undo)(s->inv->jr, d->now, &err) != WZ_OK) {
		snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
		req->msg_error = true;
		return;
	}
	lrn_items_refresh(s);
	snprintf(req->msg, sizeof req->msg, redo ? "Redone (u undoes)" : "Undone (<C-r> redoes)");
}

/* Next (dir 1) or previous pending candidate after the current position. */
static void pending_step(struct pane *p, struct lrn_st *s, struct pane_view *v, int dir, struct pane_req *req)
{
	long pos = p->depth > 0 ? lrn_pos_of(s, (size_t)s->sel) : (long)v->cursor;
	for (long k = 1; k <= (long)s->n; k++) {
		long i = ((pos + dir * k) % (long)s->n + (long)s->n) % (long)s->n;
		if (lrn_pending(&s->items[i])) {
			if (p->depth > 0) {
				lrn_follow_clear(s);
				p->depth = 1;
				s->sel = (long)s->items[i].index;
				memset(&p->view[1], 0, sizeof p->view[1]);
			} else {
				v->cursor = (size_t)i;
			}
			return;
		}
	}
	snprintf(req->msg, sizeof req->msg, "No pending learnings");
}

/* Writes text to a fresh temp file and asks the app to run the editor on it. */
static void start_editor(struct lrn_st *s, long idx, const char *text, int tag, struct pane_req *req)
{
	const char *ed = getenv("VISUAL"), *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/wisdom-edit-XXXXXX.md", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 3);
	size_t len = strlen(text);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
		snprintf(req->msg, sizeof req->msg, "cannot write a temporary file %.120s: %s", path, strerror(errno));
		req->msg_error = true;
		free(path);
		return;
	}
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	free(s->tmp_path);
	free(s->tmp_before);
	s->tmp_path = path;
	s->tmp_before = xstrdup(text);
	s->tmp_len = len;
	s->tmp_sel = idx;
	req->exec = xasprintf("%s \"$1\"", ed && *ed ? ed : "vi");
	req->exec_arg = xstrdup(path);
	req->exec_tag = tag;
}

void lrn_exec_done(struct pane *p, const struct ui_data *d, int tag, int status, struct pane_req *req)
{
	struct lrn_st *s = p->st;
	char *after = NULL;
	size_t len = 0;
	struct wz_err err;
	if (!s->tmp_path)
		return;
	wz_err_clear(&err);
	if (status < 0) {
		snprintf(req->msg, sizeof req->msg, "editor not run in script mode (see the trace); nothing recorded");
	} else if (status != 0) {
		snprintf(req->msg, sizeof req->msg, "the editor exited with %d; nothing recorded", status);
		req->msg_error = true;
	} else if (fio_read(s->tmp_path, FIO_DEFAULT_MAX, &after, &len, &err) != WZ_OK) {
		snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
		req->msg_error = true;
	} else if (len == s->tmp_len && memcmp(after, s->tmp_before, len) == 0) {
		snprintf(req->msg, sizeof req->msg, "Unchanged; nothing recorded");
	} else if (tag == LX_EDIT) {
		const struct learning *l = &s->inv->set->v[s->tmp_sel];
		if (jr_edit(s->inv->jr, l->id, after, l->src_hash, d->now, &err) != WZ_OK) {
			snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
			req->msg_error = true;
		} else {
			lrn_items_refresh(s);
			snprintf(req->msg, sizeof req->msg, "Edited %s (text in wisdom/.edits/)", l->id);
		}
	} else {
		/* a note: the first line that is not a comment */
		struct txt_lines it;
		const char *ln;
		size_t ll;
		char *note = NULL;
		txt_lines_init(&it, after, len);
		while (!note && txt_lines_next(&it, &ln, &ll)) {
			char *t = txt_trim_dup(ln, ll);
			if (t[0] && t[0] != '#')
				note = t;
			else
				free(t);
		}
		if (!note)
			snprintf(req->msg, sizeof req->msg, "Empty note; nothing recorded");
		else if (jr_note(s->inv->jr, JR_NOTE, s->inv->set->v[s->tmp_sel].id, note, d->now, &err) != WZ_OK) {
			snprintf(req->msg, sizeof req->msg, "%.240s", err.msg);
			req->msg_error = true;
		} else {
			snprintf(req->msg, sizeof req->msg, "Note recorded");
		}
		free(note);
	}
	free(after);
	unlink(s->tmp_path);
	free(s->tmp_path);
	free(s->tmp_before);
	s->tmp_path = s->tmp_before = NULL;
}

static void show_diff(struct pane *p, struct lrn_st *s, long idx, struct pane_req *req)
{
	const struct learning *l = &s->inv->set->v[idx];
	char *ed = lrn_edited_text(s, jr_get(s->inv->jr, l->id)), *orig, *df;
	int a = 0, r = 0;
	if (!ed) {
		snprintf(req->msg, sizeof req->msg, "Not edited: nothing to compare (e edits)");
		return;
	}
	orig = lrn_edit_text(l);
	df = pub_unified_diff(l->id, orig, ed, &a, &r);
	lrn_follow_clear(s);
	s->follow = LF_TEXT;
	s->text_title = xasprintf("diff %s: proposed %s edited (+%d -%d)", l->id, ui_glyph(G_ARROW), a, r);
	s->text = df ? df : xstrdup("(no difference)");
	s->sel = idx;
	p->depth = 2;
	memset(&p->view[2], 0, sizeof p->view[2]);
	free(orig);
	free(ed);
}

bool lrn_action(struct pane *p, const struct ui_data *d, enum km_action act, struct pane_view *v,
		struct pane_req *req)
{
	struct lrn_st *s = p->st;
	long idx;
	bool learning_act = act == ACT_LEARNING_ACCEPT || act == ACT_LEARNING_REJECT || act == ACT_LEARNING_EDIT ||
			    act == ACT_LEARNING_UNDO || act == ACT_LEARNING_REDO || act == ACT_ACCEPT_MARKED ||
			    act == ACT_REJECT_MARKED || act == ACT_LEARNING_NOTE || act == ACT_LEARNING_RESET ||
			    act == ACT_PENDING_NEXT || act == ACT_PENDING_PREV || act == ACT_DIFF || act == ACT_MARK ||
			    act == ACT_MARK_ALL;

	if (act == ACT_ENTER && p->depth == 1 && s->inv) {
		long pos = lrn_pos_of(s, (size_t)s->sel);
		if (pos >= 0 && v->cursor < 100000) {
			/* the evidence rows are keyed by their index; find it */
			struct pane_frame f;
			memset(&f, 0, sizeof f);
			lrn_build_detail(p, s, d, &f);
			if (v->cursor < frame_n(&f) && frame_row(&f, v->cursor)->selectable) {
				int k = frame_row(&f, v->cursor)->key;
				const struct learning *l = s->items[pos].l;
				if (k >= 0 && (size_t)k < l->nev && follow(p, s, d, &l->ev[k], req)) {
					p->depth = 2;
					memset(&p->view[2], 0, sizeof p->view[2]);
				}
			} else {
				snprintf(req->msg, sizeof req->msg, "Move to an evidence line to follow it");
			}
			pane_frame_free(&f);
		}
		s->acted = true;
		return true;
	}
	if (!learning_act)
		return false;
	s->acted = true;
	if (!s->inv || s->busy) {
		snprintf(req->msg, sizeof req->msg, s->busy ? "Publishing: decisions wait until it ends"
							     : "The learnings are still being assembled");
		return true;
	}
	idx = current(p, s, v);
	if ((act == ACT_LEARNING_ACCEPT || act == ACT_LEARNING_REJECT || act == ACT_LEARNING_RESET ||
	     act == ACT_ACCEPT_MARKED || act == ACT_REJECT_MARKED || act == ACT_LEARNING_UNDO ||
	     act == ACT_LEARNING_REDO || act == ACT_LEARNING_EDIT || act == ACT_LEARNING_NOTE) &&
	    !lrn_writable(s, req->msg, sizeof req->msg)) {
		req->msg_error = true;
		return true;
	}
	switch (act) {
	case ACT_LEARNING_ACCEPT:
	case ACT_LEARNING_REJECT:
	case ACT_LEARNING_RESET:
		if (idx < 0)
			break;
		decide(p, s, d, act == ACT_LEARNING_ACCEPT ? JR_ACCEPT : act == ACT_LEARNING_REJECT ? JR_REJECT : JR_RESET,
		       &idx, 1, req);
		break;
	case ACT_ACCEPT_MARKED:
	case ACT_REJECT_MARKED:
		decide_marked(p, s, d, act == ACT_ACCEPT_MARKED ? JR_ACCEPT : JR_REJECT, req);
		break;
	case ACT_LEARNING_UNDO:
	case ACT_LEARNING_REDO:
		undo_redo(s, d, act == ACT_LEARNING_REDO, req);
		break;
	case ACT_MARK:
		if (p->depth == 0 && idx >= 0) {
			s->marked[idx] = !s->marked[idx];
			if (v->cursor + 1 < s->n)
				v->cursor++;
		}
		break;
	case ACT_MARK_ALL:
		if (p->depth == 0) {
			bool all = true;
			for (size_t i = 0; i < s->inv->set->n; i++)
				all &= s->marked[i];
			for (size_t i = 0; i < s->inv->set->n; i++)
				s->marked[i] = !all;
			snprintf(req->msg, sizeof req->msg, all ? "Marks cleared" : "Marked all %zu", s->inv->set->n);
		}
		break;
	case ACT_PENDING_NEXT:
	case ACT_PENDING_PREV:
		if (s->n)
			pending_step(p, s, v, act == ACT_PENDING_NEXT ? 1 : -1, req);
		break;
	case ACT_LEARNING_EDIT:
		if (idx >= 0) {
			const struct learning *l = &s->inv->set->v[idx];
			char *ed = lrn_edited_text(s, jr_get(s->inv->jr, l->id)), *t = ed ? ed : lrn_edit_text(l);
			if (s->inv->jr->read_only) {
				snprintf(req->msg, sizeof req->msg, "read-only (RO): another wisdom holds the journal");
				req->msg_error = true;
			} else {
				start_editor(s, idx, t, LX_EDIT, req);
			}
			free(t);
		}
		break;
	case ACT_LEARNING_NOTE:
		if (idx >= 0) {
			char *t = xasprintf("\n# One line: why (for %s). Lines starting with # are ignored.\n",
					    s->inv->set->v[idx].id);
			if (s->inv->jr->read_only) {
				snprintf(req->msg, sizeof req->msg, "read-only (RO): another wisdom holds the journal");
				req->msg_error = true;
			} else {
				start_editor(s, idx, t, LX_NOTE, req);
			}
			free(t);
		}
		break;
	case ACT_DIFF:
		if (idx >= 0)
			show_diff(p, s, idx, req);
		break;
	default:
		break;
	}
	return true;
}
