# publish-lib.sh - shared by the publish integration tests (sourced, not run):
# a scratch dir, a fresh copy of the real run with fixed decisions, the
# stateful fake GitHub server, and queries over its state.
# Needs: SHARED, WISDOM, top_srcdir; sets T, D, R, PORT, URL, FPID.

: "${top_srcdir:=.}"
SRC="$SHARED/data/runs/dss-local-alignment-audit"
RUNID=local-alignment-audit-aba1c6
REPO=EffortlessMetrics/demo-swarm-swarm
FAKE="$top_srcdir/tests/integration/fake_github.py"

T=$(mktemp -d /tmp/wz-publish-XXXXXX)
FPID=
stop_fake() { if [ -n "$FPID" ]; then kill "$FPID" 2>/dev/null; wait "$FPID" 2>/dev/null; FPID=; fi; }
cleanup() { stop_fake; [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT INT TERM
KEEP=${KEEP:-}
unset GH_TOKEN GITHUB_TOKEN GH_ENTERPRISE_TOKEN GITHUB_ENTERPRISE_TOKEN GH_HOST GITHUB_REPOSITORY GITHUB_SERVER_URL
export XDG_CONFIG_HOME="$T/config" WISDOM_CONFIG="$T/config/wisdom/config"

TOKEN_PLANT=ghp_abcdefghijklmnopqrstuvwxyz0123456789AB
AWS_PLANT=AKIAIOSFODNN7EXAMPLE
cat >"$T/editor.sh" <<EOF
#!/bin/sh
printf 'Title: Rotate the leaked deploy token\nLabels: security, tooling\n\nThe log held $TOKEN_PLANT and $AWS_PLANT.\n' >"\$1"
EOF
chmod +x "$T/editor.sh"

# setup DIR: a fresh copy of the run with the decisions above
setup() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -R "$SRC/.runs" "$1/"
	chmod -R u+w "$1"
	R="$1/.runs/$RUNID"
	"$WISDOM" review --repo "$1" --accept L-75bae4b L-23a17033 L-0a90cbf8 L-02cb6c41 L-00c5ddf4 >/dev/null &&
		VISUAL="$T/editor.sh" "$WISDOM" review --repo "$1" --edit L-2d2e6a34 >/dev/null
}
start_fake() {
	stop_fake
	rm -f "$T/port"
	python3 "$FAKE" --port-file "$T/port" --repo "$REPO" --seed-issue 1 --seed-comment "1:3679628254:$RUNID" &
	FPID=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$T/port")
	URL="http://127.0.0.1:$PORT"
	export GITHUB_API_URL="$URL" GH_TOKEN=test-token
}
knob() { curl -s -X POST -d "$1" "$URL/_control" >/dev/null; }
state() { curl -s "$URL/_state" >"$T/state.json"; }
# q EXPR: evaluate a python expression over the fake's state d
q() { state; python3 -c "import json,sys; d=json.load(open('$T/state.json')); print($1)"; }
writes() { q "sum(1 for r in d['log'] if r['method'] in ('POST','PATCH') and not r['path'].startswith('/_'))"; }
nissues() { q "len(d['issues'])"; }
dups() { q "(lambda m: len(m)-len(set(m)))([l for i in d['issues'] for l in (i['body'] or '').splitlines() if l.startswith('<!-- wisdom:')])"; }
pub() { "$WISDOM" publish --repo "$D" --clock 2025-12-22T10:00:00Z "$@"; }
sums() { (cd "$R/wisdom" && find . -type f ! -name '.decisions*' | sort | xargs md5sum); }

