/* viewer_int.h - private to the artifact viewer (pane_viewer.c: the read,
 * the rows; viewer_search.c: search as a job). Not for other modules.
 *
 * Ownership: a vdoc and a vsearch are reference counted (refs): the viewer
 * holds one reference, every job that reads them another; the last
 * vw_*_unref() frees. */
#ifndef WZ_UI_VIEWER_INT_H
#define WZ_UI_VIEWER_INT_H

#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "ui/viewer.h"
#include "ui/viewer_paged.h"

/* The file and its line index, shared with jobs. */
struct vdoc {
	atomic_int refs;
	char *data;
	size_t len;
	size_t *off, *llen;
	size_t nlines;
	/* over VIEWER_MAX_BYTES: paged through a sparse index instead */
	struct vpaged *pg;
	char *linebuf;          /* VIEWER_LINE_MAX bytes, UI thread (vrow) */
};

struct vsearch {
	atomic_int refs;
	struct vdoc *doc;
	regex_t re;
	char pattern[256];
	int cflags, tab_size;
	pthread_mutex_t mu;      /* guards hits, nhits, complete */
	size_t *hits, nhits, cap;
	bool complete;
};

/* Passes a message to the console's notifier (viewer_set_notifier). */
void vw_note(bool error, const char *msg);
void vw_doc_unref(struct vdoc *d);
void vw_search_unref(struct vsearch *s);

#endif
