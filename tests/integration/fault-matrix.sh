#!/bin/sh
# fault-matrix.sh - every backend client against every fault of faultd
# (tests/faultd/faultd.c): refused connections, resets, stalls, truncated
# and invalid JSON, a gzip bomb, a 1 GiB body, HTML, 429 and 5xx storms,
# 4xx bodies, slowloris, TLS errors. TAP; two tests per cell:
#   behaviour: no crash (exit not a signal, no hang), the expected outcome,
#              a message naming the problem, time within the bound (and
#              not shorter than the waits it must honour), max RSS under
#              200 MB, the expected number of attempts, and each attempt
#              seen by faultd (a creating POST is never repeated after a
#              timeout, a cut-off answer or a 5xx: spec/integrations.md §1);
#   host:      the message names the host (127.0.0.1). Known gaps of a
#              backend are listed in its *_host_gap variable and reported
#              as TODO, so they show until fixed (then XPASS: remove them).
# The matrix (fault x backend -> exit, seconds, RSS, attempts, message) is
# printed as "# " lines at the end and written to $top_builddir/fault-matrix.txt.
#
# Short timeouts through the client's test hook (WISDOM_TEST_HOOKS=1,
# WISDOM_TEST_HTTP_TIMEOUT_MS) and FAULT_PROBE_JITTER keep it short.
#
# Every GitHub operation the product uses is a backend line. In make check
# github.list and github.create meet every fault and the other operations
# the representative SUBSET below; with FAULT_MATRIX_FULL=1 every operation
# meets every fault.
#
# Adding a backend: write backend_<name>() (sets its environment so its
# base URL is $1), add its operations to fault-probe's ops[] table, add one
# line per operation to BACKENDS, and list its known host gaps.
set -u

: "${top_builddir:=.}"
FAULTD="$top_builddir/tests/faultd/faultd"
PROBE="$top_builddir/tests/integration/fault-probe"
MATRIX="$top_builddir/fault-matrix.txt"

if [ ! -x "$FAULTD" ] || [ ! -x "$PROBE" ]; then
	echo "1..0 # SKIP faultd or fault-probe not built (zlib missing?)"
	exit 0
fi

TIMEOUT_MS=1000      # per attempt, through the test hook
RETRY_AFTER=1        # what faultd's 429 says
RSS_MAX_KB=204800    # 200 MB
TOKEN=ghp_FaultMatrixT0kenAAAAAAAAAAAAAAAAAAAAAA

# ---- backends: one line per operation ---------------------------------------
# NAME.OP  KIND  SETUP  PAGES  FAULTS
#   KIND:   read (GET: retried) | create (a POST that makes something: never
#           repeated once the server may have seen it) | update (PATCH:
#           idempotent, retried like a read)
#   PAGES:  requests a successful answer takes (faultd links a first page
#           of comments to a second one)
#   FAULTS: all | subset (all with FAULT_MATRIX_FULL=1)
BACKENDS='
github.list           read    backend_github 1 all
github.create         create  backend_github 1 all
github.search         read    backend_github 1 subset
github.get            read    backend_github 1 subset
github.update         update  backend_github 1 subset
github.comments       read    backend_github 2 subset
github.comment        create  backend_github 1 subset
github.comment-update update  backend_github 1 subset
github.pull           read    backend_github 1 subset
github.rate           read    backend_github 1 subset
'
SUBSET=" ok reset truncated shape 503-then-ok 404 "

backend_github() {
	GITHUB_API_URL=$1 GH_TOKEN=$TOKEN GITHUB_REPOSITORY=octo/hello
	export GITHUB_API_URL GH_TOKEN GITHUB_REPOSITORY
	unset GITHUB_TOKEN GH_HOST GH_ENTERPRISE_TOKEN GITHUB_ENTERPRISE_TOKEN
}
# faults whose GitHub message does not name the host (the message comes
# from the HTTP status or the body, not the transfer)
github_host_gap=""

