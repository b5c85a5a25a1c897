#!/usr/bin/env bash
# compare-shots.sh REV-A [REV-B]: renders every screen of the sample feed at a fixed clock
# with the kiosk built from two revisions (REV-B defaults to the working tree) and compares
# the PNGs byte for byte. For changes that must not change a pixel (a restructuring), and to
# list what a UI change did change. Prints one line per differing screen and a summary;
# exit 0 when every screen is identical. A contact sheet of the differing screens, side by
# side, goes to $OUT/diff.png when ImageMagick is installed.
#
# Environment: OUT (default: a temp dir, kept and printed), KIOSK_SHOTS_NOW (the clock).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rev_a=${1:?usage: compare-shots.sh REV-A [REV-B]}
rev_b=${2:-}
now=${KIOSK_SHOTS_NOW:-2026-11-26T10:00:00+09:00}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
jobs=$(nproc 2>/dev/null || echo 2)

# shots NAME REV: a build of REV (a worktree under $out) renders into $out/NAME
shots() {
    local name=$1 rev=$2 src=$here
    if [ -n "$rev" ]; then
        src=$out/src-$name
        rm -rf "$src"
        git -C "$here" worktree add -q --detach "$src" "$rev"
    fi
    cmake -S "$src" -B "$out/build-$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$out/build-$name" -j "$jobs" --target kiosk >/dev/null
    rm -rf "$out/$name"
    SDL_VIDEODRIVER=offscreen "$out/build-$name/kiosk" --screenshot "$out/$name" \
        --feed "file://$here/assets/sample-feed.json" --state-dir "$out/state-$name" \
        --now "$now" >/dev/null 2>&1
    if [ -n "$rev" ]; then
        git -C "$here" worktree remove --force "$src"
    fi
}
shots a "$rev_a"
shots b "$rev_b"

same=0 differ=0 only=0
diffs=()
for f in "$out"/a/*.png "$out"/b/*.png; do
    n=$(basename "$f")
    [ -e "$out/seen-$n" ] && continue
    : >"$out/seen-$n"
    if [ ! -e "$out/a/$n" ] || [ ! -e "$out/b/$n" ]; then
        echo "only in one: $n"
        only=$((only + 1))
    elif cmp -s "$out/a/$n" "$out/b/$n"; then
        same=$((same + 1))
    else
        echo "differs: $n"
        differ=$((differ + 1))
        diffs+=("$n")
    fi
done
rm -f "$out"/seen-*
if [ ${#diffs[@]} -gt 0 ] && command -v montage >/dev/null; then
    args=()
    for n in "${diffs[@]}"; do args+=("$out/a/$n" "$out/b/$n"); done
    montage "${args[@]}" -tile 2x -geometry 960x540+8+8 "$out/diff.png" 2>/dev/null &&
        echo "side by side (before | after): $out/diff.png"
fi
echo "screens: $same identical, $differ differ, $only in one build only ($out)"
[ "$differ" -eq 0 ] && [ "$only" -eq 0 ]
