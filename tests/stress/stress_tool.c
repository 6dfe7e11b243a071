/* stress_tool.c - helpers of the resource-bound tests (tests/stress/).
 *
 *   stress-tool measure [-t SECS] [-r FILE] -- CMD ARGS...
 *       Runs CMD in its own process group; after SECS (default 60) sends
 *       SIGTERM to the group, 2 s later SIGKILL. Writes one line
 *       "WALL_S MAXRSS_KB EXIT TIMEDOUT" to FILE (default stderr), like
 *       `/usr/bin/time -f '%e %M'` plus the exit status, so the suite needs
 *       neither GNU time nor timeout(1). Exits 124 on a timeout, else with
 *       CMD's status (128+N when killed by signal N).
 *   stress-tool files DIR N [PREFIX]   N empty files PREFIX000000... in DIR
 *   stress-tool deepdir DIR N [LEAF]   N nested folders d/d/d/... under DIR
 *       (made with mkdirat/openat, so depth is not limited by PATH_MAX);
 *       LEAF, when given, is copied into the deepest one as report.xml.
 *   stress-tool sparse FILE BYTES [TAIL [HEAD]]  a sparse file of BYTES
 *       bytes (ftruncate) whose last bytes are TAIL and a newline (when
 *       TAIL is not empty) and whose first bytes are HEAD.
 *   stress-tool cargolog FILE BYTES    a real cargo test log of about BYTES
 *       bytes ("test m::t_N ... ok" lines) ending with the runner's summary
 *       line; prints the number of tests it claims passed.
 *   stress-tool tap FILE N             a TAP stream of N results (every
 *       1000th not ok), plan at the end.
 *   stress-tool fastimport N           a `git fast-import` stream of N linear
 *       commits on refs/heads/main touching 4 small files (line 1 of each
 *       never changes after the root commit), ending with `done` (use
 *       `git fast-import --done`).
 *   stress-tool blame REPO PATH START END
 *       Blames PATH:START-END at HEAD bounded by HEAD~1 through the
 *       project's git_blame_spans() (what the Tests analysis does) and
 *       prints one line per blamed line: "LINE SHA12 in_run|pre".
 */
