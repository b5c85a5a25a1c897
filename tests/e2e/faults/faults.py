"""faults: the end-to-end fault suite run by tests/e2e/test_faults.sh (which makes the
certificates, the network namespace and the private /etc/hosts first).

The real kiosk fetches its feed over HTTPS from tests/lib/https/fault_server.py on loopback.
Each fault is injected while the kiosk runs, then ended; for each one the suite checks what
the screen shows (GET /api/v1/screen.txt): the last good listings stay, the status line
tells the truth (the failure mark, the stale notice), nothing is lost (feed.json still
holds the last good bytes and feed.meta their digest), and the kiosk recovers on its own (a
changed title appears once the fault ends). Independent lanes run in parallel threads,
each with its own kiosk, server and state directory. Prints "fault NAME: survived" or
"fault NAME: FAILED (why)" per fault and ends with "N passed, M failed".
"""
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kioskproc as kp  # noqa: E402

WORK = os.environ["FAULT_WORK"]
KIOSK = os.environ["FAULT_KIOSK"]
PKI = os.environ["FAULT_PKI"]
SRC = os.environ["FAULT_SRC"]
IN_NS = os.environ.get("FAULT_NS") == "1"
HOSTS = os.environ.get("FAULT_HOSTS", "")
HOST = "kiosk-feed.test" if IN_NS else "127.0.0.1"
NOW = "2026-11-25T10:00:00+09:00"

FAULT_DEADLINE = 45     # seconds for a fault to show: poll 10 s + attempts + backoff
RECOVER_DEADLINE = 45   # seconds to recover: backoff capped at 10 s, plus slack for ASan

results = []
results_lock = threading.Lock()
hosts_lock = threading.Lock()
print_lock = threading.Lock()


def say(line):
    with print_lock:
        print(line, flush=True)


def report(name, problems, skipped=None, note=""):
    with results_lock:
        if skipped:
            say("fault %s: skipped (%s)" % (name, skipped))
            return
        results.append((name, not problems))
    if problems:
        say("fault %s: FAILED (%s)" % (name, "; ".join(problems)))
    else:
        say("fault %s: survived%s" % (name, " (status: %s)" % note if note else ""))


def hosts_set(name, present):
    """Adds or removes `name` in the namespace's private /etc/hosts (written in place: the
    bind mount holds the inode)."""
    with hosts_lock:
        with open(HOSTS) as f:
            lines = [l for l in f.read().splitlines() if not l.endswith(" " + name)]
        if present:
            lines.append("127.0.0.1 " + name)
        with open(HOSTS, "w") as f:
            f.write("\n".join(lines) + "\n")


class Server:
    """fault_server.py with a mode file and a feed file; restartable on the same port."""

    def __init__(self, lane):
        self.dir = os.path.join(WORK, "srv-" + lane)
        os.makedirs(self.dir, exist_ok=True)
        self.mode_file = os.path.join(self.dir, "mode")
        self.feed_file = os.path.join(self.dir, "feed.json")
        self.port = 0
        self.proc = None
        self.mode("good")

    def mode(self, m):
        kp.write_atomic(self.mode_file, (m + "\n").encode())

    def publish(self, data):
        kp.write_atomic(self.feed_file, data)

    def start(self):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        cmd = [sys.executable, os.path.join(SRC, "tests/lib/https/fault_server.py"),
               "--cert", os.path.join(PKI, "server.crt"),
               "--key", os.path.join(PKI, "server.key"),
               "--port-file", port_file, "--port", str(self.port), "--lifetime", "600",
               "--mode-file", self.mode_file, "--feed-file", self.feed_file]
        for name in ("expired", "selfsigned", "wronghost"):
            cmd += ["--alt-cert", "%s=%s:%s" % (name, os.path.join(PKI, name + ".crt"),
                                                os.path.join(PKI, name + ".key"))]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        kp.note_pid(self.proc.pid)
        if not kp.wait_for(lambda: os.path.exists(port_file) or self.proc.poll() is not None,
                           15, 0.05) or self.proc.poll() is not None:
            raise RuntimeError("fault server did not start")
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def url(self, host=HOST):
        return "https://%s:%d/feed.json" % (host, self.port)


