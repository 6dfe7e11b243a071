/* cmd_doctor.c - `wisdom doctor [--json]`: the base layer (git repository,
 * GitHub token, run) and every backend the environment configures, from
 * the extension table. Secret values are never printed. Reachability is
 * not checked yet. Exit 0, or 1 when a backend is misconfigured. */
#include "config.h"
#include "cli/cli.h"
#include "sinks/report_json.h"
#include "sinks/report_text.h"
#include "sources/extensions.h"
#include "sources/runs.h"
#include "util/xalloc.h"

#include <git2.h>
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

/* Value as doctor may show it: NULL when unset, "set (hidden)" for secrets. */
static char *shown_value(const struct ext_env_var *v)
{
	const char *val = getenv(v->name);
	char masked[512];
	if (!val || !*val)
		return NULL;
	if (v->secret)
		return xstrdup("set (hidden)");
	ext_mask_value(val, masked, sizeof masked);
	return xstrdup(masked);
}

int cmd_doctor(const struct cli_opts *o)
{
	struct ext_result be[EB_COUNT];
	const struct ext_env_var *vars = ext_env_vars();
	size_t nv = ext_env_count(), i;
	struct run_list *l = NULL;
	struct wz_err err;
	const char *start = o->repo ? o->repo : ".";
	const char *token = NULL, *repo_env = getenv("GITHUB_REPOSITORY");
	char *git = git_root(start);
	bool utf8 = rtext_locale_utf8();
	int misconf = 0, b;

	if (o->nargs > 0) {
		fprintf(stderr, "wisdom doctor: takes no arguments (use --repo DIR)\n");
		free(git);
		return 2;
	}
	ext_detect(ext_getenv, NULL, be);
	for (b = 0; b < EB_COUNT; b++)
		misconf += be[b].state == EXT_MISCONFIGURED;
	if (getenv("GH_TOKEN") && *getenv("GH_TOKEN"))
		token = "GH_TOKEN";
	else if (getenv("GITHUB_TOKEN") && *getenv("GITHUB_TOKEN"))
		token = "GITHUB_TOKEN";
	wz_err_clear(&err);
	if (runs_list(o->repo, &l, &err) != WZ_OK)
		run_list_free(&l);

	if (CLI_FLAG(o, json)) {
		json_t *doc = json_object(), *base = json_object(), *bo = json_object(), *env = json_array();
		char *s;
		json_object_set_new(base, "git_repository", rjson_str(git));
		json_object_set_new(base, "github_token", token ? json_string(token) : json_null());
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
			char *v = shown_value(&vars[i]);
			json_array_append_new(env, json_pack("{s:s,s:s,s:s,s:b,s:b,s:o,s:s}", "name", vars[i].name,
							     "backend", ext_backend_name(vars[i].backend), "need",
							     need_word(vars[i].need), "secret", vars[i].secret, "set", v != NULL,
							     "value", rjson_str(vars[i].secret ? NULL : v), "doc", vars[i].doc));
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
		printf("  %-16s %s%s\n", "GitHub token", token ? "present in " : "missing: GitHub sections are skipped",
		       token ? token : "");
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
			char *v = shown_value(&vars[i]);
			s = rtext_safe(v, utf8);
			printf("  %-32s %-16s %-9s %s\n", vars[i].name, ext_backend_name(vars[i].backend),
			       need_word(vars[i].need), v ? s : "unset");
			free(s);
			free(v);
		}
	}
	free(git);
	run_list_free(&l);
	return misconf ? 1 : 0;
}
