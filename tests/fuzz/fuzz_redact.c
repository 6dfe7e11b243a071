/* fuzz_redact.c - libFuzzer harness for the user redact-patterns parser
 * (util/redact.c redact_load_file, fed through a memfd so the real file
 * reader runs) and for redact_apply with the patterns it loaded.
 *
 * Input: the pattern file. Patterns are bounded (the first 8 lines of at
 * most 200 bytes each) because a user's own regular expression may be as
 * slow as the C library makes it; that is not what is fuzzed here.
 * Checked properties: loading never fails other than WZ_OK/WZ_EPARSE and
 * counts bad lines; redacting the input plus a planted GitHub token and a
 * planted AWS key never lets either through, whatever the user patterns
 * (overlaps merge, never un-redact); every replacement is counted.
 */
#include "config.h"
#include "harness.h"
#include "util/buf.h"
#include "util/redact.h"
#include "util/status.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PLANT_GH "ghp_FuzzPlantedTokenAbcdefghijklmnopqrst01"
#define PLANT_AWS "AKIAFUZZPLANTED00KEY"

static void die(const char *what)
{
	fprintf(stderr, "fuzz_redact: %s\n", what);
	abort();
}

/* The first 8 lines, each cut at 200 bytes. */
static char *bounded(const uint8_t *data, size_t size, size_t *outn)
{
	char *o = malloc(size + 1);
	size_t n = 0, col = 0;
	int lines = 0;
	if (!o)
		abort();
	for (size_t i = 0; i < size && lines < 8; i++) {
		if (data[i] == '\n') {
			o[n++] = '\n';
			col = 0;
			lines++;
		} else if (col++ < 200) {
			o[n++] = (char)data[i];
		}
	}
	o[n] = 0;
	*outn = n;
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redactor *r = redact_new();
	struct wz_err err;
	struct buf in = {0}, out = {0};
	size_t n, counts[RD_COUNT] = {0}, total = 0, nrep;
	char *pat = bounded(data, size, &n), path[64];
	int fd = memfd_create("redact", MFD_CLOEXEC), nbad = -1;
	enum wz_status st;

	if (fd < 0 || (n && write(fd, pat, n) != (ssize_t)n))
		die("memfd");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	wz_err_clear(&err);
	st = redact_load_file(r, path, &nbad, &err);
	close(fd);
	if (st != WZ_OK && st != WZ_EPARSE)
		die("load failed with an unexpected status");
	if ((st == WZ_OK) != (nbad == 0))
		die("status and bad-line count disagree");

	buf_append(&in, pat, n);
	buf_puts(&in, "\n" PLANT_GH "\nkey " PLANT_AWS " end\n");
	nrep = redact_apply(r, buf_str(&in), in.len, &out, counts);
	for (int i = 0; i < RD_COUNT; i++)
		total += counts[i];
	if (total != nrep || nrep < 2)
		die("replacements miscounted");
	if (memmem(buf_str(&out), out.len, PLANT_GH, strlen(PLANT_GH)) ||
	    memmem(buf_str(&out), out.len, PLANT_AWS, strlen(PLANT_AWS)))
		die("a planted secret got through");
	buf_free(&in);
	buf_free(&out);
	free(pat);
	redact_free(&r);
	return 0;
}
