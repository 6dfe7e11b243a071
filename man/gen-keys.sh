#!/bin/sh
# gen-keys.sh IN KEYS VERSION - writes IN to stdout with @PACKAGE_VERSION@
# substituted and the lines between `.\" BEGIN GENERATED KEYS` and
# `.\" END GENERATED KEYS` replaced by the file KEYS (the output of
# `wisdom --dump-keymap=roff`). Fails when a marker is missing.
set -e
in=$1 keys=$2 version=$3
grep -q '^\.\\" BEGIN GENERATED KEYS$' "$in" || { echo "gen-keys.sh: $in has no BEGIN GENERATED KEYS marker" >&2; exit 1; }
grep -q '^\.\\" END GENERATED KEYS$' "$in" || { echo "gen-keys.sh: $in has no END GENERATED KEYS marker" >&2; exit 1; }
awk -v keys="$keys" -v ver="$version" '
/^\.\\" END GENERATED KEYS$/ {
	while ((getline l < keys) > 0) print l
	close(keys)
	skip = 0
}
skip { next }
{ gsub(/@PACKAGE_VERSION@/, ver); print }
/^\.\\" BEGIN GENERATED KEYS$/ { skip = 1 }
' "$in"
