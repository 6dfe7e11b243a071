/* md_obs.h - the observability inventory of plan/observability_spec.md
 * (spec/run-artifacts.md §11).
 *
 * Only lines inside an `## Inventory …` section count (specs repeat `- SLO:`
 * lines in their body). A line whose name is `none` is a sentinel ("declared
 * none"), counted apart. No section at all is "no inventory", not zero.
 *
 * Ownership: mdo_parse() allocates a struct mdo the caller releases with
 * mdo_free(&p), which frees the entries and NULLs the pointer.
 */
#ifndef WZ_SOURCES_MD_OBS_H
#define WZ_SOURCES_MD_OBS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/status.h"

/* X(enum, marker) */
#define MDO_KIND_TABLE(X)               \
	X(MDO_METRIC,     "METRIC")     \
	X(MDO_LOG_EVENT,  "LOG_EVENT")  \
	X(MDO_TRACE_SPAN, "TRACE_SPAN") \
	X(MDO_SLO,        "SLO")        \
	X(MDO_ALERT,      "ALERT")

enum mdo_kind {
#define MDO_X(e, m) e,
	MDO_KIND_TABLE(MDO_X)
#undef MDO_X
	MDO_NKINDS
};

const char *mdo_kind_name(enum mdo_kind k);

struct mdo_entry {
	enum mdo_kind kind;
	char *name;         /* first token after `KIND: ` */
	char *rest;         /* the attributes as written (`type=gauge labels=[a,b]`) */
	int line;
	bool sentinel;      /* name is `none` */
};

struct mdo {
	bool present;               /* an Inventory section was found */
	int heading_line;
	int counts[MDO_NKINDS];     /* real entries only */
	int sentinels;
	struct mdo_entry *entries;  /* every entry, sentinels included */
	size_t n;
};

/* Parses text[0..len). Never fails on content; *out is always set. */
enum wz_status mdo_parse(const char *text, size_t len, struct mdo **out, struct wz_err *err);
void mdo_free(struct mdo **p);

#endif
