/* cmd_review.c - `wisdom review [RUN] --list [--json] | --accept ID… |
 * --reject ID… | --edit ID`: headless decisions on learning candidates,
 * written to the same journal as the console (design/ui.md §4.1, §4.3).
 *
 * IDs are matched by prefix, with or without the `L-`; extra IDs may follow
 * as positional arguments (an argument starting with `L-` is an ID, the
 * first other one is RUN). Every decision is fsynced before its line is
 * printed. Exit: 0 ok, 2 usage, unknown or ambiguous ID, read-only journal
 * or input error. */
#include "config.h"
#include "cli/cli.h"
#include "analysis/audit.h"
#include "analysis/playbook.h"
#include "analysis/synthesis.h"
#include "sinks/journal.h"
#include "sinks/report_json.h"
#include "sinks/report_learn.h"
#include "sinks/report_text.h"
#include "sources/runs.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct review {
	struct run *run;
	struct learning_set *set;
	struct journal *jr;
	const char *run_spec;
	struct str_list ids;      /* ID arguments, in order */
};

struct row {
	const struct learning *l;
	enum jr_state state;
	bool delta;
	int prefix;               /* hex digits shown */
};

static void review_free(struct review *rv)
{
	jr_close(&rv->jr);
	learning_set_free(&rv->set);
	run_free(&rv->run);
	str_list_free(&rv->ids);
}

static bool id_like(const char *s)
{
	return s[0] == 'L' && s[1] == '-';
}

static int split_args(const struct cli_opts *o, struct review *rv)
{
	int i;
	if (o->accept)
		str_list_push(&rv->ids, o->accept);
	if (o->reject)
		str_list_push(&rv->ids, o->reject);
	if (o->edit)
		str_list_push(&rv->ids, o->edit);
	for (i = 0; i < o->nargs; i++) {
		if (id_like(o->args[i])) {
			str_list_push(&rv->ids, o->args[i]);
		} else if (!rv->run_spec) {
			rv->run_spec = o->args[i];
		} else {
			fprintf(stderr, "wisdom review: unexpected argument '%s' (one RUN; IDs start with L-)\n",
				o->args[i]);
			return 2;
		}
	}
	return 0;
}

static int load(const struct cli_opts *o, struct review *rv, bool write)
{
	struct wz_err err;
	struct audit *a;
	struct syn_input in;
	struct finding **pf = NULL;
	size_t npf = 0, i;
	wz_err_clear(&err);
	if (runs_open(rv->run_spec, o->repo, &rv->run, &err) != WZ_OK || !rv->run) {
		fprintf(stderr, "wisdom review: %s\n", err.msg[0] ? err.msg : "no run found");
		return 2;
	}
	a = audit_run(rv->run);
	if (rv->run->repo_root)
		pb_scan_root(rv->run, &pf, &npf);
	memset(&in, 0, sizeof in);
	in.run = rv->run;
	in.audit = a;
	in.findings = (const struct finding *const *)pf;
	in.nfindings = npf;
	rv->set = syn_build(&in);
	for (i = 0; i < npf; i++)
		finding_free(&pf[i]);
	free(pf);
	audit_free(&a);
	if (jr_open(rv->run->path, write, &rv->jr, &err) != WZ_OK) {
		fprintf(stderr, "wisdom review: %s\n", err.msg);
		return 2;
	}
	for (i = 0; i < rv->jr->messages.n; i++) {
		char *m = rtext_safe(rv->jr->messages.v[i], rtext_locale_utf8());
		if (write || !strstr(m, "read-only"))
			fprintf(stderr, "wisdom review: %s\n", m);
		free(m);
	}
	return 0;
}

static bool pending(const struct row *r)
{
	return r->state == JR_PROPOSED || r->delta;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	if (pending(a) != pending(b))
		return pending(a) ? -1 : 1;
	if (a->l->severity != b->l->severity)
		return a->l->severity > b->l->severity ? -1 : 1;
	return strcmp(a->l->id, b->l->id);
}

static struct row *rows_of(const struct review *rv)
{
	struct row *rows = xcalloc(rv->set->n ? rv->set->n : 1, sizeof *rows);
	size_t i;
	for (i = 0; i < rv->set->n; i++) {
		const struct learning *l = &rv->set->v[i];
		rows[i].l = l;
		rows[i].state = jr_state_of(rv->jr, l->id, &l->merged_ids, l->src_hash, &rows[i].delta);
		rows[i].prefix = learning_set_prefix(rv->set, i);
	}
	if (rv->set->n > 1)
		qsort(rows, rv->set->n, sizeof *rows, cmp_rows);
	return rows;
}

/* The report's object for this candidate (same keys, same journal state),
 * plus what only the review list shows: the subject key and merged ids. */
