/* fuzz_tap.c - libFuzzer harness for report_tap_read() (sources/report_tap.c),
 * fed through an in-memory file; shared checks in report_harness.h. */
#include "config.h"
#include "report_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_report_one(data, size, "fuzz.tap", TR_FMT_TAP, report_tap_read);
}
