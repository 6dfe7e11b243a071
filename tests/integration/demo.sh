#!/bin/sh
# demo.sh - `wisdom demo` end to end, without a terminal (TAP).
: "${WISDOM:?WISDOM must name the built binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/wisdom-demo-sh.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
echo "1..6"

XDG_CACHE_HOME="$scratch/cache" "$WISDOM" demo </dev/null >"$scratch/out" 2>"$scratch/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then echo "ok 1 - wisdom demo exits 0 or 1 (got $rc)"
else echo "not ok 1 - wisdom demo exits 0 or 1 (got $rc)"; sed 's/^/# /' "$scratch/err"; fi

if grep -q 'local-checkout-skew-4b7e21' "$scratch/out"; then echo "ok 2 - prints the run id"
else echo "not ok 2 - prints the run id"; sed 's/^/# /' "$scratch/out"; fi

set -- "$scratch"/cache/wisdom/demo-*
if [ $# -eq 1 ] && [ -f "$1/.runs/local-checkout-skew-4b7e21/run_meta.json" ]; then
	echo "ok 3 - demo repository built in \$XDG_CACHE_HOME/wisdom"
else echo "not ok 3 - demo repository built in \$XDG_CACHE_HOME/wisdom ($*)"; fi
repo=$1

# The run files name the real merge commit (placeholders substituted).
merge=$(git -C "$repo" rev-parse main 2>/dev/null)
if [ -n "$merge" ] && grep -q "\"merge_sha\": \"$merge\"" "$repo/.runs/local-checkout-skew-4b7e21/run_meta.json" &&
   ! grep -rq '@SHA:' "$repo/.runs"; then
	echo "ok 4 - run_meta.merge_sha is main's tip ($merge)"
else echo "not ok 4 - run_meta.merge_sha is main's tip ($merge)"; fi

# Second start reuses the cache: same directory, no new entries.
XDG_CACHE_HOME="$scratch/cache" "$WISDOM" demo </dev/null >"$scratch/out2" 2>&1
n=$(ls -A "$scratch/cache/wisdom" | wc -l)
if [ "$n" -eq 1 ] && grep -q "$repo" "$scratch/out2"; then echo "ok 5 - second run reuses $repo"
else echo "not ok 5 - second run reuses the cache ($n entries)"; fi

# The install list names every content file.
want=$(cd "$top_srcdir" && find demo -type f ! -name files.am ! -name update-files.sh | LC_ALL=C sort)
have=$(sed -n 's/^[[:space:]]*\(demo\/[^ \\]*\).*/\1/p' "$top_srcdir/demo/files.am" | LC_ALL=C sort)
if [ "$want" = "$have" ]; then echo "ok 6 - demo/files.am lists every demo file"
else echo "not ok 6 - demo/files.am is stale: run demo/update-files.sh"; fi
