/* test_secrets.c - sources/secrets: the secrets file parser (good lines,
 * every kind of bad line, values never echoed), the refusal rules (mode,
 * owner, not a regular file, symlink loop, FIFO, oversize sparse file),
 * the lookup chain behind ext_getenv (environment first, then the file,
 * with where each value came from), redact_add_literal, and the modes
 * fio_write_atomic gives under umask 022 and 077. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sources/extensions.h"
#include "sources/secrets.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/redact.h"
#include "util/xalloc.h"

#define TOK "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"
#define AWSK "AKIAIOSFODNN7EXAMPLE"
#define AWSS "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char dir[64];

static int setup(void **st)
{
	(void)st;
	snprintf(dir, sizeof dir, "/tmp/wz-secrets-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int teardown(void **st)
{
	char cmd[128];
	(void)st;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name with mode; returns the path (caller frees). */
static char *put(const char *name, const char *text, mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f;
	unlink(p);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

/* No error message may carry a value of the file. */
static void no_value_in_errors(const struct secrets *s, const char *value)
{
	for (size_t i = 0; i < s->nerrors; i++)
		if (strstr(s->errors[i], value)) {
			print_error("value leaked in: %s\n", s->errors[i]);
			fail();
		}
}

static void parse_good(void **st)
{
	const char *text = "# wisdom secrets\r\n"
			   "\n"
			   "GH_TOKEN=" TOK "\r\n"
			   "   export AWS_ACCESS_KEY_ID = " AWSK "  \n"
			   "AWS_SECRET_ACCESS_KEY='" AWSS "'\n"
			   "\t# indented comment\n"
			   "METRICS_ENDPOINT=\"https://prom.example:9090/x?a=b=c\"\n"
			   "DD_API_KEY=has # no comment inside";
	struct secrets *s = secrets_parse(text, strlen(text), "sec.txt");
	int line;
	(void)st;
	assert_int_equal(s->nerrors, 0);
	assert_int_equal(s->n, 5);
	assert_false(s->refused);
	assert_string_equal(secrets_get(s, "GH_TOKEN", &line), TOK);
	assert_int_equal(line, 3);
	assert_string_equal(secrets_get(s, "AWS_ACCESS_KEY_ID", &line), AWSK);
	assert_int_equal(line, 4);
	assert_string_equal(secrets_get(s, "AWS_SECRET_ACCESS_KEY", &line), AWSS);
	assert_int_equal(line, 5);
	assert_string_equal(secrets_get(s, "METRICS_ENDPOINT", NULL), "https://prom.example:9090/x?a=b=c");
	assert_string_equal(secrets_get(s, "DD_API_KEY", &line), "has # no comment inside");
	assert_int_equal(line, 8);
	assert_null(secrets_get(s, "GITHUB_TOKEN", &line));
	assert_int_equal(line, 0);
	assert_string_equal(s->path, "sec.txt");
	secrets_free(&s);
	assert_null(s);

	s = secrets_parse("", 0, NULL);
	assert_int_equal(s->n, 0);
	assert_int_equal(s->nerrors, 0);
	assert_string_equal(s->path, "secrets");
	secrets_free(&s);
	s = secrets_parse(NULL, 0, "x");
	assert_int_equal(s->n, 0);
	secrets_free(&s);
}

static void parse_bad(void **st)
{
	/* line numbers: 1 unknown, 2 core, 3 bare token, 4 no name, 5 empty,
	 * 6 good, 7 duplicate, 8 control char, 9 invalid UTF-8, 10 lower-case
	 * name, 11 a name of 80 characters, 12 escape sequence in the value */
	const char *text = "FOO_TOKEN=sekritvalue-1\n"
			   "RUN_BASE=/tmp/sekritvalue-2\n"
			   TOK "\n"
			   "=sekritvalue-3\n"
			   "DD_APP_KEY=   \n"
			   "GITHUB_TOKEN=sekritvalue-4\n"
			   "GITHUB_TOKEN=sekritvalue-5\n"
			   "DD_API_KEY=sekrit\001value-6\n"
			   "HONEYCOMB_API_KEY=sekrit\xff\xfevalue-7\n"
			   "gh_token=sekritvalue-8\n"
			   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=sekritvalue-9\n"
			   "OPSGENIE_API_KEY=sekrit\033[31mvalue-10\n";
	struct secrets *s = secrets_parse(text, strlen(text), "f");
	(void)st;
	assert_int_equal(s->n, 1);
	assert_string_equal(secrets_get(s, "GITHUB_TOKEN", NULL), "sekritvalue-4");
	assert_int_equal(s->nerrors, 11);
	assert_string_equal(s->errors[0], "f:1: FOO_TOKEN is not a backend variable wisdom knows (`wisdom doctor` lists them)");
	assert_string_equal(s->errors[1],
			    "f:2: RUN_BASE is a wisdom setting, not a backend credential: set it in the environment instead");
	assert_string_equal(s->errors[2], "f:3: expected NAME=value (a backend variable name, then '=')");
	assert_string_equal(s->errors[3], "f:4: expected NAME=value (a backend variable name, then '=')");
	assert_string_equal(s->errors[4], "f:5: DD_APP_KEY has an empty value: give one or delete the line");
	assert_string_equal(s->errors[5], "f:7: GITHUB_TOKEN is already set on line 6; the first one is kept");
	assert_string_equal(s->errors[6], "f:8: the value of DD_API_KEY holds a control character: retype it");
	assert_string_equal(s->errors[7], "f:9: the value of HONEYCOMB_API_KEY is not valid UTF-8: retype it");
	assert_string_equal(s->errors[8], "f:10: gh_token is not a backend variable wisdom knows (`wisdom doctor` lists them)");
	assert_string_equal(s->errors[9], "f:11: the name is not a backend variable wisdom knows (`wisdom doctor` lists them)");
	assert_string_equal(s->errors[10], "f:12: the value of OPSGENIE_API_KEY holds a control character: retype it");
	no_value_in_errors(s, "sekrit");
	no_value_in_errors(s, TOK);
	secrets_free(&s);

	/* a name shaped like a token is redacted before it is echoed */
	s = secrets_parse(TOK "=x\n", strlen(TOK) + 3, "f");
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->errors[0],
			    "f:1: [REDACTED:github-token] is not a backend variable wisdom knows (`wisdom doctor` lists them)");
	secrets_free(&s);

	/* NUL bytes inside a line */
	{
		const char nul[] = "GH_TOKEN=abc\0def\nDD_API_KEY=x\n";
		s = secrets_parse(nul, sizeof nul - 1, "f");
		assert_int_equal(s->n, 1);
		assert_int_equal(s->nerrors, 1);
		assert_string_equal(s->errors[0], "f:1: the value of GH_TOKEN holds a control character: retype it");
		secrets_free(&s);
	}
}

