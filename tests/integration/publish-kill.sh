#!/usr/bin/env bash
# publish-kill.sh - SIGKILL the publish at every step, then restart.
#
# For N = 1, 2, ... a fresh copy of the real run (with fixed decisions) is
# published against the stateful fake GitHub server with the test hook
# WISDOM_TEST_KILL_AFTER=N (honoured only with WISDOM_TEST_HOOKS=1), which
# raises SIGKILL right after the Nth step (a file written or a GitHub call
# answered). After each kill: no torn or temporary file is left in wisdom/,
# every JSON file parses, and a plain restart finishes with exactly the
# issues a clean publish makes (no duplicate marker) and every decision kept.
# The loop ends at the first N the publish survives (all steps covered).
# Output is TAP.
set -u

: "${WISDOM:?WISDOM must name the built binary}"
: "${SHARED:=${top_srcdir:-.}/../shared}"
: "${top_srcdir:=.}"
MAX_STEPS=40

. "$top_srcdir/tests/integration/publish-lib.sh"

if [ ! -d "$SRC/.runs/$RUNID" ] || ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP shared run or python3 missing"
	exit 0
fi

n=0
out=""
ok() { n=$((n + 1)); out="${out}ok $n - $1"$'\n'; }
nok() { n=$((n + 1)); out="${out}not ok $n - $1"$'\n'; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

# whole: no temp files left, every JSON file in wisdom/ parses
whole() {
	[ -z "$(find "$R/wisdom" -name '*.tmp*' -print -quit)" ] || return 1
	local f
	for f in "$R"/wisdom/*.json; do
		[ -e "$f" ] || continue
		python3 -m json.tool "$f" >/dev/null 2>&1 || return 1
	done
}

# One decided copy of the run, reused for every step (deciding is the slow part).
setup "$T/tpl"
TPL_JOURNAL="$R/wisdom/.decisions.jsonl"
TPL_BYTES=$(stat -c %s "$TPL_JOURNAL")
# kept: the decisions made before the publish are still the journal's first bytes
kept() { cmp -s -n "$TPL_BYTES" "$TPL_JOURNAL" "$R/wisdom/.decisions.jsonl"; }

# Under AddressSanitizer every run is several times slower: kill at every
# third step there (the plain build's run covers every step).
STRIDE=1
if nm "$WISDOM" 2>/dev/null | grep -q __asan_init; then STRIDE=3; fi

steps=0
for N in $(seq 1 $MAX_STEPS); do
	if [ $STRIDE -gt 1 ] && [ $((N % STRIDE)) -ne 1 ]; then
		steps=$N
		continue
	fi
	D="$T/k$N"
	rm -rf "$D"
	cp -a "$T/tpl" "$D"
	R="$D/.runs/$RUNID"
	start_fake
	WISDOM_TEST_HOOKS=1 WISDOM_TEST_KILL_AFTER=$N pub >/dev/null 2>&1
	rc=$?
	if [ $rc -ne 137 ]; then
		check "publish with no kill at step $N completes (exit $rc)" [ $rc -eq 0 ]
		check "clean publish makes 4 issues, no duplicate" [ "$(nissues)" = 4 -a "$(dups)" = 0 ]
		stop_fake
		rm -rf "$D"
		break
	fi
	steps=$N
	check "step $N: killed; no torn or temporary file in wisdom/" whole
	pub >/dev/null 2>&1
	rc=$?
	check "step $N: restart finishes: exit $rc, 4 issues, no duplicate marker" \
		[ $rc -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]
	check "step $N: no decision lost" kept
	stop_fake
	rm -rf "$D"
done
R="$T/tpl/.runs/$RUNID"
check "the publish has between 2 and $MAX_STEPS steps (killed at each of $steps)" [ $steps -ge 2 -a $steps -lt $MAX_STEPS ]

# ---- killed in the middle of writing a file ------------------------------
# WISDOM_TEST_KILL_IN_WRITE=N kills the publish after half of the Nth file's
# bytes reached its temporary file. Right after the kill every file in
# wisdom/ must be either as before the publish or as a clean publish writes
# it (never a part), with the one temporary file beside it; the restart
# removes the leftover, finishes without duplicates and keeps every decision.
D="$T/ref"
rm -rf "$D"
cp -a "$T/tpl" "$D"
R="$D/.runs/$RUNID"
mkdir -p "$T/versions"
start_fake
WISDOM_TEST_HOOKS=1 WISDOM_TEST_WRITE_COPIES="$T/versions" pub >/dev/null 2>&1
stop_fake
# every version of every file: as before the publish, and each one a clean
# publish wrote (some are written twice: the report follows the run).
# Masked too: the fake server's port and the copy's own directory.
nsum() { sed -E -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' -e "s#$T/[A-Za-z0-9]+([/\"])#T/COPY\\1#g" "$1" | md5sum | cut -d' ' -f1; }
for f in $(find "$T/tpl/.runs/$RUNID/wisdom" "$T/versions" -type f ! -name '.decisions*'); do
	nsum "$f"
done | sort -u >"$T/versions.sum"
check "the reference publish wrote copies of its files" [ "$(find "$T/versions" -type f | wc -l)" -ge 4 ]
# untorn: each file in wisdom/ is a version some clean publish step left
untorn() {
	local f
	for f in $(find "$R/wisdom" -type f ! -name '.decisions*' ! -name '*.tmp.*'); do
		grep -qxF "$(nsum "$f")" "$T/versions.sum" || { echo "# torn: ${f#$R/}"; return 1; }
	done
}
one_temp() { [ "$(find "$R/wisdom" -name '*.tmp.*' | wc -l)" -eq 1 ]; }
wsteps=0
for N in $(seq 1 $MAX_STEPS); do
	if [ $STRIDE -gt 1 ] && [ $((N % STRIDE)) -ne 1 ]; then
		wsteps=$N
		continue
	fi
	D="$T/w$N"
	rm -rf "$D"
	cp -a "$T/tpl" "$D"
	R="$D/.runs/$RUNID"
	start_fake
	WISDOM_TEST_HOOKS=1 WISDOM_TEST_KILL_IN_WRITE=$N pub >/dev/null 2>&1
	rc=$?
	if [ $rc -ne 137 ]; then
		check "publish with no kill in write $N completes (exit $rc)" [ $rc -eq 0 ]
		stop_fake
		rm -rf "$D"
		break
	fi
	wsteps=$N
	check "write $N: killed mid-write; every file old or new, never a part" untorn
	check "write $N: the half-written temporary file is the only leftover" one_temp
	pub >/dev/null 2>&1
	rc=$?
	check "write $N: restart finishes: exit $rc, 4 issues, no duplicate marker, leftover removed" \
		[ $rc -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]
	check "write $N: restart leaves no temporary file, every JSON parses" whole
	check "write $N: no decision lost" kept
	stop_fake
	rm -rf "$D"
done
check "the publish writes between 2 and $MAX_STEPS files (killed inside each of $wsteps)" [ $wsteps -ge 2 -a $wsteps -lt $MAX_STEPS ]
echo "1..$n"
printf '%s' "$out"
echo "# killed at each of $steps steps and inside each of $wsteps file writes (stride $STRIDE); every restart completed without duplicates"
