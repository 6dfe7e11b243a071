/* test_journal.c - the decisions journal (design/ui.md §4.3): replay,
 * torn last line, damaged middle line set aside, records on disk before
 * jr_append returns (a child SIGKILLs itself right after), undo/redo across
 * restarts, the lock making a second instance read-only, Δ on changed
 * source text, decisions kept for surviving ids, edits and notes. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sinks/journal.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static char tmpl[64];
static char *run;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct wz_err err = {0};
	(void)state;
	strcpy(tmpl, "/tmp/wz-jr-XXXXXX");
	if (!mkdtemp(tmpl))
		return -1;
	run = xasprintf("%s/.runs/r1", tmpl);
	return fio_mkdirs(run, 0755, &err) == WZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	nftw(tmpl, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	XFREE(&run);
	return 0;
}

static char *jpath(const char *suffix)
{
	return xasprintf("%s/wisdom/.decisions.jsonl%s", run, suffix ? suffix : "");
}

static char *slurp(const char *p)
{
	char *d = NULL;
	size_t n = 0;
	struct wz_err err = {0};
	if (fio_read(p, 1 << 20, &d, &n, &err) != WZ_OK)
		return NULL;
	return d;
}

static void write_raw(const char *text)
{
	char *p = jpath(NULL), *dir = xasprintf("%s/wisdom", run);
	struct wz_err err = {0};
	assert_int_equal(fio_mkdirs(dir, 0755, &err), WZ_OK);
	assert_int_equal(fio_write_atomic(p, text, strlen(text), &err), WZ_OK);
	free(dir);
	free(p);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static struct journal *open_w(void)
{
	struct journal *j = NULL;
	struct wz_err err = {0};
	assert_int_equal(jr_open(run, true, &j, &err), WZ_OK);
	assert_false(j->read_only);
	return j;
}

static void decide_resume(void **state)
{
	struct journal *j = open_w();
	struct wz_err err = {0};
	const char *ab[] = {"L-aaaaaaaaaaaaaaaa", "L-bbbbbbbbbbbbbbbb"};
	const char *c[] = {"L-cccccccccccccccc"};
	char *txt, *p;
	(void)state;
	assert_int_equal(jr_decide(j, JR_ACCEPT, ab, 2, NULL, NULL, 100.0, &err), WZ_OK);
	assert_int_equal(jr_decide(j, JR_REJECT, c, 1, NULL, "duplicate of #12", 101.0, &err), WZ_OK);
	jr_close(&j);
	assert_null(j);
	p = jpath(NULL);
	txt = slurp(p);
	assert_int_equal(count_lines(txt), 3);
	assert_non_null(strstr(txt, "{\"seq\":1,\"time\":100.0,\"id\":\"L-aaaaaaaaaaaaaaaa\",\"op\":\"accept\","
				    "\"prev\":\"proposed\",\"state\":\"accepted\",\"group\":1}\n"));
	assert_non_null(strstr(txt, "\"reason\":\"duplicate of #12\""));
	free(txt);
	free(p);
	j = open_w();
	assert_int_equal(j->n, 3);
	assert_int_equal(j->messages.n, 0);
	assert_int_equal(jr_state_of(j, ab[0], NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, ab[1], NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, c[0], NULL, NULL, NULL), JR_REJECTED);
	assert_string_equal(jr_get(j, c[0])->reason, "duplicate of #12");
	assert_int_equal(j->next_seq, 4);
	assert_int_equal(j->recs[1].group, j->recs[0].group);
	assert_int_not_equal(j->recs[2].group, j->recs[0].group);
	jr_close(&j);
}

static void torn_last_line(void **state)
{
	struct journal *j;
	struct wz_err err = {0};
	const char *x[] = {"L-xxxxxxxxxxxxxxxx"};
	char *p = jpath(NULL), *txt;
	(void)state;
	write_raw("{\"seq\":1,\"time\":1,\"id\":\"L-aaaaaaaaaaaaaaaa\",\"op\":\"accept\",\"prev\":\"proposed\",\"state\":\"accepted\",\"group\":1}\n"
		  "{\"seq\":2,\"time\":2,\"id\":\"L-bbbbbbbbbbbbbbbb\",\"op\":\"reject\",\"prev\":\"proposed\",\"state\":\"rejected\",\"group\":2}\n"
		  "{\"seq\":3,\"time\":3,\"id\":\"L-cccc");
	j = open_w();
	assert_int_equal(j->n, 2);
	assert_int_equal(j->messages.n, 1);
	assert_non_null(strstr(j->messages.v[0], "wisdom/.decisions.jsonl:3: torn last line"));
	assert_int_equal(jr_decide(j, JR_ACCEPT, x, 1, NULL, NULL, 4, &err), WZ_OK);
	jr_close(&j);
	txt = slurp(p);
	assert_int_equal(count_lines(txt), 3);
	assert_null(strstr(txt, "L-cccc"));
	assert_non_null(strstr(txt, "\"seq\":3,\"time\":4.0,\"id\":\"L-xxxxxxxxxxxxxxxx\""));
	free(txt);
	j = open_w();
	assert_int_equal(j->n, 3);
	assert_int_equal(j->messages.n, 0);
	jr_close(&j);
	free(p);
}

static void damaged_middle_line(void **state)
{
	struct journal *j;
	char *p = jpath(NULL), *aside = jpath(".damaged-1"), *aside2 = jpath(".damaged-2"), *txt;
	static const char bad[] =
		"{\"seq\":1,\"id\":\"L-aaaaaaaaaaaaaaaa\",\"op\":\"accept\",\"state\":\"accepted\",\"group\":1}\n"
		"{\"seq\":2,\"id\":\"L-bbbb\xff\xfe\",\"op\":\"accept\",\"state\":\"accepted\"}\n"
		"{\"seq\":3,\"id\":\"L-cccccccccccccccc\",\"op\":\"reject\",\"state\":\"rejected\",\"group\":3}\n";
	(void)state;
	write_raw(bad);
	j = open_w();
	assert_int_equal(j->n, 1);
	assert_int_equal(jr_state_of(j, "L-aaaaaaaaaaaaaaaa", NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, "L-cccccccccccccccc", NULL, NULL, NULL), JR_PROPOSED);
	assert_int_equal(j->messages.n, 1);
	assert_non_null(strstr(j->messages.v[0], ".decisions.jsonl:2: damaged line"));
	assert_non_null(strstr(j->messages.v[0], ".decisions.jsonl.damaged-1"));
	jr_close(&j);
	txt = slurp(aside);
	assert_non_null(txt);
	assert_string_equal(txt, bad);
	free(txt);
	txt = slurp(p);
	assert_int_equal(count_lines(txt), 1);
	free(txt);
	/* a second damage goes to .damaged-2; wrong JSON types count as damage */
	write_raw("{\"seq\":\"one\",\"op\":\"accept\"}\n{\"seq\":2,\"id\":\"L-a\",\"op\":\"accept\"}\n");
	j = open_w();
	assert_int_equal(j->n, 0);
	jr_close(&j);
	txt = slurp(aside2);
	assert_non_null(txt);
	free(txt);
	/* read-only: replay stops, nothing is moved */
	write_raw(bad);
	assert_int_equal(jr_open(run, false, &j, &(struct wz_err){0}), WZ_OK);
	assert_true(j->read_only);
	assert_int_equal(j->n, 1);
	assert_non_null(strstr(j->messages.v[0], "read-only"));
	jr_close(&j);
	txt = slurp(p);
	assert_string_equal(txt, bad);
	free(txt);
	free(p);
	free(aside);
	free(aside2);
}

