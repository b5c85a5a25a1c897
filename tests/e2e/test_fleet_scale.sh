#!/usr/bin/env bash
# test_fleet_scale: a fleet on one machine, all on loopback, as docs/fleet.md sets it up.
#
#   FLEET_KIOSKS (default 6 for CI; 20 for the full run) headless kiosks, each with its own
#   state dir, port and target, each walking a scripted visit (`kiosk-sim --replay`: two
#   sessions) and then left running; one nginx serving the feed and the signed announcements
#   document over HTTPS (a throw-away CA); one real Prometheus (Debian's package) started
#   here with a generated config and monitoring/kiosk-rules.yml (the `for:` durations cut to
#   5 s so the test need not wait minutes; the thresholds are the shipped ones).
#
# It checks that Prometheus scrapes every kiosk with up == 1; that a feed change reaches every
# kiosk within its poll interval and that nginx answered the unchanged polls with 304s, not
# bodies; that a signed fleet announcement with a target prefix is active on exactly the
# kiosks it names; that the usage counters add up across the fleet (2 sessions a kiosk); and
# that stopping 2 kiosks and making 1 feed unreachable fires exactly KioskDown twice and
# KioskFeedStale once, read through Prometheus's alerts API. The kiosk whose feed goes away
# runs its clock 120 times fast, so an hour without a sync passes in 30 s.
# It prints the fleet's total RSS and the feed host's bytes per kiosk per hour.
set -u
B=${KIOSK_BUILD_DIR:?}
S=${KIOSK_SOURCE_DIR:?}
N=${FLEET_KIOSKS:-6}
for tool in nginx openssl prometheus curl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "skipped: $tool not installed (scripts/deps.sh installs it)"
        exit 0
    fi
done
# A sanitizer build runs each kiosk several times slower: its scrape and alert deadlines
# would measure ASan, not the fleet. The plain build runs it; ASan covers the same code in
# the other tests.
if nm "$B/kiosk" 2>/dev/null | grep -q __asan_init; then
    echo "skipped: an AddressSanitizer build is too slow for the fleet's time-bound checks"
    exit 0
fi
. "$S/tests/lib/https/pki.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-fleet-XXXXXX")
pids=()
nginx_pid=
prom_pid=
cleanup() {
    set +e
    for p in "${pids[@]}"; do [ -n "$p" ] && kill -TERM "$p" 2>/dev/null; done
    sleep 1
    for p in "${pids[@]}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done
    [ -n "$prom_pid" ] && kill -TERM "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
failed=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=1; }
t_start=$(date +%s)

# ---- the feed host ----------------------------------------------------------------------
pki=$tmp/pki
https_pki_init "$pki"
https_pki_leaf "$pki" server "IP:127.0.0.1,DNS:localhost"
www=$tmp/www
ngx=$tmp/nginx
mkdir -p "$www/gone" "$ngx/tmp"
"$B/kiosk-feedshift" "$S/assets/sample-feed.json" "$www/feed.json" --to 2026-11-25 2>/dev/null
cp "$www/feed.json" "$www/gone/feed.json"
pub=$("$B/kioskctl" keygen --out "$tmp/announce.key" 2>/dev/null | grep -Eo '[A-Za-z0-9+/]{43}=' |
    head -n 1)
cat >"$www/ann.json" <<JSON
{"version": 1, "generated_at": "2026-11-25T06:00:00+09:00", "announcements": [
 {"id": "place", "text": {"ja": "武蔵野プレイスの各階へのお知らせ"}, "level": "important",
  "targets": ["musashino-place/"],
  "starts_at": "2026-11-25T00:00:00+09:00", "ends_at": "2026-11-30T00:00:00+09:00"}]}
JSON
"$B/kioskctl" sign "$www/ann.json" --key "$tmp/announce.key" >/dev/null 2>&1 ||
    { echo "kioskctl sign failed"; exit 1; }
read -r p_feed p_prom < <(https_free_ports 2)
user=""
[ "$(id -u)" -eq 0 ] && user="user root;"
cat >"$ngx/nginx.conf" <<CONF
$user
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 256; }
http {
    log_format fleet '\$status \$body_bytes_sent \$request_uri \$bytes_sent';
    access_log $ngx/access.log fleet;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    types { application/json json; text/plain sig; }
    etag on;
    server {
        listen 127.0.0.1:$p_feed ssl;
        ssl_certificate $pki/server.crt;
        ssl_certificate_key $pki/server.key;
        root $www;
    }
}
CONF
nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
https_wait_port "$p_feed" 10 || { echo "nginx did not start"; cat "$ngx/error.log"; exit 1; }

