/* fuzz_reg_frames.c - libFuzzer harness for the stack-frame reader of
 * regression blame (analysis/reg_blame.c, reg_frames_parse): file:line
 * frames in failure text (Python tracebacks, Rust panics, "at f (x.js:1:2)"
 * ...). Checked properties: at most 64 frames, each with a non-empty file
 * name that occurs in the input, no two frames equal.
 */
#include "config.h"
#include "harness.h"
#include "analysis/regressions.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size);
	struct reg_frame *f = NULL;
	size_t n = reg_frames_parse(text, &f);
	if (n > 64)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!f[i].file || !f[i].file[0] || !strstr(text, f[i].file))
			abort();
		for (size_t k = 0; k < i; k++)
			if (f[k].line == f[i].line && strcmp(f[k].file, f[i].file) == 0)
				abort();
	}
	reg_frames_free(f, n);
	free(text);
	return 0;
}
