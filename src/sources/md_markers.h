/* md_markers.h - stable line markers (spec/run-artifacts.md §6): counted at
 * line start with exact case (indented look-alikes are sub-items), plus the
 * counts a file states about itself (`- suggestions: 5`).
 *
 * The marker set is RUN_MARKER_TABLE in model/run.h; this module holds the
 * matcher for each entry. Pure functions on a text buffer; nothing here
 * allocates.
 */
#ifndef WZ_SOURCES_MD_MARKERS_H
#define WZ_SOURCES_MD_MARKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"

struct mdm_count {
	int counted;
	int first_line;   /* 1-based line of the first match, 0 none */
};

/* Counts the lines of text[0..len) that start with marker mk. */
void mdm_count(const char *text, size_t len, enum run_marker mk, struct mdm_count *out);

/* Counts lines matching `pattern` at line start. The pattern is literal text
 * except: `%d` one ASCII digit, `%d+` one or more digits, `%A` / `%A+` one /
 * one or more uppercase ASCII letters. Example: "### REG-%d%d%d:". */
void mdm_count_pattern(const char *text, size_t len, const char *pattern, struct mdm_count *out);

/* The first line stating `key: <integer>` (any indent, optional `- ` bullet
 * and `**` bold around the key). Returns true and sets *v and *line. */
bool mdm_stated(const char *text, size_t len, const char *key, double *v, int *line);

/* Keys under which a file states marker mk's count (NULL-terminated list,
 * possibly empty). */
const char *const *mdm_stated_keys(enum run_marker mk);

/* The pattern (mdm_count_pattern syntax) of marker mk. */
const char *mdm_pattern(enum run_marker mk);

#endif
