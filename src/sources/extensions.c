/* extensions.c - the backend/env-var tables and the selection rules of
 * spec/integrations.md (detection only: nothing is contacted). */
#include "config.h"
#include "sources/extensions.h"
#include "sources/secrets.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name, *area, *summary;
} backends[] = {
#define EXT_X(e, name, area, sum) {name, area, sum},
	EXT_BACKEND_TABLE(EXT_X)
#undef EXT_X
};

static const struct ext_env_var env_vars[] = {
#define EXT_X(name, be, need, secret, doc) {name, be, need, secret, doc},
	EXT_ENV_TABLE(EXT_X)
#undef EXT_X
};

const struct ext_env_var *ext_env_vars(void)
{
	return env_vars;
}

size_t ext_env_count(void)
{
	return sizeof env_vars / sizeof env_vars[0];
}

const char *ext_backend_name(enum ext_backend b)
{
	return (unsigned)b < EB_COUNT ? backends[b].name : "core";
}

const char *ext_backend_area(enum ext_backend b)
{
	return (unsigned)b < EB_COUNT ? backends[b].area : "core";
}

const char *ext_backend_summary(enum ext_backend b)
{
	return (unsigned)b < EB_COUNT ? backends[b].summary : "wisdom itself";
}

int ext_backend_from_name(const char *name)
{
	int i;
	for (i = 0; name && i < EB_COUNT; i++)
		if (strcmp(backends[i].name, name) == 0)
			return i;
	return -1;
}

const char *ext_getenv(const char *name, void *ctx)
{
	const char *v;
	(void)ctx;
	if (!name)
		return NULL;
	v = getenv(name);
	if (v && *v)
		return v;
	/* what the environment leaves unset may come from the secrets file */
	if (secrets_name_allowed(name)) {
		const char *s = secrets_lookup(name, NULL, NULL);
		if (s)
			return s;
	}
	return v;
}

const char *ext_where(const char *name, char *where, size_t n)
{
	const char *v = name ? getenv(name) : NULL, *file = NULL;
	int line = 0;
	if (n)
		where[0] = '\0';
	if (v && *v) {
		snprintf(where, n, "env");
		return v;
	}
	if (name && secrets_name_allowed(name) && (v = secrets_lookup(name, &file, &line)) != NULL) {
		snprintf(where, n, "secrets %s:%d", file, line);
		return v;
	}
	return NULL;
}

const char *ext_state_word(enum ext_state s)
{
	switch (s) {
	case EXT_CONFIGURED: return "configured";
	case EXT_MISCONFIGURED: return "misconfigured";
	default: return "skipped";
	}
}

/* ---- helpers ---------------------------------------------------------- */

struct env {
	ext_lookup_fn get;
	void *ctx;
};

/* A variable's value, or NULL when unset or empty. */
static const char *ev(const struct env *e, const char *name)
{
	const char *v = e->get(name, e->ctx);
	return v && *v ? v : NULL;
}

