/* extensions.h - every optional backend and the environment variables that
 * switch it on, as one table; plus the selection rules of
 * spec/integrations.md that say which backends a given environment enables.
 *
 * EXT_BACKEND_TABLE and EXT_ENV_TABLE are the single source for
 * `wisdom doctor`, the `backends{}` object of the JSON report and the
 * ENVIRONMENT section of the man page.
 *
 * Detection reads variables through a caller-supplied lookup so tests can
 * pass an environment matrix; ext_getenv() is the process environment
 * backed by the secrets file (sources/secrets.h).
 * Nothing here contacts a backend.
 *
 * Ownership: tables are static; struct ext_result holds fixed buffers and
 * needs no freeing.
 */
#ifndef WZ_SOURCES_EXTENSIONS_H
#define WZ_SOURCES_EXTENSIONS_H

#include <stdbool.h>
#include <stddef.h>

/* X(enum, name, area, summary) in display order. `area` groups backends
 * that answer the same question; within metrics and logs one is selected. */
#define EXT_BACKEND_TABLE(X)                                                                     \
	X(EB_GITHUB,          "github",          "base",      "GitHub REST: issues, pull request, comments") \
	X(EB_PROMETHEUS,      "prometheus",      "metrics",   "Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, AMP)") \
	X(EB_VICTORIAMETRICS, "victoriametrics", "metrics",   "VictoriaMetrics (Prometheus API)") \
	X(EB_DATADOG,         "datadog",         "metrics",   "Datadog metrics and events") \
	X(EB_ELASTICSEARCH,   "elasticsearch",   "logs",      "Elasticsearch search API") \
	X(EB_OPENSEARCH,      "opensearch",      "logs",      "OpenSearch search API") \
	X(EB_SPLUNK,          "splunk",          "logs",      "Splunk REST search (v2)") \
	X(EB_CLOUDWATCH,      "cloudwatch",      "logs",      "AWS CloudWatch Logs") \
	X(EB_PAGERDUTY,       "pagerduty",       "incidents", "PagerDuty REST API v2") \
	X(EB_OPSGENIE,        "opsgenie",        "incidents", "Opsgenie alerts and incidents") \
	X(EB_INCIDENTIO,      "incidentio",      "incidents", "incident.io API") \
	X(EB_GITHUB_ISSUES,   "github-issues",   "incidents", "GitHub issues labelled incident/bug (fallback)") \
	X(EB_JAEGER,          "jaeger",          "traces",    "Jaeger query service") \
	X(EB_HONEYCOMB,       "honeycomb",       "traces",    "Honeycomb queries and markers") \
	X(EB_DATADOG_APM,     "datadog-apm",     "traces",    "Datadog APM spans") \
	X(EB_AWS_COST,        "aws-cost",        "cost",      "AWS Cost Explorer") \
	X(EB_GCP_BILLING,     "gcp-billing",     "cost",      "GCP billing export in BigQuery") \
	X(EB_AZURE_COST,      "azure-cost",      "cost",      "Azure Cost Management")

enum ext_backend {
#define EXT_X(e, name, area, sum) e,
	EXT_BACKEND_TABLE(EXT_X)
#undef EXT_X
	EB_COUNT
};

/* How a variable takes part in enabling its backend. */
enum ext_need {
	EN_REQUIRED,   /* must be non-empty */
	EN_ONE_OF,     /* one of the variables so marked for the backend */
	EN_OPTIONAL,   /* tunes the backend; never enables it */
};

/* X(name, backend, need, secret, doc). A variable used by several backends
 * is listed once, under the backend it belongs to first. Backend "core"
 * variables (EB_COUNT) are wisdom's own and not tied to one backend. */
