/* runs_json.c - JSON reading helpers, flow folder scan and generation
 * detection for the run readers (spec/run-artifacts.md §1, §15). */
#include "config.h"
#include "sources/runs.h"
#include "sources/runs_internal.h"
#include "model/inventory.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUNS_KEYLINE_MAX ((size_t)256 << 10)

void runs_json_read(const char *path, struct runs_json *j)
{
	struct wz_err err = {0};
	struct stat st;
	json_error_t je;
	size_t len = 0;

	memset(j, 0, sizeof *j);
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		j->missing = true;
		return;
	}
	if (fio_read(path, RUNS_JSON_MAX, &j->data, &len, &err) != WZ_OK) {
		if (err.code == WZ_ENOENT) {
			/* a dangling symlink: the file is not there */
			j->missing = true;
			return;
		}
		j->error = xstrdup(err.msg);
		return;
	}
	j->root = json_loadb(j->data, len, 0, &je);
	if (!j->root) {
		j->error = xasprintf("%s:%d:%d: invalid JSON: %s; the file is skipped "
				     "(fix it or re-run the flow that writes it)",
				     path, je.line, je.column, je.text);
		XFREE(&j->data);
	}
}

void runs_json_done(struct runs_json *j)
{
	if (j->root)
		json_decref(j->root);
	free(j->data);
	free(j->error);
	memset(j, 0, sizeof *j);
}

int runs_key_line(const char *text, const char *const *keys, size_t n)
{
	const char *p = text;
	size_t i;
	/* line numbers only for files of ordinary size, so hostile receipts
	 * with many keys cannot make this quadratic */
	if (!text || n == 0 || strnlen(text, RUNS_KEYLINE_MAX + 1) > RUNS_KEYLINE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		size_t kl = strlen(keys[i]);
		const char *hit = NULL;
		while ((p = strchr(p, '"')) != NULL) {
			const char *q;
			if (strncmp(p + 1, keys[i], kl) == 0 && p[1 + kl] == '"') {
				q = p + 2 + kl;
				while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
					q++;
				if (*q == ':') {
					hit = p;
					p = q;
					break;
				}
			}
			p++;
		}
		if (!hit)
			return 0;
		if (i + 1 == n) {
			int line = 1;
			const char *s;
			for (s = text; s < hit; s++)
				if (*s == '\n')
					line++;
			return line;
		}
	}
	return 0;
}

char *runs_json_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%g", json_real_value(v));
	if (json_is_true(v))
		return xstrdup("true");
	if (json_is_false(v))
		return xstrdup("false");
	{
		char *d = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		char *out = xstrdup(d ? d : "?");
		free(d);
		return out;
	}
}

void runs_opt_num(struct opt_num *n, const json_t *v, const char *rel, int line)
{
	n->has = false;
	if (!v)
		return;
	prov_set(&n->src, rel, line);
	if (json_is_number(v)) {
		n->has = true;
		n->v = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		double d;
		errno = 0;
		d = strtod(s, &end);
		while (*end == ' ' || *end == '%')
			end++;
		if (end != s && *end == '\0' && errno == 0 && isfinite(d)) {
			n->has = true;
			n->v = d;
		}
	}
}

void runs_str_list(struct str_list *l, const json_t *v)
{
	size_t i;
	json_t *e;
	if (!json_is_array(v))
		return;
	json_array_foreach(v, i, e) {
		char *t = runs_json_text(e);
		str_list_push(l, t ? t : "null");
		free(t);
	}
}

bool runs_is_run_dir(const char *path)
{
	char *p;
	int f;
	bool yes = false;
	if (!fio_is_dir(path))
		return false;
	p = fio_join(path, "run_meta.json");
	yes = fio_is_file(p);
	free(p);
	for (f = 0; !yes && f < FLOW_COUNT; f++) {
		p = fio_join(path, run_flow_name((enum run_flow)f));
		yes = fio_is_dir(p);
		free(p);
	}
	return yes;
}

/* ---- the one walk of a run folder (model/inventory.h) ---- */

/* Files below this many folder levels (the flow folder is level 1) count
 * toward a flow's nfiles and time range, as they always have; deeper ones
 * only go to the inventory. */
#define FLOW_COUNT_DEPTH 4

