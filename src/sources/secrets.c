/* secrets.c - the secrets file (see secrets.h). */
#include "config.h"
#include "sources/secrets.h"
#include "sources/extensions.h"
#include "util/fileio.h"
#include "util/redact.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest NAME echoed in a message. */
#define NAME_MAX_SHOWN 64

char *secrets_path(void)
{
	const char *p = getenv("WISDOM_SECRETS");
	if (p && *p)
		return xstrdup(p);
	return fio_user_config_file("secrets");
}

bool secrets_name_allowed(const char *name)
{
	const struct ext_env_var *v = ext_env_vars();
	size_t n = ext_env_count();
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].backend != EB_COUNT;
	return false;
}

static bool is_core_name(const char *name)
{
	const struct ext_env_var *v = ext_env_vars();
	size_t n = ext_env_count();
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].backend == EB_COUNT;
	return false;
}

static void add_error(struct secrets *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_error(struct secrets *s, const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};
	size_t cap = s->nerrors;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->errors = xgrow(s->errors, &cap, s->nerrors + 1, sizeof *s->errors);
	s->errors[s->nerrors++] = buf_detach(&b);
}

static bool ident_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool ident_char(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One non-blank, non-comment line l[0..n). */
static void parse_line(struct secrets *s, const char *l, size_t n, int lineno, size_t *cap)
{
	const char *name = s->path;
	size_t i = 0, ns, ne, vs, ve;
	char *key;

	if (n >= 7 && strncmp(l, "export", 6) == 0 && blank(l[6])) {
		i = 7;
		while (i < n && blank(l[i]))
			i++;
	}
	ns = i;
	if (i < n && ident_start((unsigned char)l[i]))
		while (i < n && ident_char((unsigned char)l[i]))
			i++;
	ne = i;
	while (i < n && blank(l[i]))
		i++;
	if (ne == ns || i >= n || l[i] != '=') {
		/* the line may be a bare token pasted by mistake: never echo it */
		add_error(s, "%s:%d: expected NAME=value (a backend variable name, then '=')", name, lineno);
		return;
	}
	key = xstrndup(l + ns, ne - ns);
	vs = i + 1;
	ve = n;
	while (vs < ve && blank(l[vs]))
		vs++;
	while (ve > vs && blank(l[ve - 1]))
		ve--;
	if (ve - vs >= 2 && (l[vs] == '"' || l[vs] == '\'') && l[ve - 1] == l[vs]) {
		vs++;
		ve--;
	}
	if (!secrets_name_allowed(key)) {
		char *shown = NULL;
		if (ne - ns <= NAME_MAX_SHOWN)
			shown = redact_str(redact_default(), key);
		if (shown && is_core_name(key))
			add_error(s, "%s:%d: %s is a wisdom setting, not a backend credential: set it in the "
				  "environment instead", name, lineno, shown);
		else
			add_error(s, "%s:%d: %s is not a backend variable wisdom knows (`wisdom doctor` lists "
				  "them)", name, lineno, shown ? shown : "the name");
		free(shown);
		free(key);
		return;
	}
	if (ve == vs) {
		add_error(s, "%s:%d: %s has an empty value: give one or delete the line", name, lineno, key);
		free(key);
		return;
	}
	for (size_t k = vs; k < ve; k++) {
		unsigned char c = (unsigned char)l[k];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			add_error(s, "%s:%d: the value of %s holds a control character: retype it", name, lineno,
				  key);
			free(key);
			return;
		}
	}
	if (!txt_utf8_valid(l + vs, ve - vs, NULL)) {
		add_error(s, "%s:%d: the value of %s is not valid UTF-8: retype it", name, lineno, key);
		free(key);
		return;
	}
	for (size_t k = 0; k < s->n; k++)
		if (strcmp(s->v[k].name, key) == 0) {
			add_error(s, "%s:%d: %s is already set on line %d; the first one is kept", name,
				  lineno, key, s->v[k].line);
			free(key);
			return;
		}
	s->v = xgrow(s->v, cap, s->n + 1, sizeof *s->v);
	s->v[s->n].name = key;
	s->v[s->n].value = xstrndup(l + vs, ve - vs);
	s->v[s->n].line = lineno;
	s->n++;
}

