/* md_verdicts_int.h - line helpers shared by md_verdicts.c and
 * md_instants.c; private to those two files.
 *
 * Ownership: the helpers copy what they keep (mdv_set_value strdups into
 * the value, freeing the old one); pointers returned by mdv_ci_find point
 * into the caller's text.
 */
#ifndef WZ_SOURCES_MD_VERDICTS_INT_H
#define WZ_SOURCES_MD_VERDICTS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/md_verdicts.h"

/* Case-insensitive search of needle in hay[0..n). NULL if absent. */
const char *mdv_ci_find(const char *hay, size_t n, const char *needle);
/* True when the line is a markdown heading whose text is title (any case);
 * *level gets the number of '#'. */
bool mdv_heading_is(const char *l, size_t n, const char *title, int *level);
/* `key: value` / `- **key**: value` lines: true with the value's span. */
bool mdv_key_value(const char *l, size_t n, const char *key, size_t *vs, size_t *vl);
/* Copies l[0..n) into dst (cap bytes, always NUL-terminated). */
void mdv_line_copy(char *dst, size_t cap, const char *l, size_t n);
void mdv_set_time(struct mdv_time *t, double v, int flags, int line, const char *what);
void mdv_set_value(struct mdv_value *v, const char *s, size_t n, int line, const char *what);

#endif
