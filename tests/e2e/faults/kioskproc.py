"""kioskproc: the real kiosk as a child process, for tests/e2e/test_faults.sh and
tests/e2e/test_powercut.sh.

Starts $KIOSK_BUILD_DIR/kiosk headless (SDL offscreen, 1920x1080) with its admin API on a
port the kernel picks (read from the log line "admin API listening on ... port N"), and
talks to that API: the text drawn on screen (/api/v1/screen.txt), the status JSON, and
announcements. Also makes test feeds and computes the cache's body digest (BLAKE2b-128, as
libsodium's crypto_generichash with a 16-byte output), so a test can check feed.meta
against feed.json. Python 3 standard library only; every wait has a deadline.
"""
import hashlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

TOKEN = "fault-suite-token-0123456789abcdef"

# The kiosk's own words (src/ui/strings.c) that the tests look for on screen.
SYNC_FAILED = "● 通信できません"
STALE = "表示している情報は古くなっている可能性があります"
CLOCK_UNSYNCED = "時刻を確認しています"
EMPTY_LIST = "いまご案内できるものはありません"
EMPTY_OFFLINE = "まだ情報を受け取れていません"
LAST_UPDATE = "最終更新"

OPEN_ALL_DAY = "".join("hours.%s = 00:00-24:00\n" % d
                       for d in ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))

# The repository this file is in: a leak with a frame under SOURCE_ROOT/src is the kiosk's.
SOURCE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|runtime error:")


def note_pid(pid):
    """Appends a child's pid to $FAULT_PIDS, so the shell's trap can end exactly the
    processes this run started if the driver itself dies."""
    path = os.environ.get("FAULT_PIDS")
    if path:
        with open(path, "a") as f:
            f.write("%d\n" % pid)