/* The record is on disk before jr_append returns: a child decides, then
 * SIGKILLs itself; the parent replays it. */
static void killed_after_append(void **state)
{
	pid_t pid;
	int status;
	struct journal *j = NULL;
	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct journal *cj = NULL;
		struct wz_err err = {0};
		const char *a[] = {"L-1111111111111111"};
		const char *b[] = {"L-2222222222222222"};
		if (jr_open(run, true, &cj, &err) != WZ_OK)
			_exit(3);
		if (jr_decide(cj, JR_ACCEPT, a, 1, NULL, NULL, 1, &err) != WZ_OK)
			_exit(4);
		if (jr_decide(cj, JR_REJECT, b, 1, NULL, NULL, 2, &err) != WZ_OK)
			_exit(5);
		kill(getpid(), SIGKILL);
		_exit(6);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(jr_open(run, true, &j, &(struct wz_err){0}), WZ_OK);
	assert_false(j->read_only);   /* the dead child's lock is gone */
	assert_int_equal(j->n, 2);
	assert_int_equal(jr_state_of(j, "L-1111111111111111", NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, "L-2222222222222222", NULL, NULL, NULL), JR_REJECTED);
	jr_close(&j);
}

static void undo_redo_restart(void **state)
{
	struct journal *j = open_w();
	struct wz_err err = {0};
	const char *ab[] = {"L-aaaaaaaaaaaaaaaa", "L-bbbbbbbbbbbbbbbb"};
	const char *c[] = {"L-cccccccccccccccc"};
	(void)state;
	assert_int_equal(jr_undo(j, 1, &err), WZ_ENOENT);
	assert_int_equal(jr_decide(j, JR_ACCEPT, ab, 2, NULL, NULL, 1, &err), WZ_OK);   /* A: one step */
	assert_int_equal(jr_decide(j, JR_REJECT, c, 1, NULL, NULL, 2, &err), WZ_OK);
	assert_int_equal(jr_undo(j, 3, &err), WZ_OK);
	assert_int_equal(jr_state_of(j, c[0], NULL, NULL, NULL), JR_PROPOSED);
	assert_int_equal(jr_state_of(j, ab[0], NULL, NULL, NULL), JR_ACCEPTED);
	jr_close(&j);
	j = open_w();
	assert_int_equal(jr_undo(j, 4, &err), WZ_OK);          /* the batch, after a restart */
	assert_int_equal(jr_state_of(j, ab[0], NULL, NULL, NULL), JR_PROPOSED);
	assert_int_equal(jr_state_of(j, ab[1], NULL, NULL, NULL), JR_PROPOSED);
	assert_int_equal(jr_undo(j, 5, &err), WZ_ENOENT);
	jr_close(&j);
	j = open_w();
	assert_int_equal(jr_redo(j, 6, &err), WZ_OK);
	assert_int_equal(jr_state_of(j, ab[0], NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, ab[1], NULL, NULL, NULL), JR_ACCEPTED);
	assert_int_equal(jr_state_of(j, c[0], NULL, NULL, NULL), JR_PROPOSED);
	jr_close(&j);
	j = open_w();
	assert_int_equal(jr_redo(j, 7, &err), WZ_OK);
	assert_int_equal(jr_state_of(j, c[0], NULL, NULL, NULL), JR_REJECTED);
	assert_int_equal(jr_redo(j, 8, &err), WZ_ENOENT);
	assert_non_null(strstr(err.msg, "nothing to redo"));
	/* undo then a new decision: the redo stack is gone */
	assert_int_equal(jr_undo(j, 9, &err), WZ_OK);
	assert_int_equal(jr_decide(j, JR_ACCEPT, c, 1, NULL, NULL, 10, &err), WZ_OK);
	assert_int_equal(jr_redo(j, 11, &err), WZ_ENOENT);
	/* 2 + 1 + 1 undo + 2 undo + 2 redo + 1 redo + 1 undo + 1 */
	assert_int_equal(j->n, 11);
	assert_int_equal(j->recs[3].op, JR_UNDO);
	assert_int_equal(j->recs[3].target, j->recs[2].group);
	jr_close(&j);
}