#define EXT_ENV_TABLE(X)                                                                         \
	X("RUN_BASE",               EB_COUNT,          EN_OPTIONAL, false, "run folder to open when none is named") \
	X("WISDOM_DEPLOY_TIME",     EB_COUNT,          EN_OPTIONAL, false, "deploy instant T (RFC 3339 or Unix seconds); overrides the artifacts") \
	X("WISDOM_CLOCK",           EB_COUNT,          EN_OPTIONAL, false, "fixed \"now\" for tests (same as --clock)") \
	X("WISDOM_SERVICE",         EB_COUNT,          EN_OPTIONAL, false, "service under review (default TRACE_SERVICE_NAME, else the repository name)") \
	X("METRICS_LOOKBACK",       EB_COUNT,          EN_OPTIONAL, false, "length of the post-deploy window (default 24h)") \
	X("SLO_WINDOW",             EB_COUNT,          EN_OPTIONAL, false, "error-budget period (default 30d)") \
	X("SSL_CERT_FILE",          EB_COUNT,          EN_OPTIONAL, false, "CA bundle for TLS verification") \
	X("CURL_CA_BUNDLE",         EB_COUNT,          EN_OPTIONAL, false, "CA bundle for TLS verification (libcurl name)") \
	X("GH_TOKEN",               EB_GITHUB,         EN_ONE_OF,   true,  "GitHub token (checked first)") \
	X("GITHUB_TOKEN",           EB_GITHUB,         EN_ONE_OF,   true,  "GitHub token (when GH_TOKEN is unset)") \
	X("GH_ENTERPRISE_TOKEN",    EB_GITHUB,         EN_ONE_OF,   true,  "GitHub Enterprise Server token") \
	X("GITHUB_ENTERPRISE_TOKEN",EB_GITHUB,         EN_ONE_OF,   true,  "GitHub Enterprise Server token (alternative name)") \
	X("GITHUB_REPOSITORY",      EB_GITHUB,         EN_OPTIONAL, false, "owner/repo; else run_meta github_repo, else git remote origin") \
	X("GITHUB_API_URL",         EB_GITHUB,         EN_OPTIONAL, false, "API base (default https://api.github.com; GHES https://HOST/api/v3)") \
	X("GH_HOST",                EB_GITHUB,         EN_OPTIONAL, false, "GitHub host; other than github.com means https://GH_HOST/api/v3") \
	X("METRICS_BACKEND",        EB_PROMETHEUS,     EN_OPTIONAL, false, "prometheus, victoriametrics or datadog: overrides detection") \
	X("METRICS_ENDPOINT",       EB_PROMETHEUS,     EN_REQUIRED, false, "metrics base URL (a Datadog host selects Datadog)") \
	X("METRICS_BEARER_TOKEN",   EB_PROMETHEUS,     EN_OPTIONAL, true,  "bearer token for the metrics endpoint") \
	X("METRICS_SELECTOR",       EB_PROMETHEUS,     EN_OPTIONAL, false, "series selector in the backend's syntax (default service=\"<service>\")") \
	X("DD_API_KEY",             EB_DATADOG,        EN_REQUIRED, true,  "Datadog API key") \
	X("DD_APP_KEY",             EB_DATADOG,        EN_REQUIRED, true,  "Datadog application key") \
	X("DD_SITE",                EB_DATADOG,        EN_OPTIONAL, false, "Datadog site (default datadoghq.com)") \
	X("DD_HOST",                EB_DATADOG,        EN_OPTIONAL, false, "Datadog API URL without /api; overrides DD_SITE") \
	X("LOGS_BACKEND",           EB_ELASTICSEARCH,  EN_OPTIONAL, false, "elasticsearch, opensearch, splunk or cloudwatch: overrides detection") \
	X("LOGS_ENDPOINT",          EB_ELASTICSEARCH,  EN_REQUIRED, false, "logs base URL") \
	X("LOGS_INDEX",             EB_ELASTICSEARCH,  EN_OPTIONAL, false, "index pattern (ES/OpenSearch), index (Splunk) or log groups (CloudWatch)") \
	X("ES_API_KEY",             EB_ELASTICSEARCH,  EN_OPTIONAL, true,  "Elasticsearch API key") \
	X("SPLUNK_AUTH_TOKEN",      EB_SPLUNK,         EN_OPTIONAL, true,  "Splunk token (bearer)") \
	X("SPLUNK_USERNAME",        EB_SPLUNK,         EN_OPTIONAL, false, "Splunk user (basic auth, with SPLUNK_PASSWORD)") \
	X("SPLUNK_PASSWORD",        EB_SPLUNK,         EN_OPTIONAL, true,  "Splunk password") \
	X("SPLUNK_CA_FILE",         EB_SPLUNK,         EN_OPTIONAL, false, "CA file for Splunk's certificate") \
	X("SPLUNK_INSECURE_SKIP_VERIFY", EB_SPLUNK,    EN_OPTIONAL, false, "true: skip TLS verification for Splunk (warned)") \
	X("AWS_ACCESS_KEY_ID",      EB_CLOUDWATCH,     EN_REQUIRED, true,  "AWS access key id (CloudWatch, Cost Explorer, SigV4)") \
	X("AWS_SECRET_ACCESS_KEY",  EB_CLOUDWATCH,     EN_REQUIRED, true,  "AWS secret access key") \
	X("AWS_SESSION_TOKEN",      EB_CLOUDWATCH,     EN_OPTIONAL, true,  "AWS session token") \
	X("AWS_REGION",             EB_CLOUDWATCH,     EN_ONE_OF,   false, "AWS region") \
	X("AWS_DEFAULT_REGION",     EB_CLOUDWATCH,     EN_ONE_OF,   false, "AWS region (when AWS_REGION is unset)") \
	X("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", EB_CLOUDWATCH, EN_OPTIONAL, false, "CloudWatch Logs endpoint override") \
	X("AWS_ENDPOINT_URL",       EB_CLOUDWATCH,     EN_OPTIONAL, false, "endpoint override for every AWS service") \
	X("PAGERDUTY_API_KEY",      EB_PAGERDUTY,      EN_REQUIRED, true,  "PagerDuty REST API key") \
	X("PAGERDUTY_SERVICE_ID",   EB_PAGERDUTY,      EN_OPTIONAL, false, "PagerDuty service id(s), comma-separated") \
	X("PAGERDUTY_SERVICE_REGION", EB_PAGERDUTY,    EN_OPTIONAL, false, "eu: use api.eu.pagerduty.com") \
	X("PAGERDUTY_API_URL_OVERRIDE", EB_PAGERDUTY,  EN_OPTIONAL, false, "PagerDuty API base override") \
	X("OPSGENIE_API_KEY",       EB_OPSGENIE,       EN_REQUIRED, true,  "Opsgenie API key") \
	X("OPSGENIE_TEAM",          EB_OPSGENIE,       EN_OPTIONAL, false, "Opsgenie team filter") \
	X("OPSGENIE_API_URL",       EB_OPSGENIE,       EN_OPTIONAL, false, "Opsgenie API base (default https://api.opsgenie.com)") \
	X("INCIDENT_API_KEY",       EB_INCIDENTIO,     EN_ONE_OF,   true,  "incident.io API key") \
	X("INCIDENTIO_API_KEY",     EB_INCIDENTIO,     EN_ONE_OF,   true,  "incident.io API key (alternative name)") \
	X("INCIDENT_ENDPOINT",      EB_INCIDENTIO,     EN_OPTIONAL, false, "incident.io API base (default https://api.incident.io)") \
	X("TRACE_BACKEND",          EB_JAEGER,         EN_OPTIONAL, false, "jaeger, honeycomb or datadog: overrides detection") \
	X("TRACE_ENDPOINT",         EB_JAEGER,         EN_REQUIRED, false, "Jaeger query service URL") \
	X("TRACE_SERVICE_NAME",     EB_JAEGER,         EN_OPTIONAL, false, "service name in traces") \
	X("HONEYCOMB_API_KEY",      EB_HONEYCOMB,      EN_REQUIRED, true,  "Honeycomb configuration key") \
	X("HONEYCOMB_DATASET",      EB_HONEYCOMB,      EN_REQUIRED, false, "Honeycomb dataset") \
	X("HONEYCOMB_API_ENDPOINT", EB_HONEYCOMB,      EN_OPTIONAL, false, "Honeycomb API base (default https://api.honeycomb.io)") \
	X("AWS_COST_ALLOCATION_TAG",EB_AWS_COST,       EN_REQUIRED, false, "cost allocation tag key:value (with the AWS credentials)") \
	X("AWS_ENDPOINT_URL_COST_EXPLORER", EB_AWS_COST, EN_OPTIONAL, false, "Cost Explorer endpoint override") \
	X("GCP_BILLING_PROJECT",    EB_GCP_BILLING,    EN_REQUIRED, false, "project holding the billing export") \
	X("GCP_BILLING_DATASET",    EB_GCP_BILLING,    EN_REQUIRED, false, "BigQuery dataset of the billing export") \
	X("GCP_BILLING_TABLE",      EB_GCP_BILLING,    EN_OPTIONAL, false, "billing export table") \
	X("GCP_BILLING_LABEL",      EB_GCP_BILLING,    EN_OPTIONAL, false, "label key:value to filter costs") \
	X("GOOGLE_OAUTH_ACCESS_TOKEN", EB_GCP_BILLING, EN_OPTIONAL, true,  "OAuth token (else gcloud, else a service account)") \
	X("GOOGLE_APPLICATION_CREDENTIALS", EB_GCP_BILLING, EN_OPTIONAL, false, "service-account JSON file") \
	X("WISDOM_BIGQUERY_URL",    EB_GCP_BILLING,    EN_OPTIONAL, false, "BigQuery API base override") \
	X("AZURE_SUBSCRIPTION_ID",  EB_AZURE_COST,     EN_REQUIRED, false, "Azure subscription") \
	X("AZURE_TENANT_ID",        EB_AZURE_COST,     EN_OPTIONAL, false, "Azure tenant (client credentials)") \
	X("AZURE_CLIENT_ID",        EB_AZURE_COST,     EN_OPTIONAL, false, "Azure client id (client credentials)") \
	X("AZURE_CLIENT_SECRET",    EB_AZURE_COST,     EN_OPTIONAL, true,  "Azure client secret") \
	X("AZURE_ACCESS_TOKEN",     EB_AZURE_COST,     EN_OPTIONAL, true,  "ready Azure access token (instead of client credentials)") \
	X("AZURE_AUTHORITY_HOST",   EB_AZURE_COST,     EN_OPTIONAL, false, "Azure login host override") \
	X("AZURE_COST_SCOPE",       EB_AZURE_COST,     EN_OPTIONAL, false, "cost scope (default /subscriptions/<id>)") \
	X("AZURE_COST_TAG",         EB_AZURE_COST,     EN_OPTIONAL, false, "tag filter for costs") \
	X("WISDOM_AZURE_ARM_URL",   EB_AZURE_COST,     EN_OPTIONAL, false, "Azure Resource Manager base override")