# ---- faults: one line each -------------------------------------------------
# NAME  WHERE  SPEC  READ-TRIES READ-WANT  CREATE-TRIES CREATE-WANT  MIN  MAX  PROBLEM
#   WHERE: http (faultd, path /fault/SPEC/TAG) | refuse (a port nobody
#          listens on) | tls (https:// to faultd's plain port) | selfsigned
#          (openssl s_server with a self-signed certificate)
#   TRIES: attempts the client must make; WANT: ok | fail
#   MIN:   - | ra (tries-1 waits of Retry-After) | to (each try runs into the timeout)
#   MAX:   seconds the cell may take
#   PROBLEM: extended regex (case-insensitive) the message must match
FAULTS='
ok             http       ok            1 ok    1 ok    -  5  ^ok:
refuse         refuse     -             4 fail  4 fail  -  5  connect
hangup         http       hangup        4 fail  1 fail  -  5  empty reply|nothing
reset          http       reset         4 fail  1 fail  -  5  reset|receiv
stall          http       stall         4 fail  1 fail  to 10 timed out
slowloris      http       slowloris     4 fail  1 fail  to 10 timed out
truncated      http       truncated     4 fail  1 fail  -  5  truncated|cut short
invalid-json   http       invalid-json  1 fail  1 fail  -  5  not JSON
shape          http       shape         1 fail  1 fail  -  5  shape|expected|no resources|no numeric
html           http       html          1 fail  1 fail  -  5  not JSON|html
gzip-bomb      http       gzip-bomb     1 fail  1 fail  -  8  cap
huge-1GiB      http       huge          1 fail  1 fail  -  8  cap
429-storm      http       429           4 fail  4 fail  ra 10 rate limited
500-storm      http       500           4 fail  1 fail  -  5  HTTP 500
502-storm      http       502           4 fail  1 fail  -  5  HTTP 502
503-storm      http       503           4 fail  1 fail  -  5  HTTP 503
503-then-ok    http       503,503,ok    3 ok    1 fail  -  5  ^ok:|HTTP 503
401            http       401           1 fail  1 fail  -  5  401 bad credentials
403            http       403           1 fail  1 fail  -  5  403 forbidden
404            http       404           1 fail  1 fail  -  5  404 no access or not found
410            http       410           1 fail  1 fail  -  5  410 gone
422            http       422           1 fail  1 fail  -  5  422 validation failed
tls-plain      tls        ok            4 fail  1 fail  -  5  SSL|TLS
tls-selfsigned selfsigned -             4 fail  1 fail  -  5  certificate
'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-fault.XXXXXX") || exit 99
fpid= spid= f2=
cleanup() {
	[ -n "$f2" ] && kill "$f2" 2>/dev/null
	[ -n "$fpid" ] && kill "$fpid" 2>/dev/null
	[ -n "$spid" ] && kill "$spid" 2>/dev/null
	[ -n "$fpid" ] && wait "$fpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t_start=$(date +%s%N)

"$FAULTD" --ready "$tmp/ready" --log "$tmp/faultd.log" --retry-after "$RETRY_AFTER" --slow-ms 1000 \
	--conn-secs 20 --max-secs "$([ "${FAULT_MATRIX_FULL:-0}" = 1 ] && echo 600 || echo 300)" \
	>"$tmp/faultd.out" 2>"$tmp/faultd.err" &
fpid=$!
i=0
while [ ! -s "$tmp/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
if [ ! -s "$tmp/ready" ]; then
	echo "1..1"
	echo "not ok 1 - faultd did not start: $(cat "$tmp/faultd.err")"
	exit 0
fi
port=$(sed -n 's/^port=\([0-9]*\) .*/\1/p' "$tmp/ready")
refuse_port=$(sed -n 's/.*refuse_port=\([0-9]*\).*/\1/p' "$tmp/ready")

# a TLS server with a self-signed certificate, when openssl is here
tls_port= tls_why="openssl not found"
if command -v openssl >/dev/null 2>&1; then
	tls_why="openssl could not make a certificate or serve"
	if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >"$tmp/openssl.err" 2>&1; then
		p=$("$FAULTD" --free-port)
		openssl s_server -quiet -www -accept "$p" -cert "$tmp/cert.pem" -key "$tmp/key.pem" \
			</dev/null >/dev/null 2>>"$tmp/openssl.err" &
		spid=$!
		if "$FAULTD" --wait-port "$p"; then tls_port=$p; fi
	fi
fi

export WISDOM_TEST_HOOKS=1 WISDOM_TEST_HTTP_TIMEOUT_MS=$TIMEOUT_MS FAULT_PROBE_JITTER=0.05
unset SSL_CERT_FILE CURL_CA_BUNDLE https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy ALL_PROXY
TIMEOUT_CMD=
command -v timeout >/dev/null 2>&1 && TIMEOUT_CMD="timeout -s KILL 60"

nb=$(echo "$BACKENDS" | grep -c .)
nf=$(echo "$FAULTS" | grep -c .)
full=${FAULT_MATRIX_FULL:-0}
# in_set SET FAULT: does a backend line with this fault set take the fault?
in_set() {
	[ "$full" = 1 ] || [ "$1" = all ] && return 0
	case $SUBSET in *" $2 "*) return 0 ;; esac
	return 1
}
ncells=0
for set in $(echo "$BACKENDS" | awk 'NF { print $5 }'); do
	for fault in $(echo "$FAULTS" | awk 'NF { print $1 }'); do
		in_set "$set" "$fault" && ncells=$((ncells + 1))
	done
done
echo "1..$((ncells * 2 + 4))"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }

