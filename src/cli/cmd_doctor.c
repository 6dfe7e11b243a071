/* cmd_doctor.c - `wisdom doctor [--json]`: the base layer (git repository,
 * GitHub token, run, secrets file) and every backend the environment and
 * the secrets file configure, from the extension table. For each variable
 * set it says where the value came from (env, or secrets FILE:LINE).
 * Secret values are never printed; shown values go through the redactor.
 * Reachability is not checked yet. Exit 0, or 1 when a backend is
 * misconfigured or the secrets file is refused or has bad lines. */
#include "config.h"
#include "cli/cli.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"
#include "sources/extensions.h"
#include "sources/runs.h"
#include "sources/secrets.h"
#include "util/redact.h"
#include "util/xalloc.h"

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *need_word(enum ext_need n)
{
	switch (n) {
	case EN_REQUIRED: return "required";
	case EN_ONE_OF: return "one-of";
	default: return "optional";
	}
}

/* The workdir of the git repository holding `start`, or NULL. */
static char *git_root(const char *start)
{
	git_buf b = {0};
	git_repository *repo = NULL;
	char *out = NULL;

	git_libgit2_init();
	if (git_repository_discover(&b, start, 0, NULL) == 0 && git_repository_open(&repo, b.ptr) == 0) {
		const char *wd = git_repository_workdir(repo);
		out = xstrdup(wd ? wd : b.ptr);
	}
	git_repository_free(repo);
	git_buf_dispose(&b);
	git_libgit2_shutdown();
	return out;
}

/* Value as doctor may show it: NULL when unset, "set (hidden)" for secrets,
 * else the value with URL passwords masked and secrets redacted. `where`
 * receives the origin ("env", "secrets FILE:LINE"). */
static char *shown_value(const struct ext_env_var *v, char *where, size_t n)
{
	const char *val = ext_where(v->name, where, n);
	char masked[512];
	if (!val || !*val)
		return NULL;
	if (v->secret)
		return xstrdup("set (hidden)");
	ext_mask_value(val, masked, sizeof masked);
	return redact_str(redact_default(), masked);
}

/* The secrets file's state word and path (path NULL when no home). */
static const char *secrets_state(const struct secrets *s, const char *path)
{
	if (!path)
		return "no home";
	if (strcmp(path, "/dev/null") == 0)
		return "off";
	if (!s)
		return "absent";
	return s->refused ? "refused" : "loaded";
}

/* First GitHub token variable set, and where it came from. */
static const char *token_var(char *where, size_t n)
{
	if (ext_where("GH_TOKEN", where, n))
		return "GH_TOKEN";
	if (ext_where("GITHUB_TOKEN", where, n))
		return "GITHUB_TOKEN";
	return NULL;
}

