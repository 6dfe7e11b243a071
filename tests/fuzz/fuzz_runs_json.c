/* fuzz_runs_json.c - libFuzzer harness for the JSON side of a run
 * (sources/runs: run_meta.json, .runs/index.json, <flow>/<flow>_receipt.json).
 *
 * The runs stream reads these files from disk only, so each input is written
 * to a scratch run folder and read back the way wisdom reads it: the first
 * byte picks the file (run_meta.json, index.json in the .runs/ root, or one
 * of the seven flow receipts), the rest is its content; then runs_load() on
 * the run folder and, for index.json, runs_list() on the root. The scratch
 * tree lives under /dev/shm when present (else $TMPDIR) and is removed at
 * exit. Slower than an in-memory parser but exercises the real code path.
 */
#include "config.h"
#include "harness.h"
#include "sources/runs.h"
#include "model/run.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[256], root[300], rundir[340];
static char files[2 + FLOW_COUNT][400];

static const char *const flows[FLOW_COUNT] = {
#define RUN_X(e, name, letter) name,
	RUN_FLOW_TABLE(RUN_X)
#undef RUN_X
};

static void cleanup(void)
{
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (files[i][0])
			unlink(files[i]);
	for (int f = 0; f < FLOW_COUNT; f++) {
		char d[400];
		snprintf(d, sizeof d, "%s/%s", rundir, flows[f]);
		rmdir(d);
	}
	rmdir(rundir);
	rmdir(root);
	rmdir(base);
}

static void setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(base, sizeof base, "%s/wz-fuzz-runs.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base))
		abort();
	snprintf(root, sizeof root, "%s/.runs", base);
	snprintf(rundir, sizeof rundir, "%s/fz-run-1", root);
	if (mkdir(root, 0700) || mkdir(rundir, 0700))
		abort();
	snprintf(files[0], sizeof files[0], "%s/run_meta.json", rundir);
	snprintf(files[1], sizeof files[1], "%s/index.json", root);
	for (int f = 0; f < FLOW_COUNT; f++) {
		char d[400];
		snprintf(d, sizeof d, "%s/%s", rundir, flows[f]);
		if (mkdir(d, 0700))
			abort();
		snprintf(files[2 + f], sizeof files[2 + f], "%s/%s/%s_receipt.json", rundir,
			 flows[f], flows[f]);
	}
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base[0])
		setup();
	unsigned which = fz_take(&data, &size) % (2 + FLOW_COUNT);
	fz_write_file(files[which], data, size);

	struct run *r = runs_load(rundir, root);
	if (!r)
		abort(); /* documented: never fails for an existing folder */
	run_free(&r);

	if (which == 1) {
		struct run_list *l = NULL;
		struct wz_err err;
		if (runs_list(root, &l, &err) == WZ_OK)
			run_list_free(&l);
		run_list_free(&l);
	}
	unlink(files[which]);
	return 0;
}
