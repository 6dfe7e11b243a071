#!/bin/sh
# secrets.sh - no secret reaches an output, a written file, a posted body or
# the trace (TAP). Secrets of every shape (GitHub token, AWS key pair, JWT,
# bearer header, URL with a password, shapeless API keys) are set in the
# environment AND in the secrets file; then `doctor`, `analyze`, `publish
# --dry-run` and `publish` (copies of the real run, the fake GitHub of
# publish-lib.sh), the console headless with --trace, and error messages
# (GitHub API URL with userinfo on a closed port). Also: the secrets file
# feeds the backends when the environment does not (the fake GitHub sees
# writes with the token from the file only), a group-readable file is
# refused with the fix, the trace is 0600, and files wisdom writes follow
# umask 022 and 077.
set -u

: "${WISDOM:?WISDOM must name the built binary}"
: "${SHARED:=${top_srcdir:-.}/../shared}"
: "${top_srcdir:=.}"
PLAN=26

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

. "$top_srcdir/tests/integration/publish-lib.sh"

echo "1..$PLAN"
if [ ! -d "$SRC/.runs/$RUNID" ] || ! command -v python3 >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	i=0
	while [ $i -lt $PLAN ]; do i=$((i + 1)); echo "ok $i # SKIP shared run, python3 or curl missing"; done
	exit 0
fi

# ---- the secrets ------------------------------------------------------------
# in the environment
E_GH=ghp_EnvTokenAbcdefghijklmnopqrstuvwxyz0123
E_JWT=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlbnYtc2VjcmV0In0.R0pYd3VxZnNFbnZTaWduYXR1cmUwMTIzNDU2
E_SPLUNK=EnvSplunkPassw0rd-7f3a9c
# in the secrets file
F_GH=ghp_FileTokenZyxwvutsrqponmlkjihgfedcba98
F_AWS_ID=AKIAFILEKEY7EXAMPLE9
F_AWS_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYFILEKEY123
F_JWT=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmaWxlLXNlY3JldCJ9.RmlsZVNpZ25hdHVyZUFCQ0RFRkdISUpLTE1OT1A
F_DD=ddFileApiKey0c0ffee0c0ffee42
F_BEARER=FileBearerTok-9d8c7b6a5f4e3d2c1b0a
F_URLPW=s3cretUrlPassw0rd
# planted in an edited learning (published text)
P_BEARER=PlantedBearer-0123456789abcdefghij
P_URLPW=pl4ntedUrlPassw0rd

SECRETS="$E_GH $E_JWT $E_SPLUNK $F_GH $F_AWS_ID $F_AWS_SECRET $F_JWT $F_DD $F_BEARER $F_URLPW $P_BEARER $P_URLPW"

IN="$T/in"        # inputs holding secrets on purpose: never grepped
mkdir -p "$IN" "$T/config/wisdom"
SEC="$T/config/wisdom/secrets"
cat >"$SEC" <<EOF
# wisdom secrets (test)
GITHUB_TOKEN=$F_GH
AWS_ACCESS_KEY_ID=$F_AWS_ID
export AWS_SECRET_ACCESS_KEY = "$F_AWS_SECRET"
AWS_REGION=eu-west-1
HONEYCOMB_API_KEY=$F_JWT
HONEYCOMB_DATASET=prod
DD_API_KEY=$F_DD
METRICS_BEARER_TOKEN=$F_BEARER
METRICS_ENDPOINT=https://prom:$F_URLPW@prom.example:9090/
EOF
chmod 600 "$SEC"
export GH_TOKEN="$E_GH" OPSGENIE_API_KEY="$E_JWT" SPLUNK_PASSWORD="$E_SPLUNK"
unset WISDOM_SECRETS GITHUB_API_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY HONEYCOMB_API_KEY DD_API_KEY \
	METRICS_BEARER_TOKEN METRICS_ENDPOINT GITHUB_TOKEN

cat >"$T/editor.sh" <<EOF
#!/bin/sh
printf 'Title: Rotate the deploy credentials\nLabels: security\n\nThe log held $E_GH, $F_AWS_ID, $E_JWT,\nAuthorization: Bearer $P_BEARER and https://deploy:$P_URLPW@registry.example/v2.\n' >"\$1"
EOF
chmod +x "$T/editor.sh"

