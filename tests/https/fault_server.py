#!/usr/bin/env python3
"""fault_server: a tiny HTTPS server on loopback that misbehaves on purpose.

nginx serves the well-behaved cases of tests/test_sync_https.sh; this serves what nginx
will not do on demand: a chunked body that never ends, a body cut short, and a body that
trickles. It binds 127.0.0.1 on a free port, writes the port to --port-file once it
listens, and stops after --lifetime seconds whatever happens, so a crashed test never
leaves it behind. Python 3 standard library only.
"""
import argparse
import http.server
import os
import socketserver
import ssl
import threading
import time

FEED_HEAD = b'{"version": 1, "generated_at": "2026-11-25T09:00:00+09:00", "events": ['


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

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path == "/chunked-huge":
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=300.0)
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    srv = Server(("127.0.0.1", 0), Handler)
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
