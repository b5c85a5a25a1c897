#!/usr/bin/env python3
"""fault_server: a tiny HTTPS server on loopback that misbehaves on purpose.

nginx serves the well-behaved cases of tests/net/test_sync_https.sh; this serves what nginx
will not do on demand: a chunked body that never ends, a body cut short, and a body that
trickles. It binds 127.0.0.1 on a free port (or --port), writes the port to --port-file
once it listens, and stops after --lifetime seconds whatever happens, so a crashed test
never leaves it behind. Python 3 standard library only.

With --mode-file, /feed.json behaves as the first word of that file says, read at every
request, so tests/e2e/test_faults.sh can switch one long-running kiosk between faults:
  good        --feed-file with an ETag (If-None-Match gets a 304)
  reset       the request is read, then the TCP connection is reset (RST)
  err500      500 with an HTML body          busy503   503 with Retry-After: 5
  portal      200 with a captive-portal page empty     200 with an empty body
  truncated, truncated-chunked, stall, chunked-huge: as the paths of the same names
  tls-NAME    the handshake presents the --alt-cert named NAME, then serves as `good`
"""
import argparse
import hashlib
import http.server
import os
import socket
import socketserver
import ssl
import struct
import threading
import time

FEED_HEAD = b'{"version": 1, "generated_at": "2026-11-25T09:00:00+09:00", "events": ['
PORTAL = (b"<!DOCTYPE html><html><head><title>Free Wi-Fi</title></head>"
          b"<body><form>Please accept the terms</form></body></html>")
MODE_FILE = None
FEED_FILE = None


def read_mode():
    """The first word of the mode file; "good" when there is none or it cannot be read."""
    try:
        with open(MODE_FILE) as f:
            words = f.read().split()
        return words[0] if words else "good"
    except OSError:
        return "good"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the test output readable
        pass

    def _abort(self):
        # Drop the TCP connection without a TLS close_notify: a cut, not a clean end.
        try:
            self.connection.shutdown(2)
        except OSError:
            pass
        self.close_connection = True

    def _send(self, status, body, ctype="text/html", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _good(self):
        with open(FEED_FILE, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:20]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Connection", "close")
            self.end_headers()
            return
        self._send(200, body, "application/json", [("ETag", etag)])

    def _reset(self):
        # SO_LINGER with a zero timeout turns close() into a RST.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if MODE_FILE and path == "/feed.json":
            # A new connection for every request, so a switch to a tls-* mode is met by a
            # new handshake and not hidden by a kept-alive connection.
            self.close_connection = True
            mode = read_mode()
            if mode == "good" or mode.startswith("tls-"):
                path = "/good"
            elif mode == "reset":
                self._reset()
                return
            elif mode == "err500":
                self._send(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
                return
            elif mode == "busy503":
                self._send(503, b"<html><body>Maintenance</body></html>",
                           extra=[("Retry-After", "5")])
                return
            elif mode == "portal":
                self._send(200, PORTAL)
                return
            elif mode == "empty":
                self._send(200, b"", "application/json")
                return
            else:
                path = "/" + mode
        try:
            if path == "/good":
                self._good()
            elif path == "/chunked-huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(FEED_HEAD), FEED_HEAD))
                chunk = b" " * 16384
                # 64 MiB at most: far beyond any limit, still bounded.
                for _ in range(4096):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            elif path == "/truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(FEED_HEAD)
                self.wfile.flush()
                self._abort()
            elif path == "/truncated-chunked":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(FEED_HEAD), FEED_HEAD))
                self.wfile.flush()
                self._abort()
            elif path == "/stall":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(FEED_HEAD)
                self.wfile.flush()
                # One byte of whitespace every half second for at most 30 s: far below any
                # sane low-speed limit, and it notices a client that has gone.
                for _ in range(60):
                    time.sleep(0.5)
                    self.wfile.write(b" ")
                    self.wfile.flush()
                self._abort()
            else:
                body = b"not here\n"
                self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that went away mid-fault is the point, not news


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=300.0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mode-file")
    ap.add_argument("--feed-file")
    ap.add_argument("--alt-cert", action="append", default=[],
                    help="NAME=CERT:KEY, presented in mode tls-NAME")
    args = ap.parse_args()
    global MODE_FILE, FEED_FILE
    MODE_FILE, FEED_FILE = args.mode_file, args.feed_file

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    alt = {}
    for spec in args.alt_cert:
        name, files = spec.split("=", 1)
        cert, key = files.split(":", 1)
        alt[name] = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        alt[name].load_cert_chain(cert, key)
    if alt and MODE_FILE:
        # No session resumption: a resumed session skips the certificate, and the switch
        # to a tls-* mode must be met by a full handshake.
        ctx.options |= ssl.OP_NO_TICKET
        ctx.num_tickets = 0
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        def pick_cert(sslsock, server_name, _ctx):
            mode = read_mode()
            if mode.startswith("tls-") and mode[4:] in alt:
                sslsock.context = alt[mode[4:]]
        ctx.sni_callback = pick_cert
    srv = Server(("127.0.0.1", args.port), Handler)
    # The handshake happens in the handler's thread, so a stuck client blocks only itself.
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)

    timer = threading.Timer(args.lifetime, srv.shutdown)
    timer.daemon = True
    timer.start()
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
