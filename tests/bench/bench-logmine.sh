#!/bin/sh
# bench-logmine.sh BUILD_DIR [MB] - lines/s of `wisdom mine-logs` on the
# largest Loghub file repeated to ~MB megabytes (default 50), as a ratio to
# `sort | uniq -c` on the same file in the same run. Prints wall and CPU
# time (CPU is the fair figure on a shared machine) and max RSS.
# Not part of `make check`.
set -u
B=${1:?usage: bench-logmine.sh BUILD_DIR [MB]}
MB=${2:-50}
W="$B/wisdom"
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$HERE/../../../shared}
L=$SHARED/data/loghub
[ -x "$W" ] || { echo "no wisdom binary in $B" >&2; exit 2; }
[ -d "$L" ] || { echo "no loghub data in $L (set SHARED)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/wz-bench-logmine.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT INT TERM

src=$(ls -S "$L"/*/*_2k.log | head -1)
F="$T/big.log"
want=$((MB * 1048576))
: >"$F"
while [ "$(stat -c %s "$F")" -lt "$want" ]; do cat "$src" >>"$F"; done
bytes=$(stat -c %s "$F")
lines=$(wc -l <"$F")
echo "file: $(basename "$src") repeated: $bytes bytes, $lines lines"

# run LABEL CMD... : wall, CPU (user+system, children included) and max RSS
run() {
	label=$1; shift
	/usr/bin/time -f '%e %M %U %S' -o "$T/time" sh -c '"$@" >/dev/null 2>&1' sh "$@"
	set -- $(tail -n 1 "$T/time")
	secs=$1 rss=$2 cpu=$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.2f", u + s }')
	awk -v l="$label" -v s="$secs" -v c="$cpu" -v r="$rss" -v n="$lines" 'BEGIN {
		printf "%-22s wall %6.2f s (%9.0f lines/s)  cpu %6.2f s (%9.0f lines/s)  max RSS %7.1f MiB\n",
			l, s, (s > 0 ? n / s : 0), c, (c > 0 ? n / c : 0), r / 1024 }'
}

run "wisdom mine-logs" "$W" mine-logs "$F"
ms=$secs mc=$cpu
run "wisdom mine-logs --csv" "$W" mine-logs --csv "$F"
run "sort | uniq -c" sh -c 'LC_ALL=C sort "$1" | uniq -c' sh "$F"
ss=$secs sc=$cpu
awk -v a="$ms" -v b="$ss" -v c="$mc" -v d="$sc" 'BEGIN {
	printf "ratio mine-logs / sort|uniq -c: wall %.2fx, cpu %.2fx (lower is faster)\n",
		(b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
