/* audit.c - the artifact audit: one table of expected artifacts per flow
 * (spec/run-artifacts.md §3), checked on disk. Rules in audit.h. */
#include "config.h"
#include "analysis/audit.h"
#include "util/fileio.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REQ true
#define OPT false
/* generations expecting an artifact */
#define G7 1
#define G6 2
#define GFS 4
#define GALL (G7 | G6 | GFS)

/* Largest file read for the empty/stub check; bigger files have content. */
#define STUB_READ_MAX ((size_t)64 << 10)
/* Largest JSON parsed for the unparseable check. */
#define JSON_CHECK_MAX ((size_t)16 << 20)

/* X(flow, file, alternative group (0 none), need, generations, what a gap means) */
#define AUDIT_ARTIFACT_TABLE(X) \
	X(FLOW_SIGNAL, "requirements.md", 0, REQ, GALL, "no requirements: REQ/NFR markers and traceability are unavailable") \
	X(FLOW_SIGNAL, "requirements_critique.md", 0, OPT, GALL, "no requirements critique for learnings") \
	X(FLOW_SIGNAL, "problem_statement.md", 0, OPT, GALL, "no problem statement for the outcome snapshot") \
	X(FLOW_SIGNAL, "features/*.feature", 0, OPT, GALL, "no BDD scenarios: scenario traceability is not checked") \
	X(FLOW_SIGNAL, "example_matrix.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "verification_notes.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "open_questions.md", 0, OPT, GALL, "signal open questions not shown") \
	X(FLOW_SIGNAL, "early_risks.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "risk_assessment.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "scope_estimate.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "stakeholders.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "issue_normalized.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "context_brief.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "github_research.md", 0, OPT, GALL, NULL) \
	X(FLOW_SIGNAL, "bdd_critique.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "adr.md", 1, REQ, GALL, "no design record: learnings cannot cite the chosen option") \
	X(FLOW_PLAN, "work_plan.md", 1, REQ, GALL, "no work plan: subtask (ST-) markers are unavailable") \
	X(FLOW_PLAN, "design_options.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "api_contracts.yaml", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "schema.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "observability_spec.md", 0, OPT, GALL, "no observability inventory: metric/log/trace/SLO checks have no declared subjects") \
	X(FLOW_PLAN, "test_plan.md", 0, OPT, GALL, "no coverage thresholds: the coverage verdict is not applicable") \
	X(FLOW_PLAN, "ac_matrix.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "design_validation.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "policy_analysis.md", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "impact_map.json", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "subtasks.yaml", 0, OPT, GALL, NULL) \
	X(FLOW_PLAN, "*_critique.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "test_execution.md", 0, REQ, GALL, "no canonical test summary: test analysis falls back to the build receipt and logs") \
	X(FLOW_BUILD, "impl_changes_summary.md", 0, OPT, GALL, "changed files (IMPL_FILE_) unknown: blame suspects come from git only") \
	X(FLOW_BUILD, "test_changes_summary.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "test_critique.md", 0, OPT, GALL, "no test critique: its coverage_summary is not a test source") \
	X(FLOW_BUILD, "code_critique.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "self_review.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "lint_report.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "mutation_report.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "flakiness_report.md", 0, OPT, GALL, "no pack flakiness evidence: flaky detection uses test reports only") \
	X(FLOW_BUILD, "fuzz_report.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "doc_updates.md", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "ac_status.json", 0, OPT, GALL, "acceptance criteria status unknown") \
	X(FLOW_BUILD, "subtask_context_manifest.json", 0, OPT, GALL, NULL) \
	X(FLOW_BUILD, "test_output.log", 0, OPT, GALL, "no raw runner log: counts cannot be recounted from runner output") \
	X(FLOW_BUILD, "test_summary.md", 0, OPT, GALL, NULL) \
	X(FLOW_REVIEW, "review_worklist.md", 2, REQ, G7 | GFS, "no review worklist: review findings do not reach learnings") \
	X(FLOW_REVIEW, "review_worklist.json", 2, REQ, G7 | GFS, "no machine-readable worklist") \
	X(FLOW_REVIEW, "pr_feedback.md", 0, OPT, G7 | GFS, NULL) \
	X(FLOW_REVIEW, "review_actions.md", 0, OPT, G7 | GFS, NULL) \
	X(FLOW_GATE, "merge_decision.md", 0, REQ, GALL, "no merge decision: the merge verdict falls back to the gate receipt") \
	X(FLOW_GATE, "receipt_audit.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "contract_compliance.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "security_scan.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "coverage_audit.md", 0, OPT, GALL, "no coverage verdict from the gate") \
	X(FLOW_GATE, "gate_fix_summary.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "policy_analysis.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "risk_assessment.md", 0, OPT, GALL, NULL) \
	X(FLOW_GATE, "traceability_audit.md", 0, OPT, GALL, NULL) \
	X(FLOW_DEPLOY, "deployment_decision.md", 0, OPT, GALL, "deployment verdict falls back to the deploy receipt") \
	X(FLOW_DEPLOY, "deployment_log.md", 0, OPT, GALL, "no Merged At: deploy time T falls back to verification_report.md or the receipt") \
	X(FLOW_DEPLOY, "verification_report.md", 0, OPT, GALL, "no smoke signal or DEP_ markers") \
	X(FLOW_WISDOM, "learnings.md", 3, REQ, GALL, "no pack learnings to import: learnings come from wisdom's own findings") \
	X(FLOW_WISDOM, "feedback_actions.md", 3, REQ, GALL, "no pack issue drafts or suggestions to import") \
	X(FLOW_WISDOM, "artifact_audit.md", 0, OPT, GALL, "no pack audit to compare with") \
	X(FLOW_WISDOM, "regression_report.md", 0, OPT, GALL, "no pack regression register to compare with") \
	X(FLOW_WISDOM, "flow_history.json", 0, OPT, GALL, "no flow history: the timeline is inferred from receipts and file times") \
	X(FLOW_WISDOM, "risk_assessment.md", 0, OPT, GALL, NULL) \
	X(FLOW_WISDOM, "traceability_audit.md", 0, OPT, GALL, NULL) \
	X(FLOW_WISDOM, "gh_issue_body.md", 0, OPT, GALL, NULL)

/* The sealing set any flow folder may hold; "%s" is the flow name. */
#define AUDIT_SEAL_TABLE(X) \
	X("%s_receipt.json", "no receipt: the flow's status is unknown and analyses use its markdown only") \
	X("flow_plan.md", NULL) \
	X("cleanup_report.md", NULL) \
	X("secrets_scan.md", NULL) \
	X("secrets_status.json", "secrets gate unknown: publishing uses counts and paths only") \
	X("gh_issue_status.md", NULL) \
	X("gh_report_status.md", NULL) \
	X("github_report.md", NULL) \
	X("gh_comment_id.txt", "no stored comment id: publishing looks the comment up by its marker")

struct art {
	enum run_flow flow;
	const char *file;
	int group;
	bool required;
	int gens;
	const char *note;
};

static const struct art arts[] = {
#define AUD_X(f, file, g, need, gens, note) {f, file, g, need, gens, note},
	AUDIT_ARTIFACT_TABLE(AUD_X)
#undef AUD_X
};

static const struct {
	const char *file;
	const char *note;
} seals[] = {
#define AUD_X(file, note) {file, note},
	AUDIT_SEAL_TABLE(AUD_X)
#undef AUD_X
};

static int gen_bit(enum run_generation g)
{
	switch (g) {
	case GEN_DEMOSWARM_7: return G7;
	case GEN_DEMOSWARM_6: return G6;
	case GEN_FLOW_STUDIO: return GFS;
	default: return GALL;
	}
}

/* ---- content checks ---- */

static bool only_space(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* A value that is template text, not content. */
static bool placeholder(const char *s, size_t n)
{
	static const char *const words[] = {"tbd", "todo", "...", "\xe2\x80\xa6", "n/a", "na", "null",
					    "none", "-", "[]", "{}", "\"\"", "placeholder", "fill in"};
	char *t = txt_trim_dup(s, n), *o;
	const char *p;
	bool alnum = false, res = false;
	size_t i;
	for (o = t; *o; o++)
		*o = (char)tolower((unsigned char)*o);
	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(t, words[i]) == 0)
			res = true;
	if (!res && strstr(t, " | "))
		res = true;          /* unfilled enum: `VERIFIED | UNVERIFIED` */
	if (!res) {
		/* only <...> tokens and punctuation left? */
		int depth = 0;
		for (p = t; *p; p++) {
			if (*p == '<')
				depth++;
			else if (*p == '>' && depth > 0)
				depth--;
			else if (depth == 0 && isalnum((unsigned char)*p))
				alnum = true;
		}
		res = !alnum;
	}
	free(t);
	return res;
}

static bool separator_line(const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("-*_=|: \t", s[i]))
			return false;
	return true;
}

