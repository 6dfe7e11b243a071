#!/bin/sh
# bench-blame.sh BUILD_DIR - our bounded blame of 20 suspect ranges against
# `git blame --porcelain -L a,b BASE..HEAD -- file` of the same ranges, on a
# fresh clone of shared/data/repos/lua.bundle. Prints both times and the
# ratio (ours / git; goal <= 1.0). Not part of make check.
set -eu
BUILD=${1:?usage: bench-blame.sh BUILD_DIR}
BUILD=$(cd "$BUILD" && pwd)
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
ROUNDS=${ROUNDS:-3}
make -C "$BUILD" -s tests/bench/blame_bench >/dev/null || [ -x "$BUILD/tests/bench/blame_bench" ]
TMP=$(mktemp -d /tmp/wz-bench-blame-XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
git clone -q "$SHARED/data/repos/lua.bundle" "$TMP/lua"
cd "$TMP/lua"
# the base: 300 commits before HEAD (first-parent), so most lines are pre-existing
BASE=$(git rev-list --first-parent --skip=300 -n 1 HEAD)
# 5 ranges of 25 lines in each file, evenly spread (deterministic)
RANGES=""
for f in lvm.c lapi.c lgc.c ldo.c; do
	n=$(wc -l < "$f")
	for k in 0 1 2 3 4; do
		a=$(( 1 + k * (n - 25) / 5 ))
		RANGES="$RANGES $f:$a-$((a + 24))"
	done
done
ms() { date +%s%N | cut -c1-13; }
best_ours=""; best_git=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	out=$("$BUILD/tests/bench/blame_bench" "$TMP/lua" "$BASE" $RANGES)
	ours=${out%% *}
	t0=$(ms)
	for rg in $RANGES; do
		f=${rg%%:*}; ab=${rg#*:}
		git blame --porcelain -L "${ab%-*},${ab#*-}" "$BASE..HEAD" -- "$f" >/dev/null
	done
	t1=$(ms)
	gitms=$((t1 - t0))
	best_ours=$(awk -v a="${best_ours:-1e18}" -v b="$ours" 'BEGIN{print (b<a)?b:a}')
	best_git=$(awk -v a="${best_git:-1e18}" -v b="$gitms" 'BEGIN{print (b<a)?b:a}')
	echo "round $((r + 1)): ours ${ours} ms (lines, in-range: ${out#* }), git ${gitms} ms"
	r=$((r + 1))
done
echo "base $BASE, 20 ranges x 25 lines over lvm.c lapi.c lgc.c ldo.c"
echo "best of $ROUNDS: wisdom (libgit2, one blame per file, union range, oldest_commit) ${best_ours} ms"
echo "best of $ROUNDS: git blame --porcelain -L (20 calls, BASE..HEAD) ${best_git} ms"
awk -v a="$best_ours" -v b="$best_git" 'BEGIN{printf "ratio wisdom/git: %.2f (goal <= 1.0)\n", a/b}'