def lane_config(lane, extra=""):
    path = os.path.join(WORK, "kiosk-%s.conf" % lane)
    kp.write_config(path, "connect_timeout_s = 3\ntotal_timeout_s = 8\n"
                    "low_speed_limit = 100\nlow_speed_time_s = 3\n"
                    "max_feed_bytes = 1048576\nca_file = %s\n%s"
                    % (os.path.join(PKI, "ca.crt"), extra))
    return path


class Lane:
    """One kiosk, one server, one state directory, and the version of the feed it holds."""

    def __init__(self, tag, extra_conf="", args=(), state_dir=None, host=HOST):
        self.tag = tag
        self.server = Server(tag)
        self.server.start()
        self.version = 1
        self.good = kp.make_feed(tag, 1)
        self.server.publish(self.good)
        self.state = state_dir or os.path.join(WORK, "state-" + tag)
        os.makedirs(self.state, exist_ok=True)
        self.kiosk = kp.Kiosk(KIOSK, WORK, "kiosk-" + tag, lane_config(tag, extra_conf),
                              self.server.url(host), self.state,
                              ["--now", NOW] + list(args))

    def up(self):
        """Starts the kiosk and waits until it shows the current version."""
        if not self.kiosk.start():
            return ["the kiosk did not start: " + tail(self.kiosk.log)]
        if not kp.wait_for(lambda: kp.title_of(self.tag, self.version) in self.kiosk.screen(),
                           RECOVER_DEADLINE):
            return ["version %d never appeared on screen" % self.version]
        return []

    def cache_problems(self, want):
        """feed.json must hold `want` byte for byte and feed.meta its digest."""
        out = []
        body = kp.read_bytes(os.path.join(self.state, "feed.json"))
        if body != want:
            out.append("feed.json is not the last good feed (%s bytes)" %
                       (len(body) if body is not None else "no"))
        md = kp.meta_digest(os.path.join(self.state, "feed.meta"))
        if md != kp.digest(want):
            out.append("feed.meta digest %s does not match it" % md)
        def strays():
            return [n for n in os.listdir(self.state) if ".tmp-" in n]
        # A running kiosk may be between a temp file and its rename right now (a 304 rewrites
        # feed.meta): only a temp file that stays is left behind.
        if strays() and not kp.wait_for(lambda: not strays(), 5, 0.1):
            out.append("temp files left: %s" % ", ".join(strays()))
        return out

    def next_version(self):
        self.version += 1
        self.good = kp.make_feed(self.tag, self.version, pad=self.version * 7)
        return self.good

    def wait_failed(self, since):
        """Waits for a failed sync reported after `since` (status JSON); returns it."""
        def failed():
            st = self.kiosk.status()
            ls = st.get("last_sync") or {}
            if ls.get("ok") is False and ls.get("at", "") != since:
                return ls
            return None
        return kp.wait_for(failed, FAULT_DEADLINE, 0.5)

    def last_sync_at(self):
        return (self.kiosk.status().get("last_sync") or {}).get("at", "")

    def recovered(self):
        want = kp.title_of(self.tag, self.version)

        def ok():
            scr = self.kiosk.screen()
            return want in scr and kp.SYNC_FAILED not in scr and kp.STALE not in scr
        return kp.wait_for(ok, RECOVER_DEADLINE, 0.5)

    def fault(self, name, start, end, expect, check_stale=False):
        """Injects a fault with start(), checks the kiosk during it, ends it with end()
        (after publishing the next version), and checks the recovery."""
        problems = []
        held = self.good
        title = kp.title_of(self.tag, self.version)
        since = self.last_sync_at()
        try:
            got = start()
            if isinstance(got, list):  # a start that restarts the kiosk says what failed
                problems += got
            ls = self.wait_failed(since)
            if not ls:
                problems.append("no failed sync was reported within %d s" % FAULT_DEADLINE)
            elif not re.search(expect, ls.get("message", ""), re.I):
                problems.append("status says '%s', expected /%s/" % (ls.get("message"), expect))
            if check_stale and not kp.wait_for(lambda: kp.STALE in self.kiosk.screen(),
                                               FAULT_DEADLINE, 0.5):
                problems.append("the stale notice never appeared")
            scr = self.kiosk.screen()
            if title not in scr:
                problems.append("the last good listings left the screen")
            if ls and kp.SYNC_FAILED not in scr:
                problems.append("the screen does not show the failure mark")
            if kp.LAST_UPDATE not in scr:
                problems.append("no 最終更新 line")
            problems += self.cache_problems(held)
        finally:
            self.server.publish(self.next_version())
            end()
        if not self.recovered():
            problems.append("did not recover: version %d not shown (or the failure mark or "
                            "stale notice stayed) within %d s" % (self.version,
                                                                RECOVER_DEADLINE))
        else:
            problems += self.cache_problems(self.good)
        if not self.kiosk.alive():
            problems.append("the kiosk died: " + tail(self.kiosk.log))
        report(name, problems, note=(ls or {}).get("message", ""))

    def mode_fault(self, name, mode, expect, check_stale=False):
        self.fault(name, lambda: self.server.mode(mode), lambda: self.server.mode("good"),
                   expect, check_stale)

    def close(self):
        self.kiosk.stop()
        self.server.stop()


