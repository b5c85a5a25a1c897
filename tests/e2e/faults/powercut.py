"""powercut: the power-cut loop run by tests/e2e/test_powercut.sh.

Kills the real kiosk with SIGKILL at random moments while it writes its cache and its
direct announcements, restarts it, and checks after every kill that the state directory
holds either the old or the new content, whole:

  * feed.json (and feed.json.prev) equal version A or B of the feed byte for byte (both
    pass `kiosk --check-feed`); once a feed was stored it never disappears;
  * feed.meta starts with its magic line and carries the digest of A or B (a kill between
    the body's rename and the metadata's leaves the old digest: counted, and harmless);
  * direct-announcements.json is valid JSON and holds every announcement whose POST got a
    2xx before the kill, at least at the acknowledged revision (durability);
  * temp files of interrupted writes stay bounded and are gone after a restart;
  * no file was ever found corrupt (no *.corrupt-* files).

Writes happen constantly: the feed is a file:// URL whose content the test flips between A
and B (different sizes) before every start, so the first sync of every life writes the
cache, and a client POSTs announcements (40 ids, each POST a new revision) in a tight loop
from the moment the admin API listens until the kill. Every tenth cycle the kiosk is
instead started with no reachable feed and left to come up, and its own API must list the
acknowledged announcements and its screen must show the feed version on disk.

Runs POWERCUT_LANES (2) kiosks in parallel on separate state directories, POWERCUT_CYCLES
(200) kills in all. Prints the figures and "N passed, M failed".
"""
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kioskproc as kp  # noqa: E402

WORK = os.environ["FAULT_WORK"]
KIOSK = os.environ["FAULT_KIOSK"]
CYCLES = int(os.environ.get("POWERCUT_CYCLES", "200"))
LANES = int(os.environ.get("POWERCUT_LANES", "2"))
N_IDS = 40
SEED = int(os.environ.get("POWERCUT_SEED", str(int(time.time()))))
SEQ_RE = re.compile(r"停電試験 (\d+)")

print_lock = threading.Lock()


def say(line):
    with print_lock:
        print(line, flush=True)


class Poster(threading.Thread):
    """POSTs announcements in a loop until stopped; remembers the last acknowledged
    revision of every id."""

    def __init__(self, kiosk, state):
        super().__init__(daemon=True)
        self.kiosk = kiosk
        self.state = state  # shared across cycles: seq counter and acked revisions
        self.stop_flag = threading.Event()

    def run(self):
        if not self.kiosk.wait_api(20):
            return
        while not self.stop_flag.is_set():
            seq = self.state["seq"]
            self.state["seq"] += 1
            ident = "pc-%d" % (seq % N_IDS)
            body = json.dumps({"id": ident, "level": "normal",
                               "text": {"ja": "停電試験 %d" % seq},
                               "ends_at": "2099-01-01T00:00:00+09:00"},
                              ensure_ascii=False).encode()
            self.state["sent"][ident] = seq
            st, _ = self.kiosk.request("POST", "/api/v1/announcements", body, timeout=5)
            if 200 <= st < 300:
                self.state["acked"][ident] = seq
                self.state["n_acked"] += 1
            elif st != 0:
                self.state["errors"].append("POST %s got HTTP %d" % (ident, st))
                return


