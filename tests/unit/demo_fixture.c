/* demo_fixture.c - see demo_fixture.h. */
#include "config.h"
#include "demo_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "demo/demo.h"
#include "util/xalloc.h"

int demo_fixture_up(const char *prefix, char *scratch, size_t cap, char **repo)
{
	struct wz_err err;
	const char *top = getenv("top_srcdir");
	char *content, *cache;
	enum wz_status st;
	snprintf(scratch, cap, "%s/%s.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", prefix);
	if (!mkdtemp(scratch))
		return -1;
	content = xasprintf("%s/demo", top ? top : "..");
	cache = xasprintf("%s/demo-cache", scratch);
	st = demo_prepare_in(cache, content, repo, NULL, &err);
	free(content);
	free(cache);
	return st == WZ_OK ? 0 : -1;
}

int demo_fixture_down(const char *scratch, char **repo)
{
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc = system(cmd);
	free(cmd);
	free(*repo);
	*repo = NULL;
	return rc == 0 ? 0 : -1;
}
