/* demo_git.c - replays demo/history/HISTORY into a git repository with
 * libgit2: fixed authors, dates and zone offsets, so the SHAs never vary. */
#include "config.h"
#include "demo/demo_internal.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/timeparse.h"
#include "util/xalloc.h"

/* Cap for one history file or the script itself. */
#define DEMO_FILE_MAX ((size_t)4 << 20)

struct commit_spec {
	char *label, *branch, *parent, *merge, *name, *email, *date;
	struct buf message;
	char **deletes;
	size_t ndel, capdel;
	int line;                       /* where the block starts */
};

static void spec_clear(struct commit_spec *c)
{
	size_t i;

	free(c->label);
	free(c->branch);
	free(c->parent);
	free(c->merge);
	free(c->name);
	free(c->email);
	free(c->date);
	buf_free(&c->message);
	for (i = 0; i < c->ndel; i++)
		free(c->deletes[i]);
	free(c->deletes);
	memset(c, 0, sizeof *c);
}

const char *demo_labels_find(const struct demo_labels *l, const char *label, size_t n)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->v[i].label) == n && memcmp(l->v[i].label, label, n) == 0)
			return l->v[i].sha;
	return NULL;
}

void demo_labels_free(struct demo_labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].label);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static enum wz_status git_fail(struct wz_err *err, const char *what, const char *where, int line)
{
	const git_error *e = git_error_last();

	return wz_err_set(err, WZ_EGIT, "%s:%d: %s failed: %s (the demo content may be damaged; "
			  "reinstall wisdom or set WISDOM_DEMO_DIR)", where, line, what,
			  e && e->message ? e->message : "unknown libgit2 error");
}

/* "2025-10-06T09:14:00+02:00" -> UTC seconds and the zone offset in minutes. */
static int parse_date(const char *s, git_time_t *t, int *offset)
{
	double secs;
	int flags = 0;
	size_t n = strlen(s);

	if (!tp_parse(s, &secs, &flags, NULL) || (flags & (TP_ZONELESS | TP_DATE_ONLY)))
		return -1;
	*offset = 0;
	if (n > 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':' &&
	    isdigit((unsigned char)s[n - 5]) && isdigit((unsigned char)s[n - 2])) {
		int h = (s[n - 5] - '0') * 10 + (s[n - 4] - '0');
		int m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
		*offset = (s[n - 6] == '-' ? -1 : 1) * (h * 60 + m);
	}
	*t = (git_time_t)secs;
	return 0;
}