#include "config.h"
#include "sources/git.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "stress-tool: %s: %s\n", what, strerror(errno));
	return 2;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_measure(int argc, char **argv)
{
	double limit = 60, t0, t1;
	const char *rfile = NULL;
	int i = 0, status = 0, timedout = 0, killed = 0, code;
	struct rusage ru;
	pid_t pid;
	FILE *rf;

	while (i < argc && strcmp(argv[i], "--") != 0) {
		if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			limit = atof(argv[++i]);
		else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			rfile = argv[++i];
		else {
			fprintf(stderr, "stress-tool measure: unknown option %s\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "stress-tool measure: no command after --\n");
		return 2;
	}
	argv += i + 1;
	t0 = now_s();
	pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid == 0) {
		setpgid(0, 0);
		execvp(argv[0], argv);
		fprintf(stderr, "stress-tool: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	memset(&ru, 0, sizeof ru);
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return die("wait4");
		t1 = now_s();
		if (!timedout && t1 - t0 > limit) {
			timedout = 1;
			kill(-pid, SIGTERM);
		} else if (timedout && !killed && t1 - t0 > limit + 2) {
			killed = 1;
			kill(-pid, SIGKILL);
		}
		usleep(2000);
	}
	t1 = now_s();
	if (timedout)
		kill(-pid, SIGKILL);   /* anything the command left behind */
	code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
	rf = rfile ? fopen(rfile, "w") : stderr;
	if (!rf)
		return die(rfile);
	fprintf(rf, "%.2f %ld %d %d\n", t1 - t0, ru.ru_maxrss, code, timedout);
	if (rf != stderr)
		fclose(rf);
	return timedout ? 124 : code;
}

static int cmd_files(int argc, char **argv)
{
	const char *prefix = argc > 2 ? argv[2] : "artifact_";
	long n, i;
	int dfd;
	char name[256];
	if (argc < 2)
		return 2;
	n = atol(argv[1]);
	dfd = open(argv[0], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return die(argv[0]);
	for (i = 0; i < n; i++) {
		int fd;
		snprintf(name, sizeof name, "%s%06ld", prefix, i);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return die(name);
		close(fd);
	}
	close(dfd);
	return 0;
}

static int copy_into(int dfd, const char *name, const char *src)
{
	char buf[65536];
	ssize_t k;
	int in = open(src, O_RDONLY), out;
	if (in < 0)
		return die(src);
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		close(in);
		return die(name);
	}
	while ((k = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)k) != k) {
			close(in);
			close(out);
			return die("write");
		}
	close(in);
	close(out);
	return 0;
}

static int cmd_deepdir(int argc, char **argv)
{
	long n, i;
	int dfd;
	if (argc < 2)
		return 2;
	n = atol(argv[1]);
	dfd = open(argv[0], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return die(argv[0]);
	for (i = 0; i < n; i++) {
		int next;
		if (mkdirat(dfd, "d", 0755) != 0 && errno != EEXIST)
			return die("mkdirat");
		next = openat(dfd, "d", O_RDONLY | O_DIRECTORY);
		if (next < 0)
			return die("openat");
		close(dfd);
		dfd = next;
	}
	if (argc > 2 && copy_into(dfd, "report.xml", argv[2]) != 0)
		return 2;
	close(dfd);
	return 0;
}

static int cmd_sparse(int argc, char **argv)
{
	long long size;
	int fd;
	if (argc < 2)
		return 2;
	size = atoll(argv[1]);
	fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return die(argv[0]);
	if (ftruncate(fd, (off_t)size) != 0)
		return die("ftruncate");
	if (argc > 3 && pwrite(fd, argv[3], strlen(argv[3]), 0) != (ssize_t)strlen(argv[3]))
		return die("pwrite");
	if (argc > 2 && argv[2][0]) {
		size_t n = strlen(argv[2]);
		char *t = malloc(n + 2);
		if (!t)
			return 2;
		memcpy(t, argv[2], n);
		t[n] = '\n';
		if (pwrite(fd, t, n + 1, (off_t)size - (off_t)(n + 1)) != (ssize_t)(n + 1))
			return die("pwrite");
		free(t);
	}
	close(fd);
	return 0;
}

/* Writes blocks of real-looking lines; the numbers repeat per block. */
static int cmd_cargolog(int argc, char **argv)
{
	enum { BLOCK = 1 << 20 };
	static char block[BLOCK + 256];
	long long target, written = 0, tests = 0;
	size_t len = 0;
	long per_block = 0;
	FILE *f;
	if (argc < 2)
		return 2;
	target = atoll(argv[1]);
	while (len < BLOCK) {
		int k = snprintf(block + len, sizeof block - len,
				 "test stress::module_%03ld::case_%06ld ... ok\n", per_block % 997, per_block);
		len += (size_t)k;
		per_block++;
	}
	f = fopen(argv[0], "w");
	if (!f)
		return die(argv[0]);
	fprintf(f, "   Compiling stress v0.1.0\n    Finished test [unoptimized] target(s)\n"
		   "     Running unittests src/lib.rs\n\nrunning many tests\n");
	while (written + (long long)len < target) {
		if (fwrite(block, 1, len, f) != len)
			return die("fwrite");
		written += (long long)len;
		tests += per_block;
	}
	fprintf(f, "\ntest result: ok. %lld passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
		   "finished in 12.34s\n\n", tests);
	if (fclose(f) != 0)
		return die("fclose");
	printf("%lld\n", tests);
	return 0;
}

static int cmd_tap(int argc, char **argv)
{
	long n, i;
	FILE *f;
	if (argc < 2)
		return 2;
	n = atol(argv[1]);
	f = fopen(argv[0], "w");
	if (!f)
		return die(argv[0]);
	fputs("TAP version 13\n", f);
	for (i = 1; i <= n; i++)
		fprintf(f, "%sok %ld - stress case %ld\n", i % 1000 == 0 ? "not " : "", i, i);
	fprintf(f, "1..%ld\n", n);
	if (fclose(f) != 0)
		return die("fclose");
	return 0;
}

static void fi_data(const char *s)
{
	printf("data %zu\n%s\n", strlen(s), s);
}

static int cmd_fastimport(int argc, char **argv)
{
	long n, i;
	char body[1024];
	if (argc < 1)
		return 2;
	n = atol(argv[0]);
	for (i = 0; i < n; i++) {
		int file = (int)(i % 4);
		size_t len = 0;
		printf("commit refs/heads/main\nmark :%ld\n", i + 1);
		printf("committer Stress Bot <stress@example.invalid> %ld +0000\n", 1600000000L + i);
		snprintf(body, sizeof body, "stress commit %ld", i);
		fi_data(body);
		if (i > 0)
			printf("from :%ld\n", i);
		for (int f = 0; f < 4; f++) {
			if (i > 0 && f != file)
				continue;
			len = (size_t)snprintf(body, sizeof body, "header of file %d: never changes\n", f);
			for (int l = 2; l <= 8; l++)
				len += (size_t)snprintf(body + len, sizeof body - len, "line %d last set by commit %ld\n",
							l, l == 2 + (int)((i / 4) % 7) ? i : i - (i % 28));
			printf("M 100644 inline src/f%d.c\n", f);
			fi_data(body);
		}
		putchar('\n');
	}
	fputs("done\n", stdout);   /* with --done, a cut stream fails */
	return fflush(stdout) == 0 ? 0 : 2;
}

static int cmd_blame(int argc, char **argv)
{
	struct git_repo *r = NULL;
	struct git_range g;
	struct blame_set *b = NULL;
	struct wz_err err;
	struct git_line_span sp;
	int rc = 0;
	if (argc < 4)
		return 2;
	wz_err_clear(&err);
	memset(&g, 0, sizeof g);
	if (git_repo_open(argv[0], &r, &err) != WZ_OK || git_range_resolve(r, "HEAD~1", "HEAD", &g, &err) != WZ_OK) {
		fprintf(stderr, "stress-tool blame: %s\n", err.msg);
		git_repo_close(&r);
		return 1;
	}
	sp.path = argv[1];
	sp.start = atol(argv[2]);
	sp.end = atol(argv[3]);
	if (git_blame_spans(r, &g, &sp, 1, &b, &err) != WZ_OK) {
		fprintf(stderr, "stress-tool blame: %s\n", err.msg);
		rc = 1;
	} else {
		for (size_t i = 0; i < b->n; i++) {
			if (b->v[i].error)
				printf("error %s\n", b->v[i].error);
			for (size_t k = 0; k < b->v[i].nlines; k++)
				printf("%ld %.12s %s\n", b->v[i].lines[k].line, b->v[i].lines[k].sha,
				       b->v[i].lines[k].in_range ? "in_run" : "pre");
		}
	}
	blame_set_free(&b);
	git_range_clear(&g);
	git_repo_close(&r);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{"measure", cmd_measure}, {"files", cmd_files}, {"deepdir", cmd_deepdir},
		{"sparse", cmd_sparse}, {"cargolog", cmd_cargolog}, {"tap", cmd_tap},
		{"fastimport", cmd_fastimport}, {"blame", cmd_blame},
	};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			if (strcmp(argv[1], cmds[i].name) == 0) {
				int rc = cmds[i].fn(argc - 2, argv + 2);
				if (rc == 2 && argc == 2)
					fprintf(stderr, "stress-tool %s: missing arguments (see stress_tool.c)\n", argv[1]);
				return rc;
			}
	fprintf(stderr, "usage: stress-tool measure|files|deepdir|sparse|cargolog|tap|fastimport|blame ...\n");
	return 2;
}
