#!/bin/sh
# publish-fake.sh - `wisdom publish` on a copy of the real run against a
# stateful fake GitHub (fake_github.py): dry run sends and writes nothing;
# publish creates one issue per accepted learning that proposes one and
# updates the pack's run comment (gh_comment_id.txt without a newline);
# re-publishing sends no write and duplicates nothing; planted secrets are
# redacted in files and posted bodies; a dropped connection half-way, an
# answer lost after the server created the issue, a 422 and a 429 with
# Retry-After; SIGKILL between two steps, then a restart finishes the rest
# without duplicates and keeps every decision; no token; a bad token.
# Accepted below (ids from the run's wisdom files, see review.sh):
#   L-75bae4b ISSUE-DRAFT, L-23a17033 ACTION, L-2d2e6a34 ISSUE-DRAFT (edited,
#   planted secrets) -> 3 issues; L-0a90cbf8 LEARNING, L-02cb6c41 PACK-OBS,
#   L-00c5ddf4 SUGGESTION -> files only.
# Output is TAP.
set -u

: "${WISDOM:?WISDOM must name the built binary}"
: "${SHARED:=${top_srcdir:-.}/../shared}"
: "${top_srcdir:=.}"
PLAN=29

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

. "$top_srcdir/tests/integration/publish-lib.sh"

echo "1..$PLAN"
if [ ! -d "$SRC/.runs/$RUNID" ] || ! command -v python3 >/dev/null 2>&1; then
	i=0
	while [ $i -lt $PLAN ]; do i=$((i + 1)); echo "ok $i # SKIP shared run or python3 missing"; done
	exit 0
fi

# ---- 1: dry run, then publish, re-publish ---------------------------------
D="$T/a"
setup "$D"
start_fake
knob '{"page_size": 2}'
sums >"$T/before"
pub --dry-run >"$T/dry.out" 2>&1
rc=$?
sums >"$T/after"
check "dry run exits 0" [ $rc -eq 0 ]
check "dry run writes no file" cmp -s "$T/before" "$T/after"
check "dry run sends no POST/PATCH" [ "$(writes)" = 0 ]
check "dry run prints 3 issue POSTs and the comment PATCH" \
	[ "$(grep -c '^POST .*/issues$' "$T/dry.out")" = 3 -a "$(grep -c '^PATCH .*/issues/comments/3679628254$' "$T/dry.out")" = 1 ]
check "dry run prints unified diffs" grep -q '^+++ b/wisdom/learnings.md' "$T/dry.out"

pub >"$T/pub1.out" 2>&1
rc=$?
check "publish exits 0" [ $rc -eq 0 ]
check "3 issues created beside the run issue (4 in all)" [ "$(nissues)" = 4 ]
check "the pack's run comment 3679628254 is updated in place, marker on line 1" \
	[ "$(q "d['issues'][0]['comment_list'][0]['body'].splitlines()[0]")" = "<!-- DEMOSWARM_RUN:$RUNID FLOW:wisdom -->" -a \
	  "$(q "len(d['issues'][0]['comment_list'])")" = 1 ]
check "posted body redacts the planted GitHub token and AWS key" \
	[ "$(q "sum(1 for i in d['issues'] if '[REDACTED:github-token]' in (i['body'] or '') and '[REDACTED:aws-access-key]' in i['body'])")" = 1 -a \
	  "$(q "sum(1 for i in d['issues'] if '$TOKEN_PLANT' in (i['body'] or '') or '$AWS_PLANT' in (i['body'] or ''))")" = 0 ]
check "files redact the planted secrets" sh -c "grep -q 'REDACTED:github-token' '$R/wisdom/feedback_actions.md' && ! grep -rq -e '$TOKEN_PLANT' -e '$AWS_PLANT' '$R/wisdom' --exclude-dir=.edits --exclude='.decisions*'"
check "the pack's learnings.md is kept once in wisdom/.pack/" cmp -s "$R/wisdom/.pack/learnings.md" "$SRC/.runs/$RUNID/wisdom/learnings.md"
check "only accepted learnings: 1 '## Learning:', 1 ACTION, 1 PACK_OBS, 2 ISSUE, 1 SUG" \
	[ "$(grep -c '^## Learning: ' "$R/wisdom/learnings.md")" = 1 -a "$(grep -c '^- ACTION: ' "$R/wisdom/learnings.md")" = 1 -a \
	  "$(grep -c '^- PACK_OBS: ' "$R/wisdom/learnings.md")" = 1 -a "$(grep -c '^- ISSUE: ' "$R/wisdom/feedback_actions.md")" = 2 -a \
	  "$(grep -c '^- \[ \] SUG-' "$R/wisdom/feedback_actions.md")" = 1 ]
check "gh_comment_id.txt holds the comment id; status POSTED" \
	sh -c "[ \"\$(cat '$R/wisdom/gh_comment_id.txt')\" = 3679628254 ] && grep -q '^posting_status: POSTED' '$R/wisdom/gh_report_status.md'"
