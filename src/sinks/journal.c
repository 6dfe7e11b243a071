/* journal.c - append-only decisions journal with fsync per record,
 * undo/redo records and a lock; reading it back (torn tail, damaged
 * middle) is in journal_read.c. */
#include "config.h"
#include "sinks/journal.h"
#include "sinks/journal_internal.h"
#include "sources/secrets.h"
#include "util/redact.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define JR_LOCK "wisdom/.decisions.lock"

static const char *const op_words[] = {
#define JR_X(e, w) [e] = w,
	JR_OP_TABLE(JR_X)
#undef JR_X
};

static const struct { const char *w, *m, *l; } st_tab[] = {
#define JR_X(e, w, m, l) [e] = {w, m, l},
	JR_STATE_TABLE(JR_X)
#undef JR_X
};

const char *jr_op_word(enum jr_op op) { return (unsigned)op < JR_OP_COUNT ? op_words[op] : "?"; }
const char *jr_state_word(enum jr_state s) { return (unsigned)s < JR_STATE_COUNT ? st_tab[s].w : "?"; }
const char *jr_state_mark(enum jr_state s) { return (unsigned)s < JR_STATE_COUNT ? st_tab[s].m : "?"; }
const char *jr_state_label(enum jr_state s) { return (unsigned)s < JR_STATE_COUNT ? st_tab[s].l : "?"; }

int jr_op_parse(const char *w)
{
	int i;
	for (i = 0; w && i < JR_OP_COUNT; i++)
		if (strcmp(w, op_words[i]) == 0)
			return i;
	return -1;
}

int jr_state_parse(const char *w)
{
	int i;
	for (i = 0; w && i < JR_STATE_COUNT; i++)
		if (strcmp(w, st_tab[i].w) == 0)
			return i;
	return -1;
}

static bool is_decision(enum jr_op op)
{
	return op == JR_ACCEPT || op == JR_REJECT || op == JR_EDIT || op == JR_RESET;
}

enum jr_state jr_state_after(enum jr_op op)
{
	switch (op) {
	case JR_ACCEPT: return JR_ACCEPTED;
	case JR_REJECT: return JR_REJECTED;
	case JR_EDIT: return JR_EDITED;
	default: return JR_PROPOSED;
	}
}

void jr_rec_clear(struct jr_rec *r)
{
	free(r->id);
	free(r->reason);
	free(r->edit_file);
	free(r->src_hash);
	free(r->note);
	memset(r, 0, sizeof *r);
}

static struct jr_entry *entry(struct journal *j, const char *id, bool create)
{
	size_t i;
	struct jr_entry *e;
	for (i = 0; i < j->nents; i++)
		if (strcmp(j->ents[i].id, id) == 0)
			return &j->ents[i];
	if (!create)
		return NULL;
	j->ents = xgrow(j->ents, &j->capents, j->nents + 1, sizeof *j->ents);
	e = &j->ents[j->nents++];
	memset(e, 0, sizeof *e);
	e->id = xstrdup(id);
	return e;
}

static void push(long **v, size_t *n, size_t *cap, long g)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = g;
}

static void set_str(char **dst, const char *s)
{
	if (s) {
		free(*dst);
		*dst = xstrdup(s);
	}
}