static bool content_line(const char *s, size_t n, bool next_is_sep)
{
	size_t i = 0;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	s += i;
	n -= i;
	if (n == 0 || s[0] == '#' || separator_line(s, n))
		return false;
	if ((n >= 3 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3))) || (n >= 4 && !strncmp(s, "<!--", 4)))
		return false;
	if (s[0] == '|') {
		const char *c = s + 1, *e = s + n;
		if (next_is_sep)
			return false;    /* table header */
		while (c < e) {
			const char *bar = memchr(c, '|', (size_t)(e - c));
			size_t len = bar ? (size_t)(bar - c) : (size_t)(e - c);
			if (!placeholder(c, len))
				return true;
			c += len + 1;
		}
		return false;
	}
	/* list markers and checkboxes */
	if (n >= 2 && strchr("-*+", s[0]) && s[1] == ' ') {
		s += 2;
		n -= 2;
	}
	if (n >= 3 && s[0] == '[' && s[2] == ']') {
		s += 3;
		n -= 3;
	}
	/* `key: value` (key may be bold): judge the value */
	for (i = 0; i < n && (isalnum((unsigned char)s[i]) || strchr("_*. -", s[i])); i++)
		;
	if (i > 0 && i < n && s[i] == ':' && i < 40)
		return !placeholder(s + i + 1, n - i - 1);
	return !placeholder(s, n);
}

