#!/usr/bin/python3
"""admin_attack: attacks a running kiosk's admin API from several loopback addresses.

tests/e2e/test_admin_attack.sh starts the real kiosk and runs this against it. Every attack runs
in its own thread from its own source address (127.0.0.1 is the flooder, 127.0.0.2 the good
client that must keep being served, ...), because the kiosk limits failed logins and
connections per address: the flooder's 429s must not lock out the others. The waits that
the server's timeouts impose (15 s idle, the header deadline, the 60 s login block) overlap
instead of adding up, so the run takes about 70 s.

Besides the flood (whose requests without a token must never cause a block, and whose
right token must always get through), it plays a hostile page on the staff PC (preflights,
icons, cross-site posts, a rebound Host name, ESC/BEL in a path), a burst of staff actions
whose audit lines must all reach the log, and fifty parallel screenshots while /status must
keep answering within a second.

Prints "ok NAME" / "FAIL NAME: why" per check and "figure: ..." lines; the shell script
counts them. Only 127.0.0.x is ever contacted; every loop is bounded in count and time.
Stdlib only (socket, threading, http.client)."""
import argparse
import datetime
import http.client
import json
import os
import select
import socket
import sys
import threading
import time
import zlib

FLOOD = "127.0.0.1"   # no or wrong tokens by the thousand
GOOD = "127.0.0.2"    # the staff desk: status and screenshots all along
ADMIN = "127.0.0.3"   # valid token: bodies, bombs, traversal, setup and the final listing
SLOW = "127.0.0.4"    # slowloris
HDRS = "127.0.0.5"    # header floods
BODY = "127.0.0.6"    # never-finished bodies
LOCK = "127.0.0.7"    # dribblers that never stop (with 127.0.0.8 and .9)
PAGE = "127.0.0.10"   # what a hostile page in a browser on the staff PC can send
SHOTS = "127.0.0.11"  # parallel screenshots (with .12 to .17), status from .18

PATH_ANNS = "/api/v1/announcements"
PATH_STATUS = "/api/v1/status"

IDLE_TIMEOUT_S = 15      # ADMIN_CONN_TIMEOUT_S
HEADER_DEADLINE_S = 20   # ADMIN_HEADER_DEADLINE_S
PER_IP_LIMIT = 8         # ADMIN_PER_IP_LIMIT
CONN_LIMIT = 32          # ADMIN_CONN_LIMIT
FAIL_LIMIT = 10          # ADMIN_FAIL_LIMIT
MAX_BODY = 65536

_out_lock = threading.Lock()
results = {"ok": 0, "fail": 0}


def say(line):
    with _out_lock:
        print(line, flush=True)


def check(cond, name, why=""):
    with _out_lock:
        if cond:
            results["ok"] += 1
            print("ok   " + name, flush=True)
        else:
            results["fail"] += 1
            print("FAIL " + name + (": " + why if why else ""), flush=True)
    return cond


def figure(text):
    say("figure: " + text)


class Api:
    """Requests to the kiosk from one source address."""

    def __init__(self, port, token):
        self.port = port
        self.token = token

    def connect(self, src, timeout=10.0):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout,
                                        source_address=(src, 0))

    def http(self, src, method, path, token=True, body=None, headers=None, timeout=15.0):
        """One request on a fresh connection: (status, headers, body bytes, seconds)."""
        h = dict(headers or {})
        if token is True:
            h["Authorization"] = "Bearer " + self.token
        elif token:
            h["Authorization"] = token
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                       source_address=(src, 0))
        t0 = time.monotonic()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data, \
                time.monotonic() - t0
        finally:
            c.close()

    def raw(self, src, data, timeout=10.0):
        """Sends raw bytes, reads until the server closes or the timeout: (status, text,
        closed). status is 0 when no status line came."""
        s = self.connect(src, timeout)
        buf = b""
        closed = False
        try:
            try:
                s.sendall(data)
            except OSError:
                pass  # the server may close while a flood is still being sent
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                r, _, _ = select.select([s], [], [], max(0.0, deadline - time.monotonic()))
                if not r:
                    break
                try:
                    chunk = s.recv(65536)
                except OSError:
                    closed = True
                    break
                if not chunk:
                    closed = True
                    break
                buf += chunk
        finally:
            s.close()
        status = 0
        if buf.startswith(b"HTTP/1."):
            try:
                status = int(buf.split(b" ", 2)[1])
            except (ValueError, IndexError):
                status = 0
        return status, buf.decode("latin-1"), closed