static json_t *learning_json(const struct review *rv, const struct row *r)
{
	const struct learning *l = r->l;
	json_t *o = rlearn_one(rv->set, (size_t)(l - rv->set->v), rv->jr), *mid = json_array();
	json_object_set_new(o, "subject", rjson_str(l->subject));
	for (size_t i = 0; i < l->merged_ids.n; i++)
		json_array_append_new(mid, json_string(l->merged_ids.v[i]));
	json_object_set_new(o, "merged_ids", mid);
	return o;
}

static int do_list(const struct cli_opts *o, struct review *rv)
{
	struct row *rows = rows_of(rv);
	bool utf8 = rtext_locale_utf8();
	size_t i, decided = 0, gone = 0;
	for (i = 0; i < rv->set->n; i++)
		decided += !pending(&rows[i]);
	for (i = 0; i < rv->jr->nents; i++)
		if (rv->jr->ents[i].state != JR_PROPOSED && learning_set_find(rv->set, rv->jr->ents[i].id) < 0)
			gone++;
	if (CLI_FLAG(o, json)) {
		json_t *doc = json_object(), *arr = json_array();
		char *s;
		for (i = 0; i < rv->set->n; i++)
			json_array_append_new(arr, learning_json(rv, &rows[i]));
		json_object_set_new(doc, "run", rjson_str(rv->run->id));
		json_object_set_new(doc, "read_only", json_boolean(rv->jr->read_only));
		json_object_set_new(doc, "decided", json_integer((json_int_t)decided));
		json_object_set_new(doc, "pending", json_integer((json_int_t)(rv->set->n - decided)));
		json_object_set_new(doc, "decisions_on_missing_ids", json_integer((json_int_t)gone));
		json_object_set_new(doc, "learnings", arr);
		s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
		json_decref(doc);
	} else {
		printf("%-18s %-10s %-12s %-8s %-6s %3s  %s\n", "ID", "STATE", "KIND", "SEV", "CONF", "EV", "TITLE");
		for (i = 0; i < rv->set->n; i++) {
			const struct row *r = &rows[i];
			char *t = rtext_safe(r->l->title, utf8);
			char st[24];
			snprintf(st, sizeof st, "%s%s", jr_state_label(r->state), r->delta ? (utf8 ? "\xce\x94" : "*") : "");
			printf("L-%-16.*s %-10s %-12s %-8s %-6s %3zu  %s\n", r->prefix, r->l->id + 2, st,
			       learn_origin_word(r->l->origin), fnd_severity_word(r->l->severity),
			       fnd_confidence_word(r->l->confidence), r->l->nev, t);
			free(t);
		}
		printf("Resumed: %zu decided, %zu pending\n", decided, rv->set->n - decided);
		if (gone)
			printf("%zu decision%s on learnings no longer proposed kept in the journal\n", gone,
			       gone == 1 ? "" : "s");
	}
	free(rows);
	return fflush(stdout) == 0 ? 0 : 2;
}

/* Resolves a user ID (prefix, with or without L-) to one candidate. */
static long resolve(const struct review *rv, const char *arg)
{
	const char *hex = id_like(arg) ? arg + 2 : arg;
	size_t n = strlen(hex), i, hits = 0;
	long found = -1;
	char *a;
	if (n == 0 || n > 16 || strspn(hex, "0123456789abcdef") != n) {
		a = rtext_safe(arg, false);
		fprintf(stderr, "wisdom review: '%s' is not a learning id (L- and up to 16 lowercase hex digits)\n", a);
		free(a);
		return -2;
	}
	for (i = 0; i < rv->set->n; i++)
		if (strncmp(rv->set->v[i].id + 2, hex, n) == 0) {
			hits++;
			found = (long)i;
		}
	if (hits == 1)
		return found;
	if (hits == 0) {
		fprintf(stderr, "wisdom review: unknown id L-%s in run %s; see wisdom review --list\n", hex, rv->run->id);
		return -2;
	}
	fprintf(stderr, "wisdom review: id L-%s is ambiguous; it matches:\n", hex);
	for (i = 0; i < rv->set->n; i++)
		if (strncmp(rv->set->v[i].id + 2, hex, n) == 0) {
			char *t = rtext_safe(rv->set->v[i].title, rtext_locale_utf8());
			fprintf(stderr, "  %s  %s\n", rv->set->v[i].id, t);
			free(t);
		}
	return -2;
}

