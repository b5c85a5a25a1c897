#!/usr/bin/env bash
# test_safety_https: the safety poller against nginx over HTTPS on loopback.
#
# A throw-away CA and certificate (tests/lib/https/pki.sh), nginx serving a docroot with
# ETags, and test_safety_poll run with KIOSK_TEST_HTTPS, KIOSK_TEST_CA and KIOSK_TEST_DOCROOT:
# it writes JMA's Atom feed and reports there itself and checks a warning shown within one
# round, a 304 that fetches nothing, a billion-laughs and an oversized report refused, and a
# 解除 that takes the banner down. Traps stop nginx whatever happens.
set -euo pipefail

src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${KIOSK_BUILD_DIR:-$src/build}
client=$build/tests/net/test_safety_poll
[ -x "$client" ] || { echo "test_safety_https: $client not built" >&2; exit 1; }
for tool in nginx openssl; do
    if ! command -v "$tool" >/dev/null; then
        echo "test_safety_https: $tool missing (scripts/deps.sh installs it)" >&2
        exit 1
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-safety-XXXXXX")
nginx_pid=
cleanup() {
    set +e
    if [ -n "$nginx_pid" ]; then
        kill -QUIT "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tests/lib/https/pki.sh
. "$src/tests/lib/https/pki.sh"
pki=$work/pki
https_pki_init "$pki"
https_pki_leaf "$pki" server "IP:127.0.0.1,DNS:localhost"

ngx=$work/nginx
www=$work/www
mkdir -p "$ngx/tmp" "$www/data"
start_nginx() {
    read -r port < <(https_free_ports 1)
    local user=""
    [ "$(id -u)" -eq 0 ] && user="user root;"
    cat >"$ngx/nginx.conf" <<CONF
$user
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 64; }
http {
    access_log $ngx/access.log;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    types { application/xml xml; }
    default_type application/octet-stream;
    etag on;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:$port ssl;
        server_name 127.0.0.1;
        ssl_certificate $pki/server.crt;
        ssl_certificate_key $pki/server.key;
        root $www;
    }
}
CONF
    nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" -g 'daemon off;' &
    nginx_pid=$!
    if ! https_wait_port "$port" 10 || ! kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
        nginx_pid=
        return 1
    fi
}
for attempt in 1 2 3; do
    start_nginx && break
    echo "test_safety_https: nginx did not start (attempt $attempt)" >&2
    cat "$ngx/error.log" >&2 2>/dev/null || true
    [ "$attempt" -eq 3 ] && exit 1
done

export KIOSK_TEST_HTTPS="https://127.0.0.1:$port"
export KIOSK_TEST_CA="$pki/ca.crt"
export KIOSK_TEST_DOCROOT="$www"
export TMPDIR="$work"
set +e
"$client"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    echo "--- nginx access.log" >&2
    tail -20 "$ngx/access.log" >&2 || true
fi
exit "$rc"
