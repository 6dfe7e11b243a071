#!/bin/sh
# cli-tests.sh - `wisdom tests` end to end on the real report fixtures:
# totals lines, --json validity, exit codes 0/1/2. Prints TAP.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
SHARED=${SHARED:-${top_srcdir:-..}/../shared}
D="$SHARED/data/test-reports"
T=$(mktemp -d "${TMPDIR:-/tmp}/wz-cli-tests.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else no "$3 (got '$1', want '$2')"; fi; }
echo "1..16"

# 1-2: all well-formed test reports: the answer key's total row (1368/52/1/38).
"$WISDOM" tests "$D/junit" "$D/go-json" "$D/tap" >"$T/out" 2>"$T/err"; rc=$?
check "$rc" 1 "failing tests exit 1"
check "$(grep '^total:' "$T/out")" \
  "total: tests 1368 passed 1274 failed 52 errors 1 skipped 38 todo 4 flaky 1 (17 test report file(s))" \
  "total line matches SOURCES.md"

# 3-4: one file per line with declared values beside counted ones.
check "$(grep '^.*/pytest-python-xunit.xml:' "$T/out")" \
  "$D/junit/pytest-python-xunit.xml: junit: tests 10 passed 6 failed 2 errors 0 skipped 2 todo 0 flaky 0 (declared: tests 15, failures 2, errors 0, skipped 2)" \
  "per-file line with declared totals"
grep -q "^  FAIL ut_detail_utility_is_constant_evaluated::is constant evaluated (test/unit/detail/utility/is_constant_evaluated.cpp:19): REQUIRE(v == 1) expands to 0 == 10$" "$T/out" \
  && ok "failure line with id, file:line and message" || no "failure line with id, file:line and message"

# 5-7: passing file exits 0; --json is valid JSON with the same totals.
"$WISDOM" tests "$D/junit/pytest-horovod-run1.xml" >"$T/out" 2>&1; check "$?" 0 "passing report exits 0"
"$WISDOM" tests --json "$D/junit" "$D/go-json" "$D/tap" >"$T/json" 2>"$T/err"; rc=$?
check "$rc" 1 "--json keeps the exit status"
if python3 -m json.tool "$T/json" >/dev/null 2>&1; then ok "--json output is valid JSON"; else no "--json output is valid JSON"; fi
check "$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(t["tests"],t["failed"],t["errors"],t["skipped"],t["todo"],t["flaky"])' "$T/json")" \
  "1368 52 1 38 4 1" "--json totals"

# 9: coverage files: the lcov/Cobertura pair of one gcovr run agree.
"$WISDOM" tests "$D/cobertura/gcovr-nested-gcc5-cobertura.xml" "$D/lcov/gcovr-nested-gcc5-coverage.lcov" >"$T/out" 2>&1; rc=$?
check "$rc:$(grep -c 'lines 25/42 (59.52%) branches 4/14 (28.57%)' "$T/out")" "0:2" "coverage pair agrees, exit 0"

# 10-11: a truncated file: exit 2, message names file and line, recovered part counted.
head -c 3000 "$D/junit/phpunit.xml" >"$T/trunc.xml"
"$WISDOM" tests "$T/trunc.xml" >"$T/out" 2>"$T/err"; rc=$?
check "$rc" 2 "truncated XML exits 2"
grep -q "trunc.xml:[0-9][0-9]*: malformed XML" "$T/err" && grep -q "^total: tests 1 " "$T/out" \
  && ok "error names file:line; recovered testcase counted" || no "error names file:line; recovered testcase counted"

# 12-13: not a report, missing file: exit 2, the other files are still reported.
echo "hello" >"$T/readme.txt"
"$WISDOM" tests "$T/readme.txt" "$D/junit/swift-xunit.xml" "$T/nope.xml" >"$T/out" 2>"$T/err"; rc=$?
check "$rc" 2 "non-report and missing file exit 2"
grep -q "readme.txt: not a known test or coverage report" "$T/err" && grep -q "nope.xml: cannot open" "$T/err" \
  && grep -q "^total: tests 3 passed 2 failed 1" "$T/out" && ok "bad inputs named, others counted" \
  || no "bad inputs named, others counted"

# 14: escape sequences from a report never reach the terminal raw.
printf '1..1\nnot ok 1 evil \033]0;pwned\007 \033[2J done\n' >"$T/evil.tap"
"$WISDOM" tests "$T/evil.tap" >"$T/out" 2>&1
if grep -q "$(printf '\033')" "$T/out"; then no "escapes neutralised"; else
  grep -q 'evil ^\[\]0;pwned^G ^\[\[2J done' "$T/out" && ok "escapes neutralised" || no "escapes neutralised"; fi

# 15: a directory with a symlink loop terminates and finds the report.
mkdir -p "$T/w/sub" && ln -s "$T/w" "$T/w/sub/loop" && cp "$D/tap/node-tap-tests.tap" "$T/w/sub/"
"$WISDOM" tests "$T/w" >"$T/out" 2>"$T/err"; rc=$?
check "$rc:$(grep -c '^total: tests 311 ' "$T/out")" "1:1" "symlink loop walked once"

# 16: no arguments is a usage error.
"$WISDOM" tests >/dev/null 2>&1; check "$?" 2 "no argument exits 2"
[ "$fails" -eq 0 ]
