/* runs_discover.c - finding runs (spec/run-artifacts.md §2): resolve where
 * to look, scan the filesystem, then merge index.json; open one run. */
#include "config.h"
#include "sources/runmd.h"
#include "sources/runs.h"
#include "sources/runs_internal.h"
#include "model/inventory.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *parent_of(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static char *absolute(const char *path)
{
	char buf[PATH_MAX];
	if (realpath(path, buf))
		return xstrdup(buf);
	return NULL;
}

/* walk: list the flow folders (the file inventory); false only for the
 * list, which walks later when it needs file times (walk_late). */
static struct run *load(const char *run_path, const char *root, bool walk_now, const struct scan_limits *lim,
			const struct scan_hook *hook)
{
	struct run *r = run_new();
	char *abs = absolute(run_path);
	char *rootdup;
	r->path = abs ? abs : xstrdup(run_path);
	r->id = xstrdup(base_of(r->path));
	rootdup = root ? absolute(root) : parent_of(r->path);
	if (!rootdup)
		rootdup = xstrdup(root);
	if (runs_root_is_flow_studio(rootdup)) {
		char *swarm = parent_of(rootdup);
		r->repo_root = parent_of(swarm);
		free(swarm);
	} else if (strcmp(base_of(rootdup), ".runs") == 0) {
		r->repo_root = parent_of(rootdup);
	}
	runs_read_meta(r);
	if (!r->has_meta && !r->meta_error)
		run_warn(r, "%s: no run_meta.json; the run id is taken from the folder name", r->path);
	runs_read_index(r, rootdup);
	runs_check_flows(r);
	if (walk_now)
		(void)runs_walk_flows(r, lim, hook);
	runs_read_receipts(r);
	runs_detect_generation(r, rootdup);
	free(rootdup);
	return r;
}

struct run *runs_load(const char *run_path, const char *root)
{
	return load(run_path, root, true, NULL, NULL);
}

struct run *runs_load_ex(const char *run_path, const char *root, const struct scan_limits *lim,
			 const struct scan_hook *hook)
{
	return load(run_path, root, true, lim, hook);
}

/* ---- listing ---- */

static void note_add(struct run_entry *e, const char *text)
{
	char *n = e->note ? xasprintf("%s; %s", e->note, text) : xstrdup(text);
	free(e->note);
	e->note = n;
}

static struct run_entry *list_push(struct run_list *l, size_t *cap)
{
	struct run_entry *e;
	l->v = xgrow(l->v, cap, l->n + 1, sizeof *l->v);
	e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	e->updated = NAN;
	return e;
}

static void entry_from_run(struct run_entry *e, struct run *r, const char *folder)
{
	int f;
	double newest = NAN;
	e->id = xstrdup(r->id);
	e->path = xstrdup(r->path);
	e->folder = xstrdup(folder);
	e->present = true;
	e->has_meta = r->has_meta;
	e->task_title = xstrdup(r->task_title);
	e->generation = r->generation;
	for (f = 0; f < FLOW_COUNT; f++) {
		const struct flow_state *fs = &r->flows[f];
		e->flow_status[f] = fs->receipt.status;
		e->flow_dir[f] = fs->dir_present;
	}
	if (!isnan(r->updated_at)) {
		e->updated = r->updated_at;
		e->updated_source = xstrdup("run_meta.updated_at");
		return;
	}
	for (f = 0; f < FLOW_COUNT; f++)
		if (!isnan(r->flows[f].receipt.completed_at) &&
		    (isnan(newest) || r->flows[f].receipt.completed_at > newest))
			newest = r->flows[f].receipt.completed_at;
	if (!isnan(newest)) {
		e->updated = newest;
		e->updated_source = xstrdup("receipt completed_at");
		return;
	}
	if (!r->inventory) {
		/* no stated time: the files' mtimes it is (a bounded walk) */
		struct scan_limits lim = { SCAN_HISTORY_DEPTH, SCAN_HISTORY_FILES, true };
		(void)runs_walk_flows(r, &lim, NULL);
	}
	for (f = 0; f < FLOW_COUNT; f++)
		if (!isnan(r->flows[f].last_time) && (isnan(newest) || r->flows[f].last_time > newest))
			newest = r->flows[f].last_time;
	{
		/* loose files and run_meta.json itself count too */
		DIR *d = opendir(r->path);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			struct stat st;
			char *p = fio_join(r->path, de->d_name);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    (isnan(newest) || (double)st.st_mtime > newest))
				newest = (double)st.st_mtime;
			free(p);
		}
		if (d)
			closedir(d);
	}
	if (!isnan(newest)) {
		e->updated = newest;
		e->updated_source = xstrdup("file mtime");
	}
}

