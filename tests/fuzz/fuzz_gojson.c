/* fuzz_gojson.c - libFuzzer harness for report_gojson_read() (sources/report_gojson.c),
 * fed through an in-memory file; shared checks in report_harness.h. */
#include "config.h"
#include "report_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_report_one(data, size, "fuzz.json", TR_FMT_GOJSON, report_gojson_read);
}
