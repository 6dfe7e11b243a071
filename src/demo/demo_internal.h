/* demo_internal.h - shared between demo.c and demo_git.c only. */
#ifndef WZ_DEMO_DEMO_INTERNAL_H
#define WZ_DEMO_DEMO_INTERNAL_H

#include <stddef.h>
#include "util/status.h"

/* Commit labels of the history script and the SHAs they became. */
struct demo_label {
	char *label;
	char sha[41];
};

struct demo_labels {
	struct demo_label *v;
	size_t n, cap;
};

/* Replays content_dir/history/HISTORY into a new repository at repo_dir
 * (which exists and is empty), leaves `main` checked out, fills *labels. */
enum wz_status demo_git_build(const char *content_dir, const char *repo_dir,
			      struct demo_labels *labels, struct wz_err *err);

const char *demo_labels_find(const struct demo_labels *l, const char *label, size_t n);
void demo_labels_free(struct demo_labels *l);

/* Lists regular files under dir (recursively, sorted, paths relative to
 * dir). Caller frees each string and the array. */
enum wz_status demo_list_files(const char *dir, char ***files, size_t *n, struct wz_err *err);
void demo_free_list(char **files, size_t n);

#endif
