/* cmd_mine_logs.c - `wisdom mine-logs FILE [--format FMT] [--csv]`
 * (spec/analysis.md §4.1-4.2).
 *
 * Mines one message per line of FILE (with --format, the Loghub-style
 * header is stripped first; lines it does not match are mined whole and
 * counted in a note). Prints the final groups, most lines first:
 *   COUNT  E<rank>  TEMPLATE          (typed placeholders kept)
 * or with --csv a header "LineId,EventId,EventTemplate" and one RFC 4180
 * row per input line, empty lines included, with the line's final group
 * and its "<*>" template.
 *
 * The file is streamed in blocks (fio_stream): memory is one block, one
 * line (capped), the groups and one group id per line. The file is read
 * twice: the second pass moves lines of groups that lm_freeze split.
 * Templates are untrusted text and printed sanitised (escape sequences
 * and controls visible, invalid UTF-8 as U+FFFD).
 * Exit status: 0 mined; 2 usage error or unreadable input (the message
 * names the file).
 */
#include "config.h"
#include "analysis/logmine.h"
#include "cli/cli.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Raw bytes of a line kept for header matching beyond the message cap. */
#define ML_HEADER_SLACK 1024

struct ml {
	struct lm_miner *m;
	struct lm_fmt *fmt;
	bool csv;
	struct buf line;       /* current line, capped */
	size_t keep;           /* cap of line */
	bool pending;          /* bytes seen since the last newline */
	size_t *ids;           /* --csv: raw group id per line */
	size_t nids, idcap;
	size_t unmatched;      /* lines the format did not match */
	int pass;              /* 1: mine; 2: lm_assign (constant positions) */
	size_t at;             /* pass 2: lines seen */
};

static void end_line(struct ml *s)
{
	const char *p = s->line.p ? s->line.p : "";
	size_t n = s->line.len, off = 0, len = n, gid;
	if (n && p[n - 1] == '\r')
		n--, len--;
	if (s->fmt) {
		if (!lm_fmt_content(s->fmt, p, n, &off, &len)) {
			s->unmatched += s->pass == 1;
			off = 0;
			len = n;
		}
	}
	if (s->pass == 1) {
		gid = lm_add(s->m, p + off, len, NULL);
		s->ids = xgrow(s->ids, &s->idcap, s->nids + 1, sizeof *s->ids);
		s->ids[s->nids++] = gid;
	} else if (s->at < s->nids) {
		s->ids[s->at] = lm_assign(s->m, s->ids[s->at], p + off, len);
		s->at++;
	}
	buf_reset(&s->line);
	s->pending = false;
}

static void take(struct ml *s, const char *d, size_t n)
{
	size_t room = s->line.len < s->keep ? s->keep - s->line.len : 0;
	if (n > room)
		n = room;
	if (!n)
		return;
	if (d) {
		buf_append(&s->line, d, n);
	} else {
		buf_reserve(&s->line, n);
		memset(s->line.p + s->line.len, 0, n);
		s->line.len += n;
	}
}

static bool feed(void *arg, const char *d, size_t n, unsigned long long off)
{
	struct ml *s = arg;
	(void)off;
	if (!d) {           /* a sparse hole: n NUL bytes, no newline */
		take(s, NULL, n);
		s->pending = s->pending || n > 0;
		return true;
	}
	while (n) {
		const char *nl = memchr(d, '\n', n);
		size_t l = nl ? (size_t)(nl - d) : n;
		take(s, d, l);
		if (l)
			s->pending = true;
		if (!nl)
			break;
		end_line(s);
		d += l + 1;
		n -= l + 1;
	}
	return true;
}

static void put_csv_field(const char *t)
{
	putchar('"');
	for (; *t; t++) {
		if (*t == '"')
			putchar('"');
		putchar(*t);
	}
	putchar('"');
}

