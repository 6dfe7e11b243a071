/* test_extensions.c - backend selection per spec/integrations.md, fed an
 * environment matrix through the lookup hook (no setenv, no network). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/extensions.h"

/* A NULL-terminated list of "NAME=value" strings. */
static const char *look(const char *name, void *ctx)
{
	const char *const *kv = ctx;
	size_t n = strlen(name);
	for (; *kv; kv++)
		if (strncmp(*kv, name, n) == 0 && (*kv)[n] == '=')
			return *kv + n + 1;
	return NULL;
}

static struct ext_result R[EB_COUNT];

static void detect(const char *const *env)
{
	ext_detect(look, (void *)env, R);
}

#define STATE(b, s) assert_int_equal(R[b].state, s)
#define REASON_HAS(b, text) assert_non_null(strstr(R[b].reason, text))

static void test_empty_env(void **st)
{
	static const char *const env[] = {NULL};
	int i;
	(void)st;
	detect(env);
	for (i = 0; i < EB_COUNT; i++) {
		assert_int_equal(R[i].state, EXT_SKIPPED);
		assert_true(R[i].reason[0] != '\0');
	}
	REASON_HAS(EB_GITHUB, "GH_TOKEN");
	REASON_HAS(EB_PROMETHEUS, "METRICS_ENDPOINT not set");
	REASON_HAS(EB_GITHUB_ISSUES, "no GitHub token");
}

static void test_github_tokens(void **st)
{
	static const char *const a[] = {"GITHUB_TOKEN=x", NULL};
	static const char *const b[] = {"GH_TOKEN=x", "GITHUB_TOKEN=y", NULL};
	static const char *const c[] = {"GH_ENTERPRISE_TOKEN=x", NULL};
	static const char *const d[] = {"GH_ENTERPRISE_TOKEN=x", "GH_HOST=ghe.example.com", NULL};
	static const char *const e[] = {"GH_TOKEN=", "GITHUB_TOKEN=", NULL};
	(void)st;
	detect(a);
	STATE(EB_GITHUB, EXT_CONFIGURED);
	REASON_HAS(EB_GITHUB, "token from GITHUB_TOKEN");
	STATE(EB_GITHUB_ISSUES, EXT_CONFIGURED);
	detect(b);
	REASON_HAS(EB_GITHUB, "token from GH_TOKEN");
	REASON_HAS(EB_GITHUB, "https://api.github.com");
	detect(c);
	STATE(EB_GITHUB, EXT_SKIPPED);
	detect(d);
	STATE(EB_GITHUB, EXT_CONFIGURED);
	REASON_HAS(EB_GITHUB, "GH_ENTERPRISE_TOKEN");
	REASON_HAS(EB_GITHUB, "GH_HOST/api/v3");
	detect(e);   /* empty counts as unset */
	STATE(EB_GITHUB, EXT_SKIPPED);
}

static void test_metrics_datadog_host(void **st)
{
	static const char *const a[] = {"METRICS_ENDPOINT=https://api.datadoghq.com", "DD_API_KEY=k", "DD_APP_KEY=a", NULL};
	static const char *const b[] = {"METRICS_ENDPOINT=https://api.us5.datadoghq.com/", NULL};
	static const char *const c[] = {"METRICS_ENDPOINT=https://api.ddog-gov.com", "DD_API_KEY=k", "DD_APP_KEY=a", NULL};
	static const char *const d[] = {"METRICS_ENDPOINT=https://notdatadoghq.com", NULL};
	static const char *const e[] = {"METRICS_ENDPOINT=https://api.datadoghq.eu", "DD_API_KEY=k", NULL};
	(void)st;
	detect(a);
	STATE(EB_DATADOG, EXT_CONFIGURED);
	STATE(EB_PROMETHEUS, EXT_SKIPPED);
	STATE(EB_VICTORIAMETRICS, EXT_SKIPPED);
	REASON_HAS(EB_DATADOG, "Datadog site");
	detect(b);   /* a Datadog host without keys is asked for but incomplete */
	STATE(EB_DATADOG, EXT_MISCONFIGURED);
	REASON_HAS(EB_DATADOG, "DD_API_KEY and DD_APP_KEY are");
	STATE(EB_PROMETHEUS, EXT_SKIPPED);
	detect(c);
	STATE(EB_DATADOG, EXT_CONFIGURED);
	detect(d);   /* suffix must match on a label boundary */
	STATE(EB_PROMETHEUS, EXT_CONFIGURED);
	STATE(EB_DATADOG, EXT_SKIPPED);
	detect(e);
	STATE(EB_DATADOG, EXT_MISCONFIGURED);
	REASON_HAS(EB_DATADOG, "DD_APP_KEY is");
}