static void names_allowed(void **st)
{
	(void)st;
	assert_true(secrets_name_allowed("GH_TOKEN"));
	assert_true(secrets_name_allowed("AZURE_CLIENT_SECRET"));
	assert_true(secrets_name_allowed("METRICS_ENDPOINT"));
	assert_false(secrets_name_allowed("RUN_BASE"));
	assert_false(secrets_name_allowed("SSL_CERT_FILE"));
	assert_false(secrets_name_allowed("WISDOM_SECRETS"));
	assert_false(secrets_name_allowed("gh_token"));
	assert_false(secrets_name_allowed(NULL));
}

static void load_modes(void **st)
{
	struct secrets *s = NULL;
	struct wz_err err;
	char *p, *want;
	(void)st;

	p = xasprintf("%s/missing", dir);
	assert_int_equal(secrets_load(p, &s, &err), WZ_ENOENT);
	assert_null(s);
	free(p);

	p = put("ok", "GH_TOKEN=" TOK "\n", 0600);
	assert_int_equal(secrets_load(p, &s, &err), WZ_OK);
	assert_int_equal(s->n, 1);
	assert_string_equal(s->path, p);
	secrets_free(&s);
	assert_int_equal(chmod(p, 0400), 0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_OK);
	secrets_free(&s);
	assert_int_equal(chmod(p, 0700), 0);   /* execute bits do not matter */
	assert_int_equal(secrets_load(p, &s, &err), WZ_OK);
	secrets_free(&s);

	static const struct {
		mode_t mode;
		const char *what;
	} bad[] = {
		{0644, "every user read"},
		{0640, "your group read"},
		{0620, "your group change"},
		{0602, "every user change"},
		{0666, "every user read and change"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(chmod(p, bad[i].mode), 0);
		wz_err_clear(&err);
		assert_int_equal(secrets_load(p, &s, &err), WZ_EACCES);
		assert_non_null(s);
		assert_true(s->refused);
		assert_int_equal(s->n, 0);
		assert_int_equal(s->nerrors, 1);
		want = xasprintf("%s: secrets file refused: mode %04o lets %s it; nothing was loaded (fix: chmod 600 %s)",
				 p, (unsigned)bad[i].mode, bad[i].what, p);
		assert_string_equal(err.msg, want);
		assert_string_equal(s->errors[0], want);
		assert_null(strstr(err.msg, TOK));
		free(want);
		secrets_free(&s);
	}
	free(p);

	/* a directory */
	p = xasprintf("%s/adir", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_EACCES);
	assert_true(s->refused);
	assert_non_null(strstr(err.msg, "not a regular file (a directory)"));
	assert_non_null(strstr(err.msg, "chmod 600"));
	secrets_free(&s);
	free(p);

	/* a FIFO: refused at once, never blocks */
	p = xasprintf("%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_EACCES);
	assert_non_null(strstr(err.msg, "a device, FIFO or socket"));
	secrets_free(&s);
	free(p);

	/* a symlink loop */
	p = xasprintf("%s/loop", dir);
	assert_int_equal(symlink(p, p), 0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_ELOOP);
	assert_true(s->refused);
	assert_non_null(strstr(err.msg, "cannot be opened"));
	secrets_free(&s);
	free(p);

	/* a symlink to a good file is followed */
	{
		char *t = put("target", "DD_API_KEY=abcdefgh\n", 0600);
		p = xasprintf("%s/link", dir);
		assert_int_equal(symlink(t, p), 0);
		assert_int_equal(secrets_load(p, &s, &err), WZ_OK);
		assert_string_equal(secrets_get(s, "DD_API_KEY", NULL), "abcdefgh");
		secrets_free(&s);
		free(p);
		free(t);
	}
}

static void load_owner(void **st)
{
	struct secrets *s = NULL;
	struct wz_err err;
	char *p;
	(void)st;
	if (geteuid() != 0)
		skip(); /* only root can give a file away */
	p = put("theirs", "GH_TOKEN=" TOK "\n", 0600);
	assert_int_equal(chown(p, 65534, 65534), 0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_EACCES);
	assert_true(s->refused);
	assert_non_null(strstr(err.msg, "owned by uid 65534, not by you (uid 0)"));
	assert_non_null(strstr(err.msg, "chmod 600"));
	secrets_free(&s);
	free(p);
}

static void load_huge(void **st)
{
	struct secrets *s = NULL;
	struct wz_err err;
	char *p = xasprintf("%s/huge", dir);
	struct timespec t0, t1;
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	(void)st;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)200 << 20), 0);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(secrets_load(p, &s, &err), WZ_ETOOBIG);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	assert_true(s->refused);
	assert_non_null(strstr(err.msg, "209715200 bytes"));
	assert_non_null(strstr(err.msg, "nothing was loaded"));
	secrets_free(&s);

	/* just over the limit, just under */
	fd = open(p, O_WRONLY | O_TRUNC);
	assert_int_equal(ftruncate(fd, (off_t)SECRETS_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(secrets_load(p, &s, &err), WZ_ETOOBIG);
	secrets_free(&s);
	fd = open(p, O_WRONLY | O_TRUNC);
	assert_int_equal(ftruncate(fd, (off_t)SECRETS_MAX_BYTES), 0);
	close(fd);
	assert_int_equal(secrets_load(p, &s, &err), WZ_OK);
	/* all NUL bytes: one line with no '=' */
	assert_int_equal(s->n, 0);
	assert_int_equal(s->nerrors, 1);
	secrets_free(&s);
	free(p);
}

static void path_order(void **st)
{
	char *p;
	(void)st;
	setenv("WISDOM_SECRETS", "/a/b", 1);
	setenv("XDG_CONFIG_HOME", "/x", 1);
	setenv("HOME", "/h", 1);
	p = secrets_path();
	assert_string_equal(p, "/a/b");
	free(p);
	unsetenv("WISDOM_SECRETS");
	p = secrets_path();
	assert_string_equal(p, "/x/wisdom/secrets");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = secrets_path();
	assert_string_equal(p, "/h/.config/wisdom/secrets");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = secrets_path();
	assert_string_equal(p, "/h/.config/wisdom/secrets");
	free(p);
	unsetenv("HOME");
	assert_null(secrets_path());
}

/* The chain behind ext_getenv: environment, then the file. */
static void lookup_chain(void **st)
{
	char *p = put("chain", "GH_TOKEN=" TOK "\n# c\nAWS_ACCESS_KEY_ID=" AWSK "\nAWS_SECRET_ACCESS_KEY=" AWSS
			       "\nAWS_REGION=eu-west-1\nLOGS_INDEX=/aws/app\nNOPE=1\n", 0600);
	char where[512], *want;
	const char *file = NULL;
	int line = 0;
	struct ext_result R[EB_COUNT];
	(void)st;

	unsetenv("GH_TOKEN");
	unsetenv("GITHUB_TOKEN");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_REGION");
	unsetenv("LOGS_INDEX");
	unsetenv("LOGS_ENDPOINT");
	unsetenv("LOGS_BACKEND");
	setenv("WISDOM_SECRETS", p, 1);
	secrets_global_reset();

	assert_string_equal(ext_getenv("GH_TOKEN", NULL), TOK);
	assert_string_equal(ext_where("GH_TOKEN", where, sizeof where), TOK);
	want = xasprintf("secrets %s:1", p);
	assert_string_equal(where, want);
	free(want);
	assert_string_equal(secrets_lookup("AWS_ACCESS_KEY_ID", &file, &line), AWSK);
	assert_string_equal(file, p);
	assert_int_equal(line, 3);
	assert_null(ext_getenv("GITHUB_TOKEN", NULL));
	assert_null(ext_where("GITHUB_TOKEN", where, sizeof where));
	assert_string_equal(where, "");
	assert_null(ext_getenv(NULL, NULL));

	ext_detect(ext_getenv, NULL, R);
	assert_int_equal(R[EB_GITHUB].state, EXT_CONFIGURED);
	assert_string_equal(R[EB_GITHUB].reason, "token from GH_TOKEN; API https://api.github.com");
	assert_int_equal(R[EB_CLOUDWATCH].state, EXT_CONFIGURED);

	/* the environment wins; an empty environment value does not */
	setenv("GH_TOKEN", "from-the-environment", 1);
	assert_string_equal(ext_getenv("GH_TOKEN", NULL), "from-the-environment");
	assert_string_equal(ext_where("GH_TOKEN", where, sizeof where), "from-the-environment");
	assert_string_equal(where, "env");
	setenv("GH_TOKEN", "", 1);
	assert_string_equal(ext_getenv("GH_TOKEN", NULL), TOK);
	unsetenv("GH_TOKEN");

	/* core variables never come from the file */
	setenv("WISDOM_SECRETS", p, 1);
	unsetenv("RUN_BASE");
	assert_null(ext_getenv("RUN_BASE", NULL));

	/* /dev/null turns the file off */
	setenv("WISDOM_SECRETS", "/dev/null", 1);
	secrets_global_reset();
	assert_null(secrets_global(stderr));
	assert_null(ext_getenv("GH_TOKEN", NULL));

	/* a refused file: nothing from it, the diagnostic printed once */
	assert_int_equal(chmod(p, 0644), 0);
	setenv("WISDOM_SECRETS", p, 1);
	secrets_global_reset();
	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		const struct secrets *g = secrets_global(f);
		assert_non_null(g);
		assert_true(g->refused);
		(void)secrets_global(f);
		fclose(f);
		want = xasprintf("wisdom: %s: secrets file refused: mode 0644 lets every user read it; nothing was "
				 "loaded (fix: chmod 600 %s)\n", p, p);
		assert_string_equal(out, want);
		free(want);
		free(out);
	}
	assert_null(ext_getenv("GH_TOKEN", NULL));
	assert_null(ext_getenv("AWS_ACCESS_KEY_ID", NULL));

	/* bad lines are reported with file:line, good lines still load */
	assert_int_equal(chmod(p, 0600), 0);
	secrets_global_reset();
	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		const struct secrets *g = secrets_global(f);
		fclose(f);
		assert_int_equal(g->n, 5);
		want = xasprintf("wisdom: %s:7: NOPE is not a backend variable wisdom knows (`wisdom doctor` lists "
				 "them) (line skipped)\n", p);
		assert_string_equal(out, want);
		free(want);
		free(out);
	}
	assert_string_equal(ext_getenv("LOGS_INDEX", NULL), "/aws/app");
	unsetenv("WISDOM_SECRETS");
	secrets_global_reset();
	free(p);
}