static void add_run(struct run_list *l, size_t *cap, const char *run_path, const char *root)
{
	struct run *r = load(run_path, root, false, NULL, NULL);
	struct run_entry *e = list_push(l, cap);
	size_t i;
	entry_from_run(e, r, base_of(r->path));
	if (!r->has_meta)
		note_add(e, r->meta_error ? "run_meta.json unparseable" : "no run_meta.json");
	for (i = 0; i < r->warnings.n; i++)
		if (!strstr(r->warnings.v[i], "no run_meta.json") && !strstr(r->warnings.v[i], "index.json"))
			str_list_push(&l->warnings, r->warnings.v[i]);
	run_free(&r);
}

static void merge_index(struct run_list *l, size_t *cap)
{
	char *p = fio_join(l->root, "index.json");
	struct runs_json j;
	json_t *runs, *e;
	size_t i, k, ondisk = l->n;
	bool *hit = xcalloc(ondisk + 1, sizeof *hit);

	runs_json_read(p, &j);
	if (j.error)
		str_list_push(&l->warnings, j.error);
	runs = json_is_object(j.root) ? json_object_get(j.root, "runs") : NULL;
	if (j.root && !json_is_array(runs)) {
		char *w = xasprintf("%s: expected {\"runs\": [...]}, found %s; the index is ignored", p,
				    json_is_array(j.root) ? "an array" : "another shape");
		str_list_push(&l->warnings, w);
		free(w);
	}
	json_array_foreach(runs, i, e) {
		const char *id = json_string_value(json_object_get(e, "run_id"));
		struct run_entry *x;
		int t;
		if (!id || !*id) {
			char *w = xasprintf("%s: runs[%zu] has no run_id; entry skipped", p, i);
			str_list_push(&l->warnings, w);
			free(w);
			continue;
		}
		for (k = 0; k < ondisk; k++)
			if (strcmp(l->v[k].id, id) == 0 || (!l->v[k].has_meta && strcmp(l->v[k].folder, id) == 0))
				break;
		if (k < ondisk) {
			l->v[k].indexed = hit[k] = true;
			if (!l->v[k].task_title)
				l->v[k].task_title = runs_json_text(json_object_get(e, "task_title"));
			continue;
		}
		x = list_push(l, cap);
		x->id = xstrdup(id);
		x->indexed = true;
		x->task_title = runs_json_text(json_object_get(e, "task_title"));
		x->note = xstrdup("indexed, not present");
		if (tp_parse(json_string_value(json_object_get(e, "updated_at")) ?
			     json_string_value(json_object_get(e, "updated_at")) : "", &x->updated, &t, NULL))
			x->updated_source = xstrdup("index.json");
		else
			x->updated = NAN;
	}
	if (j.root)
		for (k = 0; k < ondisk; k++)
			if (!hit[k])
				note_add(&l->v[k], "not in index.json");
	free(hit);
	free(p);
	runs_json_done(&j);
}

static int newest_first(const void *a, const void *b)
{
	const struct run_entry *x = a, *y = b;
	bool xn = isnan(x->updated), yn = isnan(y->updated);
	if (xn != yn)
		return xn ? 1 : -1;
	if (!xn && x->updated != y->updated)
		return x->updated > y->updated ? -1 : 1;
	if (x->present != y->present)
		return x->present ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Picks the folder to list from `where` (see runs.h). *single set when
 * `where` is itself a run. Returns a malloc'd absolute path or NULL. */
static char *resolve(const char *where, bool *single, struct wz_err *err)
{
	char *abs, *p;
	*single = false;
	if (!where) {
		const char *env = getenv("RUN_BASE");
		if (env && *env)
			where = env;
		else if (fio_is_dir(".runs"))
			where = ".runs";
		else if (fio_is_dir("swarm/runs"))
			where = "swarm/runs";
		else {
			char cwd[PATH_MAX];
			wz_err_set(err, WZ_ENORUN, "no runs under %s (no .runs/ or swarm/runs/ folder); "
				   "pass --repo DIR or set RUN_BASE",
				   getcwd(cwd, sizeof cwd) ? cwd : ".");
			return NULL;
		}
	}
	abs = absolute(where);
	if (!abs) {
		wz_err_set(err, errno == ELOOP ? WZ_ELOOP : WZ_ENORUN,
			   "%s: %s; no runs there — pass --repo DIR or set RUN_BASE", where, strerror(errno));
		return NULL;
	}
	if (!fio_is_dir(abs)) {
		wz_err_set(err, WZ_ENOTDIR, "%s: is not a folder; pass a repository, its .runs/ folder or a run folder",
			   where);
		free(abs);
		return NULL;
	}
	if (runs_is_run_dir(abs)) {
		*single = true;
		return abs;
	}
	p = fio_join(abs, ".runs");
	if (fio_is_dir(p)) {
		free(abs);
		return p;
	}
	free(p);
	p = fio_join(abs, "swarm/runs");
	if (fio_is_dir(p)) {
		free(abs);
		return p;
	}
	free(p);
	return abs;   /* a runs folder by any other name */
}

enum wz_status runs_list(const char *where, struct run_list **out, struct wz_err *err)
{
	struct run_list *l;
	size_t cap = 0;
	bool single;
	char *dir = resolve(where, &single, err);
	*out = NULL;
	if (!dir)
		return err ? err->code : WZ_ENORUN;
	l = xcalloc(1, sizeof *l);
	if (single) {
		l->root = parent_of(dir);
		add_run(l, &cap, dir, l->root);
	} else {
		DIR *d = opendir(dir);
		struct dirent *de;
		l->root = xstrdup(dir);
		if (!d) {
			wz_err_set(err, WZ_EIO, "%s: cannot list: %s", dir, strerror(errno));
			free(dir);
			run_list_free(&l);
			return WZ_EIO;
		}
		while ((de = readdir(d)) != NULL) {
			char *p;
			struct stat st;
			if (de->d_name[0] == '.' || de->d_name[0] == '_')
				continue;   /* ., .., hidden, _wisdom/ */
			p = fio_join(dir, de->d_name);
			if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && stat(p, &st) != 0 && errno == ELOOP) {
				char *w = xasprintf("%s: symbolic link loop; skipped", p);
				str_list_push(&l->warnings, w);
				free(w);
			} else if (runs_is_run_dir(p)) {
				add_run(l, &cap, p, dir);
			}
			free(p);
		}
		closedir(d);
		merge_index(l, &cap);
	}
	free(dir);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, newest_first);
	*out = l;
	return WZ_OK;
}