def tail(path, n=6):
    data = (kp.read_bytes(path) or b"").decode("utf-8", "replace").splitlines()
    return " | ".join(data[-n:])


def lane_network(tag, faults, extra_conf="", args=()):
    """A lane of faults switched by the server's mode on one running kiosk."""
    lane = Lane(tag, extra_conf, args)
    try:
        problems = lane.up()
        if problems:
            for f in faults:
                report(f[0], problems)
            return lane.kiosk
        for f in faults:
            name, mode, expect = f[:3]
            if mode == "down":
                lane.fault(name, lane.server.stop, lane.server.start, expect, *f[3:])
            else:
                lane.mode_fault(name, mode, expect, *f[3:])
    finally:
        lane.close()
    return lane.kiosk


def lane_dns_and_clock():
    """DNS failure (a name the private /etc/hosts stops knowing; the kiosk is restarted
    with it unknown, since curl caches a good answer), then clock jumps of a year."""
    kiosks = []
    if IN_NS:
        name = "kiosk-dns.test"
        hosts_set(name, True)
        lane = Lane("D", host=name)
        kiosks.append(lane.kiosk)
        try:
            problems = lane.up()
            lane.kiosk.stop()
            hosts_set(name, False)
            if not problems:
                lane.fault("dns", lane.up_cached, lambda: hosts_set(name, True), r"resolve")
            else:
                report("dns", problems)
        finally:
            lane.close()
    else:
        report("dns", None, "needs a network namespace (root)")
    lane_clock(kiosks)
    return kiosks


def up_cached(self):
    """Starts the kiosk and waits until it shows the cached version (no sync needed)."""
    if not self.kiosk.start():
        return ["the kiosk did not restart: " + tail(self.kiosk.log)]
    if not kp.wait_for(lambda: kp.title_of(self.tag, self.version) in self.kiosk.screen(),
                       RECOVER_DEADLINE):
        return ["the cached version %d is not on screen after a restart" % self.version]
    return []


Lane.up_cached = up_cached