# ---- the kiosks ---------------------------------------------------------------------------
printf 'fleet-token-%s-0123456789abcdef\n' "$$" >"$tmp/token"
chmod 600 "$tmp/token"
cat >"$tmp/visit" <<SCRIPT
wait 3000
tap 5 5
# the idle timeout (5 s) ends the first session; the next touch is a second visitor
wait 7000
tap 5 5
SCRIPT
# then stay up (a wait is under an hour) until the test stops it
for _ in 1 2 3 4 5 6 7 8 9 10; do echo "wait 600000"; done >>"$tmp/visit"
stale=3   # the kiosk whose feed goes away
n_place=$(((N + 2) / 3))
declare -A port target
start_kiosk() {
    local i=$1 id rate=1 feed
    id=$(printf 'k%02d' "$i")
    if [ "$i" -le "$n_place" ]; then target[$i]="musashino-place/$id"; else target[$i]="community/$id"; fi
    feed="https://127.0.0.1:$p_feed/feed.json?k=$id"
    if [ "$i" -eq "$stale" ]; then feed="https://127.0.0.1:$p_feed/gone/feed.json?k=$id"; rate=120; fi
    mkdir -p "$tmp/$id"
    cat >"$tmp/$id/kiosk.conf" <<CONF
target = ${target[$i]}
feed_url = $feed
poll_interval_s = 10
backoff_cap_s = 10
ca_file = $pki/ca.crt
announcements_url = https://127.0.0.1:$p_feed/ann.json
announcements_poll_interval_s = 5
announcement_keys = $pub
idle_timeout_s = 5
CONF
    SDL_VIDEODRIVER=offscreen "$B/kiosk-sim" --replay "$tmp/visit" --windowed 640x360 \
        --config "$tmp/$id/kiosk.conf" --state-dir "$tmp/$id/state" \
        --now 2026-11-26T12:00:00+09:00 --clock-rate "$rate" \
        --admin-listen 127.0.0.1:0 --admin-token-file "$tmp/token" >"$tmp/$id/log" 2>&1 &
    pids[$i]=$!
}
for i in $(seq 1 "$N"); do start_kiosk "$i"; done
for i in $(seq 1 "$N"); do
    id=$(printf 'k%02d' "$i")
    for _ in $(seq 1 300); do
        port[$i]=$(sed -n 's/.*admin API listening on .* port \([0-9]*\).*/\1/p' "$tmp/$id/log")
        [ -n "${port[$i]}" ] && break
        sleep 0.1
    done
    [ -n "${port[$i]}" ] || { echo "kiosk $id did not start"; tail "$tmp/$id/log"; exit 1; }
done
api() { curl -s --max-time 5 -H "Authorization: Bearer $(cat "$tmp/token")" "http://127.0.0.1:${port[$1]}$2"; }
status_field() { api "$1" /api/v1/status | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2>/dev/null; }
echo "started $N kiosks in $(($(date +%s) - t_start)) s"

# ---- Prometheus ---------------------------------------------------------------------------
sed -E 's/^( +for: ).*/\15s/' "$S/monitoring/kiosk-rules.yml" >"$tmp/rules.yml"
{
    echo "global: {scrape_interval: 2s, evaluation_interval: 2s}"
    echo "rule_files: ['$tmp/rules.yml']"
    echo "scrape_configs:"
    echo "  - job_name: kiosk"
    echo "    authorization: {type: Bearer, credentials_file: '$tmp/token'}"
    echo "    static_configs:"
    echo "      - targets:"
    for i in $(seq 1 "$N"); do echo "          - '127.0.0.1:${port[$i]}'"; done
} >"$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml" >/dev/null || { echo "bad prometheus config"; exit 1; }
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
    --web.listen-address="127.0.0.1:$p_prom" >"$tmp/prometheus.log" 2>&1 &
prom_pid=$!
https_wait_port "$p_prom" 20 || { echo "prometheus did not start"; tail "$tmp/prometheus.log"; exit 1; }
pq() { # PromQL -> the first value, or ""
    curl -s --max-time 5 "http://127.0.0.1:$p_prom/api/v1/query" --data-urlencode "query=$1" |
        python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null
}
wait_for() { # SECONDS CMD...: 0 once CMD succeeds
    local end=$(($(date +%s) + $1))
    shift
    while [ "$(date +%s)" -lt "$end" ]; do "$@" && return 0; sleep 1; done
    return 1
}
all_up() { [ "$(pq 'sum(up{job="kiosk"})')" = "$N" ]; }
if wait_for 60 all_up; then ok "prometheus_scrapes_all_${N}_kiosks_with_up_1"; else bad "all_up (up sum $(pq 'sum(up)'))"; fi
# the steady-state window for the bytes figure: every kiosk has its first copies by now
log_mark=$(wc -l <"$ngx/access.log")
t_mark=$(date +%s)

# ---- the usage counters add up ------------------------------------------------------------
sessions_add_up() { [ "$(pq 'sum(kiosk_usage_sessions_total)')" = "$((2 * N))" ]; }
if wait_for 40 sessions_add_up; then ok "the_fleet_counted_$((2 * N))_sessions"; else
    bad "sessions_add_up (sum $(pq 'sum(kiosk_usage_sessions_total)'), want $((2 * N)))"; fi

