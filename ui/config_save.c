/* config_save.c - `:save-config`: rewrite only the managed block. */
#include "config.h"
#include "ui/config.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#define BLOCK_BEGIN "# >>> wisdom managed >>>"
#define BLOCK_END "# <<< wisdom managed <<<"

/* Finds a line equal to marker; returns its offset or -1. */
static long find_line(const char *s, size_t n, const char *marker)
{
	struct txt_lines it;
	const char *line;
	size_t len, ml = strlen(marker);

	txt_lines_init(&it, s, n);
	while (txt_lines_next(&it, &line, &len))
		if (len == ml && memcmp(line, marker, ml) == 0)
			return (long)(line - s);
	return -1;
}

/* Reads `set NAME = VALUE` lines of the old block into vals. */
static void read_block(const char *s, size_t n, char *vals[CFG_COUNT])
{
	struct txt_lines it;
	const char *line;
	size_t len;
	int k;

	txt_lines_init(&it, s, n);
	while (txt_lines_next(&it, &line, &len)) {
		char *l = xstrndup(line, len), *name, *eq, *v;
		if (strncmp(l, "set ", 4) != 0 || !(eq = strchr(l, '='))) {
			free(l);
			continue;
		}
		*eq = '\0';
		name = txt_trim_dup(l + 4, strlen(l + 4));
		v = txt_trim_dup(eq + 1, strlen(eq + 1));
		for (k = 0; k < CFG_COUNT; k++)
			if (strcmp(name, cfg_setting_name((enum cfg_setting)k)) == 0) {
				free(vals[k]);
				vals[k] = v;
				v = NULL;
			}
		free(v);
		free(name);
		free(l);
	}
}

enum wz_status cfg_save(const struct cfg *c, const char *path, struct wz_err *err)
{
	char *data = NULL, *vals[CFG_COUNT] = { 0 }, *dir, *slash;
	size_t len = 0, after_off;
	long b, e;
	struct buf out = { 0 };
	enum wz_status st;
	int k;

	if (!path)
		path = cfg_user_path(c);
	if (!path)
		return wz_err_set(err, WZ_EUSAGE, "no user config file to save to (set HOME or use --config FILE)");
	st = fio_read(path, (size_t)1 << 20, &data, &len, err);
	if (st == WZ_ENOENT) {
		data = xstrdup("");
		len = 0;
	} else if (st != WZ_OK) {
		return st;
	}
	b = find_line(data, len, BLOCK_BEGIN);
	e = b >= 0 ? find_line(data + b, len - (size_t)b, BLOCK_END) : -1;
	if (b >= 0 && e >= 0) {
		e += b;
		read_block(data + b, (size_t)(e - b), vals);
		after_off = (size_t)e + strlen(BLOCK_END);
		if (after_off < len && data[after_off] == '\r')
			after_off++;
		if (after_off < len && data[after_off] == '\n')
			after_off++;
		buf_append(&out, data, (size_t)b);
	} else {
		b = -1;
		after_off = len;
		buf_append(&out, data, len);
		if (len && data[len - 1] != '\n')
			buf_putc(&out, '\n');
	}
	for (k = 0; k < CFG_COUNT; k++)
		if (strcmp(cfg_origin(c, cfg_setting_name((enum cfg_setting)k)), ":set") == 0) {
			free(vals[k]);
			vals[k] = xstrdup(cfg_value(c, (enum cfg_setting)k));
		}
	buf_puts(&out, BLOCK_BEGIN "\n");
	for (k = 0; k < CFG_COUNT; k++) {
		const char *v = vals[k];
		if (!v)
			continue;
		if (strpbrk(v, " \t#") && v[0] != '"')
			buf_printf(&out, "set %s = \"%s\"\n", cfg_setting_name((enum cfg_setting)k), v);
		else
			buf_printf(&out, "set %s = %s\n", cfg_setting_name((enum cfg_setting)k), v);
		free(vals[k]);
	}
	buf_puts(&out, BLOCK_END "\n");
	if (b >= 0)
		buf_append(&out, data + after_off, len - after_off);
	free(data);

	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	st = WZ_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		if (!fio_is_dir(dir))
			st = fio_mkdirs(dir, 0700, err);
	}
	free(dir);
	if (st == WZ_OK)
		st = fio_write_atomic(path, out.p, out.len, err);
	buf_free(&out);
	return st;
}
