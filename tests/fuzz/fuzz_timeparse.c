/* fuzz_timeparse.c - libFuzzer harness for util/timeparse (tp_parse,
 * tp_find, tp_duration and the two formatters fed with what they parse).
 *
 * Checked properties (abort on violation): a parsed timestamp formats to a
 * string that parses back to the same whole second (years 1970-9999), and a
 * parse with `end` stops inside the input.
 */
#include "config.h"
#include "harness.h"
#include "util/timeparse.h"

#include <math.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	double t = 0;
	int flags = 0;
	const char *end = NULL;
	char out[64];

	if (tp_parse(s, &t, &flags, &end)) {
		if (end < s || end > s + size)
			abort();
		if (t >= 0 && t < 253402300800.0) { /* 1970 .. 9999-12-31 */
			double back = 0;
			tp_format(t, out, sizeof out);
			if (!tp_parse(out, &back, NULL, NULL) || back != floor(t)) {
				fprintf(stderr, "round trip: %s -> %.3f -> %s -> %.3f\n",
					s, t, out, back);
				abort();
			}
		}
	}
	(void)tp_parse(s, &t, &flags, NULL);
	if (tp_find(s, &t, &flags))
		tp_format(t, out, sizeof out);

	double d = tp_duration(s);
	if (d >= 0 && d < 1e15)
		tp_format_duration(d, out, sizeof out);
	free(s);
	return 0;
}