# leaks FILE...: the secrets found in the files (empty when none)
leaks() {
	for s in $SECRETS; do
		grep -lF -e "$s" "$@" 2>/dev/null | sed "s|^|$s in |"
	done
}
# no_leak LABEL FILE...: one TAP line; names the leaks on failure
no_leak() {
	label=$1
	shift
	l=$(leaks "$@")
	if [ -z "$l" ]; then ok "$label"; else nok "$label"; echo "$l" | sed 's/^/# /'; fi
}
# a TCP port nothing listens on
closed_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# ---- doctor -----------------------------------------------------------------
"$WISDOM" doctor --repo "$T" >"$T/doctor.out" 2>"$T/doctor.err"
no_leak "doctor prints no secret value" "$T/doctor.out" "$T/doctor.err"
check "doctor names each variable's source: env, secrets FILE:LINE" sh -c "
	grep -Eq '^  GH_TOKEN +github +one-of +set \\(hidden\\) \\[env\\]$' '$T/doctor.out' &&
	grep -Eq '^  GITHUB_TOKEN +github +one-of +set \\(hidden\\) \\[secrets $SEC:2\\]$' '$T/doctor.out' &&
	grep -Eq '^  AWS_SECRET_ACCESS_KEY +cloudwatch +required +set \\(hidden\\) \\[secrets $SEC:4\\]$' '$T/doctor.out' &&
	grep -Eq '^  METRICS_ENDPOINT +prometheus +required +https://\\*\\*\\*@prom.example:9090/ \\[secrets $SEC:10\\]$' '$T/doctor.out' &&
	grep -q 'GitHub token     present in GH_TOKEN \\[env\\]' '$T/doctor.out' &&
	grep -q 'secrets file     $SEC: 9 variables$' '$T/doctor.out'"
check "file values enable backends: honeycomb configured from the file" \
	grep -Eq '^  honeycomb +traces +configured +HONEYCOMB_API_KEY and HONEYCOMB_DATASET set$' "$T/doctor.out"
"$WISDOM" doctor --repo "$T" --json >"$T/doctor.json" 2>>"$T/doctor.err"
no_leak "doctor --json prints no secret value" "$T/doctor.json" "$T/doctor.err"
check "doctor --json: source per variable and the secrets file state" python3 -c "
import json, sys
d = json.load(open('$T/doctor.json'))
env = {e['name']: e for e in d['env']}
assert env['GH_TOKEN']['source'] == 'env', env['GH_TOKEN']
assert env['HONEYCOMB_API_KEY']['source'] == 'secrets $SEC:6'
assert env['HONEYCOMB_API_KEY']['value'] is None and env['HONEYCOMB_API_KEY']['set'] is True
assert env['PAGERDUTY_API_KEY']['source'] is None and env['PAGERDUTY_API_KEY']['set'] is False
sf = d['base']['secrets_file']
assert sf == {'path': '$SEC', 'state': 'loaded', 'variables': 9, 'errors': []}, sf
"

# refused when others may read it; the fix is named; nothing loaded
chmod 640 "$SEC"
"$WISDOM" doctor --repo "$T" >"$T/doctor-640.out" 2>&1
rc=$?
check "group-readable secrets file refused: mode, file and 'chmod 600 FILE' named, exit 1" sh -c "
	[ $rc -eq 1 ] &&
	grep -qF '$SEC: secrets file refused: mode 0640 lets your group read it; nothing was loaded (fix: chmod 600 $SEC)' '$T/doctor-640.out' &&
	grep -Eq '^  GITHUB_TOKEN +github +one-of +unset$' '$T/doctor-640.out'"
no_leak "refused file: no secret printed" "$T/doctor-640.out"
chmod 600 "$SEC"

# a bad line: file:line, the value never echoed
cp "$SEC" "$IN/secrets.good"
printf 'UNKNOWN_API_KEY=%s\n%s\n' "$F_DD" "$F_GH" >>"$SEC"
"$WISDOM" doctor --repo "$T" >"$T/doctor-bad.out" 2>&1
rc=$?
check "bad lines listed as FILE:LINE, exit 1" sh -c "
	[ $rc -eq 1 ] && grep -qF '$SEC:11: UNKNOWN_API_KEY is not a backend variable' '$T/doctor-bad.out' &&
	grep -qF '$SEC:12: expected NAME=value' '$T/doctor-bad.out'"
no_leak "bad lines: no value echoed" "$T/doctor-bad.out"
cp "$IN/secrets.good" "$SEC"

# ---- analyze, and an error message with the token and URL userinfo -------
D="$T/an"
setup "$D"
PORT=$(closed_port)
GITHUB_API_URL="http://deploy:$F_URLPW@127.0.0.1:$PORT" "$WISDOM" analyze --repo "$D" --clock 2025-12-22T10:00:00Z \
	>"$T/analyze.out" 2>"$T/analyze.err"
check "analyze against a closed port says the GitHub call failed" grep -q "Couldn't connect to server" "$T/analyze.out"
no_leak "analyze: no secret in its output or the error (token, URL password)" "$T/analyze.out" "$T/analyze.err"
GITHUB_API_URL="http://deploy:$F_URLPW@127.0.0.1:$PORT" "$WISDOM" analyze --json --repo "$D" \
	--clock 2025-12-22T10:00:00Z >"$T/analyze.json" 2>>"$T/analyze.err"