static void lock_read_only(void **state)
{
	struct journal *a = open_w(), *b = NULL;
	struct wz_err err = {0};
	const char *x[] = {"L-aaaaaaaaaaaaaaaa"};
	(void)state;
	assert_int_equal(jr_open(run, true, &b, &err), WZ_OK);
	assert_true(b->read_only);
	assert_non_null(strstr(b->messages.v[0], "read-only (RO)"));
	assert_int_equal(jr_decide(b, JR_ACCEPT, x, 1, NULL, NULL, 1, &err), WZ_EACCES);
	assert_non_null(strstr(err.msg, "read-only"));
	assert_int_equal(jr_edit(b, x[0], "t", NULL, 1, &err), WZ_EACCES);
	assert_int_equal(jr_undo(b, 1, &err), WZ_EACCES);
	assert_int_equal(jr_decide(a, JR_ACCEPT, x, 1, NULL, NULL, 1, &err), WZ_OK);
	jr_close(&b);
	jr_close(&a);
	b = open_w();   /* lock released */
	assert_int_equal(jr_state_of(b, x[0], NULL, NULL, NULL), JR_ACCEPTED);
	jr_close(&b);
}

static void delta_and_survivors(void **state)
{
	struct journal *j = open_w();
	struct wz_err err = {0};
	const char *ids[] = {"L-aaaaaaaaaaaaaaaa", "L-bbbbbbbbbbbbbbbb"};
	const char *hashes[] = {"00000000000000a1", "00000000000000b1"};
	struct str_list merged = {0};
	bool d;
	(void)state;
	assert_int_equal(jr_decide(j, JR_ACCEPT, ids, 2, hashes, NULL, 1, &err), WZ_OK);
	jr_close(&j);
	/* a new analysis: A survives with the same text, B is gone, C is new */
	j = open_w();
	assert_int_equal(jr_state_of(j, ids[0], NULL, "00000000000000a1", &d), JR_ACCEPTED);
	assert_false(d);
	assert_int_equal(jr_state_of(j, ids[0], NULL, "00000000000000a2", &d), JR_ACCEPTED);
	assert_true(d);     /* source text changed since the decision: Δ */
	assert_int_equal(jr_state_of(j, "L-cccccccccccccccc", NULL, "x", &d), JR_PROPOSED);
	assert_false(d);
	/* B's decision follows it when B was merged into C */
	str_list_push(&merged, ids[1]);
	assert_int_equal(jr_state_of(j, "L-cccccccccccccccc", &merged, NULL, &d), JR_ACCEPTED);
	str_list_free(&merged);
	assert_non_null(jr_get(j, ids[1]));   /* kept in the journal */
	jr_close(&j);
}