/* Applies a record (copied in) to the replayed view. */
void jr_apply(struct journal *j, const struct jr_rec *in)
{
	struct jr_rec *r;
	struct jr_entry *e;
	j->recs = xgrow(j->recs, &j->cap, j->n + 1, sizeof *j->recs);
	r = &j->recs[j->n++];
	*r = *in;
	r->id = xstrdup(in->id);
	r->reason = xstrdup(in->reason);
	r->edit_file = xstrdup(in->edit_file);
	r->src_hash = xstrdup(in->src_hash);
	r->note = xstrdup(in->note);
	if (r->seq >= j->next_seq)
		j->next_seq = r->seq + 1;
	if (r->group >= j->next_group)
		j->next_group = r->group + 1;
	if (!r->id)
		return;
	e = entry(j, r->id, true);
	e->last_seq = r->seq;
	if (r->op == JR_NOTE || r->op == JR_PUBLISH) {
		char *n = xasprintf("%s %s", jr_op_word(r->op), r->note ? r->note : (r->reason ? r->reason : ""));
		str_list_push(&e->notes, n);
		free(n);
		set_str(&e->reason, r->reason);
		return;
	}
	e->state = r->state;
	set_str(&e->src_hash, r->src_hash);
	if (r->op == JR_EDIT)
		set_str(&e->edit_file, r->edit_file);
	if (r->op == JR_REJECT)
		set_str(&e->reason, r->reason);
	if (is_decision(r->op)) {
		if (!(j->nundo && j->undo[j->nundo - 1] == r->group)) {
			push(&j->undo, &j->nundo, &j->capundo, r->group);
			j->nredo = 0;
		}
	} else if (r->op == JR_UNDO) {
		if (j->nundo && j->undo[j->nundo - 1] == r->target) {
			j->nundo--;
			push(&j->redo, &j->nredo, &j->capredo, r->target);
		}
	} else if (r->op == JR_REDO) {
		if (j->nredo && j->redo[j->nredo - 1] == r->target) {
			j->nredo--;
			push(&j->undo, &j->nundo, &j->capundo, r->target);
		}
	}
}

enum wz_status jr_open(const char *run_path, bool want_write, struct journal **out, struct wz_err *err)
{
	struct journal *j;
	char *wdir, *lock;
	enum wz_status st;
	*out = NULL;
	if (!run_path || !fio_is_dir(run_path))
		return wz_err_set(err, WZ_ENOTDIR, "%s: not a run folder; pass a run id or folder",
				  run_path ? run_path : "(none)");
	j = xcalloc(1, sizeof *j);
	j->fd = j->lock_fd = -1;
	j->next_seq = j->next_group = 1;
	j->run_path = xstrdup(run_path);
	j->path = fio_join(run_path, JR_FILE);
	j->read_only = !want_write;
	wdir = fio_join(run_path, "wisdom");
	if (want_write && fio_mkdirs(wdir, 0777, err) != WZ_OK) {
		j->read_only = true;
		str_list_push(&j->messages, err->msg);
		wz_err_clear(err);
	}
	free(wdir);
	if (!j->read_only) {
		lock = fio_join(run_path, JR_LOCK);
		j->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (j->lock_fd < 0 || flock(j->lock_fd, LOCK_EX | LOCK_NB) != 0) {
			char *m = xasprintf("%s is held by another wisdom (or cannot be opened: %s): read-only (RO)",
					    JR_LOCK, strerror(errno));
			str_list_push(&j->messages, m);
			free(m);
			if (j->lock_fd >= 0)
				close(j->lock_fd);
			j->lock_fd = -1;
			j->read_only = true;
		}
		free(lock);
	}
	st = jr_replay(j, err);
	if (st != WZ_OK) {
		jr_close(&j);
		return st;
	}
	if (!j->read_only) {
		j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (j->fd < 0) {
			char *m = xasprintf("%s: cannot open for appending (%s): read-only (RO)", JR_FILE, strerror(errno));
			str_list_push(&j->messages, m);
			free(m);
			j->read_only = true;
		}
	}
	*out = j;
	return WZ_OK;
}

void jr_close(struct journal **jp)
{
	struct journal *j;
	size_t i;
	if (!jp || !*jp)
		return;
	j = *jp;
	if (j->fd >= 0)
		close(j->fd);
	if (j->lock_fd >= 0) {
		flock(j->lock_fd, LOCK_UN);
		close(j->lock_fd);
	}
	for (i = 0; i < j->n; i++)
		jr_rec_clear(&j->recs[i]);
	free(j->recs);
	for (i = 0; i < j->nents; i++) {
		free(j->ents[i].id);
		free(j->ents[i].src_hash);
		free(j->ents[i].edit_file);
		free(j->ents[i].reason);
		str_list_free(&j->ents[i].notes);
	}
	free(j->ents);
	free(j->undo);
	free(j->redo);
	str_list_free(&j->messages);
	redact_free(&j->rd);
	free(j->path);
	free(j->run_path);
	free(j);
	*jp = NULL;
}

/* A redacted copy of text a person typed (edits, reasons, notes): the run
 * folder is often committed, so no secret may reach it. The redactor is
 * built on first use and kept with the journal. NULL stays NULL. */
