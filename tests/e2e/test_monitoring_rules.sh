#!/usr/bin/env bash
# The fleet's monitoring files (monitoring/): the Alertmanager rules pass `promtool check
# rules` and their unit tests over synthetic series (`promtool test rules`), and every metric
# the rules and the Grafana dashboard name is one the kiosk serves (src/admin/metrics.c).
# promtool comes with Debian's prometheus package (scripts/deps.sh); without it the test
# says so and is skipped.
set -u
S=${KIOSK_SOURCE_DIR:?}
M="$S/monitoring"
if ! command -v promtool >/dev/null; then
    echo "skipped: promtool not installed (apt-get install prometheus)"
    exit 0
fi
fail=0
promtool check rules "$M/kiosk-rules.yml" || fail=1
(cd "$M" && promtool test rules kiosk-rules.test.yml) || fail=1
python3 -m json.tool "$M/grafana-kiosk-fleet.json" >/dev/null || {
    echo "FAIL: grafana-kiosk-fleet.json is not JSON"
    fail=1
}
# every kiosk_ name used must be one the kiosk writes
names=$(cat "$M/kiosk-rules.yml" "$M/grafana-kiosk-fleet.json" | grep -oE 'kiosk_[a-z_]+' | sort -u)
for n in $names; do
    base=${n%_total}
    if ! grep -qE "\"$n\"|\"$base\"|kiosk_usage_%s_total" "$S/src/admin/metrics.c"; then
        case $n in
        kiosk_usage_*_total)
            k=${n#kiosk_usage_}
            k=${k%_total}
            grep -q "\"$k\"" "$S/src/sys/usage.c" || [ "$k" = qr_seconds ] || {
                echo "FAIL: $n is not a usage counter"
                fail=1
            }
            ;;
        *)
            echo "FAIL: $n is not served by src/admin/metrics.c"
            fail=1
            ;;
        esac
    fi
done
[ $fail -eq 0 ] && echo "monitoring: rules, their tests and the dashboard agree with the kiosk"
exit $fail