w1=$(writes)
pub >"$T/pub2.out" 2>&1
rc=$?
check "re-publish exits 0, sends no write, creates no issue" [ $rc -eq 0 -a "$(writes)" = "$w1" -a "$(nissues)" = 4 ]
check "re-publish rewrites no file" sh -c "! grep -q '^wrote ' '$T/pub2.out'"
"$WISDOM" review --repo "$D" --reject L-75bae4b >/dev/null
pub >"$T/pub3.out" 2>&1
st2=$(q "d['issues'][1]['state']")
check "rejected after publishing -> 'close by hand', the issue stays open" \
	sh -c "grep -q 'close by hand' '$T/pub3.out' && [ '$st2' = open ]"

# ---- 2: connection dropped before the 2nd issue is created ------------------
D="$T/b"
setup "$D"
start_fake
knob '{"drop": {"method": "POST", "after": 1, "times": 1}}'
pub >"$T/drop.out" 2>&1
rc=$?
check "dropped connection: exit 3 with a message naming the retry" sh -c "[ $rc -eq 3 ] && grep -q 'publish. again' '$T/drop.out'"
check "dropped connection: every JSON file whole" sh -c "for f in '$R'/wisdom/*.json; do python3 -m json.tool \"\$f\" >/dev/null || exit 1; done"
check "dropped connection: the journal records the 1 issue created" [ "$(grep -c '"op":"publish".*issue #' "$R/wisdom/.decisions.jsonl")" = 1 ]
pub >"$T/drop2.out" 2>&1
rc=$?
check "second publish finishes: 4 issues, no duplicate marker" [ $rc -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]

# ---- 3: the server creates, the answer is lost ---------------------------------
D="$T/c"
setup "$D"
start_fake
knob '{"drop": {"method": "POST", "after": 0, "times": 1, "apply": true}}'
pub >/dev/null 2>&1
rc=$?
pub >/dev/null 2>&1
rc2=$?
check "answer lost after create: exit 3, then the marker is found: 4 issues, no duplicate" \
	[ $rc -eq 3 -a $rc2 -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]

# ---- 4: 422 and 429 ------------------------------------------------------------------
D="$T/d"
setup "$D"
start_fake
knob '{"fail": [{"method": "POST", "path": "/repos", "status": 422, "times": 1}]}'
pub >"$T/422.out" 2>&1
rc=$?
check "422 on create: exit 3, message says Validation Failed" sh -c "[ $rc -eq 3 ] && grep -qi 'validation\|422' '$T/422.out'"
knob '{"fail": [{"method": "POST", "path": "/repos", "status": 429, "retry_after": 1, "times": 1}]}'
pub >"$T/429.out" 2>&1
rc=$?
check "429 with Retry-After: retried, exit 0, 4 issues, no duplicate" [ $rc -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]

# ---- 5: SIGKILL between two steps --------------------------------------------------
D="$T/e"
setup "$D"
start_fake
dec_before=$("$WISDOM" review --repo "$D" --list | grep -c 'ACCEPTED\|EDITED')
WISDOM_TEST_HOOKS=1 WISDOM_TEST_KILL_AFTER=5 pub >/dev/null 2>&1
rc=$?
made=$(nissues)
check "killed by the hook (SIGKILL) after some calls" [ $rc -eq 137 -a "$made" -gt 1 -a "$made" -lt 4 ]
WISDOM_TEST_KILL_AFTER=5 pub >/dev/null 2>&1
rc=$?
check "the hook is inert without WISDOM_TEST_HOOKS=1; restart finishes: 4 issues, no duplicate" \
	[ $rc -eq 0 -a "$(nissues)" = 4 -a "$(dups)" = 0 ]
check "no decision lost across the kill" [ "$("$WISDOM" review --repo "$D" --list | grep -c 'ACCEPTED\|EDITED')" = "$dec_before" ]
stop_fake

# ---- 6: no token, bad token ----------------------------------------------------------
D="$T/f"
setup "$D"
env -u GH_TOKEN "$WISDOM" publish --repo "$D" >"$T/notoken.out" 2>&1
rc=$?
check "no token: exit 0, GitHub skipped with the reason, status SKIPPED" \
	sh -c "[ $rc -eq 0 ] && grep -q 'no GH_TOKEN' '$T/notoken.out' && grep -q '^posting_status: SKIPPED' '$R/wisdom/gh_report_status.md'"
start_fake
GH_TOKEN=bad pub >"$T/bad.out" 2>&1
rc=$?
check "bad token (401): exit 3, nothing written" sh -c "[ $rc -eq 3 ] && grep -qi 'token\|401\|credentials' '$T/bad.out' && grep -q 'nothing was written' '$T/bad.out'"
check "plan count" [ $n -eq $((PLAN - 1)) ]
