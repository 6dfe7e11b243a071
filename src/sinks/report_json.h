/* report_json.h - the wisdom-report/1 document (man/wisdom-report.5,
 * spec/run-artifacts.md §12.1): everything `wisdom analyze` knows about a
 * run as one JSON object. The readable report (report_text.h) is rendered
 * from this same document, so text and JSON never disagree.
 *
 * Rules kept here: unknown is JSON null, never 0; every test-count source
 * is listed with its values and a disagreement is flagged, never resolved
 * silently; strings are copied as UTF-8 (invalid bytes become U+FFFD).
 *
 * Ownership: rjson_build() returns a new json_t reference the caller
 * releases with json_decref(); rjson_dump() returns a malloc'd string.
 * The input structs are only borrowed.
 */
#ifndef WZ_SINKS_REPORT_JSON_H
#define WZ_SINKS_REPORT_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "model/run.h"
#include "sources/extensions.h"

#define RJSON_SCHEMA "wisdom-report/1"

struct audit;
struct finding;
struct ta_result;
struct learning_set;
struct journal;
struct igh_result;

struct rjson_input {
	const struct run *run;              /* required */
	const struct audit *audit;          /* NULL: "audit": null (not run) */
	const struct ext_result *backends;  /* EB_COUNT entries; NULL: "backends": {} */
	double now;                         /* generated_at; NAN: null */
	const char *version;                /* generator version; NULL: PACKAGE_VERSION */
	const struct finding *const *findings;   /* analyzer findings, in order (NULL: none) */
	size_t nfindings;                   /* a FAIL finding adds an attention[] line */
	const struct ta_result *tests;      /* NULL: "test_history": null (not run) */
	const struct learning_set *learnings;   /* NULL: "learnings": [] (report_learn.h) */
	const struct journal *journal;      /* decision states; NULL: "state": null */
	const struct igh_result *issues;    /* github-issues; NULL: "issues": [], "issues_search": null */
};

json_t *rjson_build(const struct rjson_input *in);

/* Indented JSON text with a final newline. Caller frees. */
char *rjson_dump(const json_t *doc);

/* 1 when the document's attention[] is non-empty, else 0. */
int rjson_exit_status(const json_t *doc);

/* A JSON string from untrusted bytes: NULL gives json null; invalid UTF-8
 * bytes are replaced by U+FFFD. Never returns NULL. */
json_t *rjson_str(const char *s);

#endif
