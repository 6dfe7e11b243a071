/* driver.c - runs a libFuzzer harness as an ordinary program.
 *
 * Every fuzz_<target>.c defines LLVMFuzzerTestOneInput(). Linked with this
 * file instead of -fsanitize=fuzzer, the harness replays the inputs named on
 * the command line (files, or directories whose regular files are replayed in
 * name order) so that `make check` — with or without sanitizers, and under
 * valgrind — keeps every saved crash and every seed fixed.
 *
 * Exit status: 0 when every input ran, 2 when an input could not be read.
 * A crash in the harness is the harness's own signal/abort, which the test
 * script reports as a failure naming the input.
 * Ownership: everything read is freed before the next input.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Inputs bigger than this are refused: the fuzzers run with -max_len far
 * below it, so such a file is a mistake, not a regression. */
#define DRIVER_MAX ((size_t)16 << 20)

static int verbose;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "driver: cannot open %s: %s\n", path, strerror(errno));
		return 2;
	}
	size_t cap = 4096, len = 0;
	uint8_t *data = malloc(cap);
	if (!data) {
		fclose(f);
		fprintf(stderr, "driver: out of memory reading %s\n", path);
		return 2;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= DRIVER_MAX) {
				fprintf(stderr, "driver: %s is larger than %zu bytes: refused\n",
					path, DRIVER_MAX);
				free(data);
				fclose(f);
				return 2;
			}
			uint8_t *grown = realloc(data, cap * 2);
			if (!grown) {
				free(data);
				fclose(f);
				fprintf(stderr, "driver: out of memory reading %s\n", path);
				return 2;
			}
			data = grown;
			cap *= 2;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "driver: read error on %s\n", path);
		free(data);
		return 2;
	}
	/* Hand the harness an exact-size copy so ASan/valgrind see any read
	 * past the end, as libFuzzer's own buffers would show. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return 2;
	}
	if (len)
		memcpy(exact, data, len);
	free(data);
	if (verbose)
		fprintf(stderr, "driver: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "driver: cannot open directory %s: %s\n", dir, strerror(errno));
		return 2;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		size_t need = strlen(dir) + strlen(e->d_name) + 2;
		names[n] = malloc(need);
		if (!names[n])
			break;
		snprintf(names[n], need, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(names[i]) != 0)
				rc = 2;
			(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int rc = 0, count = 0, i = 1;
	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [-v] FILE|DIR...\n"
			"Replays each input through the fuzz harness once.\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "driver: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) != 0)
				rc = 2;
		} else {
			if (run_file(argv[i]) != 0)
				rc = 2;
			count++;
		}
	}
	if (verbose)
		fprintf(stderr, "driver: %d input(s) replayed\n", count);
	return rc;
}
