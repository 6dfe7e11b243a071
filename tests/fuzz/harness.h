/* harness.h - helpers shared by the fuzz harnesses.
 *
 * fz_cstr() gives a harness a NUL-terminated copy of the fuzz input (most
 * project parsers take C strings); fz_take() splits a few leading bytes off
 * the input to choose options; fz_write_file() puts the input in a file for
 * readers that take a path. Ownership: fz_cstr() returns malloc'd memory
 * the harness frees.
 */
#ifndef WZ_FUZZ_HARNESS_H
#define WZ_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Consumes one byte of the input as a selector (0 when empty). */
static inline unsigned fz_take(const uint8_t **data, size_t *size)
{
	if (*size == 0)
		return 0;
	unsigned v = **data;
	(*data)++;
	(*size)--;
	return v;
}

/* Writes the input to path (created 0600, truncated); aborts on failure. */
static inline void fz_write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	while (size) {
		ssize_t w = write(fd, data, size);
		if (w <= 0)
			abort();
		data += w;
		size -= (size_t)w;
	}
	close(fd);
}

#endif