def iso_in(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.replace(microsecond=0).isoformat()


def announcement(ann_id, text="攻撃テストのお知らせ"):
    return {"id": ann_id, "level": "normal", "text": {"ja": text}, "ends_at": iso_in(7200)}


def read_state(state_dir):
    try:
        with open(os.path.join(state_dir, "direct-announcements.json"), "rb") as f:
            return f.read()
    except OSError:
        return b""


def proc_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def proc_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


# ---- 1. the flood: no token, wrong tokens, malformed and huge Authorization -------------

def attack_flood(api, n, deadline_s, out):
    token = api.token
    # (Authorization, whether a token is sent): only a sent, wrong token counts towards the
    # block; a browser's preflights and icon requests carry none and must never lock out.
    kinds = [
        (None, False),                                  # no Authorization at all
        ("Bearer wrong-token-0123456789abcdef", True),
        ("Bearer " + token[:-1], True),                 # one character short
        ("Bearer " + token + "x", True),                # one character long
        ("bearer" + token, False),                      # no space: not a Bearer token
        ("Basic dXNlcjpwYXNzd29yZA==", False),
        ("Bearer", False),
        ("Bearer    ", False),
        (token, False),                                 # the token without the scheme
        ("Bearer " + "A" * 6000, True),                 # huge, under the header memory limit
        ("Bearer " + token.upper(), True),
        ("Bearer \t" + token + "\x7f", True),
    ]
    counts = {}
    by_kind = {"none": {}, "wrong": {}, "right": {}}
    wrong_401_after_429 = 0
    first_429_at = None
    retry_after_ok = True
    sent = 0
    conn = None
    t0 = time.monotonic()
    while sent < n and time.monotonic() - t0 < deadline_s:
        right = sent > 50 and sent % 300 == 0     # the right token, while blocked
        kind, has_token = kinds[sent % len(kinds)]
        h = {"Authorization": "Bearer " + token} if right else {}
        if kind is not None and not right:
            h["Authorization"] = kind
        method, path = [("GET", PATH_STATUS), ("GET", PATH_ANNS),
                        ("DELETE", PATH_ANNS + "/attack-legit-1"),
                        ("POST", PATH_ANNS)][sent % 4]
        body = json.dumps(announcement("flood-%d" % sent)) if method == "POST" else None
        status = -1
        for _attempt in range(2):
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10,
                                                      source_address=(FLOOD, 0))
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                r.read()
                status = r.status
                if status == 429:
                    ra = r.getheader("Retry-After")
                    if not ra or not ra.isdigit() or not 0 < int(ra) <= 60:
                        retry_after_ok = False
                if r.will_close or sent % 50 == 49:
                    conn.close()      # half the flood on fresh connections
                    conn = None
                break
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
        sent += 1
        counts[status] = counts.get(status, 0) + 1
        k = "right" if right else ("wrong" if has_token else "none")
        by_kind[k][status] = by_kind[k].get(status, 0) + 1
        if k == "wrong" and status == 401 and first_429_at is not None:
            wrong_401_after_429 += 1
        if status == 429 and first_429_at is None:
            first_429_at = time.monotonic()
    if conn is not None:
        conn.close()
    out.update(sent=sent, counts=counts, by_kind=by_kind, first_429_at=first_429_at,
               wrong_401_after_429=wrong_401_after_429, retry_after_ok=retry_after_ok,
               seconds=time.monotonic() - t0)


# ---- 2. the good client: status and screenshots from another address --------------------

def monitor(api, stop, out):
    lat_max = 0.0
    ok_times = []
    errors = []
    shots = 0
    shot_fail = 0
    frames = []
    i = 0
    t_end = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < t_end:
        try:
            if i % 5 == 2:
                st, h, data, dt = api.http(GOOD, "GET", "/api/v1/screenshot", timeout=15)
                if st == 200 and h.get("content-type") == "image/png" and \
                        data.startswith(b"\x89PNG"):
                    shots += 1
                else:
                    shot_fail += 1
                    errors.append("screenshot %d" % st)
            else:
                st, h, data, dt = api.http(GOOD, "GET", PATH_STATUS, timeout=15)
                lat_max = max(lat_max, dt)
                if st == 200:
                    ok_times.append(time.monotonic())
                    doc = json.loads(data)
                    frames.append((time.monotonic(), doc.get("frames_drawn", -1),
                                   doc.get("last_frame_at"), doc.get("now")))
                else:
                    errors.append("status %d" % st)
        except (OSError, http.client.HTTPException, ValueError) as e:
            errors.append(repr(e))
        i += 1
        stop.wait(0.7)
    out.update(lat_max=lat_max, ok_times=ok_times, errors=errors, shots=shots,
               shot_fail=shot_fail, frames=frames, polls=i)


# ---- 3. bodies: oversized, growing past the cap, never finished -------------------------