int cmd_doctor(const struct cli_opts *o)
{
	struct ext_result be[EB_COUNT];
	const struct ext_env_var *vars = ext_env_vars();
	size_t nv = ext_env_count(), i;
	struct run_list *l = NULL;
	struct wz_err err;
	const char *start = o->repo ? o->repo : ".";
	const char *token = NULL, *repo_env;
	char *git = git_root(start), *spath = secrets_path();
	char twhere[PATH_MAX + 32], where[PATH_MAX + 32];
	const struct secrets *sec;
	bool utf8 = rtext_locale_utf8();
	int misconf = 0, b;

	if (o->nargs > 0) {
		fprintf(stderr, "wisdom doctor: takes no arguments (use --repo DIR)\n");
		free(git);
		free(spath);
		return 2;
	}
	/* doctor lists the file's problems itself: load it quietly */
	sec = secrets_global(NULL);
	repo_env = ext_getenv("GITHUB_REPOSITORY", NULL);
	ext_detect(ext_getenv, NULL, be);
	for (b = 0; b < EB_COUNT; b++)
		misconf += be[b].state == EXT_MISCONFIGURED;
	misconf += sec && sec->nerrors > 0;
	token = token_var(twhere, sizeof twhere);
	wz_err_clear(&err);
	if (runs_list(o->repo, &l, &err) != WZ_OK)
		run_list_free(&l);

	if (CLI_FLAG(o, json)) {
		json_t *doc = json_object(), *base = json_object(), *bo = json_object(), *env = json_array();
		char *s;
		json_object_set_new(base, "git_repository", rjson_str(git));
		json_object_set_new(base, "github_token", token ? json_string(token) : json_null());
		json_object_set_new(base, "github_token_source", token ? rjson_str(twhere) : json_null());
		{
			json_t *so = json_object(), *errs = json_array();
			for (i = 0; sec && i < sec->nerrors; i++)
				json_array_append_new(errs, rjson_str(sec->errors[i]));
			json_object_set_new(so, "path", rjson_str(spath));
			json_object_set_new(so, "state", json_string(secrets_state(sec, spath)));
			json_object_set_new(so, "variables", json_integer(sec ? (json_int_t)sec->n : 0));
			json_object_set_new(so, "errors", errs);
			json_object_set_new(base, "secrets_file", so);
		}
		json_object_set_new(base, "github_repository_env", rjson_str(repo_env));
		json_object_set_new(base, "runs_root", l ? rjson_str(l->root) : json_null());
		json_object_set_new(base, "runs", l ? json_integer((json_int_t)l->n) : json_integer(0));
		json_object_set_new(base, "newest_run", l && l->n ? rjson_str(l->v[0].id) : json_null());
		json_object_set_new(base, "run_error", l ? json_null() : rjson_str(err.msg));
		for (b = 0; b < EB_COUNT; b++)
			json_object_set_new(bo, ext_backend_name((enum ext_backend)b),
					    json_pack("{s:s,s:s,s:o,s:s}", "area", ext_backend_area((enum ext_backend)b),
						      "state", ext_state_word(be[b].state), "reason", rjson_str(be[b].reason),
						      "reachable", "not checked"));
		for (i = 0; i < nv; i++) {
			char *v = shown_value(&vars[i], where, sizeof where);
			json_array_append_new(env, json_pack("{s:s,s:s,s:s,s:b,s:b,s:o,s:o,s:s}", "name", vars[i].name,
							     "backend", ext_backend_name(vars[i].backend), "need",
							     need_word(vars[i].need), "secret", vars[i].secret, "set", v != NULL,
							     "value", rjson_str(vars[i].secret ? NULL : v), "source",
							     v ? rjson_str(where) : json_null(), "doc", vars[i].doc));
			free(v);
		}
		json_object_set_new(doc, "base", base);
		json_object_set_new(doc, "backends", bo);
		json_object_set_new(doc, "env", env);
		s = rjson_dump(doc);
		fputs(s, stdout);
		free(s);
		json_decref(doc);
	} else {
		char *s;
		printf("Base layer (always on)\n");
		s = rtext_safe(git ? git : "", utf8);
		printf("  %-16s %s\n", "git repository", git ? s : "not found (from --repo or the current folder)");
		free(s);
		if (token) {
			s = rtext_safe(twhere, utf8);
			printf("  %-16s present in %s [%s]\n", "GitHub token", token, s);
			free(s);
		} else {
			printf("  %-16s missing: GitHub sections are skipped\n", "GitHub token");
		}
		s = rtext_safe(spath ? spath : "", utf8);
		if (!sec)
			printf("  %-16s %s%s%s\n", "secrets file", spath ? s : "none (no HOME)",
			       spath ? ": " : "", !spath ? "" : strcmp(spath, "/dev/null") == 0 ? "off" : "absent");
		else if (sec->refused)
			printf("  %-16s REFUSED, nothing loaded\n", "secrets file");
		else
			printf("  %-16s %s: %zu variable%s%s\n", "secrets file", s, sec->n, sec->n == 1 ? "" : "s",
			       sec->nerrors ? ", bad lines below" : "");
		free(s);
		for (i = 0; sec && i < sec->nerrors; i++) {
			s = rtext_safe(sec->errors[i], utf8);
			printf("  %-16s %s\n", "", s);
			free(s);
		}
		s = rtext_safe(repo_env, utf8);
		printf("  %-16s %s\n", "GitHub repo", repo_env ? s : "from run_meta.json github_repo, else git origin");
		free(s);
		if (l) {
			s = rtext_safe(l->root, utf8);
			printf("  %-16s %zu under %s", "runs", l->n, s);
			free(s);
			if (l->n) {
				s = rtext_safe(l->v[0].id, utf8);
				printf("; newest %s", s);
				free(s);
			}
			putchar('\n');
		} else {
			s = rtext_safe(err.msg, utf8);
			printf("  %-16s none: %s\n", "runs", s);
			free(s);
		}
		printf("\nBackends (reachability: not checked)\n");
		for (b = 0; b < EB_COUNT; b++) {
			s = rtext_safe(be[b].reason, utf8);
			printf("  %-16s %-10s %-14s %s\n", ext_backend_name((enum ext_backend)b),
			       ext_backend_area((enum ext_backend)b), ext_state_word(be[b].state), s);
			free(s);
		}
		printf("\nEnvironment\n");
		for (i = 0; i < nv; i++) {
			char *v = shown_value(&vars[i], where, sizeof where);
			s = rtext_safe(v, utf8);
			if (v) {
				char *w = rtext_safe(where, utf8);
				printf("  %-32s %-16s %-9s %s [%s]\n", vars[i].name, ext_backend_name(vars[i].backend),
				       need_word(vars[i].need), s, w);
				free(w);
			} else {
				printf("  %-32s %-16s %-9s unset\n", vars[i].name, ext_backend_name(vars[i].backend),
				       need_word(vars[i].need));
			}
			free(s);
			free(v);
		}
	}
	free(git);
	free(spath);
	run_list_free(&l);
	return misconf ? 1 : 0;
}
