#!/bin/sh
# github-prism.sh - net/github against Prism serving GitHub's own OpenAPI
# description ($SHARED/tools/mock-api). Expected values are the
# description's examples, read from $SHARED/data/openapi/github.json:
#   issue example         number 1347, title "Found a bug", state open, user octocat
#   issue-comment example id 1
#   pull-request example  number 1347, merged_at 2011-01-26T19:01:12Z (1296068472),
#                         base.ref master, head.sha 6dcb09b...
#   rate-limit example    core 4999/5000, search remaining 18
#   search example        total_count 280, one item that carries pull_request
#                         (so it is dropped: n=0)
#   issue-list example    one item, #1347, which carries pull_request: dropped (n=0)
#   list examples         Link rel="next" to https://api.github.com/resource?page=2:
#                         another host, so paging stops there (capped=1) and
#                         the token never leaves the mock
# Skips (TAP `1..0 # SKIP`) when node/npx or Prism is unavailable.
# The mock is always killed on exit (trap).
set -u

: "${SHARED:=${top_srcdir:-.}/../shared}"
: "${top_builddir:=.}"
: "${WISDOM:=$top_builddir/wisdom}"
PROBE="$top_builddir/tests/integration/gh-probe"
MOCK="$SHARED/tools/mock-api"
SPEC="$SHARED/data/openapi/github.json"

if ! command -v node >/dev/null 2>&1 || ! command -v npx >/dev/null 2>&1; then
	echo "1..0 # SKIP node/npx not available (Prism mock needs Node.js)"
	exit 0
fi
[ -x "$PROBE" ] || { echo "1..0 # SKIP $PROBE not built"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-ghprism.XXXXXX") || exit 99
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# a free port: 4100-4899, derived from our pid, a few tries
port=$((4100 + $$ % 800))
rc=1
for try in 1 2 3 4 5; do
	pid=$(MOCK_API_LOG="$tmp/prism.log" MOCK_API_TIMEOUT=240 "$MOCK" "$SPEC" "$port" 2>"$tmp/mock.err")
	rc=$?
	[ $rc -eq 0 ] && break
	pid=
	[ $rc -eq 3 ] && break
	port=$((port + 1))
done
if [ $rc -eq 3 ]; then
	echo "1..0 # SKIP Prism cannot be installed or run: $(tail -n 1 "$tmp/mock.err")"
	exit 0
fi
if [ $rc -ne 0 ]; then
	echo "1..1"
	echo "not ok 1 - Prism mock did not start (rc $rc): $(tail -n 1 "$tmp/mock.err")"
	exit 0
fi

TOKEN=ghp_Pr1smT3stT0kenAAAAAAAAAAAAAAAAAAAAAA
export GITHUB_API_URL="http://127.0.0.1:$port" GH_TOKEN="$TOKEN" GITHUB_REPOSITORY=octo/hello
unset GITHUB_TOKEN GH_HOST GH_ENTERPRISE_TOKEN GITHUB_ENTERPRISE_TOKEN

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
# expect DESCRIPTION WANT-EXIT WANT-TEXT PROBE-ARGS...
expect() {
	d=$1 want_rc=$2 want=$3
	shift 3
	out=$("$PROBE" --trace "$tmp/trace" "$@" 2>&1)
	got_rc=$?
	case $out in
	*"$want"*) [ "$got_rc" -eq "$want_rc" ] && { ok "$d"; return; } ;;
	esac
	nok "$d"
	echo "# exit $got_rc (want $want_rc), output: $out"
	echo "# wanted: $want"
}

echo "1..17"
expect "list issues (PRs dropped, next link to another host not followed)" 0 "issues n=0 capped=1" list-issues bug,ui
expect "get an issue" 0 "issue #1347 state=open title=Found a bug labels=1 user=octocat" get-issue 1347
expect "create an issue (201)" 0 "issue #1347" create-issue "wisdom test" "body text"
expect "close an issue (PATCH)" 0 "issue #1347" close-issue 1347
expect "create a comment (201)" 0 "comment id=1 user=octocat" comment 1347 "<!-- DEMOSWARM_RUN:r FLOW:wisdom -->"
expect "update a comment (PATCH)" 0 "comment id=1" update-comment 1 "edited"
expect "list comments" 0 "comments n=1 first=1" comments 1347
expect "search with advanced_search and is:issue" 0 "search n=0 total=280 incomplete=0" search "label:bug"
expect "pull request fields" 0 "pull #1347 merged_at=1296068472 base=master head=6dcb09b" pull 1347
expect "rate limit" 0 "rate core=4999/5000 search=18" rate-limit
expect "422 mapped to a validation message" 2 "error: GitHub: cannot create an issue in octo/hello: 422 validation failed: field 'string' of string is string (string); fix the request fields" --prefer code=422 create-issue "x" ""
expect "404 means no access or not found" 2 "404 no access or not found" --prefer code=404 get-issue 9