def wait_closed(s, limit_s):
    """Seconds until the server closes `s` (reading and discarding), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        r, _, _ = select.select([s], [], [], 0.5)
        if r:
            try:
                if not s.recv(65536):
                    return time.monotonic() - t0
            except OSError:
                return time.monotonic() - t0
    return None


def head_bytes(path, extra, token):
    lines = ["POST %s HTTP/1.1" % path, "Host: 127.0.0.1", "Content-Type: application/json"]
    if token:
        lines.append("Authorization: Bearer " + token)
    return ("\r\n".join(lines + extra) + "\r\n\r\n").encode()


def attack_unfinished(api, out):
    """Headers promise 1000 bytes, 10 arrive; then silence. Run in parallel, one thread per
    socket, since each costs the idle timeout."""
    cases = {
        "content_length_with_token": head_bytes(PATH_ANNS, ["Content-Length: 1000"],
                                                api.token) + b'{"id":"nf"',
        "chunked_with_token": head_bytes(PATH_ANNS, ["Transfer-Encoding: chunked"],
                                         api.token) + b'a\r\n{"id":"nf"\r\n',
        "content_length_without_token": head_bytes(PATH_ANNS, ["Content-Length: 1000"],
                                                   None) + b'{"id":"nf"',
    }
    res = {}

    def one(name, data):
        try:
            s = api.connect(BODY)
            s.sendall(data)
            res[name] = wait_closed(s, IDLE_TIMEOUT_S + 15)
            s.close()
        except OSError as e:
            res[name] = "error %r" % e

    ths = [threading.Thread(target=one, args=kv) for kv in cases.items()]
    for t in ths:
        t.start()
    for t in ths:
        t.join(60)
    out.update(res)


def attack_oversized(api):
    tok = api.token
    # Content-Length 10 MB: refused from the headers, before a byte of the body.
    st, text, closed = api.raw(ADMIN, head_bytes(PATH_ANNS, ["Content-Length: 10000000"], tok),
                               timeout=10)
    check(st == 413, "content_length_10mb_is_413", "got %d" % st)
    check(closed, "content_length_10mb_connection_is_closed")
    # The same, with 2 MB of the body actually pushed at it.
    s = api.connect(ADMIN)
    s.sendall(head_bytes(PATH_ANNS, ["Content-Length: 10000000"], tok))
    pushed = 0
    try:
        s.settimeout(2)
        while pushed < 2 * 1024 * 1024:
            s.sendall(b"[" * 65536)
            pushed += 65536
    except OSError:
        pass
    t = wait_closed(s, 20)
    s.close()
    check(t is not None, "content_length_10mb_pushed_anyway_is_cut_off",
          "still open after %d bytes" % pushed)
    # Chunked, growing past the cap: 413 once it ends, or cut off when it goes on and on.
    s = api.connect(ADMIN)
    s.sendall(head_bytes(PATH_ANNS, ["Transfer-Encoding: chunked"], tok))
    chunk = b"4000\r\n" + b" " * 0x4000 + b"\r\n"
    for _ in range(6):   # 96 KiB > 64 KiB
        s.sendall(chunk)
    s.sendall(b"0\r\n\r\n")
    s.settimeout(10)
    data = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            data += d
    except OSError:
        pass
    s.close()
    check(data.startswith(b"HTTP/1.1 413"), "chunked_body_past_the_cap_is_413",
          repr(data[:60]))
    s = api.connect(ADMIN)
    s.sendall(head_bytes(PATH_ANNS, ["Transfer-Encoding: chunked"], tok))
    pushed = 0
    try:
        s.settimeout(2)
        while pushed < 4 * 1024 * 1024:
            s.sendall(chunk)
            pushed += len(chunk)
    except OSError:
        pass
    t = wait_closed(s, 20)
    s.close()
    check(t is not None, "chunked_body_that_never_ends_is_cut_off",
          "still open after %d bytes" % pushed)
    figure("oversized chunked body cut off after %d KiB sent" % (pushed // 1024))


# ---- 4. slowloris ------------------------------------------------------------------------

def attack_slowloris(api, n_sockets, dribble_s, out):
    """Opens n_sockets from SLOW, each starting a request and dribbling a header byte a
    second for dribble_s, then falling silent. Measures who got refused at once and when
    the rest were freed."""
    socks = []
    refused = 0
    for i in range(n_sockets):
        try:
            s = api.connect(SLOW, timeout=5)
            s.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-%d: " % i)
            socks.append(s)
        except OSError:
            refused += 1
    time.sleep(1.0)
    held = []
    for s in socks:
        r, _, _ = select.select([s], [], [], 0)
        closed = False
        if r:
            try:
                closed = not s.recv(4096)
            except OSError:
                closed = True
        if closed:
            refused += 1
            s.close()
        else:
            held.append(s)
    out["held"] = len(held)
    out["refused"] = refused
    out["hold_start"] = time.monotonic()
    t_end = time.monotonic() + dribble_s
    while time.monotonic() < t_end:
        for s in held:
            try:
                s.sendall(b"a")
            except OSError:
                pass
        time.sleep(1.0)
    last_byte = time.monotonic()
    freed = []
    limit = time.monotonic() + IDLE_TIMEOUT_S + 20
    open_socks = list(held)
    while open_socks and time.monotonic() < limit:
        r, _, _ = select.select(open_socks, [], [], 0.5)
        for s in r:
            try:
                gone = not s.recv(4096)
            except OSError:
                gone = True
            if gone:
                freed.append(time.monotonic() - last_byte)
                open_socks.remove(s)
                s.close()
    for s in open_socks:
        s.close()
    out["freed"] = freed
    out["still_open"] = len(open_socks)
    out["hold_end"] = last_byte + (min(freed) if freed else 0)
    # The attacker's address may connect again once its sockets were freed. libmicrohttpd
    # frees a place in the per-address count just after closing the socket, so a client
    # that connects in that instant is refused: allow a few retries, as any client makes.
    for _attempt in range(5):
        try:
            st, _, _, _ = api.http(SLOW, "GET", PATH_STATUS)
        except (OSError, http.client.HTTPException) as e:
            st = repr(e)
        if st == 200:
            break
        time.sleep(0.5)
    out["after"] = st


def attack_lockout(api, out):
    """Dribblers that never stop, from three addresses at the per-address limit each: with
    one more address they would hold all 32 of the API's connections (three leave room for
    the other attacks running meanwhile). The header deadline must cut them."""
    srcs = ["127.0.0.7", "127.0.0.8", "127.0.0.9"]
    socks = []
    for src in srcs:
        for i in range(PER_IP_LIMIT):
            try:
                s = api.connect(src, timeout=5)
                s.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-L-%d: " % i)
                socks.append(s)
            except OSError:
                pass
    out["opened"] = len(socks)
    t0 = time.monotonic()
    open_socks = list(socks)
    cut = []
    limit = t0 + HEADER_DEADLINE_S + IDLE_TIMEOUT_S
    while open_socks and time.monotonic() < limit:
        r, _, _ = select.select(open_socks, [], [], 1.0)
        for s in r:
            try:
                gone = not s.recv(4096)
            except OSError:
                gone = True
            if gone:
                cut.append(time.monotonic() - t0)
                open_socks.remove(s)
                s.close()
        for s in open_socks:
            try:
                s.sendall(b"b")   # one byte a second: the idle timeout never fires
            except OSError:
                pass
    for s in open_socks:
        s.close()
    out["cut"] = cut
    out["still_open"] = len(open_socks)


# ---- 4b. a hostile page in a browser on the staff PC ----------------------------------

def attack_page(api, log_path):
    """Preflights, icons, robots.txt and no-cors posts (no token), cross-site requests and a
    rebound Host name: none may lock out the staff at the same address, and none gets in."""
    evil = {"Origin": "https://evil.example"}
    statuses = {}
    for i in range(40):
        for method, path, headers in (
                ("OPTIONS", PATH_ANNS, dict(evil, **{
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization,content-type"})),
                ("GET", "/robots.txt", {}),
                ("GET", "/apple-touch-icon.png", {}),
                ("POST", PATH_ANNS, dict(evil, **{"Sec-Fetch-Site": "cross-site",
                                                 "Content-Type": "text/plain"})),
                ("GET", PATH_STATUS, {"Sec-Fetch-Site": "cross-site",
                                      "Authorization": "Bearer guess-%d-0123456789" % i})):
            st, h, _, _ = api.http(PAGE, method, path, token=None, headers=headers,
                                   body=json.dumps(announcement("page-%d" % i))
                                   if method == "POST" else None)
            statuses[(method, path, st)] = statuses.get((method, path, st), 0) + 1
            if "access-control-allow-origin" in h:
                statuses["acao"] = statuses.get("acao", 0) + 1
    figure("hostile page: %s" % sorted((k, v) for k, v in statuses.items() if k != "acao"))
    check(not any(isinstance(k, tuple) and k[2] == 429 for k in statuses),
          "a_hostile_page_never_causes_a_429", "%s" % statuses)
    check(statuses.get(("OPTIONS", PATH_ANNS, 403)) == 40 and
          statuses.get(("POST", PATH_ANNS, 403)) == 40 and
          statuses.get(("GET", PATH_STATUS, 403)) == 40,
          "cross_site_requests_are_403", "%s" % statuses)
    check("acao" not in statuses, "no_access_control_allow_origin_is_ever_sent")
    st, _, _, _ = api.http(PAGE, "GET", PATH_STATUS)
    check(st == 200, "staff_at_the_same_address_are_served_after_the_page", "got %d" % st)
    st, _, _, _ = api.http(PAGE, "GET", PATH_STATUS, token="Bearer typo-0123456789abcdef")
    check(st == 401, "a_typo_after_the_page_is_a_plain_401", "got %d" % st)

    # DNS rebinding: the page's own name now resolves to the kiosk.
    for name, path in (("the_staff_page", "/"), ("status", PATH_STATUS)):
        st, _, _, _ = api.http(PAGE, "GET", path,
                               headers={"Host": "evil.example:%d" % api.port})
        check(st == 421, "a_rebound_host_name_gets_421_for_" + name, "got %d" % st)
    for host in ("localhost:%d" % api.port, "127.0.0.1:%d" % api.port, "[::1]:%d" % api.port):
        st, _, _, _ = api.http(PAGE, "GET", PATH_STATUS, headers={"Host": host})
        check(st == 200, "host_%s_is_served" % host.split(":")[0].strip("[]"), "got %d" % st)

    # ESC and BEL in a path reach the log only as escapes (a refusal whose log line is not
    # rate-limited away by the flood running meanwhile).
    st, _, _, _ = api.http(PAGE, "GET", "/x%1b[2J%1b]0;pwned%07y", token=None,
                           headers={"Host": "evil.example"})
    time.sleep(0.3)
    with open(log_path, "rb") as f:
        log = f.read()
    check(b"\x1b" not in log and b"\x07" not in log,
          "no_raw_control_character_reaches_the_log",
          "raw ESC/BEL in the kiosk log")
    check(b"/x\\x1b[2J\\x1b]0;pwned\\x07y" in log, "control_characters_are_logged_escaped",
          "no escaped line for the path")


def attack_audit(api, log_path):
    """A burst of staff actions while the log is busy with refusals: every one is logged."""
    for i in range(30):
        api.http(PAGE, "GET", "/nope-%d" % i, token=None)
    ids = ["audit-%02d" % i for i in range(12)]
    for a in ids:
        api.http(ADMIN, "POST", PATH_ANNS, body=json.dumps(announcement(a)))
    for a in ids:
        api.http(ADMIN, "POST", PATH_ANNS, body=json.dumps(announcement(a, "差し替え")))
    for a in ids:
        api.http(ADMIN, "DELETE", PATH_ANNS + "/" + a)
    time.sleep(0.3)
    with open(log_path, "rb") as f:
        log = f.read().decode("utf-8", "replace")
    n = {w: sum(1 for a in ids if ("announcement %s %s by" % (a, w)) in log)
         for w in ("created", "replaced", "deleted")}
    figure("audit lines: %s of %d each" % (n, len(ids)))
    check(n == {"created": 12, "replaced": 12, "deleted": 12},
          "every_staff_action_has_its_audit_line", "%s" % n)


# ---- 4c. fifty screenshots at once ------------------------------------------------------

def png_ok(data):
    """A whole PNG: signature, IHDR first, IEND last, every chunk's CRC right."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos, first, last = 8, None, None
    while pos + 12 <= len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        crc = int.from_bytes(data[pos + 8 + n:pos + 12 + n], "big")
        if len(body) != n or zlib.crc32(kind + body) != crc:
            return False
        first = first or kind
        last = kind
        pos += 12 + n
    return first == b"IHDR" and last == b"IEND" and pos == len(data)


