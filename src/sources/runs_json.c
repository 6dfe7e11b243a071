/* runs_json.c - JSON reading helpers, flow folder scan and generation
 * detection for the run readers (spec/run-artifacts.md §1, §15). */
#include "config.h"
#include "sources/runs.h"
#include "sources/runs_internal.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
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

/* Walks a flow folder (depth-limited, never following symlinked folders)
 * counting regular files and their mtime range. */
static void walk(struct run *r, const char *dir, const char *rel, int depth, struct flow_state *fs)
{
	DIR *d;
	struct dirent *de;
	if (depth > 4)
		return;
	d = opendir(dir);
	if (!d) {
		run_warn(r, "%s: cannot list folder: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *p, *prel;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = fio_join(dir, de->d_name);
		prel = fio_join(rel, de->d_name);
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
			if (stat(p, &st) != 0) {
				if (errno == ELOOP)
					run_warn(r, "%s: symbolic link loop; skipped", prel);
				free(p);
				free(prel);
				continue;
			}
			if (S_ISDIR(st.st_mode)) {   /* never follow linked folders */
				free(p);
				free(prel);
				continue;
			}
		}
		if (S_ISDIR(st.st_mode)) {
			walk(r, p, prel, depth + 1, fs);
		} else if (S_ISREG(st.st_mode)) {
			double t = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
			fs->nfiles++;
			if (isnan(fs->first_time) || t < fs->first_time)
				fs->first_time = t;
			if (isnan(fs->last_time) || t > fs->last_time)
				fs->last_time = t;
		}
		free(p);
		free(prel);
	}
	closedir(d);
}

void runs_scan_flows(struct run *r)
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
				walk(r, p, name, 1, fs);
			} else {
				run_warn(r, "%s: is not a folder; the %s flow is treated as not run", p, name);
			}
		}
		free(p);
	}
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
