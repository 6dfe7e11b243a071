/* run.c - constructors, destructors and tables of the run model. */
#include "config.h"
#include "model/run.h"
#include "model/inventory.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	char letter;
} flow_info[] = {
#define RUN_X(e, name, letter) {name, letter},
	RUN_FLOW_TABLE(RUN_X)
#undef RUN_X
};

const char *run_flow_name(enum run_flow f)
{
	return (unsigned)f < FLOW_COUNT ? flow_info[f].name : "?";
}

char run_flow_letter(enum run_flow f)
{
	return (unsigned)f < FLOW_COUNT ? flow_info[f].letter : '?';
}

int run_flow_from_name(const char *name)
{
	int i;
	for (i = 0; name && i < FLOW_COUNT; i++)
		if (strcmp(flow_info[i].name, name) == 0)
			return i;
	return -1;
}

const char *run_generation_name(enum run_generation g)
{
	switch (g) {
	case GEN_DEMOSWARM_7: return "demoswarm-7";
	case GEN_DEMOSWARM_6: return "demoswarm-6";
	case GEN_FLOW_STUDIO: return "flow-studio";
	default: return "unknown";
	}
}

int run_flow_from_number(enum run_generation g, int number)
{
	static const int six[] = {FLOW_SIGNAL, FLOW_PLAN, FLOW_BUILD, FLOW_GATE, FLOW_DEPLOY, FLOW_WISDOM};
	if (g == GEN_DEMOSWARM_6) {
		if (number < 1 || number > 6)
			return -1;
		return six[number - 1];
	}
	if (number < 1 || number > 7)
		return -1;
	return number - 1;
}

struct run *run_new(void)
{
	struct run *r = xcalloc(1, sizeof *r);
	int f;
	r->created_at = r->updated_at = r->deploy_time = NAN;
	for (f = 0; f < FLOW_COUNT; f++) {
		r->flows[f].receipt.completed_at = NAN;
		r->flows[f].receipt.wisdom_flows_recounted = -1;
		r->flows[f].first_time = r->flows[f].last_time = NAN;
	}
	return r;
}

void str_list_push(struct str_list *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void str_list_free(struct str_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void prov_set(struct prov *p, const char *path, int line)
{
	free(p->path);
	p->path = xstrdup(path);
	p->line = line;
}

void run_warn(struct run *r, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	str_list_push(&r->warnings, buf_str(&b));
	buf_free(&b);
}

static void opt_num_free(struct opt_num *n)
{
	free(n->src.path);
	n->src.path = NULL;
}

static void opt_str_free(struct opt_str *s)
{
	free(s->v);
	free(s->src.path);
	s->v = s->src.path = NULL;
}

static void receipt_free(struct receipt *rc)
{
	free(rc->error);
	free(rc->src.path);
	free(rc->status_raw);
	free(rc->recommended_action);
	free(rc->route_to_flow);
	free(rc->route_to_agent);
	str_list_free(&rc->missing_required);
	str_list_free(&rc->missing_optional);
	str_list_free(&rc->blockers);
	str_list_free(&rc->concerns);
	free(rc->completed_at_raw);
	free(rc->schema_version);
	free(rc->merge_verdict);
	free(rc->deployment_verdict);
	free(rc->gate_verdict);
	opt_num_free(&rc->tests_passed);
	opt_num_free(&rc->tests_failed);
	opt_num_free(&rc->tests_skipped);
	opt_num_free(&rc->tests_xfailed);
	opt_num_free(&rc->tests_xpassed);
	free(rc->tests_canonical_summary);
	opt_num_free(&rc->coverage_line);
	opt_num_free(&rc->coverage_branch);
	opt_num_free(&rc->wisdom_flows_completed);
	{
		size_t i;
		for (i = 0; i < rc->ncounts; i++) {
			free(rc->counts[i].key);
			opt_num_free(&rc->counts[i].num);
			free(rc->counts[i].text);
		}
		free(rc->counts);
		for (i = 0; i < FLOW_COUNT; i++)
			free(rc->wisdom_flow_summary[i]);
		free(rc->wisdom_final_merge);
		free(rc->wisdom_final_deploy);
	}
}

static void test_counts_free(struct test_counts *t)
{
	free(t->source);
	free(t->src.path);
	opt_num_free(&t->passed);
	opt_num_free(&t->failed);
	opt_num_free(&t->skipped);
	opt_num_free(&t->xfailed);
	opt_num_free(&t->xpassed);
	opt_num_free(&t->errors);
}

void run_free(struct run **rp)
{
	struct run *r;
	size_t i;
	if (!rp || !*rp)
		return;
	r = *rp;
	run_inventory_free(&r->inventory);
	free(r->id);
	free(r->path);
	free(r->repo_root);
	free(r->meta_error);
	free(r->task_title);
	free(r->canonical_key);
	free(r->github_repo);
	free(r->run_id_kind);
	free(r->source);
	opt_num_free(&r->issue_number);
	opt_num_free(&r->pr_number);
	free(r->merge_sha);
	free(r->tag_name);
	free(r->base_ref);
	str_list_free(&r->aliases);
	str_list_free(&r->flows_started);
	free(r->index_status);
	free(r->index_last_flow);
	for (i = 0; i < FLOW_COUNT; i++)
		receipt_free(&r->flows[i].receipt);
	for (i = 0; i < r->ntests; i++)
		test_counts_free(&r->tests[i]);
	free(r->tests);
	opt_str_free(&r->merge_verdict);
	opt_str_free(&r->merge_reason);
	opt_str_free(&r->deployment_verdict);
	free(r->deploy_time_source);
	opt_str_free(&r->smoke_signal);
	for (i = 0; i < MK_COUNT; i++) {
		free(r->markers[i].first.path);
		opt_num_free(&r->markers[i].stated);
	}
	free(r->obs.src.path);
	str_list_free(&r->obs.metric_names);
	str_list_free(&r->obs.slo_lines);
	str_list_free(&r->obs.alert_lines);
	str_list_free(&r->obs.log_event_names);
	str_list_free(&r->obs.span_names);
	str_list_free(&r->warnings);
	free(r);
	*rp = NULL;
}
