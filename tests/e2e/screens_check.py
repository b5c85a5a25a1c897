#!/usr/bin/env python3
"""Checks a directory of kiosk screenshots (NAME.png + NAME.txt) against a feed.

- every text line lies inside the screen, and no line breaks the 禁則 rules;
- the QR code of each detail screenshot decodes (zbarimg) to exactly that listing's
  signup URL, and the attract one to the URL of the listing it shows;
- QR modules are whole pixels (pure black or white, every module one colour, at least
  MIN px) with a 4-module white quiet zone;
- every reading ({base|reading}) sits just over a line holding its base;
- no line's ink is cut: no glyph pixel touches the top or bottom edge of its line box, for
  every listed line (test_ui_inkshot, beside test_ui_qrshot, reads the pixels), and every
  line's text stands out from its ground by 4.5:1 or more (the greyed page arrows excepted),
  and every touch target of NAME.controls stands out from what lies around it by 3:1 or more
  (WCAG 1.4.11: its outline or its fill against the ground just outside its box);
- a detail's title is whole on its first page, no line of it cut with …, in every mode;
- every language's screens (NAME-en, -easy, -zh, -ko, before -portrait) carry that language's
  interface words (read from src/ui/strings_*.c) and no Japanese interface label of
  another, feed content excepted; the checks above hold in every language.
Prints one line per failure and a summary; exits 1 on any failure."""
import json
import os
import re
import struct
import subprocess
import sys

SRC_UI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "ui")
# screenshot suffix -> (strings table file, the listing's language tag)
MODES = {"": ("ja", "ja"), "easy": ("easy", "ja-easy"), "en": ("en", "en"),
         "zh": ("zh", "zh-Hans"), "ko": ("ko", "ko")}
RUBY = re.compile(r"\{([^{}|\n]+)\|([^{}|\n]+)\}")


def load_strings():
    """Each mode's table, id -> text as drawn (readings shown as their base)."""
    tables = {}
    entry = re.compile(r'\[UI_STR_(\w+)\]\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*)+),')
    for mode, (fname, _) in MODES.items():
        src = open(os.path.join(SRC_UI, f"strings_{fname}.c"), encoding="utf-8").read()
        table = {}
        for m in entry.finditer(src):
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
            text = "".join(parts).encode("utf-8").decode("unicode_escape").encode(
                "latin-1").decode("utf-8")
            table[m.group(1)] = RUBY.sub(r"\1", text)
        tables[mode] = table
    return tables


def split_mode(base):
    """("home", "en") for home-en; ("home", "") for home."""
    for sfx in ("easy", "en", "zh", "ko"):
        if base.endswith("-" + sfx):
            return base[:-len(sfx) - 1], sfx
    return base, ""


def check_language(name, mode, screen, listing, tables, failures):
    """Interface words in the screen's language: a line that is a Japanese interface string
    the mode's table does not share is a label left untranslated (feed text is not in the
    tables); the home screen shows the mode's own tile and hint."""
    if mode:
        own = {norm(v) for v in tables[mode].values()}
        ja_only = {norm(v) for v in tables[""].values() if len(norm(v)) >= 2} - own
        for (*_, t) in listing:
            if norm(t) in ja_only:
                failures.append(f"{name}: Japanese interface label on a {mode} screen: {t}")
    text = norm("".join(t for *_, t in listing))
    if screen == "home":
        # the footer's hint whole in large text too (on two lines if need be)
        for sid in ("TILE_EVENTS", "HOME_HINT"):
            if norm(tables[mode][sid]) not in text:
                failures.append(f"{name}: no {tables[mode][sid]!r} on the home screen")

