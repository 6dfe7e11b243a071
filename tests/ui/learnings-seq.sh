#!/bin/sh
# learnings-seq.sh - Learnings pane goldens that write decisions (TAP).
#
# The scripts in learnings-seq/ run IN ORDER on one private copy of the
# real run (never on $SHARED, never on the copy run-goldens.sh shares), so
# a later script sees what an earlier one decided: a restart resumes, one
# u undoes an A batch across a restart, w writes the wisdom files, and a
# held lock (flock, from here) makes the console read-only. `@OUT@` in a
# script names the output folder for mid-script :screen-dump files; each
# dump X.out is diffed against learnings-seq/X.screen (the final screen of
# N-name.script is N-name.out). UPDATE_GOLDEN=1 rewrites the goldens.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
srcdir="${top_srcdir:-.}/tests/ui/learnings-seq"
shared="${SHARED:-${top_srcdir:-.}/../shared}"
data="$shared/data/runs/dss-local-alignment-audit"
rel=".runs/local-alignment-audit-aba1c6"
echo "1..14"
if [ ! -d "$data" ]; then
	for i in $(seq 1 14); do echo "ok $i # SKIP no shared data"; done
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-lrnseq.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -R "$data" "$tmp/run" && chmod -R u+w "$tmp/run" &&
	find "$tmp/run" -exec touch -h -d '2025-12-21T23:00:00Z' {} + || { echo "Bail out! cannot copy $data"; exit 1; }
mkdir -p "$tmp/home" "$tmp/out"
wdir="$tmp/run/$rel/wisdom"
sum_shared() { find "$data/$rel/wisdom" -type f -exec cksum {} + | sort; }
before=$(sum_shared)
n=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
nok() { n=$((n+1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

run() {   # run NAME [extra shell prefix...]
	name=$1; shift
	sed "s|@OUT@|$tmp/out|g" "$srcdir/$name.script" > "$tmp/$name.script"
	# shellcheck disable=SC2086
	"$@" env -i PATH="$PATH" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$tmp/home" \
		XDG_CONFIG_HOME="$tmp/home/.config" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
		"$WISDOM" --repo "$tmp/run" --script "$tmp/$name.script" --dump "$tmp/out/$name.out" \
		--size 100x30 --clock 2025-12-22T00:00:00Z --offline >"$tmp/$name.log" 2>&1
}

golden() {   # golden OUTNAME
	g="$srcdir/$1.screen"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then cp "$tmp/out/$1.out" "$g"; ok "$1 # updated"; return; fi
	if diff -u "$g" "$tmp/out/$1.out" > "$tmp/$1.diff" 2>&1; then ok "$1 screen"; else
		nok "$1 screen differs"; sed 's/^/# /' "$tmp/$1.diff"; fi
}

run 1-decide; check "1-decide exits 0" [ $? -eq 0 ]
golden 1-decide-mid
golden 1-decide
check "journal: accept, reject, undo (3 records, fsynced lines)" \
	[ "$(grep -c '"op":' "$wdir/.decisions.jsonl")" = 3 ]
run 2-resume; golden 2-resume
check "resume message names the replayed states" grep -q "Resumed: 1 decided, 27 pending" "$tmp/out/2-resume.out"
run 3-marks; golden 3-marks-mid; golden 3-marks
check "A is one group: 3 accepts share it" python3 - "$wdir/.decisions.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
acc = [x for x in r if x["op"] == "accept" and x["seq"] > 3]
sys.exit(not (len(acc) == 3 and len({x["group"] for x in acc}) == 1))
PY
run 4-undo-marks; golden 4-undo-marks
run 5-files-only; golden 5-files-only
check "w wrote wisdom_report.json in the copy; \$SHARED untouched" \
	sh -c '[ -s "$1/wisdom_report.json" ] && [ "$2" = "$3" ]' _ "$wdir" "$before" "$(sum_shared)"
# RO: hold the lock from here while the console runs
lines=$(wc -l < "$wdir/.decisions.jsonl")
setsid sh -c 'exec 9>"$1"; flock 9; : > "$2"; exec sleep 30' _ "$wdir/.decisions.lock" "$tmp/locked" &
holder=$!
i=0; while [ ! -e "$tmp/locked" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
run 6-ro
kill -- -"$holder" 2>/dev/null || kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
golden 6-ro
check "RO: the journal was not written" [ "$(wc -l < "$wdir/.decisions.jsonl")" = "$lines" ]
exit 0
