/* fuzz_report_detect.c - libFuzzer harness for report_read(): content
 * detection (report_detect_buf) then the reader it picks, from a real path
 * (a scratch file under /dev/shm or $TMPDIR, rewritten per input).
 * Shared checks in report_harness.h.
 */
#include "config.h"
#include "report_harness.h"

#include <fcntl.h>

static char dir[256], path[300];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/wz-fuzz-detect.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof path, "%s/report", dir);
		atexit(cleanup);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	struct tr_report *r = NULL;
	struct wz_err err;
	wz_err_clear(&err);
	if (report_read(path, TR_FMT_UNKNOWN, &r, &err) == WZ_OK) {
		if (!r)
			abort();
		fz_check_report(r);
	} else if (r) {
		abort(); /* documented: *out NULL on error */
	}
	tr_report_free(&r);
	return 0;
}