static bool markdown_is_stub(const char *data, size_t len)
{
	struct txt_lines it;
	const char *line, *prev = NULL;
	size_t n, prevn = 0;
	txt_lines_init(&it, data, len);
	while (txt_lines_next(&it, &line, &n)) {
		if (prev && content_line(prev, prevn, separator_line(line, n) && memchr(line, '-', n)))
			return false;
		prev = line;
		prevn = n;
	}
	return !(prev && content_line(prev, prevn, false));
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Sets state/size/mtime/note of a row for one path on disk. */
static void check_file(struct audit_row *row, const char *path, const char *meaning)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	struct wz_err err = {0};

	row->size = -1;
	row->mtime = NAN;
	if (stat(path, &st) != 0) {
		row->state = AUD_MISSING;
		if (errno == ELOOP)
			row->note = xasprintf("symbolic link loop%s%s", meaning ? "; " : "", meaning ? meaning : "");
		else
			row->note = xstrdup(meaning);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		row->state = AUD_MISSING;
		row->note = xasprintf("not a regular file%s%s", meaning ? "; " : "", meaning ? meaning : "");
		return;
	}
	row->nfiles = 1;
	row->size = (long long)st.st_size;
	row->mtime = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	row->state = AUD_PRESENT;
	if (st.st_size == 0) {
		row->state = AUD_EMPTY;
	} else if (ends_with(path, ".json") && (size_t)st.st_size > JSON_CHECK_MAX) {
		row->note = xasprintf("over %zu MiB: not parsed, so its content is not used", JSON_CHECK_MAX >> 20);
	} else if (ends_with(path, ".json")) {
		if (fio_read(path, JSON_CHECK_MAX, &data, &len, &err) == WZ_OK) {
			json_error_t je;
			json_t *j;
			if (only_space(data, len)) {
				row->state = AUD_EMPTY;
			} else if (!(j = json_loadb(data, len, 0, &je))) {
				row->state = AUD_UNPARSEABLE;
				row->note = xasprintf("%s:%d:%d: %s%s%s", row->artifact, je.line, je.column, je.text,
						      meaning ? "; " : "", meaning ? meaning : "");
			} else {
				json_decref(j);
			}
		} else {
			row->state = AUD_UNPARSEABLE;
			row->note = xstrdup(err.msg);
		}
	} else if ((size_t)st.st_size <= STUB_READ_MAX &&
		   fio_read(path, STUB_READ_MAX, &data, &len, &err) == WZ_OK) {
		if (only_space(data, len))
			row->state = AUD_EMPTY;
		else if (ends_with(path, ".md") && markdown_is_stub(data, len))
			row->state = AUD_STUB;
	}
	free(data);
	if (row->state != AUD_PRESENT && !row->note && meaning)
		row->note = xstrdup(meaning);
}

