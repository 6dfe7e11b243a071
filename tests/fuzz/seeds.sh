#!/usr/bin/env bash
# seeds.sh - builds the seed corpus of one fuzz target.
#
#   bash tests/fuzz/seeds.sh TARGET OUTDIR   copy the seeds of TARGET into OUTDIR
#   bash tests/fuzz/seeds.sh --list TARGET   print the real-data files it would use
#
# Seeds are (1) the small checked-in inputs of tests/fuzz/corpus/TARGET/ and
# (2) real files from the shared fixtures ($SHARED/data: runs, test-reports,
# loghub), chosen per target below and copied at run time (never committed).
# SHARED defaults to the `shared` folder next to the source tree. Files over
# 1 MiB are skipped (the fuzzers only look at the first -max_len bytes).
# Copies are named after their path (slashes become '__') so they never
# collide. Exit 0 even when the shared data is absent: the checked-in seeds
# alone are a valid corpus.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
SHARED=${SHARED:-$top/../shared}
data=$SHARED/data
run=$data/runs/dss-local-alignment-audit/.runs
raw=$data/runs/dss-raw-test-logs
reports=$data/test-reports
max_bytes=$((1 << 20))

# shared_files TARGET -> the real files that seed TARGET, one per line.
shared_files() {
	local t=$1
	[ -d "$data" ] || return 0
	case $t in
	text|san)
		find "$data/loghub" -name '*.log' 2>/dev/null
		find "$run" -name '*.md' 2>/dev/null | head -40
		find "$raw" -name '*.log' 2>/dev/null ;;
	md_summary|md_markers|md_verdicts|md_obs)
		find "$run" \( -name '*.md' -o -name '*.yaml' \) 2>/dev/null ;;
	md_tests)
		find "$run" \( -path '*/build/*.md' -o -path '*/gate/*.md' -o -name '*.log' \) 2>/dev/null
		find "$raw" -name '*.log' 2>/dev/null ;;
	runs_json|receipt|run_meta|index)
		find "$run" -name '*.json' 2>/dev/null ;;
	junit) find "$reports/junit" -type f 2>/dev/null ;;
	cobertura) find "$reports/cobertura" -type f 2>/dev/null ;;
	lcov) find "$reports/lcov" -type f 2>/dev/null ;;
	tap) find "$reports/tap" -type f 2>/dev/null ;;
	gojson) find "$reports/go-json" -type f 2>/dev/null ;;
	report_detect) find "$reports" -type f ! -name '*.py' ! -name '*.md' 2>/dev/null ;;
	theme) find "$top/themes" -type f -name '*.theme' 2>/dev/null ;;
	logmine)
		find "$data/loghub" -name '*.log' 2>/dev/null
		find "$raw" -name '*.log' 2>/dev/null ;;
	reg_frames)
		find "$reports/junit" "$reports/tap" -type f 2>/dev/null
		find "$raw" -name '*.log' 2>/dev/null ;;
	*) ;;
	esac | LC_ALL=C sort
}

# timeparse seeds are single timestamps cut out of the real run.
timestamps() {
	[ -d "$run" ] || return 0
	grep -rhoE '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2}Z?)?)?' \
		"$run" 2>/dev/null | LC_ALL=C sort -u | head -60
}

if [ "${1:-}" = --list ]; then
	[ $# -eq 2 ] || { echo "usage: $0 --list TARGET" >&2; exit 2; }
	shared_files "$2"
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 TARGET OUTDIR | --list TARGET" >&2; exit 2; }
target=$1 out=$2
mkdir -p "$out"

if [ -d "$here/corpus/$target" ]; then
	find "$here/corpus/$target" -maxdepth 1 -type f -exec cp -f {} "$out/" \;
fi

# runs_json inputs start with one byte naming the file (fuzz_runs_json.c):
# 0 run_meta.json, 1 index.json, 2+k the receipt of flow k.
flows=(signal plan build review gate deploy wisdom)
selector() {
	local base=${1##*/} k
	case $base in
	run_meta.json) printf '\000'; return ;;
	index.json) printf '\001'; return ;;
	esac
	for k in "${!flows[@]}"; do
		if [ "$base" = "${flows[$k]}_receipt.json" ]; then
			printf "\\$(printf '%03o' $((k + 2)))"
			return
		fi
	done
	printf '\000'
}

while IFS= read -r f; do
	[ -f "$f" ] || continue
	size=$(stat -c %s "$f")
	[ "$size" -le "$max_bytes" ] || continue
	name=${f#"$data/"}
	name=${name#"$top/"}
	dest=$out/shared__${name//\//__}
	if [ "$target" = runs_json ]; then
		{ selector "$f"; cat "$f"; } >"$dest"
	else
		cp -f "$f" "$dest"
	fi
done < <(shared_files "$target")

# github inputs start with one byte naming the reader (fuzz_github.c):
# 0 issue, 1 issue list, 2 search page, 3 comments page, 4 comment, 5 pull,
# 6 rate limit; the answers are the examples of the GitHub OpenAPI
# description in $SHARED/data/openapi/github.json; http_headers gets the
# response headers it documents (Link, x-rate-limit-*).
if [ "$target" = github ] || [ "$target" = http_headers ]; then
	spec=$data/openapi/github.json
	if [ -f "$spec" ] && command -v python3 >/dev/null 2>&1; then
		python3 - "$spec" "$out" "$target" <<'PY' || true
import json, sys
spec, out, target = sys.argv[1:4]
d = json.load(open(spec))
comp = d.get("components", {})
if target == "github":
    sel = {"issue": 0, "issue-with-pinned-comment": 0, "issue-items": 1,
           "issue-search-result-item-paginated": 2,
           "issue-search-result-item-paginated-lexical-fallback": 2,
           "issue-comment-items": 3, "issue-comment": 4, "pull-request": 5,
           "rate-limit-overview": 6}
    for name, ex in comp.get("examples", {}).items():
        if name in sel and "value" in ex:
            with open("%s/shared__openapi_%s" % (out, name), "wb") as f:
                f.write(bytes([sel[name]]) + json.dumps(ex["value"]).encode())
else:
    h = comp.get("headers", {})
    lines = ["HTTP/2 200"] + ["%s: %s" % (k, v["example"]) for k, v in sorted(h.items()) if "example" in v]
    with open("%s/shared__openapi_headers" % out, "wb") as f:
        f.write(b"\x00" + "\r\n".join(lines).encode() + b"\r\n\r\n")
PY
	fi
fi

if [ "$target" = timeparse ]; then
	i=0
	while IFS= read -r ts; do
		printf '%s' "$ts" > "$out/shared__ts_$i"
		i=$((i + 1))
	done < <(timestamps)
fi
exit 0
