#!/usr/bin/env python3
"""Checks a directory of kiosk screenshots (NAME.png + NAME.txt) against a feed.

- every text line lies inside the screen, and no line breaks the 禁則 rules;
- the QR code of each detail screenshot decodes (zbarimg) to exactly that listing's
  signup URL, and the attract one to the URL of the listing it shows;
- QR modules are whole pixels (pure black or white, every module one colour, at least
  MIN px) with a 4-module white quiet zone;
- no line's ink is cut: no glyph pixel touches the top or bottom edge of its line box, for
  every listed line (test_ui_inkshot, beside test_ui_qrshot, reads the pixels).
Prints one line per failure and a summary; exits 1 on any failure."""
import json
import os
import struct
import subprocess
import sys

BAD_START = set("、。，．,.」）』】〉》・ー？！?!)]}ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
BAD_END = set("「（『【〈《([{")


CAPTION_JA = "スマートフォンで読み取ると申し込みページが開きます"
CAPTION_EN = "Scan to open the sign-up page"


def check_caption(name, url, listing, failures):
    """The code's caption in Japanese and English, and the whole host it opens: on one or
    two lines, never cut with … and never behind a 「ページ：」 label."""
    text = norm("".join(t for *_, t in listing))
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    if norm(CAPTION_JA) not in text:
        failures.append(f"{name}: no Japanese caption under the code")
    if norm(CAPTION_EN) not in text:
        failures.append(f"{name}: no English caption under the code")
    if host not in text:
        failures.append(f"{name}: the host {host} is not shown whole")
    for (*_, t) in listing:
        if t.startswith("ページ：") or ("…" in t and host[:4] in t):
            failures.append(f"{name}: host line cut or labelled: {t}")


# Whole listings a list page shows when it is not the last page: the 6 in
# landscape and 8 in portrait. Portrait volunteer lists reach 6 only: each volunteer
# listing is on a day of its own and every day takes a heading (a known gap, issue 11).
MIN_ROWS = {"landscape": 6, "portrait": 8, "portrait-volunteers": 8}


def count_rows(titles, listing):
    """Listings on a list screen: lines that start a feed title (titles take one line)."""
    seen = set()
    for (*_, t) in listing:
        head = norm(t).rstrip("…")
        if len(head) < 4:
            continue
        for tid, title in titles.items():
            if title.startswith(head) or head.startswith(title):
                seen.add(tid)
    return len(seen)


def check_list(name, titles, listing, failures):
    texts = [norm(t) for *_, t in listing]
    pages = [int(t[1:]) for t in texts if t.startswith("/") and t[1:].isdigit()]
    if not pages:
        return  # one page: whatever there is fits
    idx = texts.index(f"/{pages[0]}")
    page = int(texts[idx - 1]) if idx > 0 and texts[idx - 1].isdigit() else 0
    if page >= pages[0]:
        return  # the last page may be short
    key = "landscape" if not name.endswith("-portrait") else \
        "portrait-volunteers" if "volunteers" in name else "portrait"
    n = count_rows(titles, listing)
    if n < MIN_ROWS[key]:
        failures.append(f"{name}: {n} listings on page {page} of {pages[0]}, "
                        f"want at least {MIN_ROWS[key]}")


def check_home(name, feed, listing, failures):
    """Home is a today board with the facility's hours, and says each notice once."""
    text = norm("".join(t for *_, t in listing))
    if "きょうの開館時間" not in text or "Opentoday" not in text:
        failures.append(f"{name}: no opening hours for today")
    for a in feed.get("announcements", []):
        head = norm((a.get("text") or {}).get("ja") or "")[:12]
        if head and text.count(head) > 1:
            failures.append(f"{name}: notice shown {text.count(head)} times: {head}")


def check_facts(name, it, listing, failures):
    """Fee, capacity and whether to apply on the first page of a detail."""
    text = norm("".join(t for *_, t in listing))
    fee = (it.get("fee") or {}).get("ja")
    if fee and norm(fee)[:4] not in text:
        failures.append(f"{name}: fee {fee} not on the first page")
    if it.get("capacity") is not None and f"{it['capacity']}名" not in text:
        failures.append(f"{name}: capacity {it['capacity']} not on the first page")
    if (it.get("signup_url") or it.get("deadline")) and "申込" not in text:
        failures.append(f"{name}: whether to apply is not on the first page")


# The least a code may measure at 1080 lines, its 4-module quiet zone included: a detail's
# 540 px (14 px a module when a code of up to 33 modules, version 4, is drawn: the room
# allows it), the attract loop's 720 px to be scanned from a step or two away.
MIN_SIDE = {"detail": 540, "attract": 720}
MODULE_WANT = {"detail": (33, 14)}


def check_qr(path, kind, min_module, failures, qrshot, unit):
    """The code is whole pixels with its quiet zone (qrshot) and large enough for kind."""
    r = subprocess.run([qrshot, path, str(min_module)], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(r.stdout.strip() or f"{path}: qrshot failed")
        return None
    fields = dict(f.split("=", 1) for f in r.stdout.split() if "=" in f)
    module, modules = int(fields["module"]), int(fields["modules"])
    side = module * (modules + 8)
    name = os.path.basename(path)
    if side < MIN_SIDE[kind] * unit:
        failures.append(f"{name}: QR {side} px with its quiet zone, want at least "
                        f"{round(MIN_SIDE[kind] * unit)}")
    want = MODULE_WANT.get(kind)
    if want and modules <= want[0] and module < want[1] * unit:
        failures.append(f"{name}: QR module {module} px, want {round(want[1] * unit)}")
    return side, module


def decode(path):
    r = subprocess.run(["zbarimg", "--nodbus", "-q", "--raw", path], capture_output=True,
                       text=True)
    return r.stdout.strip()


def norm(s):
    """Emoji the fonts lack are dropped when drawn; spaces may go at line ends."""
    return "".join(ch for ch in s if ord(ch) <= 0xFFFF and not ch.isspace())


def read_listing(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for row in f:
            row = row.rstrip("\n")
            if not row:
                continue
            geo, _, text = row.partition("\t")
            x, y, w, h = (int(v) for v in geo.split())
            lines.append((x, y, w, h, text))
    return lines


def main():
    shots, feed_path, qrshot = sys.argv[1], sys.argv[2], sys.argv[3]
    feed = json.load(open(feed_path, encoding="utf-8"))
    items = {}
    for kind in ("events", "volunteers"):
        for it in feed.get(kind, []):
            items[it["id"]] = it
    failures = []
    titles = {i: norm(it["title"]["ja"]) for i, it in items.items()}
    n_png = n_lines = n_qr = 0
    names = sorted(f[:-4] for f in os.listdir(shots) if f.endswith(".png"))
    for name in names:
        png = os.path.join(shots, name + ".png")
        txt = os.path.join(shots, name + ".txt")
        n_png += 1
        if not os.path.exists(txt):
            failures.append(f"{name}: no text listing")
            continue
        with open(png, "rb") as f:
            head = f.read(24)
        sw, sh = struct.unpack(">II", head[16:24])
        listing = read_listing(txt)
        # A closed screen kept black (closed_screen_black) is black on purpose until touched;
        # everywhere else, text: the dimmed closed screen says when the facility opens.
        black = name.startswith("closed-black") and "touched" not in name
        if not listing and not black or listing and black:
            failures.append(f"{name}: {'no text drawn' if not listing else 'text on a black closed screen'}")
        if name.startswith("closed") and not black:
            text = norm("".join(t for *_, t in listing))
            for want in ("閉館中", "closed", "次の開館", "Opens", "開館時間", "Openinghours"):
                if want not in text:
                    failures.append(f"{name}: no {want}")
        for (x, y, w, h, text) in listing:
            n_lines += 1
            if x < 0 or y < 0 or x + w > sw or y + h > sh or w <= 0 or h <= 0:
                failures.append(f"{name}: line outside the screen: {x} {y} {w} {h} {text}")
            if text and text[0] in BAD_START:
                failures.append(f"{name}: line starts with {text[0]}: {text}")
            if text and text[-1] in BAD_END:
                failures.append(f"{name}: line ends with {text[-1]}: {text}")
        base = name[:-len("-portrait")] if name.endswith("-portrait") else name
        if base == "ann-emergency":
            text = norm("".join(t for *_, t in listing))
            for want in ("緊急のお知らせ", "Emergency", "発表", "Issued"):
                if want not in text:
                    failures.append(f"{name}: no {want} on the emergency screen")
        if base in ("home", "stale", "offline"):
            check_home(name, feed, listing, failures)
        if base.startswith("list-") or base.endswith("-list"):
            check_list(name, titles, listing, failures)
        if base.startswith("detail-") and not base.endswith("-page2"):
            it = items.get(base[len("detail-"):])
            if it is None:
                failures.append(f"{name}: no listing with that id in the feed")
                continue
            check_facts(name, it, listing, failures)
            url = it.get("signup_url")
            if url:
                got = decode(png)
                n_qr += 1
                if got != url:
                    failures.append(f"{name}: QR decodes to {got!r}, want {url!r}")
                check_qr(png, "detail", 8, failures, qrshot, min(sw, sh) / 1080)
                check_caption(name, url, listing, failures)
            elif "連絡先" not in "".join(t for *_, t in listing) and \
                    "申し込み・お問い合わせ" not in "".join(t for *_, t in listing):
                failures.append(f"{name}: no signup URL and no contact shown")
        if base.startswith("attract"):
            got = decode(png)
            n_qr += 1
            text = "".join(t for *_, t in listing)
            match = [i for i in items.values() if i.get("signup_url") == got]
            if not match:
                failures.append(f"{name}: QR decodes to {got!r}, no listing has it")
            elif not any(norm(i["title"]["ja"])[:6] in norm(text) for i in match):
                failures.append(f"{name}: QR {got} but its listing's title is not shown")
            check_qr(png, "attract", 12, failures, qrshot, min(sw, sh) / 1080)
            if got:
                check_caption(name, got, listing, failures)
            if "画面にタッチしてください" not in text:
                failures.append(f"{name}: no touch prompt")
    inkshot = os.path.join(os.path.dirname(qrshot), "test_ui_inkshot")
    args = []
    for name in names:
        args += [os.path.join(shots, name + ".png"), os.path.join(shots, name + ".txt")]
    r = subprocess.run([inkshot] + args, capture_output=True, text=True)
    if r.returncode != 0:
        failures += [ln for ln in r.stdout.splitlines() if " FAIL " in ln] or \
            [f"inkshot failed: {r.stdout.strip()} {r.stderr.strip()}"]
    for f in failures:
        print("FAIL " + f)
    print(f"screens: {n_png} screenshots, {n_lines} text lines, {n_qr} QR codes checked, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
