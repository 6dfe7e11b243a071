#!/bin/sh
# quick.sh - the fast resource-bound cases, part of `make check` (TAP).
# Budget: < 60 s and < 500 MB of disk (sparse files take no blocks; the
# 100,000 artifacts are empty). The full suite is tests/stress/run-all.
#
# Cases (each in its own repository so no case sees another's runs):
#  bigsparse  a 3 GB sparse build/test_output.log ending with a cargo
#             summary line after 3 GB of NULs without a newline: `analyze`
#             streams it at once (holes are not read) and says the one
#             endless line was cut (its summary is not counted: only a
#             line's first 64 KiB are kept); `tests` refuses it (not a
#             report); a 512 MB sparse TAP file (results, then NULs) is
#             streamed by `tests` in bounded memory (see below).
#  many       100,000 empty artifacts in one flow folder: `analyze`, `runs`.
#  links      a 60-link symlink chain and a 2-link loop where artifacts are
#             expected: messages name the files, no hang.
#  deep       10,000 nested folders in build/ (a JUnit file at the bottom):
#             `analyze`, `runs`, `tests DIR` (says it stops at 32 levels).
#  escapes    a run folder and an artifact whose names hold escape
#             sequences, BEL, a bidi override and invalid UTF-8: `runs`,
#             `runs --json`, `analyze` show them sanitised.
#  fifo       FIFOs at run_meta.json, a receipt, test_output.log and the
#             deploy flow folder: no open blocks.
#  devzero    a receipt, test_execution.md and a report symlinked to
#             /dev/zero: refused as not regular files, no endless read.
#
# Bounds (plain build; sanitizer builds x4 time, x3+300 MB RSS) and why:
#  - refusals of a file by its size or type: 5 s, 100 MB (a stat, no read);
#  - streaming a sparse log: 5 s, 100 MB (holes are skipped, not read);
#  - streaming 512 MB of sparse NULs: 10 s (sparse reads need no disk I/O;
#    about 200 MB/s was measured on a loaded 2-core machine), 100 MB (a
#    fixed buffer);
#  - 100,000 artifacts: `analyze` and `analyze --json` 10 s, `runs` 10 s,
#    150 MB: the run is walked once (a stat per file, ~10 us: ~1 s) and the
#    file inventory (100,000 x ~100 B) serves the test and coverage
#    readers; empty files are never opened. `runs` does not walk a run
#    whose run_meta.json states its time. (About 2 s and 23 MB were
#    measured on a plain -O2 build, 14 s before the one-walk change.)
#  - everything else: 10 s, 100 MB.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
W=$WISDOM
ST=${top_builddir:-.}/tests/stress/stress-tool
srcdir=${top_srcdir:-.}/tests/stress
[ -x "$ST" ] || { echo "1..0 # SKIP $ST not built"; exit 0; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wz-stress.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/cfg" XDG_CACHE_HOME="$TMP/home/cache" \
	XDG_DATA_HOME="$TMP/home/data" TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
. "$srcdir/lib.sh"

CARGO_SUMMARY='test result: ok. 7 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s'

# ---- bigsparse --------------------------------------------------------
R="$TMP/bigsparse/.runs/stress-bigsparse"
mkrun "$TMP/bigsparse" stress-bigsparse
"$ST" sparse "$R/build/test_output.log" 3221225472 "$CARGO_SUMMARY"
measure sparse-analyze 60 "$W" analyze "$R"
bounded sparse-analyze "analyze, 3 GB sparse test_output.log" 5 100
expect "analyze streams the 3 GB log and says its endless NUL line was cut" \
	has sparse-analyze 'test_output\.log:1: 1 line longer than 64 KiB \(longest 3221225471 bytes\)'
expect "analyze exit 0 or 1 (a report, not an input error)" exit_in 0 1
measure sparse-tests 60 "$W" tests "$R/build/test_output.log"
bounded sparse-tests "tests, 3 GB sparse cargo log" 5 100
expect "tests says the log is not a known report (exit 2)" \
	sh -c "[ $M_RC = 2 ] && grep -q 'not a known test or coverage report' '$TMP/sparse-tests.err'"
# 4,000 real TAP lines (past the 64 KiB that format detection reads),
# then 512 MB of NUL bytes without a newline: the line reader must cut
# the endless line and stream to the end in bounded memory (run-all does
# the same with 3 GB)
TAPHEAD=$(awk 'BEGIN { print "TAP version 13"; for (i = 1; i <= 4000; i++) printf "ok %d - case %d\n", i, i }')
"$ST" sparse "$TMP/bigsparse/nul.tap" 536870912 "" "$TAPHEAD
"
measure sparse-tap 90 "$W" tests "$TMP/bigsparse/nul.tap"
bounded sparse-tap "tests, 512 MB sparse TAP (NULs after 4,000 results)" 10 100
expect "tests counts the 4,000 real results of the NUL-filled TAP file" has sparse-tap 'tests 4000 passed 4000 '
rm -rf "$TMP/bigsparse"

# ---- many -------------------------------------------------------------
R="$TMP/many/.runs/stress-many"
mkrun "$TMP/many" stress-many
measure many-make 60 "$ST" files "$R/build" 100000
note "made 100,000 empty artifacts in ${M_WALL} s"
measure many-analyze 120 "$W" analyze "$R"
bounded many-analyze "analyze, 100,000 artifacts in build/" 10 150
expect "analyze reports the run (exit 0 or 1)" sh -c "grep -q 'run stress-many' '$TMP/many-analyze.out'"
measure many-json 120 "$W" analyze --json "$R"
bounded many-json "analyze --json, 100,000 artifacts in build/" 10 150
expect "analyze --json names the run" has many-json '"stress-many"'
expect "analyze says no progress on a non-terminal stderr" sh -c "! grep -q 'scanning' '$TMP/many-analyze.err'"
measure many-runs 60 "$W" runs --repo "$TMP/many"
bounded many-runs "runs, 100,000 artifacts in build/" 10 150
expect "runs lists the run with its build folder" has many-runs '^stress-many .* B'
rm -rf "$TMP/many"

# ---- links ------------------------------------------------------------
R="$TMP/links/.runs/stress-links"
mkrun "$TMP/links" stress-links
(
	cd "$R/build" && : > target.md && prev=target.md && i=1 &&
	while [ $i -le 60 ]; do ln -s "$prev" "chain$i"; prev="chain$i"; i=$((i + 1)); done &&
	ln -s "$prev" test_execution.md && ln -s loop_b loop_a && ln -s loop_a loop_b &&
	ln -s loop_a test_critique.md && ln -s loop_b build_receipt.json
)
ln -s run_meta_loop "$R/signal/signal_receipt.json"; ln -s signal_receipt.json "$R/signal/run_meta_loop"
measure links-analyze 60 "$W" analyze "$R"
bounded links-analyze "analyze, 60-link chain and link loops" 10 100
expect "analyze names test_execution.md as a link loop" \
	has links-analyze 'build/test_execution\.md: .*(symbolic link|Too many levels)'
expect "analyze names the looping build receipt" has links-analyze 'build_receipt\.json.*(loop|Too many levels)'
measure links-runs 60 "$W" runs --repo "$TMP/links"
bounded links-runs "runs, 60-link chain and link loops" 10 100
expect "runs lists the run" has links-runs '^stress-links '
rm -rf "$TMP/links"

# ---- deep -------------------------------------------------------------
R="$TMP/deep/.runs/stress-deep"
mkrun "$TMP/deep" stress-deep
printf '<?xml version="1.0"?>\n<testsuite name="deep" tests="1" failures="1"><testcase classname="c" name="t"><failure message="m">x</failure></testcase></testsuite>\n' \
	> "$TMP/deep/leaf.xml"
measure deep-make 60 "$ST" deepdir "$R/build" 10000 "$TMP/deep/leaf.xml"
note "made 10,000 nested folders in ${M_WALL} s"
measure deep-analyze 60 "$W" analyze "$R"
bounded deep-analyze "analyze, 10,000 nested folders in build/" 10 100
expect "analyze reports the run" has deep-analyze 'run stress-deep'
measure deep-runs 60 "$W" runs --repo "$TMP/deep"
bounded deep-runs "runs, 10,000 nested folders" 10 100
measure deep-tests 60 "$W" tests "$R/build"
bounded deep-tests "tests DIR, 10,000 nested folders" 10 100
expect "tests says it did not descend past 32 levels" has deep-tests 'deeper than 32 levels; not descended'
rm -rf "$TMP/deep"

# ---- escapes ----------------------------------------------------------
EVIL=$(printf 'evil\033]0;pwned\007\033[2J\377\376\342\200\256run')
R="$TMP/esc/.runs/$EVIL"
mkdir -p "$R/build" "$R/signal"
: > "$R/build/$(printf 'a\033[31m\377.md')"
ln -s "$(printf 'loop\033]0;x\007\377.md')" "$R/build/$(printf 'loop\033]0;x\007\377.md')"
measure esc-runs 30 "$W" runs --repo "$TMP/esc"
bounded esc-runs "runs, hostile run folder name" 10 100
expect "runs shows the name without control bytes, as valid UTF-8" clean_text esc-runs
expect "runs shows the escape visibly (^[)" has esc-runs 'evil\^\[\]0;pwned'
measure esc-json 30 "$W" runs --repo "$TMP/esc" --json
bounded esc-json "runs --json, hostile run folder name" 10 100
if command -v python3 >/dev/null 2>&1; then
	expect "runs --json is valid JSON holding the run" \
		python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['runs'][0]['id'].startswith('evil\x1b]0;pwned')" \
		"$TMP/esc-json.out"
else
	tap_skip "runs --json is valid JSON" "no python3"
fi
measure esc-analyze 30 "$W" analyze "$R"
bounded esc-analyze "analyze, hostile run folder and artifact names" 10 100
expect "analyze output has no control bytes and is valid UTF-8" clean_text esc-analyze
expect "analyze names the looping hostile artifact visibly" has esc-analyze 'loop\^\[\]0;x\^G'
rm -rf "$TMP/esc"

# ---- fifo -------------------------------------------------------------
R="$TMP/fifo/.runs/stress-fifo"
mkdir -p "$R/build" "$R/signal"
mkfifo "$R/run_meta.json" "$R/build/test_output.log" "$R/signal/signal_receipt.json" "$R/deploy" \
	"$R/build/junit.xml"
measure fifo-analyze 30 "$W" analyze "$R"
bounded fifo-analyze "analyze, FIFOs where files and a folder are expected" 10 100
expect "analyze says the receipt is not a regular file" \
	has fifo-analyze 'signal_receipt\.json: not a regular file'
expect "analyze says test_output.log is not a regular file" has fifo-analyze 'test_output\.log.*not a regular file'
expect "analyze says deploy is not a folder" has fifo-analyze 'deploy: is not a folder'
measure fifo-runs 30 "$W" runs --repo "$TMP/fifo"
bounded fifo-runs "runs, FIFO run_meta.json" 10 100
expect "runs lists the run" has fifo-runs '^stress-fifo '
measure fifo-tests 30 "$W" tests "$R/build/junit.xml"
bounded fifo-tests "tests, a FIFO named junit.xml" 10 100
expect "tests refuses the FIFO (exit 2, not a regular file)" \
	sh -c "[ $M_RC = 2 ] && grep -q 'not a regular file' '$TMP/fifo-tests.err'"
rm -rf "$TMP/fifo"

# ---- devzero ----------------------------------------------------------
R="$TMP/zero/.runs/stress-zero"
mkrun "$TMP/zero" stress-zero
ln -s /dev/zero "$R/build/build_receipt.json"
ln -s /dev/zero "$R/build/test_execution.md"
ln -s /dev/zero "$R/build/test_output.log"
ln -s /dev/zero "$R/build/junit.xml"
measure zero-analyze 30 "$W" analyze "$R"
bounded zero-analyze "analyze, receipt and artifacts linked to /dev/zero" 10 100
expect "analyze says the receipt is not a regular file" \
	has zero-analyze 'build_receipt\.json: not a regular file'
measure zero-runs 30 "$W" runs --repo "$TMP/zero"
bounded zero-runs "runs, receipt linked to /dev/zero" 10 100
measure zero-tests 30 "$W" tests "$R/build/junit.xml"
bounded zero-tests "tests, a report linked to /dev/zero" 10 100
expect "tests refuses /dev/zero (exit 2, not a regular file)" \
	sh -c "[ $M_RC = 2 ] && grep -q 'not a regular file' '$TMP/zero-tests.err'"
rm -rf "$TMP/zero"

print_table
echo "1..$T_N"
exit 0
