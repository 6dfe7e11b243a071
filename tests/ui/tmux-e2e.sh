#!/bin/sh
# tmux-e2e.sh - the real binary on a real pty in a private tmux server:
# start, keys, capture, a resize (real SIGWINCH), quit with q, and the
# terminal restored (the alternate screen is left, the shell prompt is
# back). Skips without tmux. TAP.
set -u
: "${WISDOM:?}"
shared="${SHARED:-${top_srcdir:-.}/../shared}"
data="$shared/data/runs/dss-local-alignment-audit"
echo "1..7"
if ! command -v tmux >/dev/null 2>&1 || [ ! -d "$data" ]; then
	for i in 1 2 3 4 5 6 7; do echo "ok $i # SKIP no tmux or no shared data"; done; exit 0
fi
sock="wz-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-tmux.XXXXXX") || exit 99
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
wait_for() {   # pattern, tries
	n=0
	while [ $n -lt "${2:-50}" ]; do
		T capture-pane -p -t wz > "$tmp/cap" 2>/dev/null
		grep -q -- "$1" "$tmp/cap" && return 0
		sleep 0.1; n=$((n+1))
	done
	return 1
}
T -f /dev/null new-session -d -s wz -x 100 -y 30 \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC HOME=$tmp sh -c '\"$WISDOM\" --repo \"$data\" --offline; echo EXIT=\$?; sleep 30'"
if wait_for 'Flow ─' 80; then echo "ok 1 - console starts on a real pty"; else echo "not ok 1 - console starts"; sed 's/^/# /' "$tmp/cap"; fi
T send-keys -t wz 9
if wait_for 'Audit ─' 50; then echo "ok 2 - key 9 focuses the Audit pane"; else echo "not ok 2 - key 9"; sed 's/^/# /' "$tmp/cap"; fi
T send-keys -t wz Enter
wait_for ' │ ' 30 >/dev/null
T resize-window -t wz -x 60 -y 20 2>/dev/null || T resize-pane -t wz -x 60 -y 20
if wait_for 'full view needs 80x24 (now 60x20)' 50; then echo "ok 3 - SIGWINCH: redrawn at 60x20 mid drill-down"; else echo "not ok 3 - resize"; sed 's/^/# /' "$tmp/cap"; fi
T send-keys -t wz Escape
sleep 0.3
T send-keys -t wz q
if wait_for 'EXIT=0' 50; then echo "ok 4 - q quits with status 0"; else echo "not ok 4 - q quits"; sed 's/^/# /' "$tmp/cap"; fi
# restored: the alternate screen was left, so the console's frame is gone
if ! grep -q 'files-only' "$tmp/cap" && [ "$(T display -p -t wz '#{alternate_on}')" = 0 ]; then
	echo "ok 5 - terminal restored (alternate screen off, UI gone)"
else
	echo "not ok 5 - terminal restored"; sed 's/^/# /' "$tmp/cap"
fi
T kill-session -t wz 2>/dev/null
# TERM=dumb: refused with exit 2, pointing to `wisdom analyze`
T new-session -d -s wz -x 100 -y 30 \
	"env TERM=dumb LC_ALL=C.UTF-8 HOME=$tmp sh -c '\"$WISDOM\" --repo \"$data\" --offline; echo EXIT=\$?; sleep 30'"
if wait_for 'EXIT=2' 50 && grep -q 'wisdom analyze' "$tmp/cap"; then echo "ok 6 - TERM=dumb exits 2 naming wisdom analyze"; else echo "not ok 6 - TERM=dumb"; sed 's/^/# /' "$tmp/cap"; fi
T kill-session -t wz 2>/dev/null
# SIGTERM: the handler only wakes the loop, which restores the terminal
T new-session -d -s wz -x 100 -y 30 \
	"env TERM=xterm-256color LC_ALL=C.UTF-8 HOME=$tmp sh -c '\"$WISDOM\" --repo \"$data\" --offline; echo EXIT=\$?; sleep 30'"
wait_for 'Flow ─' 80 >/dev/null
shpid=$(T display -p -t wz '#{pane_pid}')
kill -TERM "$(pgrep -P "$shpid" | head -n1)"
if wait_for 'EXIT=143' 50 && [ "$(T display -p -t wz '#{alternate_on}')" = 0 ]; then
	echo "ok 7 - SIGTERM: exit 143, terminal restored"
else
	echo "not ok 7 - SIGTERM"; sed 's/^/# /' "$tmp/cap"
fi
