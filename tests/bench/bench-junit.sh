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

# run LABEL CMD... : prints seconds and max RSS (KiB) of CMD, stdout discarded.
run() {
	label=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/out" 2>"$T/err"
	else
		python3 -c 'import resource,subprocess,sys,time
t=time.time(); subprocess.run(sys.argv[2:], stdout=open(sys.argv[1],"w"), stderr=subprocess.DEVNULL)
r=resource.getrusage(resource.RUSAGE_CHILDREN); print("%.2f %d" % (time.time()-t, r.ru_maxrss))' "$T/out" "$@" >"$T/time"
	fi
	set -- $(tail -n 1 "$T/time")
	secs=$1; rss=$2
	awk -v l="$label" -v s="$secs" -v r="$rss" -v b="$bytes" 'BEGIN {
		mbs = (s > 0) ? b / 1048576 / s : 0;
		printf "%-10s %7.2f s  %8.1f MB/s  max RSS %8.1f MiB (%.2fx file size)\n", l, s, mbs, r / 1024, r * 1024 / b }'
}

run wisdom "$W" tests --json "$F"
wsecs=$secs
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print("counted:", t)' "$T/out"
if command -v xmllint >/dev/null 2>&1; then
	run xmllint xmllint --stream --noout "$F"
	awk -v w="$wsecs" -v x="$secs" 'BEGIN { if (x > 0) printf "ratio wisdom/xmllint time: %.2f\n", w / x }'
else
	echo "xmllint not installed (apt package libxml2-utils): reference skipped"
fi
