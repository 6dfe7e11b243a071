#!/bin/sh
# run-goldens.sh - headless golden screens (ui.md §8), TAP output.
#
# Each NAME.script is run with the real binary on a copy of the real run
# (shared data, every file's time pinned so MODIFIED columns are stable):
#   $WISDOM --repo COPY --script NAME.script --dump OUT --size SIZE \
#           --clock 2025-12-22T00:00:00Z --offline ARGS
# Header lines of a script set:  # size: COLSxROWS   # args: ...
#   # locale: C (non-UTF-8 locale)   # dump: attrs (dump with role letters)
#   # demo: yes (run `wisdom demo` - the bundled demo run - instead of the copy)
# and OUT is diffed against NAME.screen. UPDATE_GOLDEN=1 rewrites them.
set -u
: "${WISDOM:?WISDOM must name the built binary}"
srcdir="${top_srcdir:-.}/tests/ui"
shared="${SHARED:-${top_srcdir:-.}/../shared}"
data="$shared/data/runs/dss-local-alignment-audit"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-golden.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

scripts=$(ls "$srcdir"/*.script 2>/dev/null | sort)
n=$(printf '%s\n' "$scripts" | grep -c . || true)
echo "1..$n"
[ -d "$data" ] || { i=0; for s in $scripts; do i=$((i+1)); echo "ok $i - $(basename "$s") # SKIP no shared data"; done; exit 0; }

cp -R "$data" "$tmp/run" && chmod -R u+w "$tmp/run" &&
	find "$tmp/run" -exec touch -h -d '2025-12-21T23:00:00Z' {} + || { echo "Bail out! cannot copy $data"; exit 1; }
# one hostile artifact (escapes, OSC title, bidi override, CJK, bad UTF-8)
printf '# hostile\n\033]0;pwned\007title \033[31mred\033[0m bell\007 \342\200\256evil\n\346\235\216\344\274\237 wide\tTAB \377bad\n' \
	> "$tmp/run/.runs/local-alignment-audit-aba1c6/wisdom/zz_hostile.md"
touch -d '2025-12-21T23:00:00Z' "$tmp/run/.runs/local-alignment-audit-aba1c6/wisdom/zz_hostile.md"
mkdir -p "$tmp/home" "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/cache"

i=0
fail=0
for s in $scripts; do
	i=$((i+1))
	name=$(basename "$s" .script)
	size=$(sed -n 's/^# size: *//p' "$s" | head -n1); size=${size:-80x24}
	args=$(sed -n 's/^# args: *//p' "$s" | head -n1)
	loc=$(sed -n 's/^# locale: *//p' "$s" | head -n1); loc=${loc:-C.UTF-8}
	out="$tmp/$name.out"
	target="--repo $tmp/run"
	grep -q '^# demo: yes' "$s" && target="demo"
	cp "$s" "$tmp/$name.script"
	dumpopt="--dump $out"
	if grep -q '^# dump: attrs' "$s"; then
		printf ':screen-dump %s --attrs\n' "$out" >> "$tmp/$name.script"
		dumpopt=""
	fi
	# shellcheck disable=SC2086
	env -i PATH="$PATH" TZ=UTC LANG="$loc" LC_ALL="$loc" HOME="$tmp/home" \
		XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" \
		XDG_CACHE_HOME="$tmp/xdg/cache" ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
		"$WISDOM" $target --script "$tmp/$name.script" $dumpopt --size "$size" \
		--clock 2025-12-22T00:00:00Z --offline $args >"$tmp/$name.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "not ok $i - $name: exit $rc"; sed 's/^/# /' "$tmp/$name.log"; fail=1; continue
	fi
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$out" "$srcdir/$name.screen"; echo "ok $i - $name # updated"; continue
	fi
	if [ ! -f "$srcdir/$name.screen" ]; then
		echo "not ok $i - $name: no golden $name.screen (UPDATE_GOLDEN=1 writes it)"; fail=1; continue
	fi
	if diff -u "$srcdir/$name.screen" "$out" > "$tmp/$name.diff"; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name: screen differs"; sed 's/^/# /' "$tmp/$name.diff"; fail=1
	fi
done
exit 0
