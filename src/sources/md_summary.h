/* md_summary.h - the Machine Summary block of a swarm markdown artifact
 * (spec/run-artifacts.md §5), parsed into a flat list of keys.
 *
 * A block starts at the first heading `#{1,4} Machine Summary( Block)?`
 * with an optional `(…)` suffix (headings inside code fences are only used
 * when no other one exists) and runs to the next heading of the same or a
 * higher level outside a fence. A body that is one yaml fence is read with
 * libyaml; anything else (bare `key: value` lines, flattened nesting, a
 * fence libyaml refuses) is read with the §5 line rules.
 *
 * Items are kept in document order at every depth; mds_get() returns the
 * first match at any depth, mds_get_in() a key under a map header.
 * Unfilled template values (`A | B`, `<agent-name>`), `null`, `~` and empty
 * values are NULL.
 *
 * Ownership: mds_parse*() allocate a struct mds the caller releases with
 * mds_free(&m), which frees every string and list inside and NULLs m.
 * The text buffer is only borrowed during the call.
 */
#ifndef WZ_SOURCES_MD_SUMMARY_H
#define WZ_SOURCES_MD_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "util/status.h"

struct mds_item {
	char *key;
	char *value;            /* NULL = null, absent, template or a header */
	int line;               /* 1-based line in the file */
	struct str_list list;   /* items of an inline `[…]` or `- item` list */
	bool is_list;
	bool is_header;         /* `key:` with nothing after the colon */
	bool is_template;       /* value was unfilled template text */
	int depth;              /* 0 = top level */
	int parent;             /* index of the enclosing map header, -1 none */
};

struct mds {
	bool found;
	int heading_line;       /* 0 when not found */
	int end_line;           /* last line of the body */
	int heading_level;      /* number of '#' */
	char *heading;          /* heading text without the '#'s, trimmed */
	bool from_yaml;         /* body read by libyaml */
	struct mds_item *items;
	size_t n;
	struct str_list warnings;   /* "path:line: message" */
};

/* Parses the first Machine Summary block of text[0..len). `path` names the
 * file in warnings. Returns WZ_OK with (*out)->found=false when the file has
 * no block. Only fails on bad arguments. */
enum wz_status mds_parse(const char *text, size_t len, const char *path, struct mds **out,
			 struct wz_err *err);
/* Same, for the first block whose heading is on a line > after_line (so a
 * caller can walk every block: pass the previous end_line). */
enum wz_status mds_parse_after(const char *text, size_t len, const char *path, int after_line,
			       struct mds **out, struct wz_err *err);

const struct mds_item *mds_get(const struct mds *m, const char *key);   /* first match */
/* A key under the map header `parent` (indented, or flattened to the
 * header's own column: then the keys after it up to the next header). */
const struct mds_item *mds_get_in(const struct mds *m, const char *parent, const char *key);
const char *mds_str(const struct mds *m, const char *key);             /* value or NULL */
/* Number of a scalar (`53`, `89.5`, `"12"`); false when null or not a number. */
bool mds_item_num(const struct mds_item *it, double *v);

void mds_free(struct mds **m);

/* Helpers shared with the other markdown readers. */
/* Level (1-6) of an ATX heading line, 0 when the line is not one. */
int mds_heading_level(const char *line, size_t n);
/* True for a code fence line (``` or ~~~, any info string). */
bool mds_is_fence(const char *line, size_t n);
/* True when s is unfilled template text (`A | B`, `<name>`). */
bool mds_is_template(const char *s);
/* Copies s[0..n) trimmed, with one level of matching quotes removed. */
char *mds_unquote(const char *s, size_t n);

#endif
