#!/bin/sh
# manpage-keys.sh - the KEY BINDINGS region of the built man page equals
# `wisdom --dump-keymap=roff`, every action of ui/actions.def is in it, and
# the dump formats behave. TAP output.
: "${top_srcdir:=..}" "${top_builddir:=.}" "${WISDOM:=$top_builddir/wisdom}"
man="$top_builddir/man/wisdom.1"
def="$top_srcdir/ui/actions.def"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wz-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else no "$desc"; fi; }

echo "1..9"
check "man page built at $man" test -s "$man"
"$WISDOM" --dump-keymap=roff > "$tmp/dump" 2> "$tmp/err"
check "--dump-keymap=roff exits 0" test $? -eq 0
sed -n '/^\.\\" BEGIN GENERATED KEYS$/,/^\.\\" END GENERATED KEYS$/p' "$man" | sed '1d;$d' > "$tmp/region"
check "generated region equals the dump" cmp -s "$tmp/region" "$tmp/dump"
[ -s "$tmp/region" ] || echo "# region is empty"
cmp -s "$tmp/region" "$tmp/dump" || diff "$tmp/dump" "$tmp/region" | sed 's/^/# /' | head -20

# every ACTION("name", ...) line appears as \fIname\fR (hyphens escaped)
missing=""
count=0
for a in $(sed -n 's/^ACTION("\([a-z-]*\)".*/\1/p' "$def"); do
	count=$((count + 1))
	esc=$(printf '%s' "$a" | sed 's/-/\\\\-/g')
	grep -q "\\\\fI$esc\\\\fR" "$tmp/dump" || missing="$missing $a"
done
check "all $count actions of actions.def are in the roff dump${missing:+ (missing:$missing)}" test -z "$missing" -a "$count" -gt 80
check "no unsubstituted @PACKAGE_VERSION@" sh -c "! grep -q '@PACKAGE_VERSION@' '$man'"
check "version in .TH" grep -q "^\.TH WISDOM 1 .*wisdom $("$WISDOM" --version | sed 's/^wisdom //')" "$man"

"$WISDOM" --dump-keymap=config > "$tmp/cfg"
check "config dump binds pane-next to <Tab> in generic" grep -q '^bind generic <Tab> pane-next ' "$tmp/cfg"
"$WISDOM" --dump-keymap=bogus > /dev/null 2> "$tmp/err"
rc=$?
check "unknown dump format exits 2 naming the formats" test $rc -eq 2 -a -n "$(grep 'roff or config' "$tmp/err")"
if command -v groff > /dev/null 2>&1; then
	groff -man -ww -z "$man" > "$tmp/groff" 2>&1
	check "groff -ww finds no warnings" test ! -s "$tmp/groff"
	sed 's/^/# /' "$tmp/groff" | head -10
else
	ok "groff -ww finds no warnings # SKIP groff not installed"
fi
exit 0
