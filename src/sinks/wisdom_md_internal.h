/* wisdom_md_internal.h - helpers shared by the wisdom markdown writers
 * (wisdom_md.c, wisdom_md_learn.c) and the GitHub bodies (gh_publish.c).
 * Not part of the public API. */
#ifndef WZ_SINKS_WISDOM_MD_INTERNAL_H
#define WZ_SINKS_WISDOM_MD_INTERNAL_H

#include "sinks/wisdom_md.h"

/* Which file and section an item goes to. */
enum wmd_place { WP_LEARNING, WP_ACTION, WP_PACK_OBS, WP_ISSUE, WP_SUGGESTION };
enum wmd_place wmd_place(const struct wmd_item *it);

char *wmd_trim(char *s);
void wmd_trim_cr(char *s);
bool wmd_run_has(const struct run *r, const char *rel);
/* `# title`, Machine Summary (status, the control keys, concerns, counts
 * text as given, generator line). */
void wmd_head(struct buf *b, const struct wmd_input *in, const char *title, const char *status,
	      const struct str_list *concerns, const char *counts);
/* `## Inputs` with the artifacts (NULL-terminated) and every backend. */
void wmd_inputs(struct buf *b, const struct wmd_input *in, const char *const *artifacts);

#endif
