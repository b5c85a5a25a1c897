#!/usr/bin/env bash
# docs/ui-strings.md, the five languages side by side for native reviewers, is what
# scripts/ui-strings-doc.py makes of the tables now: a changed string is reviewed as changed.
set -u
want=$(python3 "$KIOSK_SOURCE_DIR/scripts/ui-strings-doc.py") || { echo "generator failed"; exit 1; }
if [ "$want" != "$(cat "$KIOSK_SOURCE_DIR/docs/ui-strings.md")" ]; then
    echo "FAIL docs/ui-strings.md is out of date: python3 scripts/ui-strings-doc.py > docs/ui-strings.md"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
