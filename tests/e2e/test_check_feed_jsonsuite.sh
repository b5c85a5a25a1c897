#!/usr/bin/env bash
# A peer's test suite: none of JSONTestSuite's 318 parsing cases is a feed, so
# `kiosk --check-feed` must reject each one cleanly: exit 1, one line saying why, no crash,
# no sanitizer report, within a second each (checked loosely: 10 s, for slow machines).
set -u
kiosk="$KIOSK_BUILD_DIR/kiosk"
# tests/lib/jsonsuite.sh puts the cases there (from ../shared, or npm in a lone clone)
suite="$KIOSK_BUILD_DIR/testdata/JSONTestSuite/test_parsing"
[ -x "$kiosk" ] || { echo "missing $kiosk"; exit 1; }
[ -d "$suite" ] || { echo "missing $suite"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0
for f in "$suite"/*.json; do
    name=$(basename "$f")
    timeout 10 "$kiosk" --check-feed "$f" >"$out/stdout" 2>"$out/stderr"
    rc=$?
    lines=$(grep -c '' "$out/stdout")
    if [ "$rc" -ne 1 ] || [ "$lines" -ne 1 ] || ! grep -q '^rejected: ' "$out/stdout" ||
        grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$out/stderr"; then
        failed=$((failed + 1))
        echo "FAIL $name: exit $rc, $lines line(s) on stdout"
        head -c 400 "$out/stdout" "$out/stderr"
    else
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
