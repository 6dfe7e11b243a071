/* fuzz_lcov.c - libFuzzer harness for report_lcov_read() (sources/report_lcov.c),
 * fed through an in-memory file; shared checks in report_harness.h. */
#include "config.h"
#include "report_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_report_one(data, size, "fuzz.info", TR_FMT_LCOV, report_lcov_read);
}