static void set(struct ext_result *r, enum ext_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set(struct ext_result *r, enum ext_state s, const char *fmt, ...)
{
	va_list ap;
	r->state = s;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

struct url_parts {
	char host[256];
	long port;      /* 0: scheme default */
	char path[256];
	bool ok;
};

/* Splits a base URL with libcurl's parser (no scheme means https). */
static struct url_parts url_split(const char *u)
{
	struct url_parts p;
	CURLU *h = curl_url();
	char *s = NULL;

	memset(&p, 0, sizeof p);
	if (!h || !u)
		goto out;
	if (curl_url_set(h, CURLUPART_URL, u, CURLU_DEFAULT_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		goto out;
	if (curl_url_get(h, CURLUPART_HOST, &s, 0) == CURLUE_OK && s) {
		snprintf(p.host, sizeof p.host, "%s", s);
		curl_free(s);
		s = NULL;
		p.ok = true;
	}
	if (curl_url_get(h, CURLUPART_PORT, &s, 0) == CURLUE_OK && s) {
		p.port = strtol(s, NULL, 10);
		curl_free(s);
		s = NULL;
	}
	if (curl_url_get(h, CURLUPART_PATH, &s, 0) == CURLUE_OK && s) {
		snprintf(p.path, sizeof p.path, "%s", s);
		curl_free(s);
		s = NULL;
	}
out:
	if (h)
		curl_url_cleanup(h);
	return p;
}

/* True when host is `dom` or ends in ".dom" (case-insensitive). */
static bool host_in(const char *host, const char *dom)
{
	size_t hl = strlen(host), dl = strlen(dom);
	if (hl == dl)
		return strcasecmp(host, dom) == 0;
	return hl > dl && host[hl - dl - 1] == '.' && strcasecmp(host + hl - dl, dom) == 0;
}

static bool is_datadog_host(const char *host)
{
	return host_in(host, "datadoghq.com") || host_in(host, "datadoghq.eu") ||
	       host_in(host, "ddog-gov.com");
}

/* `logs.<region>.amazonaws.com` */
static bool is_cloudwatch_host(const char *host)
{
	const char *dot;
	if (strncasecmp(host, "logs.", 5) != 0)
		return false;
	dot = strchr(host + 5, '.');
	return dot && dot > host + 5 && strcasecmp(dot, ".amazonaws.com") == 0;
}

static bool aws_creds(const struct env *e)
{
	return ev(e, "AWS_ACCESS_KEY_ID") && ev(e, "AWS_SECRET_ACCESS_KEY");
}

static const char *aws_region(const struct env *e)
{
	return ev(e, "AWS_REGION") ? "AWS_REGION" : ev(e, "AWS_DEFAULT_REGION") ? "AWS_DEFAULT_REGION" : NULL;
}

/* Gives every still-undecided backend of `area` the reason it was skipped. */
static void skip_all_area(struct ext_result *out, const char *area, const char *why, const char *arg)
{
	int i;
	for (i = 0; i < EB_COUNT; i++)
		if (strcmp(backends[i].area, area) == 0 && out[i].state == EXT_SKIPPED && !out[i].reason[0])
			set(&out[i], EXT_SKIPPED, "%s%s", why, arg);
}

/* ---- per area ---------------------------------------------------------- */

static bool github(const struct env *e, struct ext_result *out)
{
	static const char *const order[] = {"GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN",
					    "GITHUB_ENTERPRISE_TOKEN"};
	const char *host = ev(e, "GH_HOST");
	const char *api = ev(e, "GITHUB_API_URL");
	bool enterprise = (host && strcasecmp(host, "github.com") != 0);
	char base[300];
	size_t i;

	if (api) {
		struct url_parts p = url_split(api);
		if (!p.ok) {
			set(&out[EB_GITHUB], EXT_MISCONFIGURED,
			    "GITHUB_API_URL is not a URL: fix or unset it");
			return false;
		}
		if (strcasecmp(p.host, "api.github.com") != 0)
			enterprise = true;
		snprintf(base, sizeof base, "GITHUB_API_URL");
	} else if (enterprise) {
		snprintf(base, sizeof base, "https://GH_HOST/api/v3");
	} else {
		snprintf(base, sizeof base, "https://api.github.com");
	}
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (i >= 2 && !enterprise)
			break;
		if (ev(e, order[i])) {
			set(&out[EB_GITHUB], EXT_CONFIGURED, "token from %s; API %s", order[i], base);
			return true;
		}
	}
	set(&out[EB_GITHUB], EXT_SKIPPED,
	    "no GH_TOKEN or GITHUB_TOKEN%s: GitHub sections are skipped (no reads, no writes)",
	    enterprise ? " (or GH_ENTERPRISE_TOKEN)" : "");
	return false;
}

static void datadog_keys(const struct env *e, struct ext_result *r, const char *why)
{
	bool a = ev(e, "DD_API_KEY") != NULL, k = ev(e, "DD_APP_KEY") != NULL;
	if (a && k)
		set(r, EXT_CONFIGURED, "%s; DD_API_KEY and DD_APP_KEY set", why);
	else
		set(r, EXT_MISCONFIGURED, "%s, but %s not set", why,
		    !a && !k ? "DD_API_KEY and DD_APP_KEY are" : !a ? "DD_API_KEY is" : "DD_APP_KEY is");
}

static void metrics(const struct env *e, struct ext_result *out)
{
	const char *mb = ev(e, "METRICS_BACKEND");
	const char *ep = ev(e, "METRICS_ENDPOINT");
	bool dda = ev(e, "DD_API_KEY") != NULL, ddk = ev(e, "DD_APP_KEY") != NULL;

	if (mb) {
		int b = -1;
		if (strcasecmp(mb, "prometheus") == 0)
			b = EB_PROMETHEUS;
		else if (strcasecmp(mb, "victoriametrics") == 0)
			b = EB_VICTORIAMETRICS;
		else if (strcasecmp(mb, "datadog") == 0)
			b = EB_DATADOG;
		if (b < 0) {
			set(&out[EB_PROMETHEUS], EXT_MISCONFIGURED,
			    "METRICS_BACKEND is not one of prometheus, victoriametrics, datadog");
			skip_all_area(out, "metrics", "METRICS_BACKEND has an unknown value", "");
			return;
		}
		if (b == EB_DATADOG)
			datadog_keys(e, &out[b], "METRICS_BACKEND=datadog");
		else if (ep)
			set(&out[b], EXT_CONFIGURED, "METRICS_BACKEND=%s; METRICS_ENDPOINT set", backends[b].name);
		else
			set(&out[b], EXT_MISCONFIGURED, "METRICS_BACKEND=%s but METRICS_ENDPOINT is not set",
			    backends[b].name);
		skip_all_area(out, "metrics", "METRICS_BACKEND selects ", backends[b].name);
		return;
	}
	if (ep) {
		struct url_parts p = url_split(ep);
		if (!p.ok) {
			set(&out[EB_PROMETHEUS], EXT_MISCONFIGURED, "METRICS_ENDPOINT is not a URL");
		} else if (is_datadog_host(p.host)) {
			datadog_keys(e, &out[EB_DATADOG], "METRICS_ENDPOINT host is a Datadog site");
		} else if (host_in(p.host, "amazonaws.com") && strncasecmp(p.host, "aps-workspaces.", 15) == 0) {
			if (aws_creds(e))
				set(&out[EB_PROMETHEUS], EXT_CONFIGURED,
				    "METRICS_ENDPOINT is Amazon Managed Prometheus (SigV4 with the AWS credentials)");
			else
				set(&out[EB_PROMETHEUS], EXT_MISCONFIGURED,
				    "METRICS_ENDPOINT is Amazon Managed Prometheus but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set");
		} else {
			set(&out[EB_PROMETHEUS], EXT_CONFIGURED, "METRICS_ENDPOINT set (Prometheus-compatible API)");
			set(&out[EB_VICTORIAMETRICS], EXT_SKIPPED,
			    "METRICS_ENDPOINT uses the Prometheus API; METRICS_BACKEND=victoriametrics selects this");
		}
		skip_all_area(out, "metrics", "METRICS_ENDPOINT selects another backend", "");
		return;
	}
	if (dda && ddk) {
		set(&out[EB_DATADOG], EXT_CONFIGURED, "DD_API_KEY and DD_APP_KEY set");
		skip_all_area(out, "metrics", "DD_API_KEY + DD_APP_KEY select datadog", "");
		return;
	}
	if (dda || ddk)
		set(&out[EB_DATADOG], EXT_MISCONFIGURED, "%s set but %s not", dda ? "DD_API_KEY" : "DD_APP_KEY",
		    dda ? "DD_APP_KEY" : "DD_API_KEY");
	skip_all_area(out, "metrics", "METRICS_ENDPOINT not set (and no DD_API_KEY + DD_APP_KEY)", "");
}

static void cloudwatch(const struct env *e, struct ext_result *r, const char *why)
{
	const char *reg = aws_region(e);
	if (!aws_creds(e))
		set(r, EXT_MISCONFIGURED, "%s, but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set", why);
	else if (!reg && !ev(e, "LOGS_ENDPOINT"))
		set(r, EXT_MISCONFIGURED, "%s, but AWS_REGION/AWS_DEFAULT_REGION is not set", why);
	else if (!ev(e, "LOGS_INDEX"))
		set(r, EXT_MISCONFIGURED, "%s, but LOGS_INDEX (log group names) is not set", why);
	else
		set(r, EXT_CONFIGURED, "%s; AWS credentials and log groups set", why);
}

static void splunk(const struct env *e, struct ext_result *r, const char *why)
{
	if (ev(e, "SPLUNK_AUTH_TOKEN"))
		set(r, EXT_CONFIGURED, "%s; token from SPLUNK_AUTH_TOKEN", why);
	else if (ev(e, "SPLUNK_USERNAME") && ev(e, "SPLUNK_PASSWORD"))
		set(r, EXT_CONFIGURED, "%s; basic auth from SPLUNK_USERNAME/SPLUNK_PASSWORD", why);
	else
		set(r, EXT_MISCONFIGURED, "%s, but neither SPLUNK_AUTH_TOKEN nor SPLUNK_USERNAME+SPLUNK_PASSWORD is set",
		    why);
}

static void logs(const struct env *e, struct ext_result *out)
{
	const char *lb = ev(e, "LOGS_BACKEND");
	const char *ep = ev(e, "LOGS_ENDPOINT");
	struct url_parts p;

	if (lb) {
		int b = -1;
		if (strcasecmp(lb, "elasticsearch") == 0)
			b = EB_ELASTICSEARCH;
		else if (strcasecmp(lb, "opensearch") == 0)
			b = EB_OPENSEARCH;
		else if (strcasecmp(lb, "splunk") == 0)
			b = EB_SPLUNK;
		else if (strcasecmp(lb, "cloudwatch") == 0)
			b = EB_CLOUDWATCH;
		if (b < 0) {
			set(&out[EB_ELASTICSEARCH], EXT_MISCONFIGURED,
			    "LOGS_BACKEND is not one of elasticsearch, opensearch, splunk, cloudwatch");
			skip_all_area(out, "logs", "LOGS_BACKEND has an unknown value", "");
			return;
		}
		if (b == EB_CLOUDWATCH)
			cloudwatch(e, &out[b], "LOGS_BACKEND=cloudwatch");
		else if (!ep)
			set(&out[b], EXT_MISCONFIGURED, "LOGS_BACKEND=%s but LOGS_ENDPOINT is not set", backends[b].name);
		else if (b == EB_SPLUNK)
			splunk(e, &out[b], "LOGS_BACKEND=splunk");
		else
			set(&out[b], EXT_CONFIGURED, "LOGS_BACKEND=%s; LOGS_ENDPOINT set", backends[b].name);
		skip_all_area(out, "logs", "LOGS_BACKEND selects ", backends[b].name);
		return;
	}
	if (!ep) {
		if (ev(e, "LOGS_INDEX") && aws_creds(e) && aws_region(e))
			set(&out[EB_CLOUDWATCH], EXT_CONFIGURED,
			    "LOGS_INDEX with AWS credentials and region (no LOGS_ENDPOINT): CloudWatch log groups");
		skip_all_area(out, "logs", "LOGS_ENDPOINT not set", "");
		return;
	}
	p = url_split(ep);
	if (!p.ok) {
		set(&out[EB_ELASTICSEARCH], EXT_MISCONFIGURED, "LOGS_ENDPOINT is not a URL");
	} else if (is_cloudwatch_host(p.host)) {
		cloudwatch(e, &out[EB_CLOUDWATCH], "LOGS_ENDPOINT host is CloudWatch Logs");
	} else if (p.port == 8089 || strncmp(p.path, "/services", 9) == 0) {
		splunk(e, &out[EB_SPLUNK],
		       p.port == 8089 ? "LOGS_ENDPOINT uses port 8089" : "LOGS_ENDPOINT path is under /services");
	} else {
		set(&out[EB_ELASTICSEARCH], EXT_CONFIGURED,
		    "LOGS_ENDPOINT set; elasticsearch or opensearch is decided by one probe of the endpoint (not checked)");
		set(&out[EB_OPENSEARCH], EXT_SKIPPED,
		    "chosen instead of elasticsearch only when the probe says opensearch (not checked)");
	}
	skip_all_area(out, "logs", "LOGS_ENDPOINT selects another backend", "");
}

static void one_key(const struct env *e, struct ext_result *r, const char *k1, const char *k2)
{
	if (ev(e, k1))
		set(r, EXT_CONFIGURED, "%s set", k1);
	else if (k2 && ev(e, k2))
		set(r, EXT_CONFIGURED, "%s set", k2);
	else if (k2)
		set(r, EXT_SKIPPED, "%s / %s not set", k1, k2);
	else
		set(r, EXT_SKIPPED, "%s not set", k1);
}

static void incidents(const struct env *e, struct ext_result *out, bool have_github)
{
	one_key(e, &out[EB_PAGERDUTY], "PAGERDUTY_API_KEY", NULL);
	one_key(e, &out[EB_OPSGENIE], "OPSGENIE_API_KEY", NULL);
	one_key(e, &out[EB_INCIDENTIO], "INCIDENT_API_KEY", "INCIDENTIO_API_KEY");
	if (out[EB_PAGERDUTY].state == EXT_CONFIGURED || out[EB_OPSGENIE].state == EXT_CONFIGURED ||
	    out[EB_INCIDENTIO].state == EXT_CONFIGURED)
		set(&out[EB_GITHUB_ISSUES], EXT_SKIPPED, "an incident tool is configured");
	else if (have_github)
		set(&out[EB_GITHUB_ISSUES], EXT_CONFIGURED,
		    "no incident tool configured: issues labelled incident or bug stand in");
	else
		set(&out[EB_GITHUB_ISSUES], EXT_SKIPPED, "no incident tool and no GitHub token");
}

static void honeycomb(const struct env *e, struct ext_result *r, const char *why)
{
	bool k = ev(e, "HONEYCOMB_API_KEY") != NULL, d = ev(e, "HONEYCOMB_DATASET") != NULL;
	if (k && d)
		set(r, EXT_CONFIGURED, "%sHONEYCOMB_API_KEY and HONEYCOMB_DATASET set", why);
	else if (k || d || *why)
		set(r, EXT_MISCONFIGURED, "%s%s not set", why,
		    !k && !d ? "HONEYCOMB_API_KEY and HONEYCOMB_DATASET are" : !k ? "HONEYCOMB_API_KEY is"
										: "HONEYCOMB_DATASET is");
	else
		set(r, EXT_SKIPPED, "HONEYCOMB_API_KEY and HONEYCOMB_DATASET not set");
}

static void traces(const struct env *e, struct ext_result *out)
{
	const char *tb = ev(e, "TRACE_BACKEND");
	bool dd = ev(e, "DD_API_KEY") && ev(e, "DD_APP_KEY");

	if (tb) {
		if (strcasecmp(tb, "jaeger") == 0) {
			if (ev(e, "TRACE_ENDPOINT"))
				set(&out[EB_JAEGER], EXT_CONFIGURED, "TRACE_BACKEND=jaeger; TRACE_ENDPOINT set");
			else
				set(&out[EB_JAEGER], EXT_MISCONFIGURED, "TRACE_BACKEND=jaeger but TRACE_ENDPOINT is not set");
		} else if (strcasecmp(tb, "honeycomb") == 0) {
			honeycomb(e, &out[EB_HONEYCOMB], "TRACE_BACKEND=honeycomb; ");
		} else if (strcasecmp(tb, "datadog") == 0) {
			datadog_keys(e, &out[EB_DATADOG_APM], "TRACE_BACKEND=datadog");
		} else {
			set(&out[EB_JAEGER], EXT_MISCONFIGURED,
			    "TRACE_BACKEND is not one of jaeger, honeycomb, datadog");
		}
		skip_all_area(out, "traces", "TRACE_BACKEND selects another backend", "");
		return;
	}
	if (ev(e, "TRACE_ENDPOINT"))
		set(&out[EB_JAEGER], EXT_CONFIGURED, "TRACE_ENDPOINT set");
	else
		set(&out[EB_JAEGER], EXT_SKIPPED, "TRACE_ENDPOINT not set");
	honeycomb(e, &out[EB_HONEYCOMB], "");
	if (dd)
		set(&out[EB_DATADOG_APM], EXT_CONFIGURED, "DD_API_KEY and DD_APP_KEY set");
	else
		set(&out[EB_DATADOG_APM], EXT_SKIPPED, "DD_API_KEY + DD_APP_KEY not set");
}

static void cost(const struct env *e, struct ext_result *out)
{
	bool sp, ds, cc, tok;

	if (!ev(e, "AWS_COST_ALLOCATION_TAG"))
		set(&out[EB_AWS_COST], EXT_SKIPPED, "AWS_COST_ALLOCATION_TAG not set");
	else if (!aws_creds(e))
		set(&out[EB_AWS_COST], EXT_MISCONFIGURED,
		    "AWS_COST_ALLOCATION_TAG set but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not");
	else
		set(&out[EB_AWS_COST], EXT_CONFIGURED, "AWS_COST_ALLOCATION_TAG and AWS credentials set");

	sp = ev(e, "GCP_BILLING_PROJECT") != NULL;
	ds = ev(e, "GCP_BILLING_DATASET") != NULL;
	if (!sp && !ds)
		set(&out[EB_GCP_BILLING], EXT_SKIPPED, "GCP_BILLING_PROJECT and GCP_BILLING_DATASET not set");
	else if (!sp || !ds)
		set(&out[EB_GCP_BILLING], EXT_MISCONFIGURED, "%s set but %s not", sp ? "GCP_BILLING_PROJECT" :
		    "GCP_BILLING_DATASET", sp ? "GCP_BILLING_DATASET" : "GCP_BILLING_PROJECT");
	else if (ev(e, "GOOGLE_OAUTH_ACCESS_TOKEN"))
		set(&out[EB_GCP_BILLING], EXT_CONFIGURED, "billing project and dataset set; token from GOOGLE_OAUTH_ACCESS_TOKEN");
	else if (ev(e, "GOOGLE_APPLICATION_CREDENTIALS"))
		set(&out[EB_GCP_BILLING], EXT_CONFIGURED,
		    "billing project and dataset set; token from gcloud if present, else GOOGLE_APPLICATION_CREDENTIALS");
	else
		set(&out[EB_GCP_BILLING], EXT_CONFIGURED,
		    "billing project and dataset set; token from gcloud (not checked)");

	cc = ev(e, "AZURE_TENANT_ID") && ev(e, "AZURE_CLIENT_ID") && ev(e, "AZURE_CLIENT_SECRET");
	tok = ev(e, "AZURE_ACCESS_TOKEN") != NULL;
	if (!ev(e, "AZURE_SUBSCRIPTION_ID"))
		set(&out[EB_AZURE_COST], EXT_SKIPPED, "AZURE_SUBSCRIPTION_ID not set");
	else if (tok)
		set(&out[EB_AZURE_COST], EXT_CONFIGURED, "AZURE_SUBSCRIPTION_ID and AZURE_ACCESS_TOKEN set");
	else if (cc)
		set(&out[EB_AZURE_COST], EXT_CONFIGURED, "AZURE_SUBSCRIPTION_ID and client credentials set");
	else
		set(&out[EB_AZURE_COST], EXT_MISCONFIGURED,
		    "AZURE_SUBSCRIPTION_ID set but neither AZURE_ACCESS_TOKEN nor AZURE_TENANT_ID+AZURE_CLIENT_ID+AZURE_CLIENT_SECRET");
}

void ext_detect(ext_lookup_fn get, void *ctx, struct ext_result out[EB_COUNT])
{
	struct env e = {get ? get : ext_getenv, ctx};
	bool gh;

	memset(out, 0, sizeof *out * EB_COUNT);
	gh = github(&e, out);
	metrics(&e, out);
	logs(&e, out);
	incidents(&e, out, gh);
	traces(&e, out);
	cost(&e, out);
}

void ext_mask_value(const char *value, char *out, size_t n)
{
	const char *scheme, *at, *slash;
	if (!n)
		return;
	out[0] = '\0';
	if (!value)
		return;
	scheme = strstr(value, "://");
	if (scheme) {
		slash = strchr(scheme + 3, '/');
		at = strchr(scheme + 3, '@');
		if (at && (!slash || at < slash)) {
			snprintf(out, n, "%.*s***%s", (int)(scheme + 3 - value), value, at);
			return;
		}
	}
	snprintf(out, n, "%s", value);
}
