#!/bin/sh
# save-config.sh - `:save-config` and `:info paths` in the console (ui.md
# §7, §8), headless. TAP. The user's own lines are never rewritten; only the
# managed block is, and it stays one block across saves; a config written
# for the first time follows the umask and its new folder is 0700.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
shared="${SHARED:-${top_srcdir:-.}/../shared}"
data="$shared/data/runs/dss-local-alignment-audit"
T=$(mktemp -d "${TMPDIR:-/tmp}/wz-savecfg.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT INT TERM
echo "1..7"
if [ ! -d "$data" ]; then
	for i in 1 2 3 4 5 6 7; do echo "ok $i # SKIP no shared data"; done
	exit 0
fi
cp -R "$data" "$T/run" && chmod -R u+w "$T/run"
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" WISDOM_SECRETS=/dev/null
mkdir -p "$HOME"
n=0
check() { d=$1; shift; n=$((n + 1)); if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fi; }
console() { # CONFIG ("": none) SCRIPT-LINES...
	cfg=$1; shift
	printf '%s\n' "$@" ":screen-dump $T/dump" ":quit" >"$T/script"
	set -- ${cfg:+--config "$cfg"}
	"$WISDOM" "$@" --repo "$T/run" --script "$T/script" --size 220x30 --offline >/dev/null 2>"$T/err"
}

C="$T/cfg/config"
mkdir -p "$T/cfg"
printf '# mine\nset layout = auto\nset hints = off   # keep\n' >"$C"
console "$C" ":set theme = cvd" ":save-config"
check "first save exits 0" [ $? -eq 0 ]

printf '# mine\nset layout = auto\nset hints = off   # keep\n' >"$T/expect"
check "the user's lines are kept as written, the block follows" \
	sh -c "head -3 '$C' | cmp -s - '$T/expect' && sed -n '4,6p' '$C' | grep -qx 'set theme = cvd'"
console "$C" ":set time-format = relative" ":save-config" ":info paths"
check "a second save keeps one managed block" [ "$(grep -c '^# >>> wisdom managed >>>' "$C")" = 1 ]
check "the block holds both settings, user lines unchanged" \
	sh -c "grep -qx 'set theme = cvd' '$C' && grep -qx 'set time-format = relative' '$C' && head -3 '$C' | cmp -s - '$T/expect'"
check ":info paths names the config file read" grep -q "read: $C" "$T/dump"
# a config written for the first time (the default place under
# $XDG_CONFIG_HOME), under umask 077, in a new folder
N="$T/new/wisdom/config"
( umask 077; XDG_CONFIG_HOME="$T/new"; console "" ":set theme = cvd" ":save-config" )
check "a new config file follows umask 077 (0600)" [ "$(stat -c %a "$N" 2>/dev/null)" = 600 ]
check "its new folder is 0700" [ "$(stat -c %a "$T/new/wisdom" 2>/dev/null)" = 700 ]