static char *scrub(struct journal *j, const char *text)
{
	struct wz_err warn;
	if (!text)
		return NULL;
	if (!j->rd)
		j->rd = secrets_redactor(NULL, &warn);
	return redact_str(j->rd, text);
}

static void put_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

enum wz_status jr_append(struct journal *j, struct jr_rec *rec, struct wz_err *err)
{
	json_t *o;
	char *text, *reason, *note;
	struct buf b = {0};
	size_t done = 0;
	off_t before;
	if (!j || j->read_only || j->fd < 0)
		return wz_err_set(err, WZ_EACCES,
				  "%s is read-only here (another wisdom holds %s); close it and retry", JR_FILE, JR_LOCK);
	rec->seq = j->next_seq;
	if (!rec->group)
		rec->group = j->next_group;
	o = json_object();
	json_object_set_new(o, "seq", json_integer(rec->seq));
	json_object_set_new(o, "time", isnan(rec->time) ? json_null() : json_real(rec->time));
	put_str(o, "id", rec->id);
	json_object_set_new(o, "op", json_string(jr_op_word(rec->op)));
	json_object_set_new(o, "prev", json_string(jr_state_word(rec->prev)));
	json_object_set_new(o, "state", json_string(jr_state_word(rec->state)));
	reason = scrub(j, rec->reason);
	note = scrub(j, rec->note);
	put_str(o, "reason", reason);
	put_str(o, "edit_file", rec->edit_file);
	json_object_set_new(o, "group", json_integer(rec->group));
	if (rec->target)
		json_object_set_new(o, "target", json_integer(rec->target));
	put_str(o, "src_hash", rec->src_hash);
	put_str(o, "note", note);
	free(reason);
	free(note);
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!text)
		return wz_err_set(err, WZ_EWRITE, "%s: cannot encode the record", JR_FILE);
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	free(text);
	before = lseek(j->fd, 0, SEEK_END);
	while (done < b.len) {
		ssize_t w = write(j->fd, b.p + done, b.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			if (before >= 0 && ftruncate(j->fd, before) != 0) {
				/* nothing more to do: the replay skips a torn tail */
			}
			buf_free(&b);
			return wz_err_set(err, WZ_EWRITE, "%s: cannot append the decision: %s (nothing recorded)",
					  j->path, strerror(e));
		}
		done += (size_t)w;
	}
	buf_free(&b);
	if (fsync(j->fd) != 0)
		return wz_err_set(err, WZ_EWRITE, "%s: fsync failed: %s (the decision may not be on disk)", j->path,
				  strerror(errno));
	jr_apply(j, rec);
	return WZ_OK;
}

const struct jr_entry *jr_get(const struct journal *j, const char *id)
{
	return j && id ? entry((struct journal *)j, id, false) : NULL;
}

static enum jr_state current(const struct journal *j, const char *id)
{
	const struct jr_entry *e = jr_get(j, id);
	return e ? e->state : JR_PROPOSED;
}

enum wz_status jr_decide(struct journal *j, enum jr_op op, const char *const *ids, size_t n,
			 const char *const *src_hashes, const char *reason, double t, struct wz_err *err)
{
	long group;
	size_t i;
	if (!j || j->read_only)
		return jr_append(j, &(struct jr_rec){0}, err);
	if (!is_decision(op) || op == JR_EDIT)
		return wz_err_set(err, WZ_EUSAGE, "jr_decide: %s is not accept/reject/reset", jr_op_word(op));
	group = j->next_group;
	for (i = 0; i < n; i++) {
		struct jr_rec r;
		enum wz_status st;
		memset(&r, 0, sizeof r);
		r.time = t;
		r.id = (char *)ids[i];
		r.op = op;
		r.prev = current(j, ids[i]);
		r.state = jr_state_after(op);
		r.reason = (char *)reason;
		r.group = group;
		r.src_hash = src_hashes ? (char *)src_hashes[i] : NULL;
		st = jr_append(j, &r, err);
		if (st != WZ_OK)
			return st;
	}
	return WZ_OK;
}

static bool safe_id(const char *id)
{
	size_t i;
	if (!id || !*id || strlen(id) > 64)
		return false;
	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return false;
	return true;
}