no_leak "analyze --json: no secret" "$T/analyze.json" "$T/analyze.err"
GITHUB_API_URL="http://deploy:$F_URLPW@127.0.0.1:$PORT" pub >"$T/pub-closed.out" 2>&1
rc=$?
check "publish against a closed port: exit 3, nothing written, no token or URL password in the message" sh -c "
	[ $rc -eq 3 ] && grep -q 'nothing was written' '$T/pub-closed.out' && grep -q 'REDACTED:url-credentials' '$T/pub-closed.out'"
no_leak "publish error output: no secret" "$T/pub-closed.out"

# ---- publish --dry-run and publish to the fake GitHub ----------------------
D="$T/pub"
umask 022
setup "$D"
start_fake
export GH_TOKEN="$E_GH"
pub --dry-run >"$T/dry.out" 2>&1
check "publish --dry-run shows the planned posts" grep -q '^POST .*/issues$' "$T/dry.out"
no_leak "publish --dry-run: no secret in the plan or the diffs" "$T/dry.out"
touch "$T/mark"
sleep 1
pub >"$T/pub.out" 2>&1
rc=$?
state
cp "$T/state.json" "$T/posted.json"
check "publish exits 0 and posts redacted bodies" sh -c "
	[ $rc -eq 0 ] && grep -q 'REDACTED:bearer-token' '$T/posted.json' && grep -q 'REDACTED:url-credentials' '$T/posted.json'"
no_leak "publish: no secret in the output or the posted bodies" "$T/pub.out" "$T/posted.json"
# umask 022: what publish wrote is 0644 (journal too)
bad=$(find "$R/wisdom" -type f -newer "$T/mark" ! -perm 0644 | head -3)
nw=$(find "$R/wisdom" -type f -newer "$T/mark" | wc -l)
check "umask 022: the $nw files publish wrote are 0644 ($bad)" sh -c "[ -z '$bad' ] && [ $nw -ge 3 ]"

# the token only in the secrets file: publish still reaches GitHub
D="$T/pub2"
umask 077
setup "$D"
start_fake
unset GH_TOKEN
touch "$T/mark2"
sleep 1
pub >"$T/pub2.out" 2>&1
rc=$?
w=$(writes)
bad=$(find "$R/wisdom" -type f -newer "$T/mark2" ! -perm 0600 | head -3)
jm=$(stat -c %a "$R/wisdom/.decisions.jsonl" 2>/dev/null)
check "token from the secrets file only: publish writes to GitHub ($w writes); umask 077: files 0600, journal $jm ($bad)" \
	sh -c "[ $rc -eq 0 ] && [ '$w' -gt 0 ] && [ -z '$bad' ] && [ '$jm' = 600 ]"
umask 022
stop_fake
export GH_TOKEN="$E_GH"

# ---- the console's trace --------------------------------------------------
cat >"$IN/console.script" <<EOF
:filter $E_GH
:search Authorization: Bearer $P_BEARER
:filter https://deploy:$P_URLPW@registry.example/v2
:filter $F_JWT
:filter $F_DD
:filter $E_SPLUNK
:quit
EOF
: >"$WISDOM_CONFIG"     # publish-lib.sh names it; the console wants it to exist
printf 'old trace\n' >"$T/trace.log"
chmod 644 "$T/trace.log"
"$WISDOM" --repo "$T/pub" --script "$IN/console.script" --size 80x24 --offline --clock 2025-12-22T10:00:00Z \
	--trace "$T/trace.log" >"$T/console.out" 2>&1
rc=$?
check "console traced the commands with the secrets redacted" sh -c "
	[ $rc -eq 0 ] && grep -q 'cmd filter \\[REDACTED:github-token\\]' '$T/trace.log' &&
	grep -q 'cmd search Authorization: Bearer \\[REDACTED:bearer-token\\]' '$T/trace.log' &&
	grep -q 'cmd filter \\[REDACTED:known-secret\\]' '$T/trace.log' && ! grep -q 'old trace' '$T/trace.log'"
check "trace file is 0600 (an existing 0644 one is narrowed)" [ "$(stat -c %a "$T/trace.log")" = 600 ]
rm -f "$T/trace2.log"
"$WISDOM" --repo "$T/pub" --script "$IN/console.script" --size 80x24 --offline --trace "$T/trace2.log" >/dev/null 2>&1
check "new trace file created 0600 under umask 022" [ "$(stat -c %a "$T/trace2.log")" = 600 ]

# ---- every file written anywhere under the scratch dir ---------------------
# wisdom/.edits/<id>.md and the journal's reasons and notes are redacted
# before they are written (the run folder is often committed).
all=$(find "$T" -type f ! -path "$IN/*" ! -path "$SEC" ! -name editor.sh)
# shellcheck disable=SC2086
no_leak "no secret in any of the $(echo "$all" | wc -l) files written (outputs, runs, journals, edits, trace)" $all
edits=$(find "$T" -type f -path '*/wisdom/.edits/*')
check "the reviewer's edits were written (and checked above)" [ -n "$edits" ]
check "plan count" [ $n -eq $((PLAN - 1)) ]
