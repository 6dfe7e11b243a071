/* blame.c - release and lookup helpers for the change and blame model. */
#include "model/blame.h"

#include <stdlib.h>
#include <string.h>

const char *chg_status_word(enum chg_status s)
{
	static const char *const words[] = {
#define CHG_X(e, letter, word) word,
		CHG_STATUS_TABLE(CHG_X)
#undef CHG_X
	};
	return (unsigned)s < CHG_STATUS_COUNT ? words[s] : "?";
}

char chg_status_letter(enum chg_status s)
{
	static const char letters[] = {
#define CHG_X(e, letter, word) letter,
		CHG_STATUS_TABLE(CHG_X)
#undef CHG_X
	};
	return (unsigned)s < CHG_STATUS_COUNT ? letters[s] : '?';
}

void chg_file_clear(struct chg_file *f)
{
	free(f->path);
	free(f->old_path);
	free(f->hunks);
	memset(f, 0, sizeof *f);
}

void chg_commit_clear(struct chg_commit *c)
{
	free(c->author);
	free(c->email);
	free(c->summary);
	free(c->message);
	for (size_t i = 0; i < c->nfiles; i++)
		chg_file_clear(&c->files[i]);
	free(c->files);
	memset(c, 0, sizeof *c);
}

void chg_commit_free(struct chg_commit **c)
{
	if (!c || !*c)
		return;
	chg_commit_clear(*c);
	free(*c);
	*c = NULL;
}

void chg_set_free(struct chg_set **s)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < (*s)->ncommits; i++)
		chg_commit_clear(&(*s)->commits[i]);
	free((*s)->commits);
	for (size_t i = 0; i < (*s)->nfiles; i++)
		chg_file_clear(&(*s)->files[i]);
	free((*s)->files);
	free(*s);
	*s = NULL;
}

const struct chg_file *chg_set_file(const struct chg_set *s, const char *path)
{
	if (!s || !path)
		return NULL;
	for (size_t i = 0; i < s->nfiles; i++)
		if (s->files[i].path && strcmp(s->files[i].path, path) == 0)
			return &s->files[i];
	return NULL;
}

const struct chg_commit *chg_set_commit(const struct chg_set *s, const char *sha)
{
	size_t n = sha ? strlen(sha) : 0;
	if (!s || n < 7 || n > CHG_SHA_LEN)
		return NULL;
	for (size_t i = 0; i < s->ncommits; i++)
		if (strncmp(s->commits[i].sha, sha, n) == 0)
			return &s->commits[i];
	return NULL;
}

void blame_set_free(struct blame_set **b)
{
	if (!b || !*b)
		return;
	for (size_t i = 0; i < (*b)->n; i++) {
		struct blame_span *sp = &(*b)->v[i];
		for (size_t j = 0; j < sp->nlines; j++) {
			free(sp->lines[j].author);
			free(sp->lines[j].email);
			free(sp->lines[j].summary);
			free(sp->lines[j].orig_path);
		}
		free(sp->lines);
		free(sp->path);
		free(sp->error);
	}
	free((*b)->v);
	free(*b);
	*b = NULL;
}