void run_list_free(struct run_list **lp)
{
	size_t i;
	struct run_list *l;
	if (!lp || !*lp)
		return;
	l = *lp;
	for (i = 0; i < l->n; i++) {
		struct run_entry *e = &l->v[i];
		free(e->id);
		free(e->path);
		free(e->task_title);
		free(e->note);
		free(e->folder);
		free(e->updated_source);
	}
	free(l->v);
	free(l->root);
	str_list_free(&l->warnings);
	free(l);
	*lp = NULL;
}

/* ---- opening one run ---- */

static bool looks_like_path(const char *s)
{
	return strchr(s, '/') != NULL || strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
}

enum wz_status runs_open(const char *spec, const char *repo, struct run **out, struct wz_err *err)
{
	return runs_open_ex(spec, repo, NULL, out, err);
}

/* The run at path, walked once with the hook; WZ_ECANCELED when stopped. */
static enum wz_status open_one(const char *path, const char *root, const struct scan_hook *hook, struct run **out,
			       struct wz_err *err)
{
	struct run *r = load(path, root, true, NULL, hook);
	if (r->inventory && r->inventory->canceled) {
		enum wz_status st = wz_err_set(err, WZ_ECANCELED, "%s: reading the run was canceled after %zu files",
					       r->path, r->inventory->n);
		run_free(&r);
		return st;
	}
	runmd_fill(r);
	*out = r;
	return WZ_OK;
}

enum wz_status runs_open_ex(const char *spec, const char *repo, const struct scan_hook *hook, struct run **out,
			    struct wz_err *err)
{
	struct run_list *l = NULL;
	enum wz_status st;
	const struct run_entry *pick = NULL;
	size_t i;

	*out = NULL;
	if (spec && *spec && (looks_like_path(spec) || (!repo && runs_is_run_dir(spec)))) {
		if (runs_is_run_dir(spec))
			return open_one(spec, NULL, hook, out, err);
		if (!fio_is_dir(spec))
			return wz_err_set(err, WZ_ENORUN, "%s: no such run folder; pass a run id, a run folder, "
					  "or --repo DIR", spec);
		repo = spec;      /* a repo or .runs folder: open its newest run */
		spec = NULL;
	}
	st = runs_list(repo, &l, err);
	if (st != WZ_OK)
		return st;
	for (i = 0; i < l->n && !pick; i++) {
		const struct run_entry *e = &l->v[i];
		if (!spec || !*spec) {
			if (e->present)
				pick = e;
		} else if (strcmp(e->id, spec) == 0 || (e->folder && strcmp(e->folder, spec) == 0)) {
			pick = e;
		}
	}
	if (!pick) {
		if (spec && *spec)
			st = wz_err_set(err, WZ_ENORUN, "no run \"%s\" under %s; `wisdom runs` lists the runs there",
					spec, l->root);
		else
			st = wz_err_set(err, WZ_ENORUN, "no runs under %s; pass --repo DIR or set RUN_BASE", l->root);
		run_list_free(&l);
		return st;
	}
	if (!pick->present) {
		st = wz_err_set(err, WZ_ENORUN, "run \"%s\" is listed in %s/index.json but its folder is not "
				"present; fetch the run's branch or pick another run", pick->id, l->root);
		run_list_free(&l);
		return st;
	}
	st = open_one(pick->path, l->root, hook, out, err);
	run_list_free(&l);
	return st;
}