struct ext_env_var {
	const char *name;
	enum ext_backend backend;   /* EB_COUNT: core */
	enum ext_need need;
	bool secret;
	const char *doc;
};

/* The table as an array (ext_env_count() entries). */
const struct ext_env_var *ext_env_vars(void);
size_t ext_env_count(void);

const char *ext_backend_name(enum ext_backend b);   /* "core" for EB_COUNT */
const char *ext_backend_area(enum ext_backend b);
const char *ext_backend_summary(enum ext_backend b);
int ext_backend_from_name(const char *name);        /* -1 when unknown */

/* Looks a variable up; returns NULL when unset. Empty counts as unset. */
typedef const char *(*ext_lookup_fn)(const char *name, void *ctx);
/* The process environment, then (for backend variables the environment
 * leaves unset or empty) the secrets file of sources/secrets.h. */
const char *ext_getenv(const char *name, void *ctx);

/* Like ext_getenv(), and says where the value came from: "env" or
 * "secrets FILE:LINE" into where[0..n) ("" when unset). */
const char *ext_where(const char *name, char *where, size_t n);

enum ext_state {
	EXT_SKIPPED,       /* not configured: the reason says which variables */
	EXT_CONFIGURED,    /* selected by the rules; reachability not checked */
	EXT_MISCONFIGURED, /* asked for (override, partial set) but incomplete */
};
const char *ext_state_word(enum ext_state s);   /* skipped|configured|misconfigured */

struct ext_result {
	enum ext_state state;
	char reason[320];  /* why: which variables decided it (values never shown) */
};

/* Applies the selection rules of spec/integrations.md §3-§8 to the
 * environment seen through `get`. out[] has EB_COUNT entries. */
void ext_detect(ext_lookup_fn get, void *ctx, struct ext_result out[EB_COUNT]);

/* A non-secret value safe to show: URL userinfo replaced by "***".
 * Writes into out (truncating). */
void ext_mask_value(const char *value, char *out, size_t n);

#endif