def lane_clock(kiosks):
    """Restarts with the clock a year ahead, a year behind, then right again."""
    lane = Lane("C")
    kiosks.append(lane.kiosk)
    title = kp.title_of("C", 1)
    try:
        problems = lane.up()
        if problems:
            report("clock-ahead", problems)
            report("clock-behind", problems)
            return
        lane.kiosk.stop()
        held = lane.good

        def run(now, check):
            lane.kiosk.args = ["--now", now]
            if not lane.kiosk.start():
                return ["the kiosk did not start: " + tail(lane.kiosk.log)]
            scr = kp.wait_for(lambda: check(lane.kiosk.screen()), RECOVER_DEADLINE, 0.5)
            out = [] if scr else ["screen: " + lane.kiosk.screen().replace("\n", " | ")[:400]]
            # a sync happened meanwhile: the cache still holds the same feed
            kp.wait_for(lambda: lane.last_sync_at() != "", 20, 0.5)
            if not lane.kiosk.alive():
                out.append("the kiosk died")
            # Judge the files once the kiosk has stopped: a live one may be between the
            # temp file and the rename of a write at this very moment.
            lane.kiosk.stop()
            out += lane.cache_problems(held)
            return out

        # A year ahead every event is over: the screen says there is nothing, honestly,
        # rather than showing last year's events as upcoming.
        p = run("2027-11-25T10:00:00+09:00",
                lambda s: kp.EMPTY_LIST in s and title not in s and kp.CLOCK_UNSYNCED not in s
                and "11月25日" in s)
        # A year behind the feed's generated_at the clock is not trusted: nothing is hidden
        # and the header says the time is being checked.
        p2 = run("2025-11-25T10:00:00+09:00",
                 lambda s: title in s and kp.CLOCK_UNSYNCED in s)
        # Back to the right time: the listings and the date return by themselves.
        p3 = run(NOW, lambda s: title in s and kp.CLOCK_UNSYNCED not in s and
                 kp.EMPTY_LIST not in s and kp.STALE not in s and "11月25日" in s)
        report("clock-ahead", p + ["after: " + x for x in p3])
        report("clock-behind", p2 + ["after: " + x for x in p3])
    finally:
        lane.close()