/* A glob in the last path component: count matches, sum sizes. */
static void check_glob(struct audit_row *row, const char *runpath, const char *meaning)
{
	const char *slash = strrchr(row->artifact, '/');
	char *reldir = xstrndup(row->artifact, (size_t)(slash - row->artifact));
	char *dir = fio_join(runpath, reldir);
	DIR *d = opendir(dir);
	struct dirent *de;
	int nonempty = 0;
	row->size = 0;
	row->mtime = NAN;
	while (d && (de = readdir(d)) != NULL) {
		struct stat st;
		char *p;
		if (de->d_name[0] == '.' || fnmatch(slash + 1, de->d_name, 0) != 0)
			continue;
		p = fio_join(dir, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			double t = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
			row->nfiles++;
			row->size += (long long)st.st_size;
			if (st.st_size > 0)
				nonempty++;
			if (isnan(row->mtime) || t > row->mtime)
				row->mtime = t;
		}
		free(p);
	}
	if (d)
		closedir(d);
	row->state = row->nfiles == 0 ? AUD_MISSING : nonempty ? AUD_PRESENT : AUD_EMPTY;
	if (row->state == AUD_MISSING)
		row->size = -1;
	if (row->state != AUD_PRESENT)
		row->note = xstrdup(meaning);
	free(reldir);
	free(dir);
}

struct audit_row *audit_add_checked(const struct run *r, struct audit *a, enum run_flow f,
				    const char *name, bool required, const char *note)
{
	struct audit_row *row;
	a->rows = xgrow(a->rows, &a->cap, a->n + 1, sizeof *a->rows);
	row = &a->rows[a->n++];
	memset(row, 0, sizeof *row);
	row->flow = f;
	row->required = required;
	row->artifact = xasprintf("%s/%s", run_flow_name(f), name);
	if (strchr(name, '*')) {
		check_glob(row, r->path, note);
	} else {
		char *path = fio_join(r->path, row->artifact);
		check_file(row, path, note);
		free(path);
	}
	return row;
}

/* An item of a receipt's missing_required[] (".runs/<id>/build/x.md",
 * "build/a.md or b.md", "x.md") as paths relative to the run; marks the
 * matching rows and returns 1 when one of the alternatives exists now. */
static int receipt_item(const struct run *r, struct audit *a, enum run_flow f, const char *item)
{
	char *copy = xstrdup(item), *tok = copy, *next;
	int exists = 0;
	while (tok) {
		char *rel = NULL, *path, *t;
		const char *best = NULL;
		int g;
		size_t i;
		next = strstr(tok, " or ");
		if (next) {
			*next = '\0';
			next += 4;
		}
		t = txt_trim_dup(tok, strlen(tok));
		for (g = 0; g < FLOW_COUNT; g++) {
			char *pat = xasprintf("%s/", run_flow_name((enum run_flow)g));
			const char *hit = t, *h;
			while ((h = strstr(hit, pat)) != NULL) {
				if (h == t || h[-1] == '/')
					if (!best || h > best)
						best = h;
				hit = h + 1;
			}
			free(pat);
		}
		rel = best ? xstrdup(best) : xasprintf("%s/%s", run_flow_name(f), t);
		path = fio_join(r->path, rel);
		if (fio_is_file(path))
			exists = 1;
		for (i = 0; i < a->n; i++)
			if (strcmp(a->rows[i].artifact, rel) == 0)
				a->rows[i].receipt_missing = true;
		free(path);
		free(rel);
		free(t);
		tok = next;
	}
	free(copy);
	return exists;
}

