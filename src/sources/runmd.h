/* runmd.h - facts from a run's markdown artifacts (Machine Summaries,
 * markers, test evidence, verdicts, deploy time, observability inventory).
 * Ownership: fills fields of a struct run the caller owns. */
#ifndef WZ_SOURCES_RUNMD_H
#define WZ_SOURCES_RUNMD_H

#include "model/run.h"

/* Reads every markdown fact of r->path into r. Never fails: problems are
 * appended to r->warnings naming file and line. */
void runmd_fill(struct run *r);

#endif
