#!/usr/bin/env bash
# test_sync_https: drives the real sync module against real HTTPS servers on loopback.
#
# Everything is made here, in a temp directory, on a clean machine: a test CA and
# certificates (openssl), nginx on free 127.0.0.1 ports for the well-behaved and the
# plainly failing cases (static files with ETags, 304, 404, 500 with HTML, 503 with
# Retry-After, a captive-portal page, redirects, a wrong-host and a self-signed
# certificate), and tests/lib/https/fault_server.py for bodies nginx will not break on demand
# (chunked without end, cut short, trickling). Then test_sync_client runs the cases and
# prints "N passed, N failed". Traps stop both servers whatever happens.
set -euo pipefail

src=${KIOSK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${KIOSK_BUILD_DIR:-$src/build}
client=$build/tests/net/test_sync_client
[ -x "$client" ] || { echo "test_sync_https: $client not built" >&2; exit 1; }
for tool in nginx openssl python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "test_sync_https: $tool missing (scripts/deps.sh installs it)" >&2
        exit 1
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-https-XXXXXX")
nginx_pid=
fault_pid=
cleanup() {
    set +e # a server killed here exits non-zero: that must not cut the cleanup short
    if [ -n "$fault_pid" ]; then
        kill "$fault_pid" 2>/dev/null
        wait "$fault_pid" 2>/dev/null
    fi
    if [ -n "$nginx_pid" ]; then
        kill -QUIT "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- certificates -------------------------------------------------------------------------
# shellcheck source=tests/lib/https/pki.sh
. "$src/tests/lib/https/pki.sh"
pki=$work/pki
https_pki_init "$pki"
https_pki_leaf "$pki" server "IP:127.0.0.1,DNS:localhost"
https_pki_leaf "$pki" wronghost "DNS:wrong.example"
https_pki_selfsigned "$pki" selfsigned "IP:127.0.0.1"
pin="sha256//$(openssl pkey -in "$pki/server.key" -pubout -outform DER 2>/dev/null |
    openssl dgst -sha256 -binary | openssl base64 -A)"

# ---- nginx --------------------------------------------------------------------------------
ngx=$work/nginx
www=$work/www
mkdir -p "$ngx/tmp" "$www"
start_nginx() {
    read -r p_main p_wrong p_self < <(https_free_ports 3)
    local user=""
    # As root, nginx would hand its workers to "nobody", who cannot read a 0700 temp dir.
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
    types { application/json json; text/plain sig; text/html html; }
    default_type application/octet-stream;
    etag on;
    ssl_protocols TLSv1.2 TLSv1.3;

    server {
        listen 127.0.0.1:$p_main ssl;
        server_name localhost 127.0.0.1;
        ssl_certificate $pki/server.crt;
        ssl_certificate_key $pki/server.key;
        root $www;
        location = /portal {
            default_type text/html;
            return 200 "<!DOCTYPE html><html><head><title>Free Wi-Fi</title></head>
<body><form>Please accept the terms</form></body></html>";
        }
        location = /err500 {
            default_type text/html;
            return 500 "<html><body><h1>500 Internal Server Error</h1></body></html>";
        }
        location = /busy503 {
            add_header Retry-After 120 always;
            default_type text/html;
            return 503 "<html><body>Maintenance</body></html>";
        }
        location = /redirect { return 302 https://127.0.0.1:$p_main/feed.json; }
        location = /redirect-http { return 302 http://127.0.0.1:$p_main/feed.json; }
        location = /loop { return 302 https://127.0.0.1:$p_main/loop; }
    }
    server {
        listen 127.0.0.1:$p_wrong ssl;
        ssl_certificate $pki/wronghost.crt;
        ssl_certificate_key $pki/wronghost.key;
        root $www;
    }
    server {
        listen 127.0.0.1:$p_self ssl;
        ssl_certificate $pki/selfsigned.crt;
        ssl_certificate_key $pki/selfsigned.key;
        root $www;
    }
}
CONF
    nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" -g 'daemon off;' &
    nginx_pid=$!
    local p
    for p in $p_main $p_wrong $p_self; do
        if ! https_wait_port "$p" 10 || ! kill -0 "$nginx_pid" 2>/dev/null; then
            kill -QUIT "$nginx_pid" 2>/dev/null || true
            wait "$nginx_pid" 2>/dev/null || true
            nginx_pid=
            return 1
        fi
    done
}
# A port taken between choosing and binding makes nginx exit: choose again.
for attempt in 1 2 3; do
    start_nginx && break
    echo "test_sync_https: nginx did not start (attempt $attempt)" >&2
    cat "$ngx/error.log" >&2 2>/dev/null || true
    [ "$attempt" -eq 3 ] && exit 1
done

# ---- the fault server ---------------------------------------------------------------------
python3 "$src/tests/lib/https/fault_server.py" --cert "$pki/server.crt" --key "$pki/server.key" \
    --port-file "$work/fault.port" --lifetime 300 &
fault_pid=$!
for _ in $(seq 100); do
    [ -s "$work/fault.port" ] && break
    kill -0 "$fault_pid" 2>/dev/null || { echo "test_sync_https: fault server died" >&2; exit 1; }
    sleep 0.05
done
p_fault=$(cat "$work/fault.port")
https_wait_port "$p_fault" 10

# ---- the cases ----------------------------------------------------------------------------
export KIOSK_TEST_HTTPS="https://127.0.0.1:$p_main"
export KIOSK_TEST_LOCALHOST="https://localhost:$p_main"
export KIOSK_TEST_WRONGHOST="https://127.0.0.1:$p_wrong"
export KIOSK_TEST_SELFSIGNED="https://127.0.0.1:$p_self"
export KIOSK_TEST_FAULT="https://127.0.0.1:$p_fault"
export KIOSK_TEST_CA="$pki/ca.crt"
export KIOSK_TEST_PIN="$pin"
export KIOSK_TEST_DOCROOT="$www"
export KIOSK_TEST_ONLY_HTTPS=1
export TMPDIR="$work"
set +e
"$client"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    echo "--- nginx error.log" >&2
    tail -20 "$ngx/error.log" >&2 || true
fi
exit "$rc"