class Lane:
    def __init__(self, idx, a, b, conf, results):
        self.idx = idx
        self.dir = os.path.join(WORK, "lane%d" % idx)
        self.state_dir = os.path.join(self.dir, "state")
        self.src = os.path.join(self.dir, "feed.json")
        os.makedirs(self.state_dir)
        self.versions = {a: "A", b: "B"}
        self.a, self.b = a, b
        self.published = None
        self.kiosk = kp.Kiosk(KIOSK, self.dir, "kiosk", conf, "file://" + self.src,
                              self.state_dir, ["--now", "2026-11-25T10:00:00+09:00"])
        self.kiosk.window = "800x480"  # a small panel starts faster: more cycles a minute
        self.post = {"seq": 0, "acked": {}, "sent": {}, "n_acked": 0, "errors": []}
        self.ever_feed = False
        self.ever_store = False
        self.old_tmps = set()
        self.rng = random.Random(SEED + idx)
        self.r = results
        self.life_s = 1.0  # grows to the measured time to the first cache write

    def fail(self, cycle, what):
        self.r["failures"].append("lane %d cycle %d: %s" % (self.idx, cycle, what))

    def check_state(self, cycle, before):
        """Checks the state directory after a kill; `before` is feed.json before the
        start. Returns the feed body found."""
        names = os.listdir(self.state_dir)
        tmps = {n for n in names if ".tmp-" in n}
        if tmps:
            self.r["kills_mid_write"] += 1
            for n in tmps:
                key = n.split(".tmp-")[0]
                self.r["tmp_by_file"][key] = self.r["tmp_by_file"].get(key, 0) + 1
        if len(tmps) > 6:
            self.fail(cycle, "temp files pile up: %s" % sorted(tmps))
        corrupt = [n for n in names if ".corrupt-" in n]
        if corrupt:
            self.fail(cycle, "a file was found corrupt: %s" % corrupt)
        body = kp.read_bytes(os.path.join(self.state_dir, "feed.json"))
        if body is None:
            if self.ever_feed:
                self.fail(cycle, "feed.json disappeared")
        elif body not in self.versions:
            self.fail(cycle, "feed.json is neither A nor B (%d bytes)" % len(body))
        else:
            self.ever_feed = True
            if before is not None and body != before:
                self.r["came_up_new"] += 1
            else:
                self.r["came_up_old"] += 1
        prev = kp.read_bytes(os.path.join(self.state_dir, "feed.json.prev"))
        if prev is not None and prev not in self.versions:
            self.fail(cycle, "feed.json.prev is neither A nor B")
        md = kp.meta_digest(os.path.join(self.state_dir, "feed.meta"))
        if md is not None:
            if md not in (kp.digest(self.a), kp.digest(self.b)):
                self.fail(cycle, "feed.meta is bad (%s)" % md)
            elif body is not None and md != kp.digest(body):
                self.r["meta_behind_body"] += 1
        elif body is not None and self.ever_feed and cycle > 1:
            pass  # a body without metadata is used without validators
        self.check_store(cycle)
        return body

    def check_store(self, cycle):
        data = kp.read_bytes(os.path.join(self.state_dir, "direct-announcements.json"))
        acked = self.post["acked"]
        if data is None:
            if acked:
                self.fail(cycle, "direct-announcements.json is gone with %d acknowledged"
                          % len(acked))
            return
        try:
            doc = json.loads(data)
            stored = {}
            for a in doc["announcements"]:
                m = SEQ_RE.search(a["text"]["ja"])
                stored[a["id"]] = int(m.group(1)) if m else -1
        except (ValueError, KeyError, TypeError) as e:
            self.fail(cycle, "direct-announcements.json is not valid: %s" % e)
            return
        self.compare(cycle, stored, "on disk")

    def compare(self, cycle, stored, where):
        for ident, seq in self.post["acked"].items():
            if ident not in stored:
                self.fail(cycle, "acknowledged %s (revision %d) is missing %s"
                          % (ident, seq, where))
            elif stored[ident] < seq:
                self.fail(cycle, "%s is at revision %d %s, %d was acknowledged"
                          % (ident, stored[ident], where, seq))
            elif stored[ident] > self.post["sent"].get(ident, -1):
                self.fail(cycle, "%s holds a revision never sent" % ident)

    def publish(self):
        self.published = self.b if self.published == self.a else self.a
        kp.write_atomic(self.src, self.published)

    def kill_cycle(self, cycle):
        before = kp.read_bytes(os.path.join(self.state_dir, "feed.json"))
        self.publish()
        t0 = time.monotonic()
        self.kiosk.spawn()
        poster = Poster(self.kiosk, self.post)
        poster.start()
        # Kill somewhere between the start and a little after the first cache write.
        time.sleep(self.rng.uniform(0.0, self.life_s))
        self.kiosk.kill()
        poster.stop_flag.set()
        poster.join(10)
        self.r["cycles"] += 1
        log = (kp.read_bytes(self.kiosk.log) or b"").decode("utf-8", "replace")
        if re.search(r"sync: file events=", log):
            # the first write was done before the kill: aim a little earlier next time
            self.life_s = max(0.3, min(4.0, (time.monotonic() - t0) * 1.1))
        else:
            self.life_s = min(4.0, self.life_s * 1.15)
        if kp.SANITIZER_RE.search(log):
            self.fail(cycle, "sanitizer report: " +
                      [l for l in log.splitlines() if kp.SANITIZER_RE.search(l)][0])
        if self.post["errors"]:
            self.fail(cycle, self.post["errors"][0])
            self.post["errors"].clear()
        self.check_state(cycle, before)

    def verify_cycle(self, cycle):
        """A start that is not cut: the kiosk's own view of what survived."""
        body = kp.read_bytes(os.path.join(self.state_dir, "feed.json"))
        saved_feed = self.kiosk.feed
        self.kiosk.feed = "file://" + self.src + ".absent"  # only the cache counts now
        try:
            if not self.kiosk.start(timeout=30):
                self.fail(cycle, "the kiosk did not come up: " +
                          " | ".join((kp.read_bytes(self.kiosk.log) or b"").decode(
                              "utf-8", "replace").splitlines()[-5:]))
                return
            self.r["verified_restarts"] += 1
            tmps = [n for n in os.listdir(self.state_dir) if ".tmp-" in n]
            if tmps:
                self.fail(cycle, "temp files not removed at start: %s" % tmps)
            if body is not None:
                want = kp.title_of("P", 1 if body == self.a else 2)
                if not kp.wait_for(lambda: want in self.kiosk.screen(), 20, 0.3):
                    self.fail(cycle, "the screen does not show the cached feed")
            st, data = self.kiosk.request("GET", "/api/v1/announcements")
            try:
                listed = {a["id"]: int(SEQ_RE.search(a["text"]["ja"]).group(1))
                          for a in json.loads(data)["announcements"]}
                self.compare(cycle, listed, "in the kiosk's list")
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                self.fail(cycle, "GET /api/v1/announcements (HTTP %d): %s" % (st, e))
            rc = self.kiosk.stop()
            log = (kp.read_bytes(self.kiosk.log) or b"").decode("utf-8", "replace")
            # LeakSanitizer exits 1; which leaks are the kiosk's is judged at the end.
            if rc != 0 and not (rc == 1 and "ERROR: LeakSanitizer" in log):
                self.fail(cycle, "exit code %s after SIGTERM" % rc)
        finally:
            self.kiosk.feed = saved_feed

    def run(self, cycles):
        try:
            for c in range(1, cycles + 1):
                if c % 10 == 0:
                    self.verify_cycle(c)
                self.kill_cycle(c)
            self.verify_cycle(cycles + 1)
        finally:
            self.kiosk.kill()
        for rep in self.kiosk.sanitizer_reports():
            self.fail(cycles, rep)
        self.r["acked"] += self.post["n_acked"]