static void test_metrics_prometheus_and_override(void **st)
{
	static const char *const a[] = {"METRICS_ENDPOINT=http://127.0.0.1:19090", "DD_API_KEY=k", "DD_APP_KEY=a", NULL};
	static const char *const b[] = {"METRICS_BACKEND=victoriametrics", "METRICS_ENDPOINT=http://127.0.0.1:8428", NULL};
	static const char *const c[] = {"METRICS_BACKEND=datadog", "METRICS_ENDPOINT=http://127.0.0.1:19090", NULL};
	static const char *const d[] = {"METRICS_BACKEND=graphite", NULL};
	static const char *const e[] = {"DD_API_KEY=k", "DD_APP_KEY=a", NULL};
	static const char *const f[] = {"METRICS_ENDPOINT=https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1", NULL};
	static const char *const g[] = {"METRICS_BACKEND=prometheus", NULL};
	(void)st;
	detect(a);   /* the endpoint wins over Datadog keys for metrics */
	STATE(EB_PROMETHEUS, EXT_CONFIGURED);
	STATE(EB_DATADOG, EXT_SKIPPED);
	STATE(EB_DATADOG_APM, EXT_CONFIGURED);   /* traces still use the keys */
	detect(b);
	STATE(EB_VICTORIAMETRICS, EXT_CONFIGURED);
	STATE(EB_PROMETHEUS, EXT_SKIPPED);
	REASON_HAS(EB_PROMETHEUS, "METRICS_BACKEND selects victoriametrics");
	detect(c);
	STATE(EB_DATADOG, EXT_MISCONFIGURED);
	STATE(EB_PROMETHEUS, EXT_SKIPPED);
	detect(d);
	STATE(EB_PROMETHEUS, EXT_MISCONFIGURED);
	STATE(EB_DATADOG, EXT_SKIPPED);
	detect(e);
	STATE(EB_DATADOG, EXT_CONFIGURED);
	STATE(EB_PROMETHEUS, EXT_SKIPPED);
	detect(f);
	STATE(EB_PROMETHEUS, EXT_MISCONFIGURED);
	REASON_HAS(EB_PROMETHEUS, "Amazon Managed Prometheus");
	detect(g);
	STATE(EB_PROMETHEUS, EXT_MISCONFIGURED);
	REASON_HAS(EB_PROMETHEUS, "METRICS_ENDPOINT is not set");
}

static void test_logs_selection(void **st)
{
	static const char *const cw[] = {"LOGS_ENDPOINT=https://logs.eu-west-1.amazonaws.com", "LOGS_INDEX=/app/web",
					 "AWS_ACCESS_KEY_ID=AKIA", "AWS_SECRET_ACCESS_KEY=s", NULL};
	static const char *const cw_nocreds[] = {"LOGS_ENDPOINT=https://logs.eu-west-1.amazonaws.com", NULL};
	static const char *const cw_idx[] = {"LOGS_INDEX=/app/web", "AWS_ACCESS_KEY_ID=AKIA", "AWS_SECRET_ACCESS_KEY=s",
					     "AWS_DEFAULT_REGION=us-east-1", NULL};
	static const char *const cw_noregion[] = {"LOGS_INDEX=/app/web", "AWS_ACCESS_KEY_ID=AKIA",
						  "AWS_SECRET_ACCESS_KEY=s", NULL};
	static const char *const sp[] = {"LOGS_ENDPOINT=https://splunk.example.com:8089", "SPLUNK_AUTH_TOKEN=t", NULL};
	static const char *const sp_path[] = {"LOGS_ENDPOINT=https://splunk.example.com/services", "SPLUNK_USERNAME=u",
					      "SPLUNK_PASSWORD=p", NULL};
	static const char *const sp_noauth[] = {"LOGS_ENDPOINT=https://splunk.example.com:8089", NULL};
	static const char *const es[] = {"LOGS_ENDPOINT=http://127.0.0.1:9200", "LOGS_INDEX=app-logs-*", NULL};
	static const char *const os[] = {"LOGS_BACKEND=opensearch", "LOGS_ENDPOINT=http://127.0.0.1:9200", NULL};
	static const char *const bad[] = {"LOGS_BACKEND=loki", "LOGS_ENDPOINT=http://x", NULL};
	(void)st;
	detect(cw);
	STATE(EB_CLOUDWATCH, EXT_CONFIGURED);
	STATE(EB_ELASTICSEARCH, EXT_SKIPPED);
	STATE(EB_SPLUNK, EXT_SKIPPED);
	detect(cw_nocreds);
	STATE(EB_CLOUDWATCH, EXT_MISCONFIGURED);
	REASON_HAS(EB_CLOUDWATCH, "AWS_ACCESS_KEY_ID");
	detect(cw_idx);
	STATE(EB_CLOUDWATCH, EXT_CONFIGURED);
	detect(cw_noregion);   /* no endpoint and no region: not CloudWatch */
	STATE(EB_CLOUDWATCH, EXT_SKIPPED);
	detect(sp);
	STATE(EB_SPLUNK, EXT_CONFIGURED);
	REASON_HAS(EB_SPLUNK, "port 8089");
	STATE(EB_ELASTICSEARCH, EXT_SKIPPED);
	detect(sp_path);
	STATE(EB_SPLUNK, EXT_CONFIGURED);
	REASON_HAS(EB_SPLUNK, "/services");
	detect(sp_noauth);
	STATE(EB_SPLUNK, EXT_MISCONFIGURED);
	detect(es);
	STATE(EB_ELASTICSEARCH, EXT_CONFIGURED);
	REASON_HAS(EB_ELASTICSEARCH, "probe");
	STATE(EB_OPENSEARCH, EXT_SKIPPED);
	detect(os);
	STATE(EB_OPENSEARCH, EXT_CONFIGURED);
	STATE(EB_ELASTICSEARCH, EXT_SKIPPED);
	REASON_HAS(EB_ELASTICSEARCH, "LOGS_BACKEND selects opensearch");
	detect(bad);
	STATE(EB_ELASTICSEARCH, EXT_MISCONFIGURED);
}

