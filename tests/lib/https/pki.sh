# shellcheck shell=bash
# pki.sh: helpers for the HTTPS tests on loopback, sourced by tests/net/test_sync_https.sh and
# tests/e2e/test_faults.sh (bash). A throw-away CA and leaf certificates made with openssl, free
# ports, waiting for a port, and starting tests/lib/https/fault_server.py. Nothing here leaves
# the machine, and nothing is kept: every file goes under the directory the caller names.
#
#   https_pki_init DIR                 CA (DIR/ca.crt, ca.key); the other calls write to DIR
#   https_pki_leaf DIR NAME SAN        NAME.crt/.key signed by the CA, valid two days
#   https_pki_selfsigned DIR NAME SAN  NAME.crt/.key signed by itself
#   https_pki_expired DIR NAME SAN     NAME.crt/.key signed by the CA, expired in 2020
#   https_free_ports N                 prints N ports that were free a moment ago
#   https_wait_port PORT SECONDS       0 once 127.0.0.1:PORT accepts, 1 at the deadline
# SAN is an openssl subjectAltName value, e.g. "IP:127.0.0.1,DNS:localhost".

https_ossl() { # DIR args...: openssl with its chatter in DIR/openssl.log
    local dir=$1
    shift
    openssl "$@" 2>>"$dir/openssl.log"
}

HTTPS_EC=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

https_pki_init() {
    mkdir -p "$1"
    https_ossl "$1" req -x509 "${HTTPS_EC[@]}" -keyout "$1/ca.key" -out "$1/ca.crt" -days 2 \
        -subj "/CN=Kiosk Test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
}

https_pki_ext() { # DIR NAME SAN: the leaf extensions file
    {
        echo "basicConstraints=CA:FALSE"
        echo "keyUsage=digitalSignature"
        echo "extendedKeyUsage=serverAuth"
        echo "subjectAltName=$3"
    } >"$1/$2.ext"
}

https_pki_leaf() {
    https_ossl "$1" req "${HTTPS_EC[@]}" -keyout "$1/$2.key" -out "$1/$2.csr" -subj "/CN=$2"
    https_pki_ext "$@"
    https_ossl "$1" x509 -req -in "$1/$2.csr" -CA "$1/ca.crt" -CAkey "$1/ca.key" \
        -CAcreateserial -out "$1/$2.crt" -days 2 -extfile "$1/$2.ext"
}

https_pki_selfsigned() {
    https_ossl "$1" req -x509 "${HTTPS_EC[@]}" -keyout "$1/$2.key" -out "$1/$2.crt" -days 2 \
        -subj "/CN=$2" -addext "subjectAltName=$3"
}

# `openssl x509 -req` cannot date a certificate in the past on OpenSSL 3.0; `openssl ca`
# takes explicit start and end dates.
https_pki_expired() {
    local ca=$1/ca-$2
    mkdir -p "$ca"
    : >"$ca/index.txt"
    echo 01 >"$ca/serial"
    cat >"$ca/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $ca
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = supplied
[ ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $3
CNF
    https_ossl "$1" req "${HTTPS_EC[@]}" -keyout "$1/$2.key" -out "$1/$2.csr" -subj "/CN=$2"
    https_ossl "$1" ca -batch -config "$ca/ca.cnf" -cert "$1/ca.crt" -keyfile "$1/ca.key" \
        -in "$1/$2.csr" -out "$1/$2.crt" -startdate 20200101000000Z \
        -enddate 20200102000000Z -extensions ext -notext
}

https_free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

https_wait_port() {
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# https_nginx_start DIR ROOT CERT KEY: nginx serving ROOT over HTTPS (with ETags) on a free
# 127.0.0.1 port, its config, logs and temp files under DIR; sets HTTPS_NGINX_PID and
# HTTPS_NGINX_PORT. A port taken between choosing and binding makes nginx exit: it tries
# three ports. 0, or 1 with nginx's error log printed. Stop it with https_nginx_stop.
https_nginx_start() {
    local dir=$1 root=$2 cert=$3 key=$4 user="" attempt
    mkdir -p "$dir/tmp"
    # As root, nginx would hand its workers to "nobody", who cannot read a 0700 temp dir.
    [ "$(id -u)" -eq 0 ] && user="user root;"
    for attempt in 1 2 3; do
        read -r HTTPS_NGINX_PORT < <(https_free_ports 1)
        cat >"$dir/nginx.conf" <<CONF
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    types { application/json json; text/csv csv; text/calendar ics; application/xml xml; }
    etag on;
    server {
        listen 127.0.0.1:$HTTPS_NGINX_PORT ssl;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        root $root;
    }
}
CONF
        nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' &
        HTTPS_NGINX_PID=$!
        if https_wait_port "$HTTPS_NGINX_PORT" 10 && kill -0 "$HTTPS_NGINX_PID" 2>/dev/null; then
            return 0
        fi
        https_nginx_stop
    done
    cat "$dir/error.log" 2>/dev/null
    return 1
}

https_nginx_stop() {
    [ -n "${HTTPS_NGINX_PID:-}" ] || return 0
    kill -QUIT "$HTTPS_NGINX_PID" 2>/dev/null
    wait "$HTTPS_NGINX_PID" 2>/dev/null
    HTTPS_NGINX_PID=
}
