/* script.c - --script FILE: one key name or `:command` per line, `#`
 * comments. Every line is checked before the first runs (an unknown key
 * or command exits 2 naming FILE:LINE); each item is one turn of the loop
 * followed by a frame; the script's end quits, --dump FILE saving the last
 * screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#define SCRIPT_MAX_BYTES ((size_t)4 << 20)

struct item {
	int lineno;
	int key;          /* -1: command */
	char *cmd;
};

static void free_items(struct item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].cmd);
	free(v);
}

static bool job_cmd(const char *cmd)
{
	size_t n = strcspn(cmd, " \t");

	return (n == 4 && !strncmp(cmd, "jobs", 4)) || (n == 6 && !strncmp(cmd, "cancel", 6)) ||
	       (n == 9 && !strncmp(cmd, "wait-idle", 9));
}

int script_run(struct app *a, const char *path)
{
	struct wz_err err;
	char *data = NULL;
	size_t len = 0, n = 0, cap = 0;
	struct item *items = NULL;
	struct txt_lines it;
	const char *line;
	size_t ll;
	int rc = 0;
	struct timespec t0, t1;

	wz_err_clear(&err);
	if (fio_read(path, SCRIPT_MAX_BYTES, &data, &len, &err) != WZ_OK) {
		snprintf(a->fatal, sizeof a->fatal, "wisdom: --script: %s", err.msg);
		return 2;
	}
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &ll)) {
		char *t = txt_trim_dup(line, ll);
		struct item *x;
		if (!t[0] || t[0] == '#') {
			free(t);
			continue;
		}
		items = xgrow(items, &cap, n + 1, sizeof *items);
		x = &items[n++];
		x->lineno = it.lineno;
		x->cmd = NULL;
		if (t[0] == ':') {
			x->key = -1;
			x->cmd = xstrdup(t + 1);
			if (!cmd_known(x->cmd)) {
				snprintf(a->fatal, sizeof a->fatal,
					 "wisdom: %s:%d: unknown command ':%.200s'", path, it.lineno, x->cmd);
				rc = 2;
			}
		} else {
			x->key = km_parse_key(t);
			if (x->key < 0) {
				snprintf(a->fatal, sizeof a->fatal,
					 "wisdom: %s:%d: unknown key '%.200s' (key names: a <Enter> <C-x> <F5> ...; commands start with ':')",
					 path, it.lineno, t);
				rc = 2;
			}
		}
		free(t);
		if (rc)
			break;
	}
	free(data);
	if (rc) {
		free_items(items, n);
		return rc;
	}
	app_frame(a);
	for (size_t i = 0; i < n && !a->quit; i++) {
		/* headless runs are deterministic: each line acts on the screen
		 * as it is once the jobs started before it are done — except the
		 * job commands themselves, which look at jobs in flight */
		if (!(items[i].cmd && job_cmd(items[i].cmd)) && !app_wait_idle(a, 10)) {
			snprintf(a->fatal, sizeof a->fatal,
				 "wisdom: %s:%d: jobs still running after 10 s", path, items[i].lineno);
			rc = 2;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (items[i].key >= 0) {
			app_key(a, items[i].key);
		} else {
			wz_err_clear(&err);
			if (!cmd_run(a, items[i].cmd, &err)) {
				snprintf(a->fatal, sizeof a->fatal, "wisdom: %s:%d: %s", path,
					 items[i].lineno, err.msg);
				rc = 2;
				break;
			}
		}
		app_frame(a);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (CLI_FLAG(a->o, bench))
			app_trace(a, "turn", "%.3f ms", (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
							(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	free_items(items, n);
	if (rc == 0 && !a->fatal[0] && !app_wait_idle(a, 10)) {
		snprintf(a->fatal, sizeof a->fatal, "wisdom: %s: jobs still running after 10 s at the end", path);
		rc = 2;
	}
	if (a->fatal[0] && rc == 0)
		rc = a->exit_code ? a->exit_code : 2;
	if (rc == 0 && a->o->dump) {
		app_frame(a);
		wz_err_clear(&err);
		if (!dump_screen(a, a->o->dump, false, &err)) {
			snprintf(a->fatal, sizeof a->fatal, "wisdom: --dump: %s", err.msg);
			rc = 2;
		}
	}
	return rc;
}
