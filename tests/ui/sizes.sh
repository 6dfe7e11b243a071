#!/bin/sh
# sizes.sh - paints views through real (headless) curses at every size from
# 1x1 to 200x60 (ui.md §9), via :resize in one script per view; the binary
# must exit 0 (no crash, no sanitizer report). Prints the frame time the
# sweep averaged. TAP.
set -u
: "${WISDOM:?}"
shared="${SHARED:-${top_srcdir:-.}/../shared}"
data="$shared/data/runs/dss-local-alignment-audit"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-sizes.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
views="flow flow-detail audit audit-viewer help tests metrics learnings"
echo "1..8"
if [ ! -d "$data" ]; then
	i=0; for v in $views; do i=$((i+1)); echo "ok $i - $v # SKIP no shared data"; done; exit 0
fi
i=0
for v in $views; do
	i=$((i+1))
	s="$tmp/$v.script"
	case $v in
	flow) echo ":goto flow" > "$s" ;;
	flow-detail) printf ':goto flow\nj\nj\n<Enter>\n' > "$s" ;;
	audit) echo ":goto audit" > "$s" ;;
	audit-viewer) printf ':goto audit\nj\n<Enter>\n:set charset = utf-8\nw\n' > "$s" ;;
	help) printf ':goto flow\n?\n' > "$s" ;;
	*) echo ":goto $v" > "$s" ;;
	esac
	# every size for the drill-downs; every 3rd row and 7th column (plus
	# the 1/40/80 edges) for the rest, to keep `make check` short
	case $v in
	flow-detail|audit-viewer) step_r=1; step_c=1 ;;
	*) step_r=3; step_c=7 ;;
	esac
	awk -v sr=$step_r -v sc=$step_c 'BEGIN { n = 0
		for (r = 1; r <= 60; r++) for (c = 1; c <= 200; c++)
			if ((r % sr == 0 || r <= 2 || r == 12 || r == 24) && (c % sc == 0 || c <= 2 || c == 40 || c == 80)) { printf ":resize %d %d\n", r, c; n++ }
		print n > "/dev/stderr" }' >> "$s" 2>"$tmp/$v.n"
	frames=$(cat "$tmp/$v.n")
	start=$(date +%s%N)
	if env HOME="$tmp" TZ=UTC LC_ALL=C.UTF-8 "$WISDOM" --repo "$data" --script "$s" --size 80x24 \
		--clock 2025-12-22T00:00:00Z --offline >"$tmp/$v.log" 2>&1; then
		end=$(date +%s%N)
		echo "ok $i - $v at $frames sizes ($(( (end - start) / frames / 1000 ))us per frame, wall, incl. resizeterm)"
	else
		echo "not ok $i - $v"; sed 's/^/# /' "$tmp/$v.log" | head -20
	fi
done