struct walk {
	struct run *r;
	struct run_inventory *inv;
	const struct scan_hook *hook;
	int max_depth;
	size_t max_files;
	bool skip_heavy;
	bool stop;            /* canceled or capped by count: unwind */
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool heavy_dir(const char *name)
{
#define HEAVY_X(d) if (strcmp(name, d) == 0) return true;
	SCAN_HEAVY_DIRS(HEAVY_X)
#undef HEAVY_X
	return false;
}

/* Lists dir in name order (symbolic links to folders never followed) and
 * records its regular files; depth: folder levels below the run folder. */
static void walk(struct walk *w, const char *dir, const char *rel, int depth, struct flow_state *fs)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (w->stop)
		return;
	if (depth > w->max_depth) {
		run_inventory_cap(w->inv, "%s: deeper than %d folder levels; not descended", rel, w->max_depth);
		return;
	}
	d = opendir(dir);
	if (!d) {
		run_warn(w->r, "%s: cannot list folder: %s", dir, strerror(errno));
		return;
	}
	atomic_fetch_add(&run_inventory_dir_opens, 1);
	w->inv->ndirs++;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xgrow(names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	/* the folder stays open (at most max_depth at once): entries are
	 * looked up relative to it, not by their whole path */
	for (i = 0; i < n; i++) {
		struct stat st;
		char *p, *prel;
		if (w->stop)
			break;
		prel = fio_join(rel, names[i]);
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			st.st_mode = 0;
		} else if (S_ISLNK(st.st_mode)) {
			if (fstatat(dirfd(d), names[i], &st, 0) != 0) {
				if (errno == ELOOP)
					run_warn(w->r, "%s: symbolic link loop; skipped", prel);
				st.st_mode = 0;
			} else if (S_ISDIR(st.st_mode)) {
				st.st_mode = 0;   /* never follow linked folders */
			}
		}
		if (S_ISDIR(st.st_mode)) {
			if (w->skip_heavy && heavy_dir(names[i]))
				run_inventory_cap(w->inv, "%s: a tool or dependency folder; not read", prel);
			else {
				p = fio_join(dir, names[i]);
				walk(w, p, prel, depth + 1, depth + 1 <= FLOW_COUNT_DEPTH ? fs : NULL);
				free(p);
			}
		} else if (S_ISREG(st.st_mode)) {
			double t = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
			if (w->inv->n >= w->max_files) {
				run_inventory_cap(w->inv, "%s: more than %zu files in the run; the walk stopped here",
						  prel, w->max_files);
				w->stop = true;
			} else {
				run_inventory_add(w->inv, prel, (long long)st.st_size, t);
				if (w->inv->n % SCAN_PROGRESS_EVERY == 0) {
					scan_hook_report(w->hook, w->inv->n, "scanning the run's files");
					if (scan_hook_stopped(w->hook)) {
						w->inv->canceled = true;
						w->stop = true;
					}
				}
			}
			if (fs) {
				fs->nfiles++;
				if (isnan(fs->first_time) || t < fs->first_time)
					fs->first_time = t;
				if (isnan(fs->last_time) || t > fs->last_time)
					fs->last_time = t;
			}
		}
		free(prel);
	}
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void runs_check_flows(struct run *r)
{
	int f;
	for (f = 0; f < FLOW_COUNT; f++) {
		const char *name = run_flow_name((enum run_flow)f);
		char *p = fio_join(r->path, name);
		struct stat st;
		struct flow_state *fs = &r->flows[f];
		if (lstat(p, &st) == 0) {
			if (stat(p, &st) != 0) {
				if (errno == ELOOP)
					run_warn(r, "%s: symbolic link loop; the %s flow folder is ignored "
						 "(remove the link)", p, name);
				else
					run_warn(r, "%s: %s; the %s flow folder is ignored", p, strerror(errno), name);
			} else if (S_ISDIR(st.st_mode)) {
				fs->dir_present = true;
			} else {
				run_warn(r, "%s: is not a folder; the %s flow is treated as not run", p, name);
			}
		}
		free(p);
	}
}

enum wz_status runs_walk_flows(struct run *r, const struct scan_limits *lim, const struct scan_hook *hook)
{
	struct walk w;
	int f;
	memset(&w, 0, sizeof w);
	w.r = r;
	w.hook = hook;
	w.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : SCAN_DEPTH_DEFAULT;
	w.max_files = lim && lim->max_files > 0 ? lim->max_files : SCAN_FILES_DEFAULT;
	w.skip_heavy = lim && lim->skip_heavy;
	run_inventory_free(&r->inventory);
	r->inventory = w.inv = run_inventory_new(r->path);
	for (f = 0; f < FLOW_COUNT && !w.stop; f++) {
		const char *name = run_flow_name((enum run_flow)f);
		char *p;
		if (!r->flows[f].dir_present)
			continue;
		if (scan_hook_stopped(hook)) {
			w.inv->canceled = true;
			break;
		}
		p = fio_join(r->path, name);
		walk(&w, p, name, 1, &r->flows[f]);
		free(p);
	}
	if (!w.inv->canceled)
		scan_hook_report(hook, w.inv->n, "scanned the run's files");
	if (w.inv->capped && w.inv->cap_note)
		run_warn(r, "%s (the file inventory is incomplete)", w.inv->cap_note);
	return w.inv->canceled ? WZ_ECANCELED : WZ_OK;
}

void runs_scan_flows(struct run *r)
{
	runs_check_flows(r);
	(void)runs_walk_flows(r, NULL, NULL);
}

bool runs_root_is_flow_studio(const char *root)
{
	size_t n;
	if (!root)
		return false;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return n >= 10 && strncmp(root + n - 10, "swarm/runs", 10) == 0 &&
	       (n == 10 || root[n - 11] == '/');
}

void runs_detect_generation(struct run *r, const char *root)
{
	if (runs_root_is_flow_studio(root))
		r->generation = GEN_FLOW_STUDIO;
	else if (r->flows[FLOW_REVIEW].dir_present || r->flows[FLOW_REVIEW].receipt.present)
		r->generation = GEN_DEMOSWARM_7;
	else if (r->flows[FLOW_GATE].dir_present || r->flows[FLOW_DEPLOY].dir_present ||
		 r->flows[FLOW_WISDOM].dir_present)
		r->generation = GEN_DEMOSWARM_6;   /* got past build without a review flow */
	else
		r->generation = GEN_UNKNOWN;       /* too early to tell */
}