struct secrets *secrets_parse(const char *text, size_t len, const char *name)
{
	struct secrets *s = xcalloc(1, sizeof *s);
	struct txt_lines it;
	const char *line;
	size_t ll, cap = 0;

	s->path = xstrdup(name ? name : "secrets");
	if (!text)
		return s;
	txt_lines_init(&it, text, len);
	while (txt_lines_next(&it, &line, &ll)) {
		size_t a = 0, b = ll;
		while (a < b && blank(line[a]))
			a++;
		while (b > a && blank(line[b - 1]))
			b--;
		if (a == b || line[a] == '#')
			continue;
		parse_line(s, line + a, b - a, it.lineno, &cap);
	}
	return s;
}

/* A table holding only the refusal. */
static enum wz_status refuse(const char *path, struct secrets **out, struct wz_err *err,
			     enum wz_status code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static enum wz_status refuse(const char *path, struct secrets **out, struct wz_err *err,
			     enum wz_status code, const char *fmt, ...)
{
	struct secrets *s = xcalloc(1, sizeof *s);
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->path = xstrdup(path);
	s->refused = true;
	s->errors = xmalloc(sizeof *s->errors);
	s->errors[0] = buf_detach(&b);
	s->nerrors = 1;
	*out = s;
	return wz_err_set(err, code, "%s", s->errors[0]);
}

enum wz_status secrets_load(const char *path, struct secrets **out, struct wz_err *err)
{
	struct stat st, st2;
	char *data = NULL;
	size_t len = 0;
	struct wz_err e;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int en = errno;
		if (en == ENOENT)
			return wz_err_set(err, WZ_ENOENT, "%s: no secrets file", path);
		return refuse(path, out, err, en == ELOOP ? WZ_ELOOP : WZ_EACCES,
			      "%s: secrets file cannot be opened (%s); nothing was loaded from it", path,
			      strerror(en));
	}
	if (fstat(fd, &st) != 0) {
		int en = errno;
		close(fd);
		return refuse(path, out, err, WZ_EIO, "%s: secrets file cannot be read (%s); nothing was loaded",
			      path, strerror(en));
	}
	close(fd);
	if (!S_ISREG(st.st_mode))
		return refuse(path, out, err, WZ_EACCES,
			      "%s: secrets file refused: not a regular file (%s); make it a plain file "
			      "readable only by you (chmod 600 %s)", path,
			      S_ISDIR(st.st_mode) ? "a directory" : "a device, FIFO or socket", path);
	if (st.st_uid != geteuid())
		return refuse(path, out, err, WZ_EACCES,
			      "%s: secrets file refused: owned by uid %ld, not by you (uid %ld); nothing "
			      "was loaded (chown it to yourself, then chmod 600 %s)", path, (long)st.st_uid,
			      (long)geteuid(), path);
	if (st.st_mode & 066)
		return refuse(path, out, err, WZ_EACCES,
			      "%s: secrets file refused: mode %04o lets %s %s it; nothing was loaded "
			      "(fix: chmod 600 %s)", path, (unsigned)(st.st_mode & 07777),
			      st.st_mode & 006 ? "every user" : "your group",
			      st.st_mode & 044 ? (st.st_mode & 022 ? "read and change" : "read")
					       : "change",
			      path);
	if ((unsigned long long)st.st_size > SECRETS_MAX_BYTES)
		return refuse(path, out, err, WZ_ETOOBIG,
			      "%s: %lld bytes is over the %zu KiB limit for a secrets file; nothing was loaded",
			      path, (long long)st.st_size, SECRETS_MAX_BYTES >> 10);
	wz_err_clear(&e);
	/* one byte of slack: fio_read refuses a file of exactly its limit */
	if (fio_read(path, SECRETS_MAX_BYTES + 1, &data, &len, &e) != WZ_OK)
		return refuse(path, out, err, e.code, "%s; nothing was loaded from the secrets file", e.msg);
	/* the file read must be the one checked */
	if (stat(path, &st2) != 0 || st2.st_ino != st.st_ino || st2.st_dev != st.st_dev) {
		free(data);
		return refuse(path, out, err, WZ_EIO,
			      "%s: secrets file changed while it was read; nothing was loaded (run again)", path);
	}
	*out = secrets_parse(data, len, path);
	free(data);
	return WZ_OK;
}