static void edit_and_notes(void **state)
{
	struct journal *j = open_w();
	struct wz_err err = {0};
	const char *id = "L-aaaaaaaaaaaaaaaa";
	char *p, *txt;
	(void)state;
	assert_int_equal(jr_edit(j, id, "Title\n\nNew body\n", "h", 1, &err), WZ_OK);
	assert_int_equal(jr_state_of(j, id, NULL, NULL, NULL), JR_EDITED);
	assert_string_equal(jr_get(j, id)->edit_file, "wisdom/.edits/L-aaaaaaaaaaaaaaaa.md");
	p = xasprintf("%s/wisdom/.edits/%s.md", run, id);
	txt = slurp(p);
	assert_string_equal(txt, "Title\n\nNew body\n");
	free(txt);
	free(p);
	assert_int_equal(jr_edit(j, "../../etc/x", "t", NULL, 1, &err), WZ_EUSAGE);
	assert_int_equal(jr_note(j, JR_NOTE, id, "checked with ops", 2, &err), WZ_OK);
	assert_int_equal(jr_note(j, JR_PUBLISH, id, "published #123", 3, &err), WZ_OK);
	assert_int_equal(jr_note(j, JR_ACCEPT, id, "x", 3, &err), WZ_EUSAGE);
	assert_int_equal(jr_get(j, id)->notes.n, 2);
	assert_string_equal(jr_get(j, id)->notes.v[1], "publish published #123");
	assert_int_equal(jr_state_of(j, id, NULL, NULL, NULL), JR_EDITED);   /* a note is not a state */
	assert_int_equal(jr_undo(j, 4, &err), WZ_OK);
	assert_int_equal(jr_state_of(j, id, NULL, NULL, NULL), JR_PROPOSED);
	jr_close(&j);
}