static int do_decide(const struct cli_opts *o, struct review *rv, enum jr_op op)
{
	const char **ids = xcalloc(rv->ids.n, sizeof *ids);
	const char **hashes = xcalloc(rv->ids.n, sizeof *hashes);
	size_t i, k = 0;
	struct wz_err err;
	int rc = 0;
	for (i = 0; i < rv->ids.n; i++) {
		long x = resolve(rv, rv->ids.v[i]);
		if (x < 0) {
			rc = 2;
			continue;
		}
		ids[k] = rv->set->v[x].id;
		hashes[k] = rv->set->v[x].src_hash;
		k++;
	}
	if (rc == 0 && k) {
		wz_err_clear(&err);
		if (jr_decide(rv->jr, op, ids, k, hashes, NULL, cli_now(o), &err) != WZ_OK) {
			fprintf(stderr, "wisdom review: %s\n", err.msg);
			rc = 2;
		} else {
			for (i = 0; i < k; i++) {
				long x = learning_set_find(rv->set, ids[i]);
				char *t = rtext_safe(rv->set->v[x].title, rtext_locale_utf8());
				printf("%s %s  %s\n", op == JR_ACCEPT ? "accepted" : "rejected", ids[i], t);
				free(t);
			}
		}
	}
	free(ids);
	free(hashes);
	return fflush(stdout) == 0 ? rc : 2;
}

/* Runs the editor the way git does: the variable is shell text, the file
 * its last argument. */
static int run_editor(const char *ed, const char *path)
{
	char *cmd = xasprintf("%s \"$1\"", ed);
	pid_t pid;
	int st;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		free(cmd);
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int do_edit(const struct cli_opts *o, struct review *rv)
{
	struct buf b = {0};
	struct wz_err err;
	char path[] = "/tmp/wisdom-edit-XXXXXX.md";
	const struct learning *l;
	char *after = NULL;
	size_t len = 0, i;
	long x;
	int fd, rc = 0;
	const char *ed = getenv("VISUAL");
	if (rv->ids.n != 1) {
		fprintf(stderr, "wisdom review: --edit takes exactly one ID (got %zu)\n", rv->ids.n);
		return 2;
	}
	if ((x = resolve(rv, rv->ids.v[0])) < 0)
		return 2;
	l = &rv->set->v[x];
	buf_printf(&b, "Title: %s\nLabels: ", l->title);
	for (i = 0; i < l->out_labels.n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l->out_labels.v[i]);
	buf_printf(&b, "\n\n%s\n", l->body ? l->body : "");
	fd = mkstemps(path, 3);
	if (fd < 0 || write(fd, b.p, b.len) != (ssize_t)b.len || close(fd) != 0) {
		fprintf(stderr, "wisdom review: cannot write a temporary file %s: %s\n", path, strerror(errno));
		buf_free(&b);
		return 2;
	}
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	wz_err_clear(&err);
	if (run_editor(ed && *ed ? ed : "vi", path) != 0) {
		fprintf(stderr, "wisdom review: the editor failed or was cancelled; nothing recorded\n");
		rc = 2;
	} else if (fio_read(path, FIO_DEFAULT_MAX, &after, &len, &err) != WZ_OK) {
		fprintf(stderr, "wisdom review: %s\n", err.msg);
		rc = 2;
	} else if (len == b.len && memcmp(after, b.p, len) == 0) {
		printf("unchanged %s; nothing recorded\n", l->id);
	} else if (jr_edit(rv->jr, l->id, after, l->src_hash, cli_now(o), &err) != WZ_OK) {
		fprintf(stderr, "wisdom review: %s\n", err.msg);
		rc = 2;
	} else {
		printf("edited %s  (text in wisdom/.edits/%s.md)\n", l->id, l->id);
	}
	unlink(path);
	free(after);
	buf_free(&b);
	return fflush(stdout) == 0 ? rc : 2;
}

int cmd_review(const struct cli_opts *o)
{
	struct review rv;
	int modes = (o->accept != NULL) + (o->reject != NULL) + (o->edit != NULL) + CLI_FLAG(o, list);
	int rc;
	memset(&rv, 0, sizeof rv);
	if (modes > 1) {
		fprintf(stderr, "wisdom review: choose one of --list, --accept, --reject, --edit\n");
		return 2;
	}
	rc = split_args(o, &rv);
	if (rc == 0 && modes == 0 && rv.ids.n) {
		fprintf(stderr, "wisdom review: IDs given without --accept, --reject or --edit\n");
		rc = 2;
	}
	if (rc == 0)
		rc = load(o, &rv, o->accept || o->reject || o->edit);
	if (rc == 0) {
		if (o->accept)
			rc = do_decide(o, &rv, JR_ACCEPT);
		else if (o->reject)
			rc = do_decide(o, &rv, JR_REJECT);
		else if (o->edit)
			rc = do_edit(o, &rv);
		else
			rc = do_list(o, &rv);
	}
	review_free(&rv);
	return rc;
}
