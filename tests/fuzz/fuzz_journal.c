/* fuzz_journal.c - libFuzzer harness for the decisions journal reader
 * (sinks/journal_read.c): the input is written as
 * <run>/wisdom/.decisions.jsonl of a scratch run folder and opened the way
 * the console opens it, with its recovery (torn last line cut off, damaged
 * middle set aside as .decisions.jsonl.damaged-<n> with the good prefix
 * written back).
 *
 * The first byte chooses: bit 0 opens read-only (no lock, no repair);
 * bit 1 then appends a decision, an undo and a redo, which must work
 * after any recovery. Checked properties: jr_open succeeds (the folder is
 * fine, only the file is bad), a writable open leaves a file that replays
 * again to the same number of records with no further message (the
 * repair is complete), every replayed entry has an id, and the undo/redo
 * stacks hold only groups seen in the records.
 */
#include "config.h"
#include "harness.h"
#include "sinks/journal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[256], wdir[300], jpath[360];

static void clear_wdir(void)
{
	DIR *d = opendir(wdir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[700];
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof p, "%s/%s", wdir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static void cleanup(void)
{
	char p[400];
	clear_wdir();
	snprintf(p, sizeof p, "%s/wisdom/.edits", base);
	rmdir(p);
	rmdir(wdir);
	rmdir(base);
}

static void setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(base, sizeof base, "%s/wz-fuzz-journal.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base))
		abort();
	snprintf(wdir, sizeof wdir, "%s/wisdom", base);
	snprintf(jpath, sizeof jpath, "%s/.decisions.jsonl", wdir);
	if (mkdir(wdir, 0700))
		abort();
	atexit(cleanup);
}

static bool has_group(const struct journal *j, long g)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->recs[i].group == g || j->recs[i].target == g)
			return true;
	return false;
}

static void check(const struct journal *j)
{
	for (size_t i = 0; i < j->nents; i++)
		if (!j->ents[i].id)
			abort();
	for (size_t i = 0; i < j->nundo; i++)
		if (!has_group(j, j->undo[i]))
			abort();
	for (size_t i = 0; i < j->nredo; i++)
		if (!has_group(j, j->redo[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base[0])
		setup();
	unsigned mode = fz_take(&data, &size);
	bool ro = mode & 1;
	struct journal *j = NULL;
	struct wz_err err;

	clear_wdir();
	fz_write_file(jpath, data, size);
	wz_err_clear(&err);
	if (jr_open(base, !ro, &j, &err) != WZ_OK) {
		fprintf(stderr, "jr_open: %s\n", err.msg);
		abort();
	}
	check(j);
	size_t n = j->n;
	if (!ro && !j->read_only) {
		/* the repair is complete: a second replay reads the same records
		 * and has nothing more to say */
		struct journal *again = NULL;
		if (jr_open(base, false, &again, &err) != WZ_OK)
			abort();
		if (again->n != n || again->messages.n != 0) {
			fprintf(stderr, "replay after repair: %zu records (was %zu), %zu messages%s%s\n", again->n, n,
				again->messages.n, again->messages.n ? ": " : "",
				again->messages.n ? again->messages.v[0] : "");
			abort();
		}
		jr_close(&again);
		if (mode & 2) {
			const char *ids[] = {"fz-1", "fz-2"};
			if (jr_decide(j, JR_ACCEPT, ids, 2, NULL, "fuzz", 1.7e9, &err) != WZ_OK)
				abort();
			if (jr_state_of(j, "fz-1", NULL, NULL, NULL) != JR_ACCEPTED)
				abort();
			if (jr_undo(j, 1.7e9, &err) != WZ_OK)
				abort();
			if (jr_redo(j, 1.7e9, &err) != WZ_OK)
				abort();
			check(j);
		}
	}
	jr_close(&j);
	return 0;
}
