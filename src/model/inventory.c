/* inventory.c - the run folder's file list (see inventory.h). */
#include "config.h"
#include "model/inventory.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/xalloc.h"

_Atomic unsigned long run_inventory_dir_opens;

/* Without a hook, the thread's fio_progress hooks answer (a job worker
 * installs its job's: the console's load job is cancellable and shows the
 * files walked with no hook of its own). */
bool scan_hook_stopped(const struct scan_hook *h)
{
	if (!h)
		return fio_progress_stopped();
	if (h->cancel && *h->cancel)
		return true;
	return h->stop && h->stop(h->arg);
}

void scan_hook_report(const struct scan_hook *h, size_t files, const char *phase)
{
	if (!h)
		fio_progress_report(files, 0);
	else if (h->progress)
		h->progress(h->arg, files, phase);
}

struct run_inventory *run_inventory_new(const char *root)
{
	struct run_inventory *inv = xcalloc(1, sizeof *inv);
	inv->root = xstrdup(root ? root : "");
	return inv;
}

void run_inventory_free(struct run_inventory **pinv)
{
	struct run_inventory *inv;
	if (!pinv || !*pinv)
		return;
	inv = *pinv;
	for (size_t i = 0; i < inv->n; i++)
		free(inv->v[i].rel);
	free(inv->v);
	free(inv->root);
	free(inv->cap_note);
	free(inv);
	*pinv = NULL;
}

struct inv_file *run_inventory_add(struct run_inventory *inv, const char *rel, long long size, double mtime)
{
	struct inv_file *f;
	inv->v = xgrow(inv->v, &inv->cap, inv->n + 1, sizeof *inv->v);
	f = &inv->v[inv->n++];
	memset(f, 0, sizeof *f);
	f->rel = xstrdup(rel);
	f->size = size;
	f->mtime = mtime;
	atomic_init(&f->sniff, INV_SNIFF_NOT_YET);
	atomic_init(&f->format, 0);
	return f;
}

void run_inventory_cap(struct run_inventory *inv, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	inv->capped = true;
	if (inv->cap_note)
		return;   /* the first cut is the one worth naming */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	inv->cap_note = xstrdup(buf);
}

void run_inventory_under(const struct run_inventory *inv, const char *dir, size_t *lo, size_t *hi)
{
	size_t dl = strlen(dir), i;
	*lo = *hi = 0;
	if (!inv)
		return;
	for (i = 0; i < inv->n; i++)
		if (strncmp(inv->v[i].rel, dir, dl) == 0 && inv->v[i].rel[dl] == '/')
			break;
	*lo = *hi = i;
	while (*hi < inv->n && strncmp(inv->v[*hi].rel, dir, dl) == 0 && inv->v[*hi].rel[dl] == '/')
		(*hi)++;
	if (*lo == inv->n)
		*lo = *hi = inv->n;
}