def main():
    t0 = time.monotonic()
    a = kp.make_feed("P", 1)
    b = kp.make_feed("P", 2, pad=6000)
    conf = os.path.join(WORK, "kiosk.conf")
    kp.write_config(conf)
    failures = []
    for name, data in (("A", a), ("B", b)):
        path = os.path.join(WORK, "feed-%s.json" % name)
        kp.write_atomic(path, data)
        rc = subprocess.run([KIOSK, "--config", conf, "--check-feed", path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc != 0:
            failures.append("version %s does not pass kiosk --check-feed" % name)
    results = []
    lanes = []
    per = [CYCLES // LANES + (1 if i < CYCLES % LANES else 0) for i in range(LANES)]
    for i in range(LANES):
        r = {"cycles": 0, "kills_mid_write": 0, "tmp_by_file": {}, "came_up_old": 0,
             "came_up_new": 0, "meta_behind_body": 0, "verified_restarts": 0, "acked": 0,
             "failures": []}
        results.append(r)
        lanes.append(Lane(i, a, b, conf, r))
    threads = [threading.Thread(target=lanes[i].run, args=(per[i],), daemon=True)
               for i in range(LANES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(1500)
    total = {}
    for r in results:
        for k, v in r.items():
            if isinstance(v, int):
                total[k] = total.get(k, 0) + v
        failures += r["failures"]
    tmp_by_file = {}
    for r in results:
        for k, v in r["tmp_by_file"].items():
            tmp_by_file[k] = tmp_by_file.get(k, 0) + v
    say("powercut: seed %d, %d lanes, %.0f s" % (SEED, LANES, time.monotonic() - t0))
    say("powercut: %d kills; %d mid-write (temp files left: %s); %d between body and "
        "metadata" % (total.get("cycles", 0), total.get("kills_mid_write", 0),
                      ", ".join("%s %d" % kv for kv in sorted(tmp_by_file.items())) or
                      "none", total.get("meta_behind_body", 0)))
    say("powercut: restarts came up with the old feed %d times, the new one %d times; "
        "%d announcement POSTs acknowledged; %d full restarts verified through the API"
        % (total.get("came_up_old", 0), total.get("came_up_new", 0), total.get("acked", 0),
           total.get("verified_restarts", 0)))
    for f in failures[:20]:
        say("FAIL " + f)
    cycles = total.get("cycles", 0)
    failed = len(failures)
    if cycles < CYCLES:
        failed += 1
        say("FAIL only %d of %d cycles ran" % (cycles, CYCLES))
    say("%d passed, %d failed" % (max(cycles - failed, 0), failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
