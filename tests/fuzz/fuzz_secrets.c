/* fuzz_secrets.c - libFuzzer harness for the secrets file parser
 * (sources/secrets.c secrets_parse; the mode and owner checks of
 * secrets_load are left to the unit tests: a fuzzer has no file to own).
 *
 * Checked properties (the promises of secrets.h): every entry has a name
 * the extension table allows, a non-empty value that is valid UTF-8 with no
 * control character but tab, a line number in the input, increasing from
 * entry to entry, and no name twice; every error starts with "fuzz:LINE: ";
 * secrets_get finds each entry under its name; the parse never refuses.
 */
#include "config.h"
#include "harness.h"
#include "sources/secrets.h"
#include "util/text.h"

#include <stdio.h>

static void die(const char *what)
{
	fprintf(stderr, "fuzz_secrets: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secrets *s = secrets_parse((const char *)data, size, "fuzz");
	int lines = 1, prev = 0;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (s->refused)
		die("a parse refused the input");
	for (size_t i = 0; i < s->n; i++) {
		const struct secret_entry *e = &s->v[i];
		size_t vl = strlen(e->value);
		if (!secrets_name_allowed(e->name))
			die("an entry has a name the table does not allow");
		if (vl == 0 || !txt_utf8_valid(e->value, vl, NULL))
			die("an entry value is empty or not UTF-8");
		for (size_t k = 0; k < vl; k++) {
			unsigned char c = (unsigned char)e->value[k];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				die("an entry value holds a control character");
		}
		if (e->line <= prev || e->line > lines)
			die("entry line numbers out of order or range");
		prev = e->line;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->v[j].name, e->name) == 0)
				die("a name is kept twice");
		if (secrets_get(s, e->name, NULL) != e->value)
			die("secrets_get misses an entry");
	}
	for (size_t i = 0; i < s->nerrors; i++) {
		const char *m = s->errors[i];
		if (strncmp(m, "fuzz:", 5) != 0 || m[5] < '1' || m[5] > '9')
			die("an error does not start with fuzz:LINE");
		m += 5;
		while (*m >= '0' && *m <= '9')
			m++;
		if (strncmp(m, ": ", 2) != 0)
			die("an error does not start with fuzz:LINE: ");
	}
	secrets_free(&s);
	return 0;
}
