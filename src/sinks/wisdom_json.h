/* wisdom_json.h - the JSON files `wisdom publish` writes into RUN/wisdom/
 * (spec/run-artifacts.md §12, §12.1): flow_history.json (flows, events[]
 * with t_source, counts), wisdom_receipt.json in shape A with its counts
 * recounted from what was written, and wisdom_report.json (the
 * wisdom-report/1 document with learnings[] and their decision state).
 *
 * Times: every writer takes the instant to stamp as an argument, so the
 * publisher can keep the previous stamp when nothing else changed (an
 * unchanged run re-publishes as a no-op).
 *
 * Ownership: every function returns malloc'd JSON text (indented, final
 * newline) the caller frees. Inputs are borrowed. Not redacted here.
 */
#ifndef WZ_SINKS_WISDOM_JSON_H
#define WZ_SINKS_WISDOM_JSON_H

#include "sinks/wisdom_md.h"

#define WJSON_GENERATOR_KEY "\"generator\": \"wisdom/"

char *wjson_flow_history(const struct wmd_input *in);

/* github_reporting: POSTED, SKIPPED_<reason word>, PENDING, FAILED.
 * completed_at: an ISO instant (NULL: null). */
char *wjson_receipt(const struct wmd_input *in, const char *github_reporting, const char *completed_at);

/* now: generated_at (NAN: null). */
char *wjson_report(const struct wmd_input *in, double now);

/* Other flows' receipts present and parsed (flows_completed, recounted). */
int wjson_flows_completed(const struct run *r);

#endif
