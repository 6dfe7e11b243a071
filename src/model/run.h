/* run.h - one swarm run as plain data: identity, flows, receipts, and the
 * facts the markdown readers extract, each with where it came from.
 *
 * Filled by sources/runs.c (discovery, run_meta.json, index.json, receipts)
 * and sources/runmd.c (Machine Summaries, markers, test evidence, verdicts,
 * deploy time, observability inventory). Read by analysis/ and the UI.
 *
 * Ownership: a struct run owns every string and array reachable from it;
 * run_free(&r) releases all of it and sets r to NULL. Strings are UTF-8 as
 * read (untrusted: sanitise before drawing, redact before writing).
 * "Unknown" is explicit: numbers use struct opt_num (has=false), never 0.
 */
#ifndef WZ_MODEL_RUN_H
#define WZ_MODEL_RUN_H

#include <stdbool.h>
#include <stddef.h>

/* Where a fact came from: path relative to the run folder, 1-based line
 * (0 = whole file / JSON key without line). */
struct prov {
	char *path;
	int line;
};

struct opt_num {
	bool has;      /* false: null / absent / unknown */
	double v;
	struct prov src;
};

struct opt_str {
	char *v;       /* NULL: null / absent */
	struct prov src;
};

/* Flow folders in fixed 7-flow order. X(enum, folder, letter) */
#define RUN_FLOW_TABLE(X)               \
	X(FLOW_SIGNAL, "signal", 'S')   \
	X(FLOW_PLAN,   "plan",   'P')   \
	X(FLOW_BUILD,  "build",  'B')   \
	X(FLOW_REVIEW, "review", 'R')   \
	X(FLOW_GATE,   "gate",   'G')   \
	X(FLOW_DEPLOY, "deploy", 'D')   \
	X(FLOW_WISDOM, "wisdom", 'W')

enum run_flow {
#define RUN_X(e, name, letter) e,
	RUN_FLOW_TABLE(RUN_X)
#undef RUN_X
	FLOW_COUNT
};

const char *run_flow_name(enum run_flow f);
char run_flow_letter(enum run_flow f);
int run_flow_from_name(const char *name);   /* -1 when unknown */

enum run_generation {
	GEN_UNKNOWN = 0,
	GEN_DEMOSWARM_7,    /* review/ folder or receipt present */
	GEN_DEMOSWARM_6,
	GEN_FLOW_STUDIO,    /* swarm/runs/<id>/ layout */
};
const char *run_generation_name(enum run_generation g);
/* Maps a flow number as written in this generation's artifacts to a flow;
 * -1 when out of range. */
int run_flow_from_number(enum run_generation g, int number);

/* A receipt status word. Unknown words are kept verbatim in `raw`. */
enum receipt_status {
	RS_ABSENT = 0, RS_VERIFIED, RS_UNVERIFIED, RS_CANNOT_PROCEED, RS_PARTIAL,
	RS_IN_PROGRESS, RS_OTHER,
};

struct str_list {
	char **v;
	size_t n;
};

/* One counts{} entry of a receipt: null = unknown (num.has false, text NULL);
 * a number or numeric string sets num; any other string, object or array
 * keeps its text (objects/arrays as compact JSON). */
struct receipt_count {
	char *key;
	struct opt_num num;
	char *text;
};

struct receipt {
	bool present;             /* file exists */
	bool parsed;              /* valid JSON object */
	char *error;              /* why not parsed (names file and line) */
	struct prov src;          /* <flow>/<flow>_receipt.json */
	enum receipt_status status;
	char *status_raw;
	char *recommended_action;
	char *route_to_flow;      /* as written: number, name or NULL */
	char *route_to_agent;
	struct str_list missing_required, missing_optional, blockers, concerns;
	bool has_concerns_key;
	double completed_at;      /* NAN when absent */
	char *completed_at_raw;
	char *schema_version;
	/* flow specific */
	char *merge_verdict;      /* gate */
	char *deployment_verdict; /* deploy */
	char *gate_verdict;       /* deploy */
	struct opt_num tests_passed, tests_failed, tests_skipped, tests_xfailed, tests_xpassed;
	char *tests_canonical_summary;
	struct opt_num coverage_line, coverage_branch;
	/* wisdom receipt */
	char wisdom_shape;        /* 'A'..'D', 0 unknown */
	struct opt_num wisdom_flows_completed;
	bool run_complete;
	/* added by sources/runs: */
	struct receipt_count *counts;   /* every counts{} key, in file order */
	size_t ncounts;
	int wisdom_flows_recounted;     /* other flows' receipts present; -1 unknown */
	char *wisdom_flow_summary[FLOW_COUNT];   /* flow_summary{} words, verbatim */
	char *wisdom_final_merge;       /* final_outcomes.merge_decision */
	char *wisdom_final_deploy;      /* final_outcomes.deployment_verdict */
};