const char *secrets_get(const struct secrets *s, const char *name, int *line)
{
	if (line)
		*line = 0;
	for (size_t i = 0; s && name && i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0) {
			if (line)
				*line = s->v[i].line;
			return s->v[i].value;
		}
	return NULL;
}

void secrets_free(struct secrets **ps)
{
	struct secrets *s;
	if (!ps || !*ps)
		return;
	s = *ps;
	for (size_t i = 0; i < s->n; i++) {
		/* values are credentials: wipe them before the memory is reused */
		if (s->v[i].value)
			memset(s->v[i].value, 0, strlen(s->v[i].value));
		free(s->v[i].name);
		free(s->v[i].value);
	}
	for (size_t i = 0; i < s->nerrors; i++)
		free(s->errors[i]);
	free(s->errors);
	free(s->v);
	free(s->path);
	XFREE(ps);
}

/* ---- process-wide table --------------------------------------------------- */

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct secrets *g_tab;
static bool g_loaded, g_atexit;

static void free_global(void)
{
	pthread_mutex_lock(&g_mu);
	secrets_free(&g_tab);
	pthread_mutex_unlock(&g_mu);
}

/* Prints at most this many bad lines; the rest are counted. */
#define DIAG_MAX 10

const struct secrets *secrets_global(FILE *diag)
{
	struct secrets *s;
	pthread_mutex_lock(&g_mu);
	if (!g_loaded) {
		char *path = secrets_path();
		struct wz_err e;
		g_loaded = true;
		if (path && strcmp(path, "/dev/null") != 0) {
			wz_err_clear(&e);
			(void)secrets_load(path, &g_tab, &e);
			if (g_tab && diag) {
				size_t k;
				for (k = 0; k < g_tab->nerrors && k < DIAG_MAX; k++)
					fprintf(diag, "wisdom: %s%s\n", g_tab->errors[k],
						g_tab->refused ? "" : " (line skipped)");
				if (g_tab->nerrors > DIAG_MAX)
					fprintf(diag, "wisdom: %s: %zu more bad lines (wisdom doctor lists them)\n",
						g_tab->path, g_tab->nerrors - DIAG_MAX);
			}
		}
		free(path);
		if (!g_atexit) {
			g_atexit = true;
			atexit(free_global);
		}
	}
	s = g_tab;
	pthread_mutex_unlock(&g_mu);
	return s;
}

const char *secrets_lookup(const char *name, const char **file, int *line)
{
	const struct secrets *s = secrets_global(stderr);
	const char *v = secrets_get(s, name, line);
	if (file)
		*file = v ? s->path : NULL;
	return v;
}

void secrets_global_reset(void)
{
	pthread_mutex_lock(&g_mu);
	secrets_free(&g_tab);
	g_loaded = false;
	pthread_mutex_unlock(&g_mu);
}

static const char *process_config;

void secrets_set_config_path(const char *config_path)
{
	process_config = config_path;
}

struct redactor *secrets_redactor(const char *config_path, struct wz_err *warn)
{
	struct redactor *rd = redact_new();
	char *path = redact_user_file(config_path ? config_path : process_config);
	wz_err_clear(warn);
	if (path && redact_load_file(rd, path, NULL, warn) == WZ_OK)
		wz_err_clear(warn);
	free(path);
	for (size_t i = 0; i < ext_env_count(); i++)
		if (ext_env_vars()[i].secret)
			(void)redact_add_literal(rd, ext_getenv(ext_env_vars()[i].name, NULL));
	return rd;
}
