/* xalloc.h - allocation that never returns NULL.
 *
 * On exhaustion the process prints one line and exits with status 2 (the
 * journal is fsynced per decision, so nothing the user decided is lost).
 * Ownership: the caller owns and frees every returned pointer.
 */
#ifndef WZ_UTIL_XALLOC_H
#define WZ_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array: returns a block for at least `need` elements of `size`,
 * updating *cap (doubling). Checks multiplication overflow. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);            /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees *pp and sets it to NULL. */
#define XFREE(pp) do { free(*(pp)); *(pp) = NULL; } while (0)

#endif