static void test_incidents(void **st)
{
	static const char *const pd[] = {"PAGERDUTY_API_KEY=k", "GH_TOKEN=t", NULL};
	static const char *const io[] = {"INCIDENTIO_API_KEY=k", NULL};
	static const char *const og[] = {"OPSGENIE_API_KEY=k", "INCIDENT_API_KEY=k", NULL};
	(void)st;
	detect(pd);
	STATE(EB_PAGERDUTY, EXT_CONFIGURED);
	STATE(EB_OPSGENIE, EXT_SKIPPED);
	STATE(EB_GITHUB_ISSUES, EXT_SKIPPED);
	REASON_HAS(EB_GITHUB_ISSUES, "incident tool is configured");
	detect(io);
	STATE(EB_INCIDENTIO, EXT_CONFIGURED);
	REASON_HAS(EB_INCIDENTIO, "INCIDENTIO_API_KEY");
	detect(og);
	STATE(EB_OPSGENIE, EXT_CONFIGURED);
	STATE(EB_INCIDENTIO, EXT_CONFIGURED);
	REASON_HAS(EB_INCIDENTIO, "INCIDENT_API_KEY set");
}

static void test_traces(void **st)
{
	static const char *const all[] = {"TRACE_ENDPOINT=http://jaeger:16686", "HONEYCOMB_API_KEY=k",
					  "HONEYCOMB_DATASET=d", "DD_API_KEY=k", "DD_APP_KEY=a", NULL};
	static const char *const hc[] = {"TRACE_BACKEND=honeycomb", "TRACE_ENDPOINT=http://jaeger:16686",
					 "HONEYCOMB_API_KEY=k", "HONEYCOMB_DATASET=d", NULL};
	static const char *const half[] = {"HONEYCOMB_API_KEY=k", NULL};
	static const char *const jg[] = {"TRACE_BACKEND=jaeger", NULL};
	(void)st;
	detect(all);   /* several may be on */
	STATE(EB_JAEGER, EXT_CONFIGURED);
	STATE(EB_HONEYCOMB, EXT_CONFIGURED);
	STATE(EB_DATADOG_APM, EXT_CONFIGURED);
	detect(hc);
	STATE(EB_HONEYCOMB, EXT_CONFIGURED);
	STATE(EB_JAEGER, EXT_SKIPPED);
	STATE(EB_DATADOG_APM, EXT_SKIPPED);
	detect(half);
	STATE(EB_HONEYCOMB, EXT_MISCONFIGURED);
	REASON_HAS(EB_HONEYCOMB, "HONEYCOMB_DATASET is");
	detect(jg);
	STATE(EB_JAEGER, EXT_MISCONFIGURED);
}