static void literal_redaction(void **st)
{
	struct redactor *r = redact_new();
	char *s;
	(void)st;
	/* a value of no known shape */
	s = redact_str(r, "auth=abc.def+ghi|(x) done");
	assert_string_equal(s, "auth=abc.def+ghi|(x) done");
	free(s);
	assert_true(redact_add_literal(r, "abc.def+ghi|(x)"));
	assert_false(redact_add_literal(r, "abc.def+ghi|(x)"));   /* already there */
	assert_false(redact_add_literal(r, "short"));
	assert_false(redact_add_literal(r, NULL));
	assert_false(redact_add_literal(r, "two\nlines!!"));
	s = redact_str(r, "auth=abc.def+ghi|(x) done; again abc.def+ghi|(x)");
	assert_string_equal(s, "auth=[REDACTED:known-secret] done; again [REDACTED:known-secret]");
	free(s);
	/* the pattern is literal: a regex reading of it must not match */
	s = redact_str(r, "abcXdef+ghi|(x) abc.deffghi");
	assert_string_equal(s, "abcXdef+ghi|(x) abc.deffghi");
	free(s);
	/* a built-in rule keeps its more specific name */
	assert_true(redact_add_literal(r, TOK));
	s = redact_str(r, "t " TOK);
	assert_string_equal(s, "t [REDACTED:github-token]");
	free(s);
	assert_string_equal(redact_rule_name(RD_KNOWN), "known-secret");
	redact_free(&r);
}

/* fio_write_atomic: the final file gets 0666 & ~umask, also over an
 * existing file with another mode. */
static void write_umask(void **st)
{
	struct wz_err err;
	struct stat sb;
	char *p = xasprintf("%s/artifact.md", dir);
	mode_t old = umask(022);
	(void)st;
	assert_int_equal(fio_write_atomic(p, "x\n", 2, &err), WZ_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
	umask(077);
	assert_int_equal(fio_write_atomic(p, "y\n", 2, &err), WZ_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	umask(002);
	assert_int_equal(fio_write_atomic(p, "z\n", 2, &err), WZ_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0664);
	umask(old);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good),     cmocka_unit_test(parse_bad),
		cmocka_unit_test(names_allowed),  cmocka_unit_test(load_modes),
		cmocka_unit_test(load_owner),     cmocka_unit_test(load_huge),
		cmocka_unit_test(path_order),     cmocka_unit_test(lookup_chain),
		cmocka_unit_test(literal_redaction), cmocka_unit_test(write_umask),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
