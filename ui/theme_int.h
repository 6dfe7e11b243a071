/* theme_int.h - the theme struct shared by theme.c, theme_apply.c and
 * theme_builtin.c. Not for other modules. */
#ifndef WZ_UI_THEME_INT_H
#define WZ_UI_THEME_INT_H

#include "ui/theme.h"

struct theme_role_def {
	struct theme_color fg, bg;
	unsigned attrs;   /* TA_* bits */
	bool set;         /* false: looks like `default` without attributes */
};

struct theme {
	char *name;
	struct theme_role_def role[ROLE_COUNT];
	char **warn;
	size_t nwarn, warn_cap;
	bool applied;
	int attr[ROLE_COUNT];   /* curses attributes after theme_apply() */
};

/* Compiled-in copies of themes/default.theme and themes/mono.theme
 * (test_theme checks they equal the files). */
extern const char theme_builtin_default_text[];
extern const char theme_builtin_mono_text[];

#endif
