/* theme_apply.c - the curses side of themes: colour pairs and attributes. */
#include "config.h"
#include "ui/theme.h"
#include "ui/theme_int.h"

#include <curses.h>

static attr_t curses_attrs(unsigned bits)
{
	attr_t a = A_NORMAL;

	if (bits & TA_BOLD)
		a |= A_BOLD;
	if (bits & TA_DIM)
		a |= A_DIM;
	if (bits & TA_ITALIC)
		a |= A_ITALIC;
	if (bits & TA_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & TA_REVERSE)
		a |= A_REVERSE;
	if (bits & TA_STANDOUT)
		a |= A_STANDOUT;
	return a;
}

void theme_apply(struct theme *t, int depth, bool color_enabled)
{
	struct { long fg, bg; } pairs[256];
	int npairs = 0, max_pairs, r;
	bool have_default = false;

	if (!t)
		return;
	color_enabled = color_enabled && depth >= 8 && has_colors();
	max_pairs = color_enabled ? COLOR_PAIRS - 1 : 0;
	if (max_pairs > 255)
		max_pairs = 255;   /* COLOR_PAIR() holds 8 bits */
	if (color_enabled)
		have_default = use_default_colors() == OK;
	for (r = 0; r < ROLE_COUNT; r++) {
		struct theme_color fg, bg;
		unsigned bits;
		long f, b;
		int p;

		theme_role_get(t, (enum theme_role)r, &fg, &bg, &bits);
		t->attr[r] = (int)curses_attrs(bits);
		if (!color_enabled)
			continue;
		f = theme_resolve_color(&fg, depth);
		b = theme_resolve_color(&bg, depth);
		if (!have_default) {
			if (f < 0)
				f = COLOR_WHITE;
			if (b < 0)
				b = COLOR_BLACK;
		}
		if (f < 0 && b < 0)
			continue;
		for (p = 0; p < npairs; p++)
			if (pairs[p].fg == f && pairs[p].bg == b)
				break;
		if (p == npairs) {
			if (npairs >= max_pairs)
				continue;   /* out of pairs: attributes only */
			if (init_extended_pair(npairs + 1, (int)f, (int)b) != OK)
				continue;
			pairs[npairs].fg = f;
			pairs[npairs].bg = b;
			npairs++;
		}
		t->attr[r] |= (int)COLOR_PAIR(p + 1);
	}
	t->applied = true;
}

int theme_attr(const struct theme *t, enum theme_role r)
{
	struct theme_color fg, bg;
	unsigned bits;

	if (!t || r < 0 || r >= ROLE_COUNT)
		return (int)A_NORMAL;
	if (t->applied)
		return t->attr[r];
	theme_role_get(t, r, &fg, &bg, &bits);
	return (int)curses_attrs(bits);
}