/* Sanitised templates of the final groups, indexed by final id; ranks. */
static void print_out(struct ml *s, const char *path)
{
	size_t *rank_ids = NULL, nr = lm_ranked(s->m, &rank_ids), ng = lm_ngroups(s->m);
	size_t *rank = xcalloc(ng ? ng : 1, sizeof *rank);
	char **shown = xcalloc(ng ? ng : 1, sizeof *shown);

	for (size_t r = 0; r < nr; r++) {
		const char *t = lm_template(s->m, rank_ids[r], !s->csv);
		rank[rank_ids[r]] = r + 1;
		shown[rank_ids[r]] = san_plain(t, strlen(t));
	}
	if (s->csv) {
		printf("LineId,EventId,EventTemplate\n");
		for (size_t i = 0; i < s->nids; i++) {
			size_t f = lm_final(s->m, s->ids[i]);
			printf("%zu,E%zu,", i + 1, rank[f]);
			put_csv_field(shown[f]);
			putchar('\n');
		}
	} else {
		for (size_t r = 0; r < nr; r++)
			printf("%8zu  E%-5zu %s\n", lm_count(s->m, rank_ids[r]), r + 1, shown[rank_ids[r]]);
	}
	fflush(stdout);
	{
		char *p = san_plain(path, strlen(path));
		if (s->unmatched)
			fprintf(stderr, "wisdom mine-logs: note: %s: %zu of %zu line(s) did not match --format; mined whole\n",
				p, s->unmatched, lm_lines(s->m));
		if (lm_truncated(s->m))
			fprintf(stderr, "wisdom mine-logs: note: %s: %zu message(s) longer than 3000 bytes; only their start was mined\n",
				p, lm_truncated(s->m));
		if (lm_evictions(s->m))
			fprintf(stderr, "wisdom mine-logs: note: %s: %zu group(s) evicted (more than 10000 live groups); later lines of them start new groups\n",
				p, lm_evictions(s->m));
		free(p);
	}
	for (size_t i = 0; i < ng; i++)
		free(shown[i]);
	free(shown);
	free(rank);
	free(rank_ids);
}

int cmd_mine_logs(const struct cli_opts *o)
{
	struct ml s;
	struct lm_params p;
	struct wz_err err = { 0 };
	enum wz_status st;

	if (o->nargs != 1) {
		fprintf(stderr, "wisdom mine-logs: give exactly one log file (wisdom mine-logs FILE [--format FMT] [--csv])\n");
		return 2;
	}
	memset(&s, 0, sizeof s);
	if (o->format && lm_fmt_parse(o->format, &s.fmt, &err) != WZ_OK) {
		fprintf(stderr, "wisdom mine-logs: %s\n", err.msg);
		return 2;
	}
	lm_params_default(&p);
	s.m = lm_new(&p);
	s.csv = CLI_FLAG(o, csv);
	s.keep = p.max_msg + 1 + ML_HEADER_SLACK;
	s.pass = 1;
	st = fio_stream(o->args[0], 0, NULL, feed, &s, NULL, &err);
	if (st == WZ_OK && s.pending)
		end_line(&s);
	if (st == WZ_OK) {
		/* second pass: lines of groups split by constant words move */
		lm_freeze(s.m);
		buf_reset(&s.line);
		s.pending = false;
		s.pass = 2;
		st = fio_stream(o->args[0], 0, NULL, feed, &s, NULL, &err);
		if (st == WZ_OK && s.pending)
			end_line(&s);
	}
	if (st == WZ_OK) {
		lm_finish(s.m);
		print_out(&s, o->args[0]);
	} else {
		char *m = san_plain(err.msg, strlen(err.msg));
		fprintf(stderr, "wisdom mine-logs: %s\n", m);
		free(m);
	}
	buf_free(&s.line);
	free(s.ids);
	lm_fmt_free(s.fmt);
	lm_free(s.m);
	return st == WZ_OK ? 0 : wz_status_exit_code(st);
}