printf '%-15s %-21s %4s %6s %7s %5s %4s  %s\n' fault backend exit secs rss_MB tries seen message >"$tmp/matrix"

reqs() { grep -c '^req ' "$tmp/faultd.log" 2>/dev/null || true; }
# milliseconds as seconds with two decimals
secs_of() { printf '%d.%02d' $(($1 / 1000)) $(($1 % 1000 / 10)); }
seen_before=0

# run_cell FAULT WHERE SPEC TRIES WANT MIN MAX PROBLEM BACKEND KIND SETUP
# (few processes per cell: the matrix runs on loaded machines too)
run_cell() {
	fault=$1 where=$2 spec=$3 tries=$4 want=$5 min=$6 max=$7 problem=$8 be=$9 kind=${10} setup=${11}
	label="$be x $fault"
	case $where in
	http) base="http://127.0.0.1:$port/fault/$spec/$be" ;;
	refuse) base="http://127.0.0.1:$refuse_port/fault/refuse/$be" ;;
	tls) base="https://127.0.0.1:$port/fault/$spec/$be" ;;
	selfsigned)
		if [ -z "$tls_port" ]; then
			n=$((n + 1)); echo "ok $n - $label # SKIP $tls_why"
			n=$((n + 1)); echo "ok $n - $label: names the host # SKIP $tls_why"
			printf '%-15s %-21s %4s %6s %7s %5s %4s  %s\n' "$fault" "$be" - - - - - "skipped: $tls_why" >>"$tmp/matrix"
			return
		fi
		base="https://127.0.0.1:$tls_port/$be" ;;
	esac
	t0=$(date +%s%N)
	out=$( ( "$setup" "$base"; exec $TIMEOUT_CMD "$PROBE" --trace "$tmp/trace" "${be%%.*}" "${be#*.}" ) 2>"$tmp/stderr")
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	secs=$(secs_of $ms)
	after=$(reqs)
	seen=$((after - seen_before))
	seen_before=$after
	msg=${out%%
*}
	stat=${out##*
}
	attempts=? rss=?
	case $stat in
	"probe "*)
		attempts=${stat#*attempts=} attempts=${attempts%% *}
		rss=${stat#*maxrss_kb=} rss=${rss%% *} ;;
	esac
	why=
	[ $rc -gt 128 ] && why="$why; killed by signal $((rc - 128))"
	case $msg in "ok: "* | "error: "*) ;; *) why="$why; no result line" ;; esac
	if [ "$want" = ok ]; then
		[ $rc -eq 0 ] || why="$why; exit $rc, wanted success"
	else
		[ $rc -ne 0 ] && [ $rc -lt 128 ] || why="$why; exit $rc, wanted a failure"
	fi
	echo "$msg" | grep -Eqi -- "$problem" || why="$why; message does not say /$problem/"
	case $out in *"$TOKEN"*) why="$why; the token is in the output" ;; esac
	[ "$attempts" = "$tries" ] || why="$why; $attempts attempts, wanted $tries"
	case $where in
	http | tls) [ "$seen" = "$tries" ] || why="$why; faultd saw $seen requests, wanted $tries" ;;
	refuse) [ "$seen" = 0 ] || why="$why; faultd saw $seen requests on a refused port" ;;
	selfsigned) seen=- ;;
	esac
	case $min in
	ra) lo=$(((tries - 1) * RETRY_AFTER * 1000)) ;;
	to) lo=$((tries * TIMEOUT_MS)) ;;
	*) lo=0 ;;
	esac
	# 50 ms slack under the lower bound (clock granularity of the waits)
	[ $((ms + 50)) -ge $lo ] && [ $ms -le $((max * 1000)) ] ||
		why="$why; took ${secs}s, wanted $(secs_of $lo)..${max}s"
	rss_mb=?
	case $rss in
	'' | *[!0-9]*) why="$why; no max RSS reported" ;;
	*)
		rss_mb=$(secs_of $((rss * 1000 / 1024)) | sed 's/.$//')
		[ "$rss" -le $RSS_MAX_KB ] || why="$why; max RSS $rss kB over $RSS_MAX_KB" ;;
	esac
	short=$(echo "${msg#error: }" | sed 's|\(https*://[^/ ]*\)/[^ ]*:|\1/...:|' | cut -c1-160)
	printf '%-15s %-21s %4s %6s %7s %5s %4s  %s\n' "$fault" "$be" "$rc" "$secs" "$rss_mb" "$attempts" \
		"$seen" "$short" >>"$tmp/matrix"
	if [ -z "$why" ]; then
		ok "$label: $want in ${secs}s, $attempts attempt(s), ${rss_mb} MB"
	else
		nok "$label"
		echo "# ${why#; }"
		echo "$out" | sed 's/^/#   /'
		sed 's/^/#   stderr: /' "$tmp/stderr" | head -n 5
	fi
	# the host
	if [ $rc -eq 0 ]; then
		n=$((n + 1)); echo "ok $n - $label: names the host # SKIP succeeded, no message"
		return
	fi
	eval "gap=\${${be%%.*}_host_gap:-}"
	todo=
	case " $gap " in *" $fault "*) todo=" # TODO ${be%%.*} message omits the host" ;; esac
	case $msg in
	*127.0.0.1*) ok "$label: names the host$todo" ;;
	*) nok "$label: names the host$todo" ;;
	esac
}