# wisdom analyze: the github-issues analyzer against the mock. The spec's
# issue-list example is one item that is a pull request, so 0 issues are
# fetched and 0 correlated; its next link goes to another host: capped.
# since = T - 30 days, T = 2025-12-20T17:06:14Z (deploy/deployment_log.md:16).
AREPO="$SHARED/data/runs/dss-local-alignment-audit"
"$WISDOM" analyze --repo "$AREPO" --json >"$tmp/an.json" 2>"$tmp/an.err"
arc=$?
if [ "$arc" -eq 1 ] && python3 - "$tmp/an.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["issues_search"]
ok = (d["issues"] == [] and s["state"] == "ok" and s["reason"] is None and s["repo"] == "octo/hello"
      and s["repo_source"] == "GITHUB_REPOSITORY" and s["fetched"] == 0 and s["considered"] == 0
      and s["capped"] is True and s["since"] == "2025-11-20T17:06:14Z" and s["since_basis"] == "deploy time")
sys.exit(0 if ok else 1)
EOF
then ok "analyze --json: issues[] empty, issues_search ok (octo/hello, since T-30d 2025-11-20T17:06:14Z, 0 fetched, capped)"
else nok "analyze --json: issues[] empty, issues_search ok"; echo "# exit $arc"; sed 's/^/# /' "$tmp/an.err"; fi
if python3 - "$tmp/an.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
g = d["backends"]["github"]
sys.exit(0 if g["state"] == "configured" and g["reachable"] is True else 1)
EOF
then ok "analyze --json: backends.github configured and reachable"
else nok "analyze --json: backends.github configured and reachable"; fi
"$WISDOM" analyze --repo "$AREPO" >"$tmp/an.txt" 2>&1
if grep -A1 '^GitHub issues$' "$tmp/an.txt" | tail -n 1 |
	grep -qx '  octo/hello: 0 issues updated since 2025-11-20T17:06:14Z (deploy time - 30 days), list capped, 0 correlated' &&
	! grep -q "$TOKEN" "$tmp/an.txt" "$tmp/an.json"; then
	ok "analyze text: GitHub issues section with 0 correlated, no token printed"
else
	nok "analyze text: GitHub issues section with 0 correlated"; sed -n '/^GitHub issues/,+2s/^/# /p' "$tmp/an.txt"
fi
# a server that does not answer: the section says failed with the message;
# the exit status stays 1 (the run's own attention), as without GitHub
GITHUB_API_URL=http://127.0.0.1:1 "$WISDOM" analyze --repo "$AREPO" --json >"$tmp/dead.json" 2>/dev/null
drc=$?
if [ "$drc" -eq 1 ] && python3 - "$tmp/dead.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["issues_search"]
sys.exit(0 if d["issues"] == [] and s["state"] == "failed"
         and s["reason"].startswith("failed: GitHub: cannot list issues of octo/hello: ")
         and d["backends"]["github"]["reachable"] is False else 1)
EOF
then ok "analyze with an unreachable API: issues_search failed with the message, exit 1 as without GitHub"
else nok "analyze with an unreachable API: issues_search failed (exit $drc)"; fi

# the trace: every call above, never the token
if [ -s "$tmp/trace" ] && ! grep -q "$TOKEN" "$tmp/trace" && ! grep -qi "bearer" "$tmp/trace" &&
	grep -q "^http GET http://127.0.0.1:$port/repos/octo/hello/issues?state=all&sort=updated&per_page=100&since=2025-01-01T00%3A00%3A00Z&labels=bug%2Cui 200 " "$tmp/trace" &&
	grep -q "^http POST http://127.0.0.1:$port/repos/octo/hello/issues 422 " "$tmp/trace" &&
	grep -q "search/issues?q=repo%3Aocto%2Fhello%20is%3Aissue%20label%3Abug&advanced_search=true&per_page=100 200" "$tmp/trace" &&
	! grep -q "api.github.com" "$tmp/trace"; then
	ok "trace lists the calls and holds no token"
else
	nok "trace lists the calls and holds no token"
	sed 's/^/# /' "$tmp/trace"
fi
