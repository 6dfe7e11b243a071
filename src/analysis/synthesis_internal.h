/* synthesis_internal.h - helpers shared by analysis/synthesis*.c only.
 * Ownership: functions returning char * return malloc'd strings. */
#ifndef WZ_ANALYSIS_SYNTHESIS_INTERNAL_H
#define WZ_ANALYSIS_SYNTHESIS_INTERNAL_H

#include <stdbool.h>

#include "analysis/synthesis.h"

/* A path as cited in an artifact made relative to the run folder: quotes
 * and backticks dropped, everything up to `.runs/<id>/` (or
 * `swarm/runs/<id>/`) removed. */
char *syn_run_rel(const char *cited);
/* True when rel (anchor `#…`, `:line` and anything after a space dropped)
 * names an existing file or folder inside the run. */
bool syn_cited_exists(const struct run *r, const char *rel);
/* Adds an evidence item to l (strings copied). */
void syn_ev(struct learning *l, enum fnd_ev_type type, const char *locator, const char *excerpt,
	    const char *analyzer, enum fnd_confidence conf);
/* Adds file-like words of text (containing '/' or ending in a known
 * extension) to l->components. */
void syn_file_components(struct learning *l, const char *text);
/* Adds s to l->components when not there yet. */
void syn_component(struct learning *l, const char *s);

#endif
