/* runs_internal.h - helpers shared by the runs_*.c files only.
 * Ownership: as stated per function; nothing here is public API. */
#ifndef WZ_SOURCES_RUNS_INTERNAL_H
#define WZ_SOURCES_RUNS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "model/run.h"

/* A parsed JSON file. On success `root` is set and `data` holds the text
 * (for key line look-ups); on failure `missing` or `error` says why
 * ("path:line:column: message ..." — error is malloc'd). */
struct runs_json {
	json_t *root;
	char *data;
	bool missing;
	char *error;
};
void runs_json_read(const char *path, struct runs_json *j);
void runs_json_done(struct runs_json *j);

/* 1-based line of the JSON key path keys[0] … keys[n-1] in text (each key
 * searched after the previous one); 0 when not found. */
int runs_key_line(const char *text, const char *const *keys, size_t n);

/* Copies a JSON scalar as text: strings verbatim, numbers/booleans
 * formatted; NULL for null/absent. Objects/arrays: compact JSON. */
char *runs_json_text(const json_t *v);

/* Fills an opt_num from a JSON value (number, numeric string); anything
 * else leaves has=false. Sets src to (rel, line) when the value exists. */
void runs_opt_num(struct opt_num *n, const json_t *v, const char *rel, int line);

/* Appends the strings of a JSON array (non-strings as text). */
void runs_str_list(struct str_list *l, const json_t *v);

/* 1 when path holds run_meta.json or any flow folder. */
bool runs_is_run_dir(const char *path);

/* Readers: each fills its part of r (r->path set), warnings to r->warnings. */
void runs_read_meta(struct run *r);
void runs_read_index(struct run *r, const char *root);
void runs_read_receipts(struct run *r);
void runs_scan_flows(struct run *r);   /* runs_check_flows + runs_walk_flows, default limits */
/* Sets flows[].dir_present (warnings for loops and non-folders); no walk. */
void runs_check_flows(struct run *r);
/* The one walk of the present flow folders: fills flows[].nfiles and times
 * and r->inventory (replaced). lim/hook may be NULL. WZ_ECANCELED when the
 * hook stopped it (the inventory says canceled, and holds what was seen). */
struct scan_limits;
struct scan_hook;
enum wz_status runs_walk_flows(struct run *r, const struct scan_limits *lim, const struct scan_hook *hook);
void runs_detect_generation(struct run *r, const char *root);

/* true when `root` is a Flow Studio swarm/runs folder. */
bool runs_root_is_flow_studio(const char *root);

#endif