def digest(data):
    """The cache's digest of a body: hex BLAKE2b with a 16-byte output."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def make_feed(tag, version, pad=0, year=2026):
    """A valid feed whose three upcoming events carry "試験{tag}-{version}" in their titles
    (so the home screen shows which version it holds); `pad` bytes of description make
    versions differ in size. Events are on 25 November of `year`, 14:00-17:30 JST."""
    events = [{
        "id": "ev-%d" % i,
        "title": {"ja": "試験%s-%d 催し%d" % (tag, version, i)},
        "start": "%d-11-25T%02d:00:00+09:00" % (year, 14 + i),
        "end": "%d-11-25T%02d:30:00+09:00" % (year, 14 + i),
        "place": {"ja": "プレイス 4階 フォーラム"},
    } for i in range(3)]
    doc = {
        "version": 1,
        "generated_at": "%d-11-25T09:00:00+09:00" % year,
        "events": events,
        "volunteers": [{
            "id": "vol-1",
            "title": {"ja": "図書の整理ボランティア"},
            "description": {"ja": "本の整理をお手伝いください。" + "あ" * pad},
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode() + b"\n"


def title_of(tag, version):
    return "試験%s-%d 催し0" % (tag, version)


def write_atomic(path, data):
    tmp = path + ".writing"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def meta_digest(path):
    """The digest line of a feed.meta file, or None."""
    data = read_bytes(path)
    if data is None:
        return None
    lines = data.decode("utf-8", "replace").split("\n")
    if not lines or lines[0] != "kiosk-cache-meta 1":
        return "bad-magic"
    for line in lines[1:]:
        if line.startswith("digest "):
            return line[7:]
    return "no-digest"


def write_config(path, extra=""):
    with open(path, "w") as f:
        f.write(OPEN_ALL_DAY)
        f.write("poll_interval_s = 10\nbackoff_cap_s = 10\n")
        f.write(extra)


class Kiosk:
    """One kiosk process. `args` are extra command-line flags."""

    def __init__(self, binary, workdir, name, config, feed, state_dir, args=(), env=None):
        self.binary = binary
        self.name = name
        self.config = config
        self.feed = feed
        self.state_dir = state_dir
        self.args = list(args)
        self.token_file = os.path.join(workdir, "token")
        if not os.path.exists(self.token_file):
            with open(self.token_file, "w") as f:
                f.write(TOKEN + "\n")
            os.chmod(self.token_file, 0o600)
        self.logdir = workdir
        self.env = dict(os.environ)
        self.env.update({"SDL_VIDEODRIVER": "offscreen", "SDL_AUDIODRIVER": "dummy"})
        if env:
            self.env.update(env)
        self.window = "1920x1080"
        self.proc = None
        self.port = None
        self.log = None
        self.runs = 0
        self.logs = []

    def command(self):
        cmd = [self.binary, "--windowed", self.window, "--admin-listen", "127.0.0.1:0",
               "--admin-token-file", self.token_file, "--idle-timeout", "86400"]
        if self.config:
            cmd += ["--config", self.config]
        if self.feed:
            cmd += ["--feed", self.feed]
        if self.state_dir:
            cmd += ["--state-dir", self.state_dir]
        return cmd + self.args

    def spawn(self, extra=()):
        """Starts the process without waiting for its API."""
        self.runs += 1
        self.log = os.path.join(self.logdir, "%s.%d.log" % (self.name, self.runs))
        self.logs.append(self.log)
        out = open(self.log, "wb")
        self.proc = subprocess.Popen(self.command() + list(extra), stdout=out,
                                     stderr=subprocess.STDOUT, env=self.env,
                                     stdin=subprocess.DEVNULL)
        note_pid(self.proc.pid)
        out.close()
        self.port = None

    def start(self, extra=(), timeout=30):
        """Starts it and waits for the admin API; returns False when it died or never
        listened (the log says why)."""
        self.spawn(extra)
        return self.wait_api(timeout)

    def wait_api(self, timeout=30):
        deadline = time.monotonic() + timeout
        pat = re.compile(rb"admin API listening on .* port (\d+)")
        while time.monotonic() < deadline:
            m = pat.search(read_bytes(self.log) or b"")
            if m:
                self.port = int(m.group(1))
                return True
            proc = self.proc  # another thread may kill and forget it meanwhile
            if proc is None or proc.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM, then SIGKILL at the deadline. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        self.proc = None
        return rc

    def kill(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def request(self, method, path, body=None, timeout=15):
        """(status, bytes); status 0 when the kiosk did not answer."""
        if self.port is None:
            return 0, b""
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path),
                                     data=body, method=method)
        req.add_header("Authorization", "Bearer " + TOKEN)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except (OSError, ValueError):
            return 0, b""

    def screen(self):
        st, body = self.request("GET", "/api/v1/screen.txt")
        return body.decode("utf-8", "replace") if st == 200 else ""

    def status(self):
        st, body = self.request("GET", "/api/v1/status")
        if st != 200:
            return {}
        try:
            return json.loads(body)
        except ValueError:
            return {}

    def sanitizer_reports(self):
        """ASan and UBSan errors in any of this kiosk's logs, and LeakSanitizer leaks with
        a frame in the kiosk's own sources. Leaks whose whole stack lies in libraries that
        were unloaded before exit ("<unknown module>", the same few KB in every run, from
        the SDL video stack) are not the kiosk's and are only counted (leaked_elsewhere)."""
        found = []
        src = os.path.join(SOURCE_ROOT, "src") + "/"
        self.leaked_elsewhere = 0
        for log in self.logs:
            text = (read_bytes(log) or b"").decode("utf-8", "replace")
            block = None
            for line in text.splitlines() + [""]:
                if SANITIZER_RE.search(line):
                    found.append("%s: %s" % (os.path.basename(log), line.strip()))
                if line.startswith(("Direct leak", "Indirect leak")):
                    block = [line]
                elif block is not None and line.strip():
                    block.append(line)
                elif block is not None:
                    ours = [l for l in block if src in l]
                    if ours:
                        found.append("%s: %s at %s" % (os.path.basename(log), block[0],
                                                        ours[0].strip()))
                    else:
                        m = re.match(r"\w+ leak of (\d+)", block[0])
                        self.leaked_elsewhere += int(m.group(1)) if m else 0
                    block = None
        return found


def wait_for(pred, timeout, step=0.3):
    """Calls pred() until it returns something true or the deadline passes; returns the
    last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(step)