BAD_START = set("、。，．,.」）』】〉》・ー？！?!)]}ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
BAD_END = set("「（『【〈《([{")


# the civic-activity kinds: screenshot prefix -> (feed array, member holding the code's URL)
KINDS = {"grant-": ("grants", "url"), "desk-": ("desks", "url"),
         "room-": ("rooms", "booking_url"), "group-": ("groups", "url")}


def check_caption(name, url, listing, failures, table, english_too, page=False):
    """The code's caption in the screen's language (and English under Japanese), and the
    whole host it opens: on one or two lines, never cut with … and never behind a 「ページ：」
    label. page: a code to a page about the entry (a grant's guidelines, a room's booking
    page), not a sign-up form."""
    text = norm("".join(t for *_, t in listing))
    host = url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    cap = "QR_CAPTION_PAGE" if page else "QR_CAPTION"
    if norm(table[cap]) not in text and norm(table[cap + "_NARROW"]) not in text:
        failures.append(f"{name}: no caption under the code")
    if english_too and norm(table[cap + "_EN"]) not in text:
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
# Large text (NAME-large): rows as low as a title line and its chips, in two columns on a
# landscape page: five or six listings, five in portrait. A volunteer listing is on a day of
# its own and each day takes a heading: four. The Chinese and Korean faces' taller lines give
# four, and so do やさしい日本語's readings (over titles and over the notice band): a known gap
# of issue 12.
MIN_ROWS_LARGE = {"landscape": 5, "portrait": 5, "portrait-volunteers": 4,
                  "landscape-volunteers": 4}
MIN_ROWS_LARGE_REGIONAL = 4


def count_rows(titles, listing):
    """Listings on a list screen: lines that start a feed title in any of its languages
    (titles take one line)."""
    seen = set()
    for (*_, t) in listing:
        head = norm(t).rstrip("…")
        if len(head) < 4:
            continue
        for tid, variants in titles.items():
            if any(title.startswith(head) or head.startswith(title) for title in variants):
                seen.add(tid)
    return len(seen)


def check_list(name, mode, titles, listing, failures):
    texts = [norm(t) for *_, t in listing]
    pages = [int(t[1:]) for t in texts if t.startswith("/") and t[1:].isdigit()]
    if not pages:
        return  # one page: whatever there is fits
    idx = texts.index(f"/{pages[0]}")
    page = int(texts[idx - 1]) if idx > 0 and texts[idx - 1].isdigit() else 0
    if page >= pages[0]:
        return  # the last page may be short
    orient = "portrait" if name.endswith("-portrait") else "landscape"
    table = MIN_ROWS_LARGE if "-large" in name else MIN_ROWS
    want = table.get(orient + "-volunteers" if "volunteers" in name else orient, table[orient])
    if "-large" in name and mode in ("zh", "ko", "easy"):
        want = min(want, MIN_ROWS_LARGE_REGIONAL)
    n = count_rows(titles, listing)
    if n < want:
        failures.append(f"{name}: {n} listings on page {page} of {pages[0]}, "
                        f"want at least {want}")


def check_home(name, feed, listing, failures):
    """Home is a today board with the facility's hours, and says each notice once."""
    text = norm("".join(t for *_, t in listing))
    if "きょうの開館時間" not in text or "Opentoday" not in text:
        failures.append(f"{name}: no opening hours for today")
    for a in feed.get("announcements", []):
        head = norm((a.get("text") or {}).get("ja") or "")[:12]
        if head and text.count(head) > 1:
            failures.append(f"{name}: notice shown {text.count(head)} times: {head}")


def check_notices(name, mode, feed, listing, table, failures):
    """A notice is in the screen's language when the feed has it; one shown in Japanese on
    an English, Chinese or Korean screen is one without it, and says 日本語のみ there."""
    text = norm("".join(t for *_, t in listing))
    key = MODES[mode][1]
    for a in feed.get("announcements", []):
        tr = a.get("text") or {}
        head = norm(tr.get("ja") or "")[:12]
        if not head or head not in text:
            continue
        if tr.get(key):
            failures.append(f"{name}: notice in Japanese though it has {key}: {head}")
        elif norm(table["JA_ONLY"]) not in text:
            failures.append(f"{name}: notice in Japanese without {table['JA_ONLY']}: {head}")


def check_home_whole(name, feed, listing, failures, tables):
    """Home in every mode, large text too: no tile label or header name cut with …, some
    notice text in its panel, and one of today's events on the board when the feed has one
    today (the screenshots' clock: 2026-11-26)."""
    labels = [norm(v) for tb in tables.values() for k, v in tb.items() if k.startswith("TILE_")]
    for (x, y, w, h, t) in listing:
        head = norm(t).rstrip("…")
        if t.endswith("…") and (y + h <= 150 or any(lb.startswith(head) for lb in labels)):
            failures.append(f"{name}: tile label or header name cut: {t}")
    if name.startswith("stale-large"):
        # known gap: the stale band takes two or three lines of large text, and the board's
        # row and the notice's text no longer fit under the tiles
        return
    text = norm("".join(t for *_, t in listing))
    heads = [norm(v)[:8] for a in feed.get("announcements", [])
             for v in (a.get("text") or {}).values() if isinstance(v, str) and v]
    if heads and not any(hd in text for hd in heads):
        failures.append(f"{name}: the notices panel shows no notice's text")
    today = [e for e in feed.get("events", []) if str(e.get("start", "")).startswith("2026-11-26")]
    if today and not any(norm(RUBY.sub(r"\1", v))[:4] in text
                         for e in today for v in e["title"].values() if v):
        failures.append(f"{name}: today's board shows none of today's events")


def check_facts(name, it, listing, failures, table):
    """Fee, capacity and whether to apply on the first page of a detail."""
    text = norm("".join(t for *_, t in listing))
    fees = [v for v in (it.get("fee") or {}).values() if v]
    if fees == ["無料"]:
        fees.append(table["CHIP_FREE"])  # another language says a plain 無料 in its own word
    if fees and not any(norm(f)[:4] in text for f in fees):
        failures.append(f"{name}: fee {fees[0]} not on the first page")
    cap = f"{it.get('capacity')}{norm(table['CAPACITY_UNIT'])}"
    if it.get("capacity") is not None and cap not in text:
        failures.append(f"{name}: capacity {it['capacity']} not on the first page")
    apply_words = [norm(table[k]) for k in ("CHIP_SIGNUP", "CHIP_NO_SIGNUP", "F_SIGNUP")]
    if (it.get("signup_url") or it.get("deadline")) and not any(w in text for w in apply_words):
        failures.append(f"{name}: whether to apply is not on the first page")


def check_title(name, mode, it, listing, failures):
    """A detail's title is its subject: on the first page it is shown whole, in the screen's
    language (Japanese when the feed has no translation), and no line of it is cut with …
    (the grey English line under a Japanese title may be)."""
    title = it.get("title") or {}
    shown = title.get(MODES[mode][1]) or title.get("ja") or title.get("en") or ""
    cands = {norm(RUBY.sub(r"\1", shown))}
    if mode in ("", "easy") and it.get("title_ruby"):
        cands.add(norm(RUBY.sub(r"\1", it["title_ruby"])))
    cands.discard("")
    lines = [norm(t) for *_, t in listing if not t.startswith("{")]
    if cands and not any(c in "".join(lines) for c in cands):
        failures.append(f"{name}: the title is not shown whole: {shown}")
    for t in lines:
        head = t[:-1]
        if t.endswith("…") and len(head) >= 4 and any(head in c for c in cands):
            failures.append(f"{name}: a title line cut with …: {t}")


def check_idle_warning(name, listing, failures):
    """Before the idle return home: the question, the large つづける, the seconds left."""
    text = norm("".join(t for *_, t in listing))
    for want in ("まだ使いますか？", "つづける", "あと20秒でホームにもどります"):
        if want not in text:
            failures.append(f"{name}: the idle warning lacks {want}")


def check_ruby(name, listing, failures):
    """Each reading ({base|reading} rows) sits over a line holding its base: above it, never
    overlapping it, and over the base's stretch of the line."""
    for (x, y, w, h, t) in listing:
        if not (t.startswith("{") and t.endswith("}") and "|" in t):
            continue
        base = t[1:-1].split("|", 1)[0]
        below = [(lx, ly, lw, lh) for (lx, ly, lw, lh, lt) in listing
                 if base in lt and not lt.startswith("{") and ly >= y + h - 1
                 and ly - (y + h) < h and lx <= x + w // 2 <= lx + lw]
        if not below:
            failures.append(f"{name}: reading {t} is over no line holding its base")


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


def check_detail_code(name, png, url, listing, failures, qrshot, page, unit, table,
                      english_too):
    """A detail's code: decodes to url, whole modules of 8 px or more, its caption."""
    got = decode(png)
    if got != url:
        failures.append(f"{name}: QR decodes to {got!r}, want {url!r}")
    check_qr(png, "detail", 8, failures, qrshot, unit)
    check_caption(name, url, listing, failures, table, english_too, page=page)
    return 1


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
            geo, _, text = row.partition("\t")  # "x y w h lang fg bg"
            x, y, w, h = (int(v) for v in geo.split()[:4])
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
    tables = load_strings()
    titles = {i: [norm(v) for v in it["title"].values() if v] for i, it in items.items()}
    touch = [norm(t["ATTRACT_TOUCH"]) for t in tables.values()]
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
        check_ruby(name, listing, failures)
        for (x, y, w, h, text) in listing:
            n_lines += 1
            if x < 0 or y < 0 or x + w > sw or y + h > sh or w <= 0 or h <= 0:
                failures.append(f"{name}: line outside the screen: {x} {y} {w} {h} {text}")
            if text and text[0] in BAD_START:
                failures.append(f"{name}: line starts with {text[0]}: {text}")
            if text and text[-1] in BAD_END:
                failures.append(f"{name}: line ends with {text[-1]}: {text}")
        base = name[:-len("-portrait")] if name.endswith("-portrait") else name
        base = base[:-len("-large")] if base.endswith("-large") else base
        base, mode = split_mode(base)
        table = tables[mode]
        check_language(name, mode, base, listing, tables, failures)
        if name.startswith("closed") and not black and mode == "":
            text = norm("".join(t for *_, t in listing))
            for want in ("閉館中", "closed", "次の開館", "Opens", "開館時間", "Openinghours"):
                if want not in text:
                    failures.append(f"{name}: no {want}")
        if base == "ann-emergency" and mode == "":
            text = norm("".join(t for *_, t in listing))
            for want in ("緊急のお知らせ", "Emergency", "発表", "Issued"):
                if want not in text:
                    failures.append(f"{name}: no {want} on the emergency screen")
        if base in ("home", "stale", "offline") and mode == "":
            check_home(name, feed, listing, failures)
        if base in ("home", "announcements") and mode in ("en", "zh", "ko"):
            check_notices(name, mode, feed, listing, table, failures)
        if base in ("home", "stale", "offline"):
            check_home_whole(name, feed, listing, failures, tables)
        if base == "idle-warning":
            check_idle_warning(name, listing, failures)
        if base.startswith("list-") or base.endswith("-list"):
            check_list(name, mode, titles, listing, failures)
        if base.startswith("detail-") and not base.endswith("-page2"):
            it = items.get(base[len("detail-"):])
            if it is None:
                failures.append(f"{name}: no listing with that id in the feed")
                continue
            check_title(name, mode, it, listing, failures)
            if not name.endswith("-large") and "-large-" not in name:
                # large text pages more: the facts come on the pages after the code
                check_facts(name, it, listing, failures, table)
            url = it.get("signup_url")
            if url:
                n_qr += check_detail_code(name, png, url, listing, failures, qrshot, False,
                                          min(sw, sh) / 1080, table, mode in ("", "easy"))
            elif table["F_CONTACT"] not in "".join(t for *_, t in listing) and \
                    table["NO_SIGNUP_TITLE"] not in "".join(t for *_, t in listing):
                failures.append(f"{name}: no signup URL and no contact shown")
        prefix = next((k for k in KINDS if base.startswith(k)), None)
        if prefix:
            array, member = KINDS[prefix]
            entry = next((e for e in feed.get(array, []) if e["id"] == base[len(prefix):]), None)
            if entry is None:
                failures.append(f"{name}: no {array} entry with that id in the feed")
                continue
            url = entry.get(member)
            text = "".join(t for *_, t in listing)
            if url:
                n_qr += check_detail_code(name, png, url, listing, failures, qrshot, True,
                                          min(sw, sh) / 1080, table, mode in ("", "easy"))
            elif "お問い合わせ" not in text and "電話" not in text:
                failures.append(f"{name}: no page and no contact shown")
            if array == "desks" and entry.get("phone") and entry["phone"] not in text:
                failures.append(f"{name}: the phone {entry['phone']} is not shown")
        if base.startswith("attract"):
            got = decode(png)
            n_qr += 1
            text = "".join(t for *_, t in listing)
            match = [(titles[i["id"]], False) for i in items.values()
                     if i.get("signup_url") == got]
            for array, member in KINDS.values():
                for e in feed.get(array, []):
                    if got and e.get(member) == got:
                        # a room's card names its facility before the room
                        t = e.get("title") or e.get("name")
                        match.append(([norm(v) for v in t.values() if v], True))
            if not match:
                failures.append(f"{name}: QR decodes to {got!r}, no listing has it")
            elif not any(v[:6] in norm(text) for vs, _ in match for v in vs):
                failures.append(f"{name}: QR {got} but its listing's title is not shown")
            check_qr(png, "attract", 12, failures, qrshot, min(sw, sh) / 1080)
            if got:
                check_caption(name, got, listing, failures, table, mode in ("", "easy"),
                              page=bool(match) and match[0][1])
            if not any(t in norm(text) for t in touch):
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
