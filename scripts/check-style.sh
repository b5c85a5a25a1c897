#!/usr/bin/env bash
# check-style.sh [BUILD-DIR]: the one dialect the tree is written in, checked (run-tests.sh
# runs it after the plain build, whose compile_commands.json clang-tidy reads):
#   - layout: .clang-format (clang-format --dry-run --Werror);
#   - braces around every if/else/for/while/do body (clang-tidy's
#     readability-braces-around-statements);
#   - pointers tested by truth value: `!p` and `p`, never `p == NULL` or `p != NULL`.
# It prints each offence with its place and how to mend it, and exits 1 when there is any.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
cd "$here"
status=0
mapfile -t files < <(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h')

if ! clang-format --dry-run --Werror "${files[@]}" 2>"$build/style-format.log"; then
    grep -E '^[^ ].*(warning|error):' "$build/style-format.log" | head -n 40
    echo "style: not formatted as .clang-format says: run clang-format -i on the files above"
    status=1
fi

if grep -nE '[!=]= NULL\b' "${files[@]}" | grep -vE ':[0-9]+:\s*(/?\*|//)' >"$build/style-null.log"; then
    head -n 40 "$build/style-null.log"
    echo "style: test pointers by truth value: write !p for p == NULL and p for p != NULL"
    status=1
fi

if [ -f "$build/compile_commands.json" ]; then
    # only the files the build compiles (the fuzz harnesses need clang's fuzzer flags)
    mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep '\.c$' | grep -v '^tests/fuzz/')
    if ! printf '%s\n' "${cfiles[@]}" | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 8 \
        clang-tidy -p "$build" --quiet --warnings-as-errors='*' \
        -checks='-*,readability-braces-around-statements' >"$build/style-tidy.log" 2>&1; then
        grep -E 'warning:|error:' "$build/style-tidy.log" | head -n 40
        echo "style: braces around every body: clang-tidy -p $build -fix" \
            "-checks='-*,readability-braces-around-statements' FILE, then clang-format -i FILE"
        status=1
    fi
else
    echo "style: no $build/compile_commands.json: braces not checked (configure first)"
    status=1
fi
[ $status -eq 0 ] && echo "style: ${#files[@]} files in the dialect"
exit $status
