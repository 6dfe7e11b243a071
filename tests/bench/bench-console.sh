#!/bin/sh
# bench-console.sh BUILD_DIR - console performance (ui.md §9), on demand
# (not part of make check). Prints:
#  (a) start to first full frame (ui_run() entry to the end of the first
#      frame that shows the loaded run: the `ready` time in the --bench
#      trace; the process's whole wall time, dump and exit included, too)
#      on the demo run and on a synthetic run with 10,000 tests (a JUnit
#      file in build/ and a test_execution.md) and a 100,000-line artifact;
#      best and median of 5 starts; goals < 100 ms and < 300 ms;
#  (b) keypress -> finished redraw while scrolling the 100k-line artifact:
#      p50/p99 of 1000 keys from the `turn` times `--bench` adds to
#      `--trace` (key handling + frame build + paint + doupdate); goal
#      p99 < 16 ms;
#  (c) max RSS of (a) and (b) (/usr/bin/time -v when present).
# Headless (--script, --size 120x40 single layout), no network (--offline).
set -u
build=${1:?usage: bench-console.sh BUILD_DIR}
W=$(cd "$build" && pwd)/wisdom
[ -x "$W" ] || { echo "no wisdom binary in $build" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8 HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/cfg" \
	XDG_CACHE_HOME="$tmp/home/cache"
mkdir -p "$HOME"

ms_now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'; }
rss_of() {   # rss_of CMD...: prints max RSS in KB
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" 2>"$tmp/time.txt" >/dev/null
		awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$tmp/time.txt"
	else
		echo "?"
	fi
}

# ---- the synthetic run ----
syn="$tmp/syn"
run="$syn/.runs/bench-synthetic-000001"
mkdir -p "$run/signal" "$run/plan" "$run/build" "$run/gate" "$run/deploy" "$run/wisdom"
python3 - "$run" <<'EOF'
import sys, os
run = sys.argv[1]
n = 10000
with open(os.path.join(run, "build", "junit.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
    f.write('<testsuite name="bench" tests="%d" failures="20" errors="0" skipped="30">\n' % n)
    for i in range(n):
        f.write('<testcase classname="pkg%d.Suite" name="test_%05d" time="0.01"' % (i % 40, i))
        if i % 500 == 7:
            f.write('><failure message="boom">assert %d == %d</failure></testcase>\n' % (i, i + 1))
        elif i % 333 == 5:
            f.write('><skipped/></testcase>\n')
        else:
            f.write('/>\n')
    f.write('</testsuite>\n</testsuites>\n')
with open(os.path.join(run, "build", "test_execution.md"), "w") as f:
    f.write("# Test Execution\n\n## Test Summary (Canonical): passed=9950 failed=20 skipped=30\n\n")
    for i in range(n):
        f.write("- pkg%d.Suite::test_%05d %s\n" % (i % 40, i, "FAIL" if i % 500 == 7 else "ok"))
    f.write("\n## Machine Summary\n```yaml\nstatus: UNVERIFIED\ntest_summary:\n  passed: 9950\n  failed: 20\n  skipped: 30\n```\n")
with open(os.path.join(run, "build", "zzzz_big.log"), "w") as f:
    for i in range(100000):
        f.write("2025-12-20T04:%02d:%02d.%03dZ INFO worker-%d request id=%08x path=/api/v1/items/%d took %dms\n"
                % ((i // 60) % 60, i % 60, i % 1000, i % 16, i * 2654435761 % (1 << 32), i % 977, i % 250))
for flow in ("signal", "plan", "build", "gate", "deploy", "wisdom"):
    with open(os.path.join(run, flow, flow + "_receipt.json"), "w") as f:
        f.write('{"flow": "%s", "status": "VERIFIED", "recommended_action": "PROCEED", '
                '"completed_at": "2025-12-20T0%d:00:00Z"}\n' % (flow, 3 + ("signal","plan","build","gate","deploy","wisdom").index(flow)))
EOF

empty="$tmp/empty.script"
printf '# start, then dump once the run is loaded\n' > "$empty"

start_bench() {   # start_bench NAME ARGS...: 5 timed starts
	name=$1; shift
	: > "$tmp/$name.times"
	: > "$tmp/$name.wall"
	for i in 1 2 3 4 5; do
		t0=$(ms_now)
		"$W" "$@" --script "$empty" --dump "$tmp/$name.screen" --size 120x40 \
			--clock 2025-12-22T00:00:00Z --offline --trace "$tmp/$name.trace" --bench \
			>/dev/null 2>"$tmp/$name.err" ||
			{ echo "$name: exit $?"; cat "$tmp/$name.err"; return 1; }
		t1=$(ms_now)
		echo $(( (t1 - t0) / 1000 )) >> "$tmp/$name.wall"   # microseconds
		awk '$2 == "ready" {print $3 * 1000}' "$tmp/$name.trace" >> "$tmp/$name.times"
	done
	best=$(sort -n "$tmp/$name.times" | head -n1)
	med=$(median < "$tmp/$name.times")
	wall=$(median < "$tmp/$name.wall")
	rss=$(rss_of "$W" "$@" --script "$empty" --dump "$tmp/$name.screen" --size 120x40 \
		--clock 2025-12-22T00:00:00Z --offline)
	printf '(a) %-10s start to full frame: best %6.1f ms, median %6.1f ms (process wall %6.1f ms), max RSS %s KB\n' \
		"$name" "$(echo "$best / 1000" | bc -l)" "$(echo "$med / 1000" | bc -l)" \
		"$(echo "$wall / 1000" | bc -l)" "$rss"
}

"$W" demo --script "$empty" --dump "$tmp/warm.screen" --size 120x40 --offline >/dev/null 2>&1  # build the demo cache
start_bench demo demo
start_bench synthetic --repo "$syn"

# ---- (b) 1000 keys over the 100k-line artifact ----
keys="$tmp/keys.script"
{
	printf '# size: 120x40\n:set layout = single\n:goto flow\nj\nj\n<Enter>\nG\n<Enter>\n:wait-idle 30\n'
	i=0
	while [ $i -lt 1000 ]; do
		case $((i % 20)) in
			0|1|2|3|4|5|6|7|8) echo j ;;
			9|10|11|12) echo '<PgDn>' ;;
			13|14) echo '<PgUp>' ;;
			15|16) echo k ;;
			17) echo '<C-d>' ;;
			18) echo '<C-u>' ;;
			19) if [ $((i % 200)) -eq 19 ]; then echo G; elif [ $((i % 200)) -eq 119 ]; then echo g; else echo l; fi ;;
		esac
		i=$((i + 1))
	done
} > "$keys"
tr="$tmp/trace"
rss=$(rss_of "$W" --repo "$syn" --script "$keys" --dump "$tmp/keys.screen" --size 120x40 \
	--clock 2025-12-22T00:00:00Z --offline --trace "$tr" --bench)
head -n2 "$tmp/keys.screen" | tail -n1 | cut -c1-100 | sed 's/^/    viewer: /'
awk '$2 == "turn" {print $3}' "$tr" | tail -n 1000 | sort -n > "$tmp/turns"
n=$(wc -l < "$tmp/turns")
p50=$(awk -v n="$n" 'NR == int(n * 0.50 + 0.5) {print}' "$tmp/turns")
p99=$(awk -v n="$n" 'NR == int(n * 0.99 + 0.5) {print}' "$tmp/turns")
max=$(tail -n1 "$tmp/turns")
printf '(b) scrolling %s keys over 100000 lines: p50 %s ms, p99 %s ms, max %s ms, max RSS %s KB\n' \
	"$n" "$p50" "$p99" "$max" "$rss"
