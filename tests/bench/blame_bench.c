/* blame_bench.c - times git_blame_spans() over the ranges given on the
 * command line (used by bench-blame.sh; not installed, not in make check).
 * usage: blame_bench REPO BASE FILE:A-B...  → prints "ms lines commits". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sources/git.h"
#include "util/xalloc.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s REPO BASE FILE:A-B...\n", argv[0]);
		return 2;
	}
	size_t n = (size_t)argc - 3;
	struct git_line_span *sp = xcalloc(n, sizeof *sp);
	char **paths = xcalloc(n, sizeof *paths);
	for (size_t i = 0; i < n; i++) {
		char *arg = argv[i + 3], *colon = strrchr(arg, ':');
		if (!colon || sscanf(colon + 1, "%ld-%ld", &sp[i].start, &sp[i].end) != 2) {
			fprintf(stderr, "bad range %s\n", arg);
			return 2;
		}
		paths[i] = xstrndup(arg, (size_t)(colon - arg));
		sp[i].path = paths[i];
	}
	struct wz_err err = { 0 };
	struct git_repo *r = NULL;
	double t0 = now_ms();
	if (git_repo_open(argv[1], &r, &err) != WZ_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct git_range g;
	struct blame_set *b = NULL;
	if (git_range_resolve(r, argv[2], "HEAD", &g, &err) != WZ_OK ||
	    git_blame_spans(r, &g, sp, n, &b, &err) != WZ_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	double t1 = now_ms();
	size_t lines = 0, inrange = 0;
	for (size_t i = 0; i < b->n; i++) {
		lines += b->v[i].nlines;
		for (size_t j = 0; j < b->v[i].nlines; j++)
			inrange += b->v[i].lines[j].in_range;
	}
	printf("%.1f %zu %zu\n", t1 - t0, lines, inrange);
	blame_set_free(&b);
	git_range_clear(&g);
	git_repo_close(&r);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(sp);
	return 0;
}