# ---- the fleet announcement shows on exactly the kiosks its prefix names --------------------
targets_ok() {
    local i has
    for i in $(seq 1 "$N"); do
        has=$(status_field "$i" '"place" in d.get("active_announcements", [])')
        if [ "$i" -le "$n_place" ]; then [ "$has" = True ] || return 1; else [ "$has" = False ] || return 1; fi
    done
}
if wait_for 30 targets_ok; then ok "the_announcement_is_active_on_exactly_the_${n_place}_musashino-place_kiosks"
else bad the_announcement_targets; fi

# ---- a feed change reaches every kiosk within its poll interval ---------------------------
gen_of() { status_field "$1" 'd.get("feed_generated_at")'; }
old=$(gen_of 1)
# at least 30 s of unchanged content, so the figure is a rate and not one poll
sleep $((30 - ($(date +%s) - t_mark) > 0 ? 30 - ($(date +%s) - t_mark) : 0))
# bytes of the unchanged feed's polls (every kiosk but the one whose feed goes away)
steady_bytes=$(tail -n +"$((log_mark + 1))" "$ngx/access.log" |
    awk -v x="k=$(printf 'k%02d' "$stale")" '$3 !~ x { s += $2; t += $4 } END { print s + 0, t + 0 }')
steady_s=$(($(date +%s) - t_mark))
python3 - "$www/feed.json" <<'PY'
import json, os, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
d["generated_at"] = "2026-11-25T07:00:00+09:00"
open(p + ".new", "w", encoding="utf-8").write(json.dumps(d, ensure_ascii=False))
os.replace(p + ".new", p)
PY
t_change=$(date +%s)
changed() {
    local i
    for i in $(seq 1 "$N"); do
        [ "$i" -eq "$stale" ] && continue
        [ "$(gen_of "$i")" != "$old" ] || return 1
    done
}
if wait_for 20 changed; then
    ok "the_feed_change_reached_every_kiosk_in_$(($(date +%s) - t_change))_s (poll interval 10 s)"
else bad the_feed_change_reached_every_kiosk; fi
n304=$(grep -c '^304 0 /feed.json' "$ngx/access.log")
n200=$(grep -c '^200 [0-9]* /feed.json' "$ngx/access.log")
if [ "$n304" -ge "$((N - 1))" ] && [ "$n200" -le "$((2 * (N - 1) + 2))" ]; then
    ok "unchanged_feeds_cost_304s (${n304} x 304, ${n200} x 200 for $((N - 1)) kiosks)"
else bad "unchanged_feeds_cost_304s (${n304} x 304, ${n200} x 200)"; fi

# ---- figures ------------------------------------------------------------------------------
rss=0
for i in $(seq 1 "$N"); do
    r=$(awk '/^VmRSS/ { print $2 }' "/proc/${pids[$i]}/status" 2>/dev/null)
    rss=$((rss + ${r:-0}))
done
feed_bytes=$(stat -c %s "$www/feed.json")
read -r steady_body steady_all <<<"$steady_bytes"
per_hour=$(python3 -c "print(round($steady_body / ($N - 1) / max($steady_s, 1) * 3600))")
per_hour_all=$(python3 -c "print(round($steady_all / ($N - 1) / max($steady_s, 1) * 3600))")
echo "figures: $N kiosks, total RSS $((rss / 1024)) MB ($((rss / 1024 / N)) MB each);" \
    "unchanged content: $per_hour body bytes ($per_hour_all with headers) per kiosk per hour" \
    "from the feed host (feed polled every 10 s, announcements every 5 s, over ${steady_s} s);" \
    "each change of the feed costs every kiosk one body of $feed_bytes B"

# ---- stopping 2 kiosks and losing 1 feed fires exactly the expected alerts ----------------
down1=$((N - 1))
down2=$N
rm -f "$www/gone/feed.json"
for i in $down1 $down2; do kill -TERM "${pids[$i]}"; done
for i in $down1 $down2; do wait "${pids[$i]}" 2>/dev/null; pids[$i]=""; done
want=$(printf '%s\n' "KioskDown 127.0.0.1:${port[$down1]}" "KioskDown 127.0.0.1:${port[$down2]}" \
    "KioskFeedStale 127.0.0.1:${port[$stale]}" | sort)
firing() {
    curl -s --max-time 5 "http://127.0.0.1:$p_prom/api/v1/alerts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] == "firing":
        print(a["labels"]["alertname"], a["labels"].get("instance", ""))' | sort
}
alerts_as_expected() { [ "$(firing)" = "$want" ]; }
if wait_for 90 alerts_as_expected; then ok "exactly_the_expected_alerts_fire: $(echo $want)"
else bad "exactly_the_expected_alerts_fire: got [$(firing | tr '\n' ';')] want [$(echo "$want" | tr '\n' ';')]"; fi

echo "fleet run took $(($(date +%s) - t_start)) s"
[ "$failed" -eq 0 ] && echo "fleet scale: all passed" || echo "fleet scale: failed"
exit "$failed"