enum wz_status jr_edit(struct journal *j, const char *id, const char *text, const char *src_hash,
		       double t, struct wz_err *err)
{
	char *rel, *full, *dir;
	struct jr_rec r;
	enum wz_status st;
	if (!j || j->read_only)
		return jr_append(j, &(struct jr_rec){0}, err);
	if (!safe_id(id))
		return wz_err_set(err, WZ_EUSAGE, "edit: '%s' is not a learning id", id ? id : "");
	rel = xasprintf("wisdom/.edits/%s.md", id);
	full = fio_join(j->run_path, rel);
	dir = fio_join(j->run_path, "wisdom/.edits");
	st = fio_mkdirs(dir, 0777, err);
	if (st == WZ_OK) {
		char *clean = scrub(j, text ? text : "");
		st = fio_write_atomic(full, clean, strlen(clean), err);
		free(clean);
	}
	if (st == WZ_OK) {
		memset(&r, 0, sizeof r);
		r.time = t;
		r.id = (char *)id;
		r.op = JR_EDIT;
		r.prev = current(j, id);
		r.state = JR_EDITED;
		r.edit_file = rel;
		r.src_hash = (char *)src_hash;
		st = jr_append(j, &r, err);
	}
	free(dir);
	free(full);
	free(rel);
	return st;
}

enum wz_status jr_note(struct journal *j, enum jr_op op, const char *id, const char *note, double t,
		       struct wz_err *err)
{
	struct jr_rec r;
	if (op != JR_NOTE && op != JR_PUBLISH)
		return wz_err_set(err, WZ_EUSAGE, "jr_note: %s is not note/publish", jr_op_word(op));
	memset(&r, 0, sizeof r);
	r.time = t;
	r.id = (char *)id;
	r.op = op;
	r.prev = r.state = current(j, id);
	r.note = (char *)note;
	return jr_append(j, &r, err);
}

/* Appends one undo (or redo) record per record of group g. */
static enum wz_status replay_group(struct journal *j, long g, bool undo, double t, struct wz_err *err)
{
	long ng = j->next_group;
	size_t i, n = j->n, k;
	for (k = 0; k < n; k++) {
		struct jr_rec r, *src;
		enum wz_status st;
		i = undo ? n - 1 - k : k;
		src = &j->recs[i];
		if (src->group != g || !is_decision(src->op) || !src->id)
			continue;
		memset(&r, 0, sizeof r);
		r.time = t;
		r.id = src->id;
		r.op = undo ? JR_UNDO : JR_REDO;
		r.prev = current(j, src->id);
		r.state = undo ? src->prev : src->state;
		r.group = ng;
		r.target = g;
		r.src_hash = src->src_hash;
		r.edit_file = undo ? NULL : src->edit_file;
		st = jr_append(j, &r, err);
		if (st != WZ_OK)
			return st;
	}
	return WZ_OK;
}

enum wz_status jr_undo(struct journal *j, double t, struct wz_err *err)
{
	if (!j || j->read_only)
		return jr_append(j, &(struct jr_rec){0}, err);
	if (!j->nundo)
		return wz_err_set(err, WZ_ENOENT, "nothing to undo in %s", JR_FILE);
	return replay_group(j, j->undo[j->nundo - 1], true, t, err);
}

enum wz_status jr_redo(struct journal *j, double t, struct wz_err *err)
{
	if (!j || j->read_only)
		return jr_append(j, &(struct jr_rec){0}, err);
	if (!j->nredo)
		return wz_err_set(err, WZ_ENOENT, "nothing to redo in %s", JR_FILE);
	return replay_group(j, j->redo[j->nredo - 1], false, t, err);
}

enum jr_state jr_state_of(const struct journal *j, const char *id, const struct str_list *merged,
			  const char *src_hash_now, bool *delta)
{
	const struct jr_entry *e = jr_get(j, id);
	size_t i;
	if (delta)
		*delta = false;
	if (merged)
		for (i = 0; i < merged->n; i++) {
			const struct jr_entry *m = jr_get(j, merged->v[i]);
			if (m && (!e || m->last_seq > e->last_seq))
				e = m;
		}
	if (!e)
		return JR_PROPOSED;
	if (delta && e->state != JR_PROPOSED && e->src_hash && src_hash_now &&
	    strcmp(e->src_hash, src_hash_now) != 0)
		*delta = true;
	return e->state;
}