static void test_cost(void **st)
{
	static const char *const aws[] = {"AWS_COST_ALLOCATION_TAG=app:web", "AWS_ACCESS_KEY_ID=a",
					  "AWS_SECRET_ACCESS_KEY=s", NULL};
	static const char *const aws_half[] = {"AWS_COST_ALLOCATION_TAG=app:web", NULL};
	static const char *const gcp[] = {"GCP_BILLING_PROJECT=p", "GCP_BILLING_DATASET=d",
					  "GOOGLE_OAUTH_ACCESS_TOKEN=t", NULL};
	static const char *const gcp_half[] = {"GCP_BILLING_DATASET=d", NULL};
	static const char *const az_tok[] = {"AZURE_SUBSCRIPTION_ID=s", "AZURE_ACCESS_TOKEN=t", NULL};
	static const char *const az_cc[] = {"AZURE_SUBSCRIPTION_ID=s", "AZURE_TENANT_ID=t", "AZURE_CLIENT_ID=c",
					    "AZURE_CLIENT_SECRET=x", NULL};
	static const char *const az_half[] = {"AZURE_SUBSCRIPTION_ID=s", "AZURE_TENANT_ID=t", NULL};
	(void)st;
	detect(aws);
	STATE(EB_AWS_COST, EXT_CONFIGURED);
	detect(aws_half);
	STATE(EB_AWS_COST, EXT_MISCONFIGURED);
	detect(gcp);
	STATE(EB_GCP_BILLING, EXT_CONFIGURED);
	REASON_HAS(EB_GCP_BILLING, "GOOGLE_OAUTH_ACCESS_TOKEN");
	detect(gcp_half);
	STATE(EB_GCP_BILLING, EXT_MISCONFIGURED);
	REASON_HAS(EB_GCP_BILLING, "GCP_BILLING_PROJECT not");
	detect(az_tok);
	STATE(EB_AZURE_COST, EXT_CONFIGURED);
	detect(az_cc);
	STATE(EB_AZURE_COST, EXT_CONFIGURED);
	detect(az_half);
	STATE(EB_AZURE_COST, EXT_MISCONFIGURED);
}

/* Every secret set to a recognisable value: no reason may contain it. */
static void test_no_secret_in_reasons(void **st)
{
	const struct ext_env_var *v = ext_env_vars();
	size_t n = ext_env_count(), i;
	const char **env = calloc(n + 1, sizeof *env);
	char **own = calloc(n, sizeof *own);
	int b;
	(void)st;
	assert_non_null(env);
	assert_non_null(own);
	for (i = 0; i < n; i++) {
		size_t len = strlen(v[i].name) + 64;
		own[i] = malloc(len);
		assert_non_null(own[i]);
		snprintf(own[i], len, "%s=%s", v[i].name, v[i].secret ? "S3CRET-VALUE-42" : "https://u:pw@h.example");
		env[i] = own[i];
	}
	ext_detect(look, env, R);
	for (b = 0; b < EB_COUNT; b++) {
		assert_null(strstr(R[b].reason, "S3CRET"));
		assert_null(strstr(R[b].reason, "u:pw"));
	}
	for (i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(env);
}

static void test_tables(void **st)
{
	const struct ext_env_var *v = ext_env_vars();
	size_t n = ext_env_count(), i, j;
	int b, used[EB_COUNT + 1] = {0};
	(void)st;
	assert_true(n > 60);
	for (i = 0; i < n; i++) {
		assert_non_null(v[i].doc);
		assert_true(v[i].doc[0] != '\0');
		used[v[i].backend]++;
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(v[i].name, v[j].name);
	}
	for (b = 0; b < EB_COUNT; b++) {
		assert_int_equal(ext_backend_from_name(ext_backend_name((enum ext_backend)b)), b);
		if (b != EB_GITHUB_ISSUES && b != EB_VICTORIAMETRICS && b != EB_OPENSEARCH && b != EB_DATADOG_APM)
			assert_true(used[b] > 0);
	}
	assert_int_equal(ext_backend_from_name("nope"), -1);
	assert_string_equal(ext_backend_name(EB_COUNT), "core");
	assert_string_equal(ext_state_word(EXT_MISCONFIGURED), "misconfigured");
}

static void test_mask(void **st)
{
	char out[128];
	(void)st;
	ext_mask_value("https://user:secret@host.example:9200/x?y=1", out, sizeof out);
	assert_string_equal(out, "https://***@host.example:9200/x?y=1");
	ext_mask_value("http://127.0.0.1:19090", out, sizeof out);
	assert_string_equal(out, "http://127.0.0.1:19090");
	ext_mask_value("http://host/a@b", out, sizeof out);   /* @ in the path is not userinfo */
	assert_string_equal(out, "http://host/a@b");
	ext_mask_value(NULL, out, sizeof out);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_env),
		cmocka_unit_test(test_github_tokens),
		cmocka_unit_test(test_metrics_datadog_host),
		cmocka_unit_test(test_metrics_prometheus_and_override),
		cmocka_unit_test(test_logs_selection),
		cmocka_unit_test(test_incidents),
		cmocka_unit_test(test_traces),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_no_secret_in_reasons),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_mask),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
