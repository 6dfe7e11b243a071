/* fuzz_cobertura.c - libFuzzer harness for report_cobertura_read() (sources/report_cobertura.c),
 * fed through an in-memory file; shared checks in report_harness.h. */
#include "config.h"
#include "report_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_report_one(data, size, "fuzz.xml", TR_FMT_COBERTURA, report_cobertura_read);
}
