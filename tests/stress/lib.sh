# lib.sh - shared by tests/stress/quick.sh and tests/stress/run-all (sourced).
#
# Every case runs the real binary under `stress-tool measure` (wall time,
# max RSS, exit status, a hard timeout that kills the process group), then
# asserts its bounds and its output. A bound that is missed is a finding:
# the test is reported `# TODO <reason>` so the suite still passes, and the
# figures go to the table printed at the end as TAP comments.
#
# Needs: W (wisdom binary), ST (stress-tool binary), TMP (scratch folder).

T_N=0
T_FAIL=0
T_TABLE=""
# Sanitizer builds are slower and use more memory: bounds are scaled
# (time x4, RSS x3 + 300 MB) and the table says so.
SAN=0
if command -v ldd >/dev/null 2>&1 && ldd "$W" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	SAN=1
fi

# bound_s SECONDS / bound_kb MB: the bound in force for this build.
bound_s() { if [ "$SAN" = 1 ]; then echo $(($1 * 4)); else echo "$1"; fi; }
bound_kb() { if [ "$SAN" = 1 ]; then echo $((($1 * 3 + 300) * 1024)); else echo $(($1 * 1024)); fi; }

tap_ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
tap_not_ok() { T_N=$((T_N + 1)); T_FAIL=1; echo "not ok $T_N - $*"; }
tap_todo() {   # tap_todo DESC REASON: a known finding, reported but not failing
	T_N=$((T_N + 1)); echo "not ok $T_N - $1 # TODO $2"
}
tap_skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
note() { printf '%s\n' "$*" | sed 's/^/# /'; }

# measure NAME TIMEOUT_S CMD...: runs CMD with stdin from /dev/null, stdout
# to $TMP/NAME.out, stderr to $TMP/NAME.err; sets M_WALL (s), M_RSS (KB),
# M_RC and M_TO (1 when it was killed at the timeout).
measure() {
	m_name=$1; m_to=$2; shift 2
	"$ST" measure -t "$m_to" -r "$TMP/$m_name.m" -- "$@" </dev/null >"$TMP/$m_name.out" 2>"$TMP/$m_name.err"
	read -r M_WALL M_RSS M_RC M_TO < "$TMP/$m_name.m" || { M_WALL=?; M_RSS=0; M_RC=255; M_TO=0; }
}

# bounded NAME DESC MAX_S MAX_MB [TODO_REASON]: asserts the last measure
# finished, within MAX_S seconds and MAX_MB of RSS (scaled for sanitizer
# builds), adds a table row. With TODO_REASON a miss is a known finding.
bounded() {
	b_name=$1; b_desc=$2; b_s=$(bound_s "$3"); b_kb=$(bound_kb "$4"); b_todo=${5:-}
	b_why=""
	if [ "$M_TO" = 1 ]; then
		b_why="hung: killed after the timeout"
	elif awk -v w="$M_WALL" -v b="$b_s" 'BEGIN { exit !(w > b) }'; then
		b_why="took ${M_WALL} s (bound ${b_s} s)"
	elif [ "$M_RSS" -gt "$b_kb" ]; then
		b_why="max RSS $((M_RSS / 1024)) MB (bound $((b_kb / 1024)) MB)"
	elif [ "$M_RC" -ge 124 ]; then
		b_why="exit status $M_RC (crash or signal)"
	fi
	if [ -z "$b_why" ]; then
		tap_ok "$b_desc: ${M_WALL} s, $((M_RSS / 1024)) MB, exit $M_RC (bounds ${b_s} s, $((b_kb / 1024)) MB)"
		b_res=ok
	elif [ -n "$b_todo" ]; then
		tap_todo "$b_desc: $b_why" "$b_todo"
		b_res=TODO
	else
		tap_not_ok "$b_desc: $b_why"
		sed -n '1,15p' "$TMP/$b_name.err" | sed 's/^/#   stderr: /'
		b_res=FAIL
	fi
	T_TABLE="$T_TABLE$(printf '%-34s %9s %9s %6s %8s %8s  %s' "$b_name" "$M_WALL" "$((M_RSS / 1024))" \
		"$M_RC" "$b_s" "$((b_kb / 1024))" "$b_res")
"
}

# expect DESC CONDITION-COMMAND...: one TAP line for a content assertion.
expect() {
	e_desc=$1; shift
	if "$@" >/dev/null 2>&1; then tap_ok "$e_desc"; else tap_not_ok "$e_desc"; fi
}

# has NAME REGEX: the case's stdout or stderr matches (extended regex).
has() { cat "$TMP/$1.out" "$TMP/$1.err" | grep -Eq -- "$2"; }
# clean_text NAME: no ESC, BEL or other C0 control except TAB/LF, and
# valid UTF-8, in stdout and stderr.
clean_text() {
	for f in "$TMP/$1.out" "$TMP/$1.err"; do
		LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$f" && return 1
		iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || return 1
	done
	return 0
}
exit_in() {   # exit_in LIST: the last measured exit status is one of LIST
	for c in "$@"; do [ "$M_RC" = "$c" ] && return 0; done
	return 1
}

# mkrun DIR ID: a minimal run folder with run_meta.json under DIR/.runs/ID.
mkrun() {
	mkdir -p "$1/.runs/$2/signal" "$1/.runs/$2/build" &&
		printf '{"run_id": "%s", "created_at": "2025-12-20T00:00:00Z", "updated_at": "2025-12-20T01:00:00Z"}\n' \
			"$2" > "$1/.runs/$2/run_meta.json"
}

print_table() {
	note ""
	note "figures ($( [ "$SAN" = 1 ] && echo "sanitizer build: bounds scaled" || echo "plain build"))"
	note "$(printf '%-34s %9s %9s %6s %8s %8s  %s' case 'wall s' 'RSS MB' exit 'bound s' 'bound MB' result)"
	printf '%s' "$T_TABLE" | sed 's/^/# /'
}
