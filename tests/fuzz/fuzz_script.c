/* fuzz_script.c - libFuzzer harness for what the --script reader
 * (ui/script.c) does with each line before anything runs: trim, skip blank
 * and `#` lines, check `:command` lines with cmd_known() and key lines with
 * km_parse_key(). Running the items needs a whole headless console, which
 * the screen tests cover. A parsed key's canonical name (km_key_name) must
 * parse back to the same key after km_normalize.
 */
#include "config.h"
#include "harness.h"
#include "ui/app.h"
#include "ui/keymap.h"
#include "util/text.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct txt_lines it;
	const char *line;
	size_t len;

	txt_lines_init(&it, (const char *)data, size);
	while (txt_lines_next(&it, &line, &len)) {
		char *t = txt_trim_dup(line, len);
		if (t[0] && t[0] != '#') {
			if (t[0] == ':') {
				(void)cmd_known(t + 1);
			} else {
				int key = km_parse_key(t);
				if (key >= 0) {
					char name[64];
					km_key_name(key, name, sizeof name);
					int back = km_parse_key(name);
					if (strncmp(name, "<?", 2) != 0 &&
					    (back < 0 || km_normalize(back) != km_normalize(key))) {
						fprintf(stderr, "key '%s' -> %d -> '%s' -> %d\n", t, key, name, back);
						abort();
					}
				}
			}
		}
		free(t);
	}
	return 0;
}
