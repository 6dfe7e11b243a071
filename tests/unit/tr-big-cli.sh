#!/bin/sh
# tr-big-cli.sh - `wisdom tests` on generated large TAP files: exact totals
# for 1,000,000 results, and the cap on listed failures (100,000 per file,
# then "N more ... not listed" in the text and failures_not_listed in
# --json). Prints TAP.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/wz-tr-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else no "$3 (got '$1', want '$2')"; fi; }
echo "1..8"

# 1-2: 1,000,000 results: every 1000th fails, every other 250th is skipped.
awk 'BEGIN { print "1..1000000"; for (i = 1; i <= 1000000; i++) {
	if (i % 1000 == 0) printf "not ok %d - t%d\n", i, i;
	else if (i % 250 == 0) printf "ok %d - t%d # SKIP no\n", i, i;
	else printf "ok %d - t%d\n", i, i } }' >"$T/big.tap"
"$WISDOM" tests "$T/big.tap" >"$T/out" 2>"$T/err"; rc=$?
check "$rc" 1 "1M results with failures exit 1"
check "$(grep '^total:' "$T/out")" \
  "total: tests 1000000 passed 996000 failed 1000 errors 0 skipped 3000 todo 0 flaky 0 (1 test report file(s))" \
  "1M results counted exactly"

# 3-5: 100,010 points, 6 pass (i % 20000 == 1): 100,004 failures, 100,000
# listed, 4 more reported as not listed.
awk 'BEGIN { print "1..100010"; for (i = 1; i <= 100010; i++)
	printf "%s %d - t%d\n", (i % 20000 == 1) ? "ok" : "not ok", i, i }' >"$T/fail.tap"
"$WISDOM" tests "$T/fail.tap" >"$T/out" 2>"$T/err"; rc=$?
check "$rc" 1 "failures exit 1"
check "$(grep -c '^  FAIL ' "$T/out")" 100000 "100,000 failures listed"
check "$(grep '^  \.\.\. ' "$T/out")" \
  "  ... 4 more failure(s)/error(s) not listed (at most 100000 are listed per file)" "the rest is named"

# 6-8: the same in --json.
"$WISDOM" tests --json "$T/fail.tap" >"$T/json" 2>"$T/err"; rc=$?
check "$rc" 1 "--json failures exit 1"
check "$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]; print(len(f["failures"]), f["failures_not_listed"], f["totals"]["failed"], f["totals"]["passed"])' "$T/json")" \
  "100000 4 100004 6" "--json lists 100,000 and counts 4 more"
check "$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["files"][0]; print(f["failures"][-1]["id"])' "$T/json")" \
  "t100006" "--json keeps the first 100,000 in file order"
