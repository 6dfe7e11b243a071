#!/usr/bin/env bash
# replay.sh - make check test: replays every checked-in seed
# (tests/fuzz/corpus/<target>/), every saved crash input
# (tests/fuzz/regressions/<target>/) and the real-data seeds named by
# seeds.sh through tests/fuzz/replay_<target>, the harness linked with the
# plain driver. Under --enable-sanitizers this is the ASan+UBSan replay.
# Prints TAP: one test per target and input set; a failure names the input.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-.}
fz=$srcdir/tests/fuzz
bin=$builddir/tests/fuzz

targets=()
for p in "$bin"/replay_*; do
	[ -x "$p" ] || continue
	targets+=("${p##*/replay_}")
done
if [ ${#targets[@]} -eq 0 ]; then
	echo "1..0 # SKIP no replay programs built in $bin"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wz-fuzz-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT

plan=$((${#targets[@]} * 3))
echo "1..$plan"
n=0

# check PROGRAM DIR LABEL: one TAP line; on failure, find the input(s) to blame.
check() {
	local prog=$1 dir=$2 label=$3 count
	n=$((n + 1))
	count=$(find "$dir" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l)
	if [ "$count" -eq 0 ]; then
		echo "ok $n - $label # SKIP no inputs"
		return
	fi
	if "$prog" "$dir" >"$work/out" 2>&1; then
		echo "ok $n - $label ($count inputs)"
		return
	fi
	echo "not ok $n - $label"
	local f
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		if ! "$prog" "$f" >"$work/one" 2>&1; then
			echo "# FAILS: $f"
			sed -n '1,30s/^/#   /p' "$work/one"
		fi
	done
}

for t in "${targets[@]}"; do
	prog=$bin/replay_$t
	check "$prog" "$fz/corpus/$t" "$t: checked-in seeds"
	check "$prog" "$fz/regressions/$t" "$t: saved crash inputs"
	mkdir -p "$work/$t"
	SHARED=${SHARED:-} bash "$fz/seeds.sh" "$t" "$work/$t" >/dev/null 2>&1 || true
	find "$fz/corpus/$t" -maxdepth 1 -type f -printf '%f\n' 2>/dev/null |
		while IFS= read -r f; do rm -f "$work/$t/$f"; done
	check "$prog" "$work/$t" "$t: real-data seeds"
done
exit 0
