/* cmd_publish.c - `wisdom publish [RUN] [--dry-run|--files-only]`: write
 * the accepted learnings (the wisdom markdown and JSON files) and post them to GitHub
 * (design/ui.md §4.4; the work is in sinks/publish.h).
 *
 * --dry-run prints every file diff and every HTTP request and changes
 * nothing (GitHub is still read to find existing issues and the run
 * comment). --files-only makes no GitHub call. Without a token GitHub is
 * skipped and the plan says why.
 * Exit: 0 ok, 2 usage or input error (nothing written), 3 GitHub failed
 * (lookups: nothing written; half-way: files written, the journal records
 * what was published and a second run finishes the rest). */
#include "config.h"
#include "cli/cli.h"
#include "investigation.h"
#include "sinks/publish.h"
#include "sources/secrets.h"
#include "util/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct redactor *load_redactor(const struct cli_opts *o)
{
	struct wz_err warn;
	struct redactor *rd = secrets_redactor(o->config, &warn);
	if (warn.code != WZ_OK)
		fprintf(stderr, "wisdom publish: %s (other patterns still apply)\n", warn.msg);
	return rd;
}

int cmd_publish(const struct cli_opts *o)
{
	struct wz_err err;
	struct investigation *inv = NULL;
	struct pub_plan *plan = NULL;
	struct pub_opts po;
	struct redactor *rd;
	enum wz_status st;
	int rc = 0;

	if (o->nargs > 1) {
		fprintf(stderr, "wisdom publish: one RUN at most (got %d arguments); see wisdom --help\n", o->nargs);
		return 2;
	}
	if (CLI_FLAG(o, dry_run) && CLI_FLAG(o, files_only)) {
		fprintf(stderr, "wisdom publish: --dry-run and --files-only exclude each other\n");
		return 2;
	}
	wz_err_clear(&err);
	st = inv_open(o->nargs ? o->args[0] : NULL, o->repo,
		      INV_LEARNINGS | (CLI_FLAG(o, dry_run) ? INV_JOURNAL_RO : INV_JOURNAL_RW), &inv, &err);
	if (st != WZ_OK) {
		fprintf(stderr, "wisdom publish: %s\n", err.msg[0] ? err.msg : "no run found");
		return 2;
	}
	if (!CLI_FLAG(o, dry_run) && inv->jr->read_only) {
		fprintf(stderr, "wisdom publish: another wisdom holds the decisions journal of %s; close it and retry\n",
			inv->run->id);
		inv_free(&inv);
		return 2;
	}
	rd = load_redactor(o);
	memset(&po, 0, sizeof po);
	po.dry_run = CLI_FLAG(o, dry_run);
	po.files_only = CLI_FLAG(o, files_only);
	po.now = cli_now(o);
	po.rd = rd;
	po.progress = stdout;
	st = pub_plan_build(inv, &po, &plan, &err);
	if (st != WZ_OK) {
		fprintf(stderr, "wisdom publish: looking up what was already published failed: %s\n"
				"nothing was written; retry later, or use --files-only\n", err.msg);
		rc = 3;   /* only the GitHub lookups fail here */
	} else if (po.dry_run) {
		pub_plan_print(plan, stdout, true);
	} else {
		pub_plan_print(plan, stdout, false);
		st = pub_execute(plan, &err);
		if (st != WZ_OK) {
			fprintf(stderr, "wisdom publish: %s\n", err.msg);
			rc = st == WZ_ENET ? 3 : 2;
		} else {
			printf("published: %d GitHub call(s)%s%s\n", plan->posted, plan->gh_skip ? "; GitHub " : "",
			       plan->gh_skip ? plan->gh_skip : "");
		}
	}
	if (fflush(stdout) != 0 && rc == 0)
		rc = 2;
	pub_plan_free(&plan);
	redact_free(&rd);
	inv_free(&inv);
	return rc;
}
