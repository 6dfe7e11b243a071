#!/bin/sh
# bench-junit.sh BUILD_DIR [MB] - throughput and memory of `wisdom tests --json`
# on a generated JUnit file (default ~50 MB), with `xmllint --stream --noout`
# as a reference in the same run. Not part of `make check`.
set -u
B=${1:?usage: bench-junit.sh BUILD_DIR [MB]}
MB=${2:-50}
W="$B/wisdom"
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$W" ] || { echo "no wisdom binary in $B" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/wz-bench-junit.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
F="$T/big-junit.xml"
ntests=$(python3 "$HERE/gen-junit.py" "$F" "$MB") || exit 2
bytes=$(stat -c %s "$F")
echo "file: $bytes bytes, $ntests testcases"

# run LABEL CMD... : prints wall seconds, CPU seconds (user + system), the
# rate by each, and max RSS (KiB) of CMD; stdout kept in $T/out. On a shared
# machine the wall time includes waiting for a core: compare CPU times.
run() {
	label=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M %U %S' -o "$T/time" "$@" >"$T/out" 2>"$T/err"
	else   # RSS of a python fork: includes python's own pages before exec
		python3 -c 'import resource,subprocess,sys,time
t=time.time(); subprocess.run(sys.argv[2:], stdout=open(sys.argv[1],"w"), stderr=subprocess.DEVNULL)
r=resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %d %.3f 0" % (time.time()-t, r.ru_maxrss, r.ru_utime + r.ru_stime))' "$T/out" "$@" >"$T/time"
	fi
	set -- $(tail -n 1 "$T/time")
	secs=$1; rss=$2; cpu=$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.2f", u + s }')
	awk -v l="$label" -v s="$secs" -v c="$cpu" -v r="$rss" -v b="$bytes" 'BEGIN {
		mbs = (s > 0) ? b / 1048576 / s : 0; mbc = (c > 0) ? b / 1048576 / c : 0;
		printf "%-14s wall %6.2f s (%6.1f MB/s)  cpu %6.2f s (%6.1f MB/s)  max RSS %7.1f MiB (%.2fx file size)\n",
			l, s, mbs, c, mbc, r / 1024, r * 1024 / b }'
}

run "wisdom text" "$W" tests "$F"
tsecs=$secs tcpu=$cpu trss=$rss
grep '^total:' "$T/out"
run "wisdom --json" "$W" tests --json "$F"
wsecs=$secs wcpu=$cpu
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print("counted:", t)' "$T/out"
if command -v xmllint >/dev/null 2>&1; then
	run xmllint xmllint --stream --noout "$F"
	awk -v ts="$tsecs" -v tc="$tcpu" -v ws="$wsecs" -v wc="$wcpu" -v xs="$secs" -v xc="$cpu" \
	    -v tr="$trss" -v xr="$rss" 'BEGIN { if (xs > 0 && xc > 0)
		printf "ratio wisdom/xmllint: text wall %.2f cpu %.2f, --json wall %.2f cpu %.2f, max RSS (text) %.1fx\n",
			ts / xs, tc / xc, ws / xs, wc / xc, (xr > 0) ? tr / xr : 0 }'
else
	echo "xmllint not installed (apt package libxml2-utils): reference skipped"
fi