def lane_disk():
    """A full disk and a read-only state directory while the cache is written: the kiosk
    shows the new feed from memory, the cache keeps the old one whole, an announcement it
    cannot save is refused (500) rather than acknowledged, and once the disk is back the
    next feed is stored."""
    if not IN_NS:
        report("disk-full", None, "needs a private tmpfs mount (root)")
        report("read-only", None, "needs a private tmpfs mount (root)")
        return []
    mnt = os.path.join(WORK, "disk")
    os.makedirs(mnt, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", mnt],
                   check=True)
    state = os.path.join(mnt, "state")
    lane = Lane("E", state_dir=state)
    filler = os.path.join(mnt, "filler")
    try:
        problems = lane.up()
        if problems:
            report("disk-full", problems)
            report("read-only", problems)
            return [lane.kiosk]

        def fill():
            with open(filler, "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
            # tmpfs may keep a partial page: make sure not even a small file fits
            for i in range(64):
                try:
                    with open(filler + str(i), "wb") as f:
                        f.write(b"\0" * 4096)
                except OSError:
                    break

        def unfill():
            for n in os.listdir(mnt):
                if n.startswith("filler"):
                    os.unlink(os.path.join(mnt, n))

        def remount(mode):
            subprocess.run(["mount", "-o", "remount," + mode, mnt], check=True)

        disk_case(lane, "disk-full", fill, unfill, r"No space|cannot save|500|space")
        disk_case(lane, "read-only", lambda: remount("ro"), lambda: remount("rw"),
                  r"Read-only|cannot save|500")
    finally:
        lane.close()
        subprocess.run(["umount", "-l", mnt])
    return [lane.kiosk]


def disk_case(lane, name, start, end, _expect):
    problems = []
    held = lane.good
    title_held = kp.title_of(lane.tag, lane.version)
    start()
    try:
        # A changed feed arrives while nothing can be written.
        lane.server.publish(lane.next_version())
        want = kp.title_of(lane.tag, lane.version)
        if not kp.wait_for(lambda: want in lane.kiosk.screen(), RECOVER_DEADLINE, 0.5):
            problems.append("the new feed was not shown from memory (still %s)" % title_held)
        scr = lane.kiosk.screen()
        if kp.SYNC_FAILED in scr:
            problems.append("the failure mark is shown although the network is fine")
        problems += lane.cache_problems(held)
        body = ('{"id": "disk-%s", "level": "normal", "text": {"ja": "保存できないお知らせ"},'
                ' "ends_at": "2026-11-26T10:00:00+09:00"}' % name).encode()
        st, _ = lane.kiosk.request("POST", "/api/v1/announcements", body)
        if st != 500:
            problems.append("an announcement that cannot be saved got HTTP %d, not 500" % st)
        store = kp.read_bytes(os.path.join(lane.state, "direct-announcements.json")) or b""
        if b"disk-" + name.encode() in store:
            problems.append("the refused announcement is in the store")
    finally:
        end()
    # The disk is back: the feed shown from memory reaches the disk at the next poll, with
    # no change on the server (a 304 must not leave the old body under new metadata).
    if not kp.wait_for(lambda: kp.read_bytes(os.path.join(lane.state, "feed.json")) ==
                       lane.good, RECOVER_DEADLINE, 0.5):
        problems.append("after the disk came back, version %d (shown) was not stored"
                        % lane.version)
    problems += lane.cache_problems(lane.good)
    if not lane.kiosk.alive():
        problems.append("the kiosk died: " + tail(lane.kiosk.log))
    report(name, problems)


def lane_startup():
    """Faults met at start: a corrupt cache (with and without its .prev copy), a missing
    font, a bad config."""
    kiosks = []
    conf = lane_config("F")
    dead_url = "https://127.0.0.1:9/feed.json"  # discard port: nothing listens, refused
    good = kp.make_feed("F", 1)
    title = kp.title_of("F", 1)
    garbage = b"\x00\xffgarbage{\"version\": 1, \"events\": [" + b"\x13" * 100

    # feed.json corrupt, feed.json.prev good: the .prev copy is shown, and made current.
    state = os.path.join(WORK, "state-F1")
    os.makedirs(state)
    kp.write_atomic(os.path.join(state, "feed.json"), garbage)
    kp.write_atomic(os.path.join(state, "feed.json.prev"), good)
    k = kp.Kiosk(KIOSK, WORK, "kiosk-F1", conf, dead_url, state, ["--now", NOW])
    kiosks.append(k)
    problems = []
    if not k.start():
        problems.append("did not start: " + tail(k.log))
    else:
        if not kp.wait_for(lambda: title in k.screen() and kp.SYNC_FAILED in k.screen(),
                           RECOVER_DEADLINE, 0.5):
            problems.append("screen lacks the .prev title or the failure mark: " +
                            k.screen().replace("\n", " | ")[:300])
        log = (kp.read_bytes(k.log) or b"").decode("utf-8", "replace")
        if "is corrupt" not in log:
            problems.append("no log line says the cache is corrupt")
        if kp.read_bytes(os.path.join(state, "feed.json")) != good:
            problems.append("feed.json was not restored from .prev")
        if not k.alive():
            problems.append("the kiosk died")
        k.stop()
    report("corrupt-cache", problems)

    # feed.json corrupt and no .prev: nothing to show, said plainly, no crash.
    state = os.path.join(WORK, "state-F2")
    os.makedirs(state)
    kp.write_atomic(os.path.join(state, "feed.json"), garbage)
    kp.write_atomic(os.path.join(state, "feed.meta"), b"kiosk-cache-meta 1\ndigest zz\n")
    k = kp.Kiosk(KIOSK, WORK, "kiosk-F2", conf, dead_url, state, ["--now", NOW])
    kiosks.append(k)
    problems = []
    if not k.start():
        problems.append("did not start: " + tail(k.log))
    else:
        if not kp.wait_for(lambda: kp.EMPTY_OFFLINE in k.screen(), RECOVER_DEADLINE, 0.5):
            problems.append("screen does not say there is nothing yet: " +
                            k.screen().replace("\n", " | ")[:300])
        if not k.alive():
            problems.append("the kiosk died")
        k.stop()
    report("corrupt-cache-no-prev", problems)

    # A missing font: a clear start-up error naming the file, and a non-zero exit.
    missing = "/nonexistent/fonts/BIZUDPGothic-Missing.ttf"
    conf2 = lane_config("F3", "font_text = %s\n" % missing)
    k = kp.Kiosk(KIOSK, WORK, "kiosk-F3", conf2, dead_url, os.path.join(WORK, "state-F3"),
                 ["--now", NOW])
    kiosks.append(k)
    k.spawn()
    problems = []
    try:
        rc = k.proc.wait(60)
    except subprocess.TimeoutExpired:
        rc = None
        problems.append("it kept running (a blank screen) instead of exiting")
    k.kill()
    log = (kp.read_bytes(k.log) or b"").decode("utf-8", "replace")
    if rc == 0:
        problems.append("exit code 0")
    if missing not in log:
        problems.append("the error does not name the file: " + tail(k.log, 3))
    report("missing-font", problems)

    # A bad config: an unknown key stops the start with exit 2, naming the key.
    conf3 = os.path.join(WORK, "bad.conf")
    kp.write_config(conf3, "poll_intervall_s = 10\n")
    k = kp.Kiosk(KIOSK, WORK, "kiosk-F4", conf3, dead_url, os.path.join(WORK, "state-F4"))
    kiosks.append(k)
    k.spawn()
    problems = []
    try:
        rc = k.proc.wait(60)
    except subprocess.TimeoutExpired:
        rc = None
    k.kill()
    log = (kp.read_bytes(k.log) or b"").decode("utf-8", "replace")
    if rc != 2:
        problems.append("exit code %s, not 2" % rc)
    if "poll_intervall_s" not in log:
        problems.append("the error does not name the key: " + tail(k.log, 3))
    report("bad-config", problems)
    return kiosks


def main():
    t0 = time.monotonic()
    lanes = [
        # The clock runs 10x here so that "stale" (150 s) comes within a fault.
        ("A", lambda: lane_network("A", [
            ("server-down", "down", r"Couldn't connect|refused", True),
            ("connection-reset", "reset", r"reset by peer"),
            ("http-500", "err500", r"HTTP 500"),
            ("http-503-retry-after", "busy503", r"HTTP 503.*Retry-After"),
        ], "stale_after_s = 150\n", ["--clock-rate", "10"])),
        ("B", lambda: lane_network("B", [
            ("captive-portal", "portal", r"rejected"),
            ("empty-200", "empty", r"rejected.*empty"),
            ("truncated-body", "truncated", r"truncated"),
            ("stalled-body", "stall", r"too slow"),
        ])),
        ("T", lambda: lane_network("T", [
            ("oversized-chunked", "chunked-huge", r"larger than"),
            ("cert-expired", "tls-expired", r"TLS.*expired"),
            ("cert-self-signed", "tls-selfsigned", r"TLS.*self.signed"),
            ("cert-wrong-host", "tls-wronghost", r"TLS.*(subject name|host name)"),
        ])),
        ("D", lane_dns_and_clock),
        ("E", lane_disk),
        ("F", lane_startup),
    ]
    kiosks = []
    kiosks_lock = threading.Lock()

    def run(tag, fn):
        try:
            got = fn()
            with kiosks_lock:
                if isinstance(got, list):
                    kiosks.extend(got)
                elif got is not None:
                    kiosks.append(got)
        except Exception:  # a broken lane is a failure, not a hang
            report("lane-" + tag, ["exception: " + traceback.format_exc().replace("\n", " | ")])

    threads = [threading.Thread(target=run, args=lane, daemon=True) for lane in lanes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    reports = []
    elsewhere = 0
    for k in kiosks:
        reports += k.sanitizer_reports()
        elsewhere += k.leaked_elsewhere
    if reports:
        report("sanitizers", reports[:10])
    if elsewhere:
        say("faults: LeakSanitizer counted %d bytes leaked by unloaded libraries (not the "
            "kiosk's code) over %d kiosks" % (elsewhere, len(kiosks)))
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    say("faults: %d checked in %.0f s" % (len(results), time.monotonic() - t0))
    say("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