/* "Name <email>" */
static int split_author(const char *s, char **name, char **email)
{
	const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');
	size_t n;

	if (!lt || !gt || gt < lt)
		return -1;
	n = (size_t)(lt - s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return -1;
	*name = xstrndup(s, n);
	*email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

static enum wz_status add_files(git_repository *repo, git_index *idx, const char *dir,
				struct wz_err *err)
{
	char **files = NULL;
	size_t n = 0, i;
	enum wz_status st;

	if (!fio_is_dir(dir))
		return WZ_OK;          /* a commit may only delete, or only merge */
	st = demo_list_files(dir, &files, &n, err);
	for (i = 0; st == WZ_OK && i < n; i++) {
		char *path = fio_join(dir, files[i]), *data = NULL;
		size_t len = 0;
		git_index_entry e;

		st = fio_read(path, DEMO_FILE_MAX, &data, &len, err);
		if (st == WZ_OK) {
			memset(&e, 0, sizeof e);
			e.path = files[i];
			e.mode = GIT_FILEMODE_BLOB;
			if (git_index_add_from_buffer(idx, &e, data, len) != 0)
				st = git_fail(err, "adding a file", path, 0);
		}
		free(data);
		free(path);
	}
	(void)repo;
	demo_free_list(files, n);
	return st;
}

static enum wz_status lookup_commit(git_repository *repo, const struct demo_labels *l,
				    const char *label, git_commit **out, const char *where,
				    int line, struct wz_err *err)
{
	const char *sha = demo_labels_find(l, label, strlen(label));
	git_oid oid;

	if (!sha)
		return wz_err_set(err, WZ_EPARSE, "%s:%d: unknown commit label '%s' (labels must be "
				  "defined by an earlier block)", where, line, label);
	if (git_oid_fromstr(&oid, sha) != 0 || git_commit_lookup(out, repo, &oid) != 0)
		return git_fail(err, "looking up a commit", where, line);
	return WZ_OK;
}

static enum wz_status apply_commit(git_repository *repo, const char *content_dir,
				   struct commit_spec *c, struct demo_labels *labels,
				   const char *where, struct wz_err *err)
{
	git_commit *parents[2] = { NULL, NULL };
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	git_oid tree_oid, oid;
	git_time_t when;
	int offset, np = 0;
	char *refname = NULL, *dir = NULL, *sub = NULL;
	enum wz_status st = WZ_OK;
	size_t i;

	if (!c->label || !c->branch || !c->name || !c->date || c->message.len == 0)
		return wz_err_set(err, WZ_EPARSE, "%s:%d: commit block needs commit, branch, "
				  "author, date and message lines", where, c->line);
	if (demo_labels_find(labels, c->label, strlen(c->label)))
		return wz_err_set(err, WZ_EPARSE, "%s:%d: commit label '%s' used twice", where,
				  c->line, c->label);
	if (parse_date(c->date, &when, &offset) != 0)
		return wz_err_set(err, WZ_EPARSE, "%s:%d: bad date '%s' (want ISO 8601 with a zone "
				  "offset, e.g. 2025-10-06T09:14:00+02:00)", where, c->line, c->date);
	refname = xasprintf("refs/heads/%s", c->branch);
	if (c->parent) {
		st = lookup_commit(repo, labels, c->parent, &parents[np], where, c->line, err);
		if (st != WZ_OK)
			goto out;
		np++;
	} else if (git_reference_lookup(&ref, repo, refname) == 0) {
		if (git_commit_lookup(&parents[np], repo, git_reference_target(ref)) != 0) {
			st = git_fail(err, "reading the branch tip", where, c->line);
			goto out;
		}
		np++;
		git_reference_free(ref);
		ref = NULL;
	}
	if (c->merge) {
		if (np == 0) {
			st = wz_err_set(err, WZ_EPARSE, "%s:%d: a merge needs a first parent", where,
					c->line);
			goto out;
		}
		st = lookup_commit(repo, labels, c->merge, &parents[np], where, c->line, err);
		if (st != WZ_OK)
			goto out;
		np++;
		if (git_merge_commits(&idx, repo, parents[0], parents[1], NULL) != 0) {
			st = git_fail(err, "merging", where, c->line);
			goto out;
		}
		if (git_index_has_conflicts(idx)) {
			st = wz_err_set(err, WZ_EPARSE, "%s:%d: merging '%s' into '%s' conflicts; the "
					"history script must merge cleanly", where, c->line,
					c->merge, c->branch);
			goto out;
		}
	} else {
		if (git_repository_index(&idx, repo) != 0 || git_index_clear(idx) != 0) {
			st = git_fail(err, "opening the index", where, c->line);
			goto out;
		}
		if (np > 0) {
			if (git_commit_tree(&tree, parents[0]) != 0 || git_index_read_tree(idx, tree) != 0) {
				st = git_fail(err, "reading the parent tree", where, c->line);
				goto out;
			}
		}
		sub = fio_join("history", c->label);
		dir = fio_join(content_dir, sub);
		st = add_files(repo, idx, dir, err);
		if (st != WZ_OK)
			goto out;
		for (i = 0; i < c->ndel; i++)
			if (git_index_remove_bypath(idx, c->deletes[i]) != 0) {
				st = git_fail(err, "deleting a file", where, c->line);
				goto out;
			}
	}
	if (git_index_write_tree_to(&tree_oid, idx, repo) != 0) {
		st = git_fail(err, "writing the tree", where, c->line);
		goto out;
	}
	if (tree)
		git_tree_free(tree);
	tree = NULL;
	if (git_tree_lookup(&tree, repo, &tree_oid) != 0 ||
	    git_signature_new(&sig, c->name, c->email, when, offset) != 0) {
		st = git_fail(err, "preparing the commit", where, c->line);
		goto out;
	}
	if (git_commit_create(&oid, repo, NULL, sig, sig, NULL, buf_str(&c->message), tree,
			      (size_t)np, (const git_commit **)parents) != 0 ||
	    git_reference_create(&ref, repo, refname, &oid, 1, "demo history") != 0) {
		st = git_fail(err, "creating the commit", where, c->line);
		goto out;
	}
	labels->v = xgrow(labels->v, &labels->cap, labels->n + 1, sizeof *labels->v);
	labels->v[labels->n].label = xstrdup(c->label);
	git_oid_tostr(labels->v[labels->n].sha, sizeof labels->v[labels->n].sha, &oid);
	labels->n++;
out:
	git_index_free(idx);
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parents[0]);
	git_commit_free(parents[1]);
	free(refname);
	free(dir);
	free(sub);
	return st;
}

static int set_field(char **field, const char *val)
{
	if (*field)
		return -1;
	*field = xstrdup(val);
	return 0;
}

static enum wz_status replay(git_repository *repo, const char *content_dir, char *script,
			     const char *where, struct demo_labels *labels, struct wz_err *err)
{
	struct commit_spec c;
	char *line = script, *next;
	int lineno = 0, in_block = 0;
	enum wz_status st = WZ_OK;

	memset(&c, 0, sizeof c);
	for (; line && st == WZ_OK; line = next) {
		char *key, *val, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (line[0] == '#')
			continue;
		if (line[0] == '\0') {
			if (in_block)
				st = apply_commit(repo, content_dir, &c, labels, where, err);
			spec_clear(&c);
			in_block = 0;
			continue;
		}
		key = line;
		val = line + strcspn(line, " \t");
		if (*val)
			*val++ = '\0';
		val += strspn(val, " \t");
		if (!in_block) {
			if (strcmp(key, "commit") != 0)
				return wz_err_set(err, WZ_EPARSE, "%s:%d: a block must start with "
						  "'commit LABEL', found '%s'", where, lineno, key);
			c.line = lineno;
			in_block = 1;
		}
		if (strcmp(key, "commit") == 0) {
			if (set_field(&c.label, val) != 0 || !*val || strchr(val, '/') || strchr(val, '@'))
				st = wz_err_set(err, WZ_EPARSE, "%s:%d: bad commit label '%s'", where,
						lineno, val);
		} else if (strcmp(key, "branch") == 0) {
			char *ref = xasprintf("refs/heads/%s", val);
			int valid = 0;

			if (git_reference_name_is_valid(&valid, ref) != 0)
				valid = 0;
			free(ref);
			if (set_field(&c.branch, val) != 0 || !valid || !*val)
				st = wz_err_set(err, WZ_EPARSE, "%s:%d: bad or repeated branch '%s'",
						where, lineno, val);
		} else if (strcmp(key, "parent") == 0 || strcmp(key, "merge") == 0) {
			if (set_field(key[0] == 'p' ? &c.parent : &c.merge, val) != 0)
				st = wz_err_set(err, WZ_EPARSE, "%s:%d: repeated '%s'", where, lineno, key);
		} else if (strcmp(key, "author") == 0) {
			if (c.name || split_author(val, &c.name, &c.email) != 0)
				st = wz_err_set(err, WZ_EPARSE, "%s:%d: want 'author Name <email>'", where,
						lineno);
		} else if (strcmp(key, "date") == 0) {
			if (set_field(&c.date, val) != 0)
				st = wz_err_set(err, WZ_EPARSE, "%s:%d: repeated date", where, lineno);
		} else if (strcmp(key, "delete") == 0) {
			c.deletes = xgrow(c.deletes, &c.capdel, c.ndel + 1, sizeof *c.deletes);
			c.deletes[c.ndel++] = xstrdup(val);
		} else if (strcmp(key, "message") == 0) {
			buf_puts(&c.message, val);
			buf_putc(&c.message, '\n');
		} else {
			st = wz_err_set(err, WZ_EPARSE, "%s:%d: unknown key '%s' (known: commit, "
					"branch, parent, merge, author, date, delete, message)", where,
					lineno, key);
		}
	}
	if (st == WZ_OK && in_block)
		st = apply_commit(repo, content_dir, &c, labels, where, err);
	spec_clear(&c);
	if (st == WZ_OK && labels->n == 0)
		st = wz_err_set(err, WZ_EPARSE, "%s: no commits", where);
	return st;
}

enum wz_status demo_git_build(const char *content_dir, const char *repo_dir,
			      struct demo_labels *labels, struct wz_err *err)
{
	git_repository *repo = NULL;
	git_index *idx = NULL;
	git_object *head = NULL;
	git_tree *tree = NULL;
	git_checkout_options co;
	char *where = fio_join(content_dir, "history/HISTORY"), *script = NULL;
	enum wz_status st;

	memset(labels, 0, sizeof *labels);
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	st = fio_read(where, DEMO_FILE_MAX, &script, NULL, err);
	if (st != WZ_OK)
		goto out;
	git_libgit2_init();
	if (git_repository_init(&repo, repo_dir, 0) != 0) {
		st = git_fail(err, "creating the repository", repo_dir, 0);
		goto shut;
	}
	st = replay(repo, content_dir, script, where, labels, err);
	if (st != WZ_OK)
		goto shut;
	co.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_repository_set_head(repo, "refs/heads/main") != 0 ||
	    git_revparse_single(&head, repo, "HEAD^{tree}") != 0 ||
	    git_tree_lookup(&tree, repo, git_object_id(head)) != 0 ||
	    git_repository_index(&idx, repo) != 0 || git_index_read_tree(idx, tree) != 0 ||
	    git_index_write(idx) != 0 || git_checkout_head(repo, &co) != 0)
		st = git_fail(err, "checking out main (the history needs a 'main' branch)", where, 0);
shut:
	git_index_free(idx);
	git_tree_free(tree);
	git_object_free(head);
	git_repository_free(repo);
	git_libgit2_shutdown();
out:
	if (st != WZ_OK)
		demo_labels_free(labels);
	free(script);
	free(where);
	return st;
}