echo "$FAULTS" | grep . >"$tmp/faults"
echo "$BACKENDS" | grep . >"$tmp/backends"
while read -r be kind setup pages set; do
	while read -r fault where spec rt rw ct cw min max problem; do
		in_set "$set" "$fault" || continue
		if [ "$kind" = create ]; then t=$ct w=$cw; else t=$rt w=$rw; fi
		# a successful answer of a paged list takes one more request per page
		[ "$w" = ok ] && t=$((t + pages - 1))
		run_cell "$fault" "$where" "$spec" "$t" "$w" "$min" "$max" "$problem" "$be" "$kind" "$setup" </dev/null
	done <"$tmp/faults"
done <"$tmp/backends"

# faultd's other two knobs: the X-Fault header and --script
out=$(backend_github "http://127.0.0.1:$port"; FAULT_PROBE_XFAULT=500,hangup,ok "$PROBE" github list 2>&1)
case $out in
"ok: issues n=0"*"attempts=3 "*) ok "X-Fault: 500,hangup,ok -> github.list succeeds on the third attempt" ;;
*) nok "X-Fault: 500,hangup,ok -> github.list succeeds on the third attempt"; echo "$out" | sed 's/^/#   /' ;;
esac
printf '%s\n' "# one fault per connection" 503 truncated ok >"$tmp/script"
"$FAULTD" --ready "$tmp/ready2" --log "$tmp/faultd2.log" --script "$tmp/script" --max-secs 60 \
	>/dev/null 2>"$tmp/faultd2.err" &
