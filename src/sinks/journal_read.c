/* journal_read.c - replays the decisions journal (see journal.h): one
 * JSON record per line; a torn last line is skipped and cut off, a damaged
 * line with good lines after it stops the replay, and the writer sets the
 * file aside and keeps the good prefix. */
#include "config.h"
#include "sinks/journal.h"
#include "sinks/journal_internal.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Parses one journal line; false when it is not a valid record. */
static bool parse_line(const char *p, size_t n, struct jr_rec *r)
{
	json_error_t je;
	json_t *o = json_loadb(p, n, 0, &je);
	int op, st, pv;
	bool ok = false;
	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		goto out;
	op = jr_op_parse(jstr(o, "op"));
	if (op < 0 || !json_is_integer(json_object_get(o, "seq")))
		goto out;
	r->op = (enum jr_op)op;
	r->seq = (long)json_integer_value(json_object_get(o, "seq"));
	r->time = json_is_number(json_object_get(o, "time")) ? json_number_value(json_object_get(o, "time")) : NAN;
	r->group = json_is_integer(json_object_get(o, "group")) ? (long)json_integer_value(json_object_get(o, "group")) : r->seq;
	r->target = json_is_integer(json_object_get(o, "target")) ? (long)json_integer_value(json_object_get(o, "target")) : 0;
	/* counters past 2^52 are damage, not history: the next seq/group
	 * (value + 1) would overflow */
	if (r->seq > JR_COUNTER_MAX || r->seq < -JR_COUNTER_MAX || r->group > JR_COUNTER_MAX ||
	    r->group < -JR_COUNTER_MAX || r->target > JR_COUNTER_MAX || r->target < -JR_COUNTER_MAX)
		goto out;
	st = jr_state_parse(jstr(o, "state"));
	pv = jr_state_parse(jstr(o, "prev"));
	r->state = st >= 0 ? (enum jr_state)st : jr_state_after(r->op);
	r->prev = pv >= 0 ? (enum jr_state)pv : JR_PROPOSED;
	r->id = xstrdup(jstr(o, "id"));
	if (!r->id && r->op != JR_NOTE)
		goto out;
	r->reason = xstrdup(jstr(o, "reason"));
	r->edit_file = xstrdup(jstr(o, "edit_file"));
	r->src_hash = xstrdup(jstr(o, "src_hash"));
	r->note = xstrdup(jstr(o, "note"));
	ok = true;
out:
	json_decref(o);
	if (!ok)
		jr_rec_clear(r);
	return ok;
}

static bool blank_line(const char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/* Sets the damaged file aside and writes the good prefix back. */
static void set_aside(struct journal *j, const char *data, size_t good, int lineno)
{
	struct wz_err err;
	char *aside = NULL;
	int k;
	for (k = 1; k < 1000; k++) {
		struct stat st;
		free(aside);
		aside = xasprintf("%s.damaged-%d", j->path, k);
		if (lstat(aside, &st) != 0)
			break;
	}
	wz_err_clear(&err);
	if (rename(j->path, aside) != 0) {
		char *m = xasprintf("%s:%d: damaged line; could not set the file aside (%s); fix or move it by hand",
				    JR_FILE, lineno, strerror(errno));
		str_list_push(&j->messages, m);
		free(m);
	} else if (fio_write_atomic(j->path, data, good, &err) != WZ_OK) {
		str_list_push(&j->messages, err.msg);
	} else {
		char *m = xasprintf("%s:%d: damaged line: replay stopped there; the file was set aside as %s.damaged-%d "
				    "and the %zu records before it were kept", JR_FILE, lineno, JR_FILE, k, j->n);
		str_list_push(&j->messages, m);
		free(m);
	}
	free(aside);
}

enum wz_status jr_replay(struct journal *j, struct wz_err *err)
{
	char *data = NULL;
	size_t len = 0, off = 0, good = 0;
	int lineno = 0;
	enum wz_status st;
	st = fio_read(j->path, FIO_DEFAULT_MAX, &data, &len, err);
	if (st == WZ_ENOENT) {
		wz_err_clear(err);
		return WZ_OK;
	}
	if (st != WZ_OK)
		return st;
	while (off < len) {
		const char *p = data + off;
		const char *nl = memchr(p, '\n', len - off);
		size_t n = nl ? (size_t)(nl - p) : len - off;
		struct jr_rec r;
		lineno++;
		if (!nl) {
			char *m = xasprintf("%s:%d: torn last line (%zu bytes, no newline) skipped: that decision was "
					    "never confirmed", JR_FILE, lineno, n);
			str_list_push(&j->messages, m);
			free(m);
			break;
		}
		if (blank_line(p, n)) {
			off += n + 1;
			good = off;
			continue;
		}
		if (!parse_line(p, n, &r)) {
			if (off + n + 1 >= len) {
				char *m = xasprintf("%s:%d: unreadable last line skipped", JR_FILE, lineno);
				str_list_push(&j->messages, m);
				free(m);
				break;
			}
			if (!j->read_only) {
				set_aside(j, data, good, lineno);
			} else {
				char *m = xasprintf("%s:%d: damaged line: replay stopped there (read-only: file left as is)",
						    JR_FILE, lineno);
				str_list_push(&j->messages, m);
				free(m);
			}
			free(data);
			return WZ_OK;
		}
		jr_apply(j, &r);
		jr_rec_clear(&r);
		off += n + 1;
		good = off;
	}
	if (good < len && !j->read_only) {
		if (truncate(j->path, (off_t)good) != 0) {
			free(data);
			return wz_err_set(err, WZ_EWRITE, "%s: cannot cut the torn last line: %s", j->path, strerror(errno));
		}
	}
	free(data);
	return WZ_OK;
}