static void audit_flow_rows(const struct run *r, struct audit *a, enum run_flow f)
{
	size_t i, j, start = a->n, nart = sizeof arts / sizeof *arts;
	int *grp = xcalloc(nart + sizeof seals / sizeof *seals + 1, sizeof *grp);
	int gbit = gen_bit(r->generation);
	for (i = 0; i < nart; i++) {
		if (arts[i].flow != f || !(arts[i].gens & gbit))
			continue;
		grp[a->n - start] = arts[i].group;
		audit_add_checked(r, a, f, arts[i].file, arts[i].required, arts[i].note);
	}
	for (i = 0; i < sizeof seals / sizeof *seals; i++) {
		char *name;
		/* the file names come from the table above, never from input */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		name = xasprintf(seals[i].file, run_flow_name(f));
#pragma GCC diagnostic pop
		grp[a->n - start] = 0;
		audit_add_checked(r, a, f, name, false, seals[i].note);
		free(name);
	}
	/* alternatives: satisfied when any member exists; else the first one
	 * carries the requirement */
	for (i = start; i < a->n; i++) {
		int g = grp[i - start];
		const struct audit_row *have = NULL, *first = NULL;
		if (g == 0)
			continue;
		for (j = start; j < a->n; j++)
			if (grp[j - start] == g) {
				if (!first)
					first = &a->rows[j];
				if (!have && a->rows[j].state != AUD_MISSING)
					have = &a->rows[j];
			}
		if (&a->rows[i] == first && !have)
			continue;
		if (a->rows[i].state == AUD_MISSING) {
			const struct audit_row *other = have ? have : first;
			char *note = xasprintf("alternative to %s, which %s", other->artifact,
					       have ? "is present" : "carries the requirement");
			a->rows[i].required = false;
			free(a->rows[i].note);
			a->rows[i].note = note;
		}
	}
	free(grp);
}

struct audit *audit_run(const struct run *r)
{
	struct audit *a = xcalloc(1, sizeof *a);
	int f;
	size_t i;
	int gbit = gen_bit(r->generation);
	for (f = 0; f < FLOW_COUNT; f++) {
		struct audit_flow *af = &a->flows[f];
		const struct flow_state *fs = &r->flows[f];
		af->present = fs->dir_present;
		af->expected = f != FLOW_REVIEW || (gbit & (G7 | GFS));
		af->status = fs->receipt.status;
		af->status_raw = xstrdup(fs->receipt.status_raw);
		if (r->path && fs->dir_present)
			audit_flow_rows(r, a, (enum run_flow)f);
	}
	for (f = 0; f < FLOW_COUNT; f++) {
		const struct receipt *rc = &r->flows[f].receipt;
		struct audit_flow *af = &a->flows[f];
		for (i = 0; i < rc->missing_required.n; i++) {
			str_list_push(&af->receipt_missing_required, rc->missing_required.v[i]);
			if (r->path)
				af->receipt_missing_but_present +=
					receipt_item(r, a, (enum run_flow)f, rc->missing_required.v[i]);
		}
	}
	if (r->path)
		audit_pack_merge(r, a);
	for (i = 0; i < a->n; i++) {
		struct audit_row *row = &a->rows[i];
		if (row->state == AUD_PRESENT && row->receipt_missing && !row->note)
			row->note = xasprintf("the %s receipt lists it as missing, yet it is present: "
					      "the receipt is stale or was sealed without access",
					      run_flow_name(row->flow));
		else if (row->state != AUD_PRESENT && !row->note)
			row->note = xstrdup(row->required ? "required by the pack: the flow is not VERIFIED without it"
					    : "optional: no analysis depends on it");
		switch (row->state) {
		case AUD_PRESENT: a->present++; break;
		case AUD_EMPTY: a->empty++; break;
		case AUD_UNPARSEABLE: a->unparseable++; break;
		case AUD_STUB: a->stub++; break;
		case AUD_MISSING:
			if (row->required)
				a->missing_required++;
			else
				a->missing_optional++;
			break;
		}
		if (row->disagrees)
			a->disagreements++;
	}
	return a;
}