struct flow_state {
	bool dir_present;
	struct receipt receipt;
	double first_time, last_time;    /* file mtimes (inferred timing), NAN */
	size_t nfiles;
};

/* One test count source (§7): the values and where they came from. */
struct test_counts {
	char *source;             /* e.g. "build/test_execution.md" */
	struct prov src;
	struct opt_num passed, failed, skipped, xfailed, xpassed, errors;
};

/* Stable line markers (§6): counted values with stated ones beside. */
#define RUN_MARKER_TABLE(X)                                                              \
	X(MK_REG,          "regressions",        "wisdom/regression_report.md", "^### REG-\\d{3}:") \
	X(MK_LEARNING,     "learnings",          "wisdom/learnings.md",       "^## Learning: ")  \
	X(MK_ACTION,       "actions",            "wisdom/learnings.md",       "^- ACTION: ")     \
	X(MK_PACK_OBS,     "pack_observations",  "wisdom/learnings.md",       "^- PACK_OBS: ")   \
	X(MK_ISSUE,        "issue_drafts",       "wisdom/feedback_actions.md", "^- ISSUE: ")     \
	X(MK_SUG,          "suggestions",        "wisdom/feedback_actions.md", "^- [ ] SUG-\\d+") \
	X(MK_INV_ISSUE,    "inventory_issue_drafts", "wisdom/feedback_actions.md", "^- ISSUE_DRAFT: ") \
	X(MK_INV_SUG,      "inventory_suggestions",  "wisdom/feedback_actions.md", "^- SUGGESTION: ") \
	X(MK_REQ,          "requirements",       "signal/requirements.md",    "^### REQ-\\d{3}")  \
	X(MK_NFR,          "nfrs",               "signal/requirements.md",    "^### NFR-[A-Z]+-\\d{3}")

enum run_marker {
#define RUN_X(e, key, file, re) e,
	RUN_MARKER_TABLE(RUN_X)
#undef RUN_X
	MK_COUNT
};

struct marker_count {
	bool file_present;
	int counted;
	struct opt_num stated;    /* a count the file states about itself */
	struct prov first;        /* first matching line */
};

/* Observability inventory (§11). */
struct obs_inventory {
	bool present;             /* an "## Inventory" section was found */
	struct prov src;
	int metrics, log_events, trace_spans, slos, alerts;
	int sentinels;            /* `none` lines */
	struct str_list metric_names, slo_lines, alert_lines, log_event_names, span_names;
};

struct run {
	char *id;                 /* run_meta.run_id, else the folder name */
	char *path;               /* absolute path of the run folder */
	char *repo_root;          /* the folder holding .runs/ (or NULL) */
	enum run_generation generation;
	bool has_meta;
	char *meta_error;         /* run_meta.json unparseable: message */
	char *task_title, *canonical_key, *github_repo, *run_id_kind, *source;
	struct opt_num issue_number, pr_number;
	bool github_ops_allowed;
	double created_at, updated_at;  /* NAN when absent */
	char *merge_sha, *tag_name, *base_ref;
	struct str_list aliases, flows_started;
	bool indexed;             /* listed in .runs/index.json */
	char *index_status, *index_last_flow;

	struct flow_state flows[FLOW_COUNT];

	/* markdown facts (sources/runmd.c) */
	struct test_counts *tests;  /* every source found, strongest first */
	size_t ntests;
	struct opt_str merge_verdict;       /* gate/merge_decision.md */
	struct opt_str merge_reason;
	struct opt_str deployment_verdict;  /* deploy/deployment_decision.md */
	double deploy_time;                 /* T; NAN when unknown */
	char *deploy_time_source;           /* e.g. "deploy/deployment_log.md:16 Merged At" */
	bool deploy_time_approximate;
	struct opt_str smoke_signal;
	struct marker_count markers[MK_COUNT];
	struct obs_inventory obs;
	bool wisdom_stale;                  /* a receipt newer than wisdom's */

	/* problems met while reading (never fatal): "path:line: message" */
	struct str_list warnings;

	/* every file under the flow folders, from the one walk of the run
	 * (model/inventory.h); NULL when the folders were not walked */
	struct run_inventory *inventory;
};

struct run_inventory;
struct run *run_new(void);
void run_free(struct run **r);
void str_list_push(struct str_list *l, const char *s);   /* copies s */
void str_list_free(struct str_list *l);
void prov_set(struct prov *p, const char *path, int line);
void run_warn(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