/* Text a person types (edit, reason, note) is redacted before it reaches
 * the run folder: the journal and .edits/ hold no secret. */
static void secrets_never_written(void **state)
{
	struct journal *j = open_w();
	struct wz_err err = {0};
	const char *id = "L-bbbbbbbbbbbbbbbb", *ids[] = {"L-cccccccccccccccc"};
	const char *tok = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", *aws = "AKIAIOSFODNN7EXAMPLE";
	char *edit = xasprintf("Title: rotate\n\nthe log held %s\n", tok);
	char *why = xasprintf("key %s was in the log", aws);
	char *p, *txt;
	(void)state;
	assert_int_equal(jr_edit(j, id, edit, "h", 1, &err), WZ_OK);
	assert_int_equal(jr_decide(j, JR_REJECT, ids, 1, NULL, why, 2, &err), WZ_OK);
	assert_int_equal(jr_note(j, JR_NOTE, id, tok, 3, &err), WZ_OK);
	p = xasprintf("%s/wisdom/.edits/%s.md", run, id);
	txt = slurp(p);
	assert_non_null(txt);
	assert_null(strstr(txt, tok));
	assert_non_null(strstr(txt, "REDACTED"));
	assert_non_null(strstr(txt, "Title: rotate"));
	free(txt);
	free(p);
	p = jpath(NULL);
	txt = slurp(p);
	assert_non_null(txt);
	assert_null(strstr(txt, tok));
	assert_null(strstr(txt, aws));
	assert_non_null(strstr(txt, "was in the log"));
	free(txt);
	free(p);
	free(edit);
	free(why);
	jr_close(&j);
}

static void bad_inputs(void **state)
{
	struct journal *j = NULL;
	struct wz_err err = {0};
	char *p = jpath(NULL), *no = xasprintf("%s/nope", tmpl);
	(void)state;
	assert_int_equal(jr_open(no, true, &j, &err), WZ_ENOTDIR);
	assert_null(j);
	assert_non_null(strstr(err.msg, "nope"));
	/* the journal path is a directory: refused with its name */
	assert_int_equal(fio_mkdirs(p, 0755, &err), WZ_OK);
	assert_int_not_equal(jr_open(run, true, &j, &err), WZ_OK);
	assert_null(j);
	assert_non_null(strstr(err.msg, ".decisions.jsonl"));
	rmdir(p);
	/* empty file and blank lines are fine */
	write_raw("\n\n");
	j = open_w();
	assert_int_equal(j->n, 0);
	assert_int_equal(j->messages.n, 0);
	jr_close(&j);
	assert_string_equal(jr_op_word(JR_PUBLISH), "publish");
	assert_int_equal(jr_state_parse("edited"), JR_EDITED);
	assert_string_equal(jr_state_label(JR_REJECTED), "REJECTED");
	free(no);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(decide_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(torn_last_line, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_middle_line, setup, teardown),
		cmocka_unit_test_setup_teardown(killed_after_append, setup, teardown),
		cmocka_unit_test_setup_teardown(undo_redo_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(secrets_never_written, setup, teardown),
		cmocka_unit_test_setup_teardown(delta_and_survivors, setup, teardown),
		cmocka_unit_test_setup_teardown(edit_and_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_inputs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