def attack_screenshots(api, n=50):
    """n parallel screenshot requests (from 127.0.0.11 to .17) while 127.0.0.18 polls the
    status: the status keeps answering at once, one screenshot is taken at a time and the
    others get 429 with Retry-After, and what is served is a whole PNG."""
    results = []
    lat = []
    stop = threading.Event()
    lock = threading.Lock()

    def shot(i):
        src = "127.0.0.%d" % (11 + i % 7)
        path = "/api/v1/screenshot" if i % 5 else "/api/v1/screen.txt"
        try:
            st, h, data, dt = api.http(src, "GET", path, timeout=30)
            r = (path, st, h, data, dt)
        except (OSError, http.client.HTTPException) as e:
            r = (path, -1, {}, repr(e).encode(), 0.0)
        with lock:
            results.append(r)

    def poll():
        while not stop.is_set():
            try:
                st, _, _, dt = api.http("127.0.0.18", "GET", PATH_STATUS, timeout=30)
                lat.append(dt if st == 200 else 99.0)
            except (OSError, http.client.HTTPException):
                lat.append(99.0)
            stop.wait(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.2)
    threads = [threading.Thread(target=shot, args=(i,)) for i in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    took = time.monotonic() - t0
    time.sleep(0.2)
    stop.set()
    poller.join(30)
    by = {}
    for path, st, _, _, _ in results:
        by[st] = by.get(st, 0) + 1
    figure("%d parallel screenshots in %.2f s: %s; /status %d polls, slowest %.0f ms, "
           "median %.0f ms" % (n, took, ", ".join("%s x%d" % kv for kv in sorted(by.items())),
                               len(lat), 1000 * max(lat or [99]),
                               1000 * sorted(lat or [99])[len(lat) // 2]))
    check(lat and max(lat) < 1.0, "status_answers_within_1_s_during_50_screenshots",
          "slowest %.2f s" % max(lat or [99]))
    check(by.get(200, 0) >= 1 and by.get(429, 0) >= 1 and set(by) <= {200, 429, -1},
          "one_screenshot_at_a_time_the_others_get_429", "%s" % by)
    check(all(h.get("retry-after", "").isdigit() for _, st, h, _, _ in results if st == 429),
          "every_screenshot_429_says_retry_after")
    pngs = [d for p, st, _, d, _ in results if st == 200 and p.endswith("screenshot")]
    check(pngs and all(png_ok(d) for d in pngs), "every_screenshot_served_is_a_whole_png",
          "%d of %d" % (sum(1 for d in pngs if png_ok(d)), len(pngs)))
    served = [(p, h) for p, st, h, _, _ in results if st == 200]
    check(all(h.get("x-content-type-options") == "nosniff" for _, h in served),
          "screenshots_and_screen_text_say_nosniff")
    # Once the burst is over, the next one is served.
    st, h, data, _ = api.http(GOOD, "GET", "/api/v1/screen.txt")
    check(st == 200 and h.get("x-content-type-options") == "nosniff",
          "screen_text_is_served_after_the_burst", "got %d" % st)
    st, h, data, _ = api.http(GOOD, "GET", "/api/v1/screenshot")
    check(st == 200 and png_ok(data), "a_screenshot_is_served_after_the_burst", "got %d" % st)


# ---- 5. header floods --------------------------------------------------------------------

def clean_refusal_or_ok(st, closed, allow_ok):
    return (400 <= st < 500) or (st == 0 and closed) or (allow_ok and st == 200)


def attack_headers(api):
    auth = "Authorization: Bearer %s\r\n" % api.token
    base = "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
    cases = [
        ("three_hundred_headers", base + "".join("X-Flood-%d: v\r\n" % i
                                                  for i in range(300)) + "\r\n", True),
        ("twenty_thousand_headers", base + "".join("X-F%d: v\r\n" % i
                                                   for i in range(20000)) + "\r\n", False),
        ("one_200kb_header", base + "X-Huge: " + "h" * 200000 + "\r\n\r\n", False),
        ("a_200kb_request_line", "GET /api/v1/status?" + "q" * 200000 +
         " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", False),
        ("a_100kb_authorization", "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n"
         "Authorization: Bearer " + "t" * 100000 + "\r\n\r\n", False),
        ("continuation_lines", base + "X-Fold: a\r\n" + " b\r\n" * 2000 + "\r\n", True),
        ("a_header_without_colon", base + "NoColonHere\r\n\r\n", True),
        ("nul_in_a_header", base + "X-Nul: a\x00b\r\n\r\n", True),
    ]
    for name, text, allow_ok in cases:
        t0 = time.monotonic()
        st, resp, closed = api.raw(HDRS, text.encode("latin-1"), timeout=20)
        dt = time.monotonic() - t0
        check(clean_refusal_or_ok(st, closed, allow_ok) and dt < 16,
              "header_flood_%s_is_answered_cleanly" % name,
              "status %d closed %s after %.1f s: %r" % (st, closed, dt, resp[:80]))
        figure("header flood %s: %s in %.2f s" % (name, st or "closed", dt))


# ---- 6. path traversal in ids ------------------------------------------------------------

def attack_traversal(api):
    ids = [
        "..%2F..%2Fetc%2Fpasswd", "../../x", "..%2f..%2fstate%2fdirect-announcements.json",
        "%2e%2e%2f%2e%2e%2fx", "..", ".", "...", "%2e%2e", "a%2Fb", "a/b", "a\\b",
        "attack-trav%00x", "attack-trav%00", "%00", "attack-trav%2500", "x" * 129,
        "y" * 5000, "%E3%81%82%E3%81%84", "%F0%9F%94%A5", "%C0%AE%C0%AE%2F", "%FF%FE",
        "attack-trav%0d%0aX-Injected:%20yes", "attack-trav%20", "%20attack-trav",
        "attack-trav/", "attack-trav/..", "attack-trav%3Fx=1", "~root", "$HOME",
        "direct-announcements.json.prev/../x", "",
    ]
    bad = []
    for raw_id in ids:
        for method in ("DELETE", "GET"):
            path = PATH_ANNS + "/" + raw_id
            st, text, _ = api.raw(ADMIN, ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Authorization: Bearer %s\r\nConnection: close"
                                          "\r\n\r\n" % (method, path, api.token)).encode(),
                                  timeout=10)
            if st not in (400, 404) or "X-Injected" in text.split("\r\n\r\n")[0]:
                bad.append("%s %s -> %d" % (method, raw_id[:40], st))
    check(not bad, "traversal_ids_are_refused_400_or_404", "; ".join(bad))
    st, _, _, _ = api.http(ADMIN, "GET", PATH_ANNS + "/attack-trav")
    check(st == 200, "the_announcement_a_nul_id_aimed_at_is_still_there", "got %d" % st)


# ---- 7. JSON bombs -----------------------------------------------------------------------

def attack_json(api):
    valid = announcement("bomb")
    head = json.dumps(valid)[:-1]   # '{... "ends_at": "..."' without the closing brace
    no_end = dict(valid)
    del no_end["ends_at"]
    head_no_end = json.dumps(no_end)[:-1]   # the same without ends_at, to give it a number
    cases = [
        ("nested_100000_arrays", b"[" * 100000, (413,), ""),
        ("sixty_kib_of_brackets", b"[[[[" * (60 * 1024 // 4), (400,), "nested too deeply"),
        ("nested_inside_a_valid_body", (head + ', "x": ' + "[" * 60000 + "}").encode(),
         (400,), "nested too deeply"),
        ("nested_objects", ('{"a":' * 10000 + "1" + "}" * 10000).encode(), (400,),
         "nested too deeply"),
        ("a_huge_exponent", (head_no_end + ', "ends_at": 1e999999}').encode(), (400,), ""),
        ("a_60kb_number", (head_no_end + ', "ends_at": 1' + "0" * 60000 + "}").encode(),
         (400,), "number"),
        ("many_keys_and_no_level", json.dumps(
            dict({"k%d" % i: i for i in range(3500)}, id="bomb-keys",
                 text={"ja": "x"}, ends_at=iso_in(3600))).encode(), (400,), "level"),
        ("duplicate_id", ('{"id":"bomb-dup-a","id":"bomb-dup-b",' + head[1:] + "}").encode(),
         (400,), "'id' is given twice"),
        ("duplicate_level", (head + ', "level": "emergency", "until_cleared": true}')
         .encode(), (400,), "'level' is given twice"),
        ("duplicate_text_ja", json.dumps(valid).replace(
            '"ja":', '"ja": "first", "ja":').encode(), (400,), "'ja' is given twice"),
        ("nul_escape_in_text", json.dumps(valid, ensure_ascii=False)
         .replace("攻撃", "攻\\u0000撃").encode(), (400,), "u0000"),
        ("raw_nul_in_text", json.dumps(valid, ensure_ascii=False).replace("攻撃", "攻\x00撃")
         .encode(), (400,), ""),
        ("invalid_utf8", json.dumps(valid, ensure_ascii=False).encode()
         .replace("攻".encode(), b"\xff\xfe"), (400,), "UTF-8"),
        ("lone_surrogate", json.dumps(valid, ensure_ascii=False)
         .replace("攻撃", "\\ud800").encode(), (400,), ""),
        ("trailing_garbage", (json.dumps(valid) + "]").encode(), (400,), ""),
        ("two_documents", (json.dumps(valid) * 2).encode(), (400,), ""),
        ("an_array", json.dumps([valid]).encode(), (400,), "object"),
        ("null", b"null", (400,), "object"),
        ("empty", b"", (400,), "empty"),
        ("a_million_commas", b"[" + b"0," * 32000 + b"0]", (400,), ""),
        ("a_65000_element_array_in_targets", (head + ', "targets": [' +
                                               ",".join(['"a"'] * 13000) + "]}").encode(),
         (400,), "targets"),
    ]
    bad = []
    slowest = 0.0
    for name, body, want, says in cases:
        try:
            st, h, data, dt = api.http(ADMIN, "POST", PATH_ANNS, body=body,
                                       headers={"Content-Type": "application/json"},
                                       timeout=15)
        except (OSError, http.client.HTTPException) as e:
            bad.append("%s: %r" % (name, e))
            continue
        slowest = max(slowest, dt)
        msg = ""
        try:
            msg = json.loads(data).get("error", "")
        except ValueError:
            msg = "(not JSON) " + data[:60].decode("latin-1")
        if st not in want or (says and says.lower() not in msg.lower()):
            bad.append("%s -> %d %s" % (name, st, msg[:100]))
        else:
            figure("json bomb %s: %d %s (%.3f s)" % (name, st, msg[:90], dt))
    check(not bad, "json_bombs_get_a_clean_error_naming_the_problem", "; ".join(bad))
    check(slowest < 5, "json_bombs_are_answered_quickly", "slowest %.1f s" % slowest)
    figure("slowest json bomb answer %.3f s" % slowest)


# ---- the run -----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--state-dir", required=True)
    ap.add_argument("--log", required=True, help="the kiosk's log file")
    ap.add_argument("--flood", type=int, default=3000)
    ap.add_argument("--rss-limit-mb", type=int, default=30)
    args = ap.parse_args()
    with open(args.token_file) as f:
        token = f.read().strip()
    api = Api(args.port, token)
    pid = args.pid

    # Setup with the valid token: what the final listing must show.
    st1, _, _, _ = api.http(ADMIN, "POST", PATH_ANNS, body=json.dumps(announcement(
        "attack-legit-1")))
    st2, _, _, _ = api.http(ADMIN, "POST", PATH_ANNS, body=json.dumps(announcement(
        "attack-trav")))
    st3, _, _, _ = api.http(ADMIN, "POST", PATH_ANNS, body=json.dumps(announcement(
        "attack-legit-2")))
    st4, _, _, _ = api.http(ADMIN, "DELETE", PATH_ANNS + "/attack-legit-2")
    check((st1, st2, st3, st4) == (201, 201, 201, 204), "setup_with_the_valid_token_works",
          "got %s" % ((st1, st2, st3, st4),))
    expected_ids = {"attack-legit-1", "attack-trav"}
    attack_audit(api, args.log)
    state_before = read_state(args.state_dir)
    # Warm up what a screenshot allocates before taking the baselines.
    api.http(GOOD, "GET", "/api/v1/screenshot")
    time.sleep(0.5)
    rss0 = proc_rss_kb(pid)
    fds0 = proc_fds(pid)
    figure("baseline RSS %d KiB, %d open fds" % (rss0, fds0))

    stop = threading.Event()
    mon, flood, slow, unfinished, lock = {}, {}, {}, {}, {}
    t_mon = threading.Thread(target=monitor, args=(api, stop, mon))
    t_mon.start()
    def slow_then_lockout():
        # One after the other: together they would fill the API's 32 connections.
        attack_slowloris(api, PER_IP_LIMIT + 4, 5, slow)
        attack_lockout(api, lock)

    t_slow = threading.Thread(target=slow_then_lockout)
    t_unf = threading.Thread(target=attack_unfinished, args=(api, unfinished))
    t_flood = threading.Thread(target=attack_flood, args=(api, args.flood, 40, flood))
    t_slow.start()
    t_unf.start()
    time.sleep(1.5)   # the slowloris sockets are held before the rest starts
    t_flood.start()

    # Valid-token attacks, one after the other, from their own addresses meanwhile.
    attack_page(api, args.log)
    attack_oversized(api)
    attack_headers(api)
    attack_traversal(api)
    attack_json(api)

    t_flood.join(60)
    c = flood.get("counts", {})
    figure("flood: %d requests in %.1f s from %s: %s" % (
        flood.get("sent", 0), flood.get("seconds", 0), FLOOD,
        ", ".join("%s x%d" % (k, v) for k, v in sorted(c.items()))))
    check(flood.get("sent", 0) >= min(args.flood, 1000), "the_flood_was_sent",
          "only %d" % flood.get("sent", 0))
    bk = flood.get("by_kind", {})
    figure("flood by kind: %s" % bk)
    wrong, none, right = bk.get("wrong", {}), bk.get("none", {}), bk.get("right", {})
    check(0 < wrong.get(401, 0) <= FAIL_LIMIT and flood.get("wrong_401_after_429") == 0,
          "at_most_ten_wrong_tokens_get_401_before_the_block", "%s" % wrong)
    check(set(wrong) <= {401, 429} and
          wrong.get(429, 0) >= sum(wrong.values()) - FAIL_LIMIT - 5,
          "every_wrong_token_after_is_429", "%s" % wrong)
    check(set(none) == {401}, "requests_without_a_token_are_401_and_never_blocked",
          "%s" % none)
    check(flood.get("retry_after_ok"), "every_429_says_retry_after_within_60_s")
    check(right.get(200, 0) > 0 and set(right) == {200},
          "the_right_token_from_the_blocked_address_gets_through", "%s" % right)

    t_slow.join(90)
    t_unf.join(90)
    freed = slow.get("freed", [])
    figure("slowloris from %s: %d held, %d refused at once, freed %s s after the last byte"
           % (SLOW, slow.get("held", 0), slow.get("refused", 0),
              "/".join("%.1f" % f for f in sorted(freed)[:1] + sorted(freed)[-1:])))
    check(slow.get("held") == PER_IP_LIMIT and slow.get("refused") == 4,
          "slowloris_gets_only_the_per_address_limit",
          "held %s refused %s" % (slow.get("held"), slow.get("refused")))
    check(slow.get("still_open") == 0 and freed and max(freed) < IDLE_TIMEOUT_S + 8,
          "slowloris_sockets_are_freed_by_the_timeout",
          "still open %s, freed %s" % (slow.get("still_open"), freed))
    check(slow.get("after") == 200, "the_slowloris_address_is_served_again_after",
          "got %s" % slow.get("after"))
    cut = lock.get("cut", [])
    figure("never-ending dribblers: %d opened from 3 addresses, cut after %s s" % (
        lock.get("opened", 0),
        "/".join("%.1f" % f for f in sorted(cut)[:1] + sorted(cut)[-1:])))
    check(lock.get("still_open") == 0 and cut and max(cut) < HEADER_DEADLINE_S + 8,
          "dribblers_that_never_stop_are_cut_by_the_header_deadline",
          "still open %s of %s" % (lock.get("still_open"), lock.get("opened")))

    for name in ("content_length_with_token", "chunked_with_token"):
        t = unfinished.get(name)
        ok = isinstance(t, float) and t < IDLE_TIMEOUT_S + 8
        check(ok, "unfinished_body_%s_is_closed_by_the_timeout" % name, "%r" % (t,))
        if ok:
            figure("unfinished body %s closed after %.1f s" % (name, t))
    t = unfinished.get("content_length_without_token")
    check(isinstance(t, float) and t < 3, "unfinished_body_without_token_is_401_at_once",
          "%r" % (t,))

    # The blocked address: wrong tokens still wait, the right one is served at once, and
    # once the minute is over a wrong token is a plain 401 again.
    st, h, _, _ = api.http(FLOOD, "GET", PATH_STATUS, token="Bearer guess-0123456789abcdef")
    check(st == 429, "the_flooders_wrong_tokens_are_still_blocked_after_the_flood",
          "got %d" % st)
    wait = int(h.get("retry-after", "61")) if st == 429 else 0
    figure("the flooder waits another %d s (Retry-After)" % wait)
    st2, _, _, _ = api.http(FLOOD, "GET", PATH_STATUS)
    check(st2 == 200, "the_right_token_from_the_flooders_address_is_served_meanwhile",
          "got %d" % st2)
    if st == 429 and wait <= 61:
        time.sleep(wait + 1)
        st, _, _, _ = api.http(FLOOD, "GET", PATH_STATUS,
                               token="Bearer guess-0123456789abcdef")
        check(st == 401, "a_wrong_token_is_a_plain_401_after_the_block", "got %d" % st)

    stop.set()
    t_mon.join(30)
    figure("good client from %s: %d status answers, slowest %.2f s, %d screenshots, "
           "%d errors %s" % (GOOD, len(mon.get("ok_times", [])), mon.get("lat_max", 0),
                             mon.get("shots", 0), len(mon.get("errors", [])),
                             mon.get("errors", [])[:3]))
    check(not mon.get("errors") and len(mon.get("ok_times", [])) > 10,
          "the_good_client_was_served_all_along", "%s" % mon.get("errors", [])[:5])
    served = [t for t in mon.get("ok_times", [])
              if slow.get("hold_start", 0) < t < slow.get("hold_end", 0)]
    check(len(served) > 0, "the_good_client_is_served_while_slowloris_holds_sockets",
          "%d answers in the window" % len(served))
    check(mon.get("lat_max", 99) < 10, "status_answers_within_10_s",
          "slowest %.1f s" % mon.get("lat_max", 99))
    check(mon.get("shots", 0) >= 3 and not mon.get("shot_fail"),
          "the_kiosk_kept_drawing_screenshots_during_the_attack",
          "%d shots, %d failed" % (mon.get("shots", 0), mon.get("shot_fail", 0)))
    fr = mon.get("frames", [])
    check(len(fr) >= 2 and fr[-1][1] > fr[0][1], "frames_drawn_increased",
          "first %s last %s" % (fr[0][1] if fr else None, fr[-1][1] if fr else None))
    if fr:
        figure("frames_drawn %d -> %d, last_frame_at %s at %s" % (
            fr[0][1], fr[-1][1], fr[-1][2], fr[-1][3]))
        try:
            last = datetime.datetime.fromisoformat(fr[-1][2])
            now = datetime.datetime.fromisoformat(fr[-1][3])
            check((now - last).total_seconds() < 15, "the_last_frame_is_recent",
                  "%s vs %s" % (fr[-1][2], fr[-1][3]))
        except (TypeError, ValueError) as e:
            check(False, "the_last_frame_is_recent", repr(e))

    attack_screenshots(api)

    # Nothing changed without a valid token.
    st, _, data, _ = api.http(GOOD, "GET", PATH_ANNS)
    ids = set()
    if st == 200:
        ids = {a["id"] for a in json.loads(data).get("announcements", [])}
    check(ids == expected_ids, "the_listing_shows_exactly_what_the_valid_token_made",
          "status %d ids %s" % (st, sorted(ids)))
    check(read_state(args.state_dir) == state_before and state_before,
          "the_state_file_is_unchanged_by_the_attacks")

    # Memory and descriptors.
    fds1 = proc_fds(pid)
    for _ in range(20):
        if fds1 <= fds0 + 2:
            break
        time.sleep(0.5)
        fds1 = proc_fds(pid)
    rss1 = proc_rss_kb(pid)
    figure("RSS %d KiB -> %d KiB (%+d KiB), fds %d -> %d" % (rss0, rss1, rss1 - rss0, fds0,
                                                            fds1))
    check(rss1 - rss0 < args.rss_limit_mb * 1024,
          "rss_grew_less_than_%d_mb" % args.rss_limit_mb, "%+d KiB" % (rss1 - rss0))
    check(fds1 <= fds0 + 2, "open_fds_are_back_near_the_baseline", "%d -> %d" % (fds0, fds1))
    st, _, _, _ = api.http(GOOD, "GET", PATH_STATUS)
    check(st == 200, "the_kiosk_still_answers_at_the_end", "got %d" % st)
    say("helper: %d passed, %d failed" % (results["ok"], results["fail"]))
    return 0 if results["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