f2=$!
i=0
while [ ! -s "$tmp/ready2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port2=$(sed -n 's/^port=\([0-9]*\) .*/\1/p' "$tmp/ready2")
out=$(backend_github "http://127.0.0.1:${port2:-1}"; "$PROBE" github list 2>&1)
out2=$(backend_github "http://127.0.0.1:${port2:-1}"; "$PROBE" github create 2>&1)
kill "$f2" 2>/dev/null
wait "$f2" 2>/dev/null
f2=
faults2=$(sed -n 's/^req .*fault=\([^ ]*\) .*/\1/p' "$tmp/faultd2.log" | tr '\n' ' ')
case "$out|$out2|$faults2" in
"ok: issues n=0"*"attempts=3 "*"|ok: issue #1 created"*"attempts=1 "*"|503 truncated ok ok ")
	[ -s "$tmp/faultd2.err" ] && { nok "--script: faultd wrote to stderr"; sed 's/^/#   /' "$tmp/faultd2.err"; } ||
	ok "--script 503,truncated,ok: list needs 3 attempts, the create after it gets the repeated last line" ;;
*) nok "--script 503,truncated,ok"; printf '%s\n' "$out" "$out2" "faults: $faults2" | sed 's/^/#   /' ;;
esac

total_ms=$((($(date +%s%N) - t_start) / 1000000))
total=$(secs_of $total_ms)
# faultd itself must have survived everything
if kill -0 "$fpid" 2>/dev/null && ! grep -q . "$tmp/faultd.err"; then
	ok "faultd survived the matrix ($(reqs) requests)"
else
	nok "faultd survived the matrix"
	sed 's/^/#   /' "$tmp/faultd.err"
fi
# the waits the cells must honour are a fraction; the rest is process
# start-up (debug build, sanitizers, a loaded machine). Each cell has its
# own time bound; this one catches a matrix that drags as a whole: make
# check's (about 150 s on a loaded 2-core machine) under 5 minutes, the
# full one (FAULT_MATRIX_FULL=1) under 10
bound=300
[ "$full" = 1 ] && bound=600
if [ $total_ms -le $((bound * 1000)) ]; then ok "whole matrix in ${total}s (bound $bound s)"; else nok "whole matrix took ${total}s (bound $bound s)"; fi

{
	echo "fault matrix: $ncells cells of $nf faults x $nb backend operations$([ "$full" = 1 ] || echo " (subset: FAULT_MATRIX_FULL=1 for all)"), ${total}s in all"
	echo "client timeout ${TIMEOUT_MS} ms per attempt (test hook), backoff jitter 0.05, Retry-After ${RETRY_AFTER} s"
	echo "exit: process status (0 ok, 2 error, 3 backend unreachable; >128 a signal); tries: attempts the client made;"
	echo "seen: requests faultd received (- not faultd); URL paths in messages shortened to /..."
	echo
	cat "$tmp/matrix"
} >"$tmp/matrix.txt"
cp "$tmp/matrix.txt" "$MATRIX" 2>/dev/null || echo "# could not write $MATRIX"
sed 's/^/# /' "$tmp/matrix.txt"
exit 0
