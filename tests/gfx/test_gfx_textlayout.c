/* test_text_layout: Japanese line breaking with a fake measure (ASCII 5 px, the rest 10 px).
 *
 * textlayout.c has no SDL, so these run anywhere and cover 禁則, whole Latin words and
 * URLs, explicit newlines, the … cut, invalid UTF-8 and degenerate widths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "gfx/textlayout.h"
#include "testutil.h"

static int n_measure_calls;
static int bad_measure_input;

static bool valid_utf8(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        if (s[i] == '\0' || textlayout_decode(s, len, &i) < 0) {
            return false;
        }
    }
    return true;
}

static int fake_measure(void *ctx, const char *s, size_t len)
{
    size_t i = 0;
    int w = 0;
    int32_t cp;

    (void)ctx;
    n_measure_calls++;
    if (!valid_utf8(s, len) || memchr(s, '\n', len)) {
        bad_measure_input++;
    }
    while (i < len) {
        cp = textlayout_decode(s, len, &i);
        w += (cp >= 0 && cp < 0x80) ? 5 : 10;
    }
    return w;
}

static struct textlayout *lay(const char *s, int width, int max_lines)
{
    return textlayout_create(s, s ? strlen(s) : 0, width, max_lines, fake_measure, NULL);
}

static int32_t first_cp(const struct textlayout *tl, size_t k)
{
    size_t i = tl->lines[k].off;

    if (tl->lines[k].len == 0) {
        return -1;
    }
    return textlayout_decode(tl->text, tl->lines[k].off + tl->lines[k].len, &i);
}

static int32_t last_cp(const struct textlayout *tl, size_t k)
{
    size_t end = tl->lines[k].off + tl->lines[k].len, i;

    if (tl->lines[k].len == 0) {
        return -1;
    }
    i = end - 1;
    while (i > tl->lines[k].off && ((unsigned char)tl->text[i] & 0xC0) == 0x80) {
        i--;
    }
    return textlayout_decode(tl->text, end, &i);
}

static bool line_is(const struct textlayout *tl, size_t k, const char *s)
{
    return k < tl->n_lines && tl->lines[k].len == strlen(s) &&
           memcmp(tl->text + tl->lines[k].off, s, tl->lines[k].len) == 0;
}

static bool some_line_contains(const struct textlayout *tl, const char *s)
{
    size_t k, n = strlen(s);

    for (k = 0; k < tl->n_lines; k++) {
        const char *l = tl->text + tl->lines[k].off;
        size_t len = tl->lines[k].len, i;

        for (i = 0; i + n <= len; i++) {
            if (memcmp(l + i, s, n) == 0) {
                return true;
            }
        }
    }
    return false;
}

static int count_graphemes(const char *s, size_t len)
{
    UChar u16[1024];
    int32_t n16 = 0, n = 0;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *it;

    u_strFromUTF8(u16, 1024, &n16, s, (int32_t)len, &err);
    if (U_FAILURE(err)) {
        return 1000;
    }
    it = ubrk_open(UBRK_CHARACTER, "ja", u16, n16, &err);
    if (U_FAILURE(err)) {
        return 1000;
    }
    while (ubrk_next(it) != UBRK_DONE) {
        n++;
    }
    ubrk_close(it);
    return n;
}

/* Every line is valid UTF-8, measured right, and within the width unless it holds a single
 * code point. */
static bool lines_sane(const struct textlayout *tl, int width)
{
    size_t k;

    for (k = 0; k < tl->n_lines; k++) {
        const struct textlayout_line *l = &tl->lines[k];

        if (l->off + l->len > tl->text_len) {
            return false;
        }
        if (!valid_utf8(tl->text + l->off, l->len)) {
            return false;
        }
        if (l->width != fake_measure(NULL, tl->text + l->off, l->len)) {
            return false;
        }
        if (l->width > width && !(tl->cut && k == tl->n_lines - 1)) {
            /* Only a single grapheme may overflow. */
            int bases = count_graphemes(tl->text + l->off, l->len);

            if (bases > 1) {
                fprintf(stderr, "  line %zu (%d px > %d): %.*s\n", k, l->width, width, (int)l->len,
                        tl->text + l->off);
                return false;
            }
        }
    }
    return true;
}

static const char *paragraph =
    "武蔵野プレイスでは、図書館・生涯学習・市民活動・青少年活動の四つの機能を融合した"
    "複合施設として、「知る」「学ぶ」「創る」「集う」をキーワードに、さまざまなイベントを"
    "開催しています。ボランティア（個人・団体）も募集中！ご参加をお待ちしております。"
    "ちょっとした『読み聞かせ』や【工作教室】、〈映画会〉《講演会》もあります？ぜひどうぞ。"
    "キャンプ、ジョギング、ショッピング、ウォーキング、フェスティバル、パーティー。";

static void japanese_lines_never_start_with_closing_punctuation_or_small_kana(void)
{
    int width;

    for (width = 40; width <= 400; width += 7) {
        struct textlayout *tl = lay(paragraph, width, 0);
        size_t k;

        CHECK(tl);
        if (!tl) {
            continue;
        }
        CHECK(tl->n_lines > 1);
        CHECK(lines_sane(tl, width));
        for (k = 1; k < tl->n_lines; k++) {
            int32_t c = first_cp(tl, k);

            CHECK(c >= 0 && !textlayout_forbidden_at_start((uint32_t)c));
            if (c >= 0 && textlayout_forbidden_at_start((uint32_t)c)) {
                fprintf(stderr, "  width %d line %zu starts with U+%04X\n", width, k, (unsigned)c);
            }
        }
        textlayout_free(tl);
    }
}

static void japanese_lines_never_end_with_opening_brackets(void)
{
    int width;

    for (width = 40; width <= 400; width += 3) {
        struct textlayout *tl = lay(paragraph, width, 0);
        size_t k;

        CHECK(tl);
        if (!tl) {
            continue;
        }
        for (k = 0; k + 1 < tl->n_lines; k++) {
            int32_t c = last_cp(tl, k);

            CHECK(c >= 0 && !textlayout_forbidden_at_end((uint32_t)c));
        }
        textlayout_free(tl);
    }
}

static void the_issue_lists_are_all_forbidden(void)
{
    const char *start = "、。，．」）』】〉》・ー？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";
    const char *end = "「（『【〈《";
    size_t i = 0, n = strlen(start);

    while (i < n) {
        CHECK(textlayout_forbidden_at_start((uint32_t)textlayout_decode(start, n, &i)));
    }
    n = strlen(end);
    i = 0;
    while (i < n) {
        CHECK(textlayout_forbidden_at_end((uint32_t)textlayout_decode(end, n, &i)));
    }
    CHECK(!textlayout_forbidden_at_start(0x3042)); /* あ */
    CHECK(!textlayout_forbidden_at_end(0x3042));
}

static void nakaguro_and_long_vowel_mark_never_start_a_line(void)
{
    /* ICU allows a break before ・ and ー in some contexts: our filter must not. */
    const char *s = "あいうえお・かきくけこーさしすせそ・たちつてとーなにぬねの";
    int width;

    for (width = 20; width <= 200; width += 10) {
        struct textlayout *tl = lay(s, width, 0);
        size_t k;

        CHECK(tl);
        for (k = 1; tl && k < tl->n_lines; k++) {
            int32_t c = first_cp(tl, k);
            CHECK(c != 0x30FB && c != 0x30FC);
        }
        textlayout_free(tl);
    }
}

static const char *url = "https://www.musashino.or.jp/signup?id=ev-1201-01";

static void urls_stay_whole_when_they_fit(void)
{
    char text[512];
    int width;

    snprintf(text, sizeof text, "申し込みは%sから。詳しくは受付まで。", url);
    /* The URL is 48 ASCII characters: 240 px. */
    for (width = 240; width <= 600; width += 20) {
        struct textlayout *tl = lay(text, width, 0);

        CHECK(tl && some_line_contains(tl, url));
        CHECK(tl && lines_sane(tl, width));
        textlayout_free(tl);
    }
}

static void urls_are_split_only_when_they_cannot_fit(void)
{
    char text[512];
    struct textlayout *tl;
    size_t k, total = 0;

    snprintf(text, sizeof text, "申し込みは%sから。", url);
    tl = lay(text, 100, 0);
    CHECK(tl);
    if (!tl) {
        return;
    }
    CHECK(!some_line_contains(tl, url));
    CHECK(lines_sane(tl, 100));
    for (k = 0; k < tl->n_lines; k++) {
        CHECK(tl->lines[k].width <= 100);
        total += tl->lines[k].len;
    }
    /* Nothing lost: the line bytes add up to the text (it has no blanks). */
    CHECK(total == strlen(text));
    /* Split lines are filled: all but the last of the URL's lines are nearly full. */
    CHECK(tl->lines[1].width >= 90);
    textlayout_free(tl);
}

static void latin_words_are_not_split_and_wrap_at_spaces(void)
{
    struct textlayout *tl = lay("Musashino Place volunteer information desk", 60, 0);

    CHECK(tl);
    if (!tl) {
        return;
    }
    CHECK(line_is(tl, 0, "Musashino"));
    CHECK(line_is(tl, 1, "Place"));
    CHECK(line_is(tl, 2, "volunteer"));
    CHECK(line_is(tl, 3, "information"));
    CHECK(line_is(tl, 4, "desk"));
    CHECK(tl->n_lines == 5);
    textlayout_free(tl);

    tl = lay("Wi-Fiをご利用の方はe-mailでお問い合わせください", 100, 0);
    CHECK(tl);
    CHECK(tl && some_line_contains(tl, "Wi-Fi"));
    CHECK(tl && some_line_contains(tl, "e-mail"));
    textlayout_free(tl);
}

static void leading_spaces_of_wrapped_lines_are_dropped(void)
{
    struct textlayout *tl = lay("aaaa     bbbb\xe3\x80\x80\xe3\x80\x80"
                                "cccc",
                                25, 0);

    CHECK(tl);
    if (!tl) {
        return;
    }
    CHECK(tl->n_lines == 3);
    CHECK(line_is(tl, 0, "aaaa"));
    CHECK(line_is(tl, 1, "bbbb"));
    CHECK(line_is(tl, 2, "cccc"));
    textlayout_free(tl);

    /* A paragraph's own indent stays. */
    tl = lay("\xe3\x80\x80字下げ", 1000, 0);
    CHECK(tl && tl->n_lines == 1 && line_is(tl, 0, "\xe3\x80\x80字下げ"));
    textlayout_free(tl);
}

static void explicit_newlines_force_breaks(void)
{
    struct textlayout *tl = lay("一行目\n二行目\r\n三行目\n\n五行目\n", 1000, 0);

    CHECK(tl);
    if (!tl) {
        return;
    }
    CHECK(tl->n_lines == 5);
    CHECK(line_is(tl, 0, "一行目"));
    CHECK(line_is(tl, 1, "二行目"));
    CHECK(line_is(tl, 2, "三行目"));
    CHECK(line_is(tl, 3, ""));
    CHECK(line_is(tl, 4, "五行目"));
    CHECK(!tl->cut);
    textlayout_free(tl);
}

static void a_cut_ends_with_an_ellipsis_that_fits(void)
{
    int width, max;

    for (max = 1; max <= 4; max++) {
        for (width = 30; width <= 300; width += 11) {
            struct textlayout *tl = lay(paragraph, width, max);
            struct textlayout_line *l;

            CHECK(tl);
            if (!tl) {
                continue;
            }
            CHECK(tl->n_lines == (size_t)max);
            CHECK(tl->cut);
            l = &tl->lines[tl->n_lines - 1];
            CHECK(l->len >= 3 && memcmp(tl->text + l->off + l->len - 3, "…", 3) == 0);
            CHECK(l->width <= width);
            CHECK(lines_sane(tl, width));
            textlayout_free(tl);
        }
    }
}

static void text_that_fits_is_not_cut(void)
{
    struct textlayout *tl = lay("短い文。", 1000, 1);

    CHECK(tl && tl->n_lines == 1 && !tl->cut && line_is(tl, 0, "短い文。"));
    textlayout_free(tl);
    tl = lay("一\n二", 1000, 1);
    CHECK(tl && tl->n_lines == 1 && tl->cut && line_is(tl, 0, "一…"));
    textlayout_free(tl);
}

static void a_cut_stops_early_on_long_text(void)
{
    size_t n = 200000, i;
    char *big = malloc(n + 1);
    struct textlayout *tl;

    CHECK(big);
    if (!big) {
        return;
    }
    for (i = 0; i + 3 <= n; i += 3) {
        memcpy(big + i, "あ", 3);
    }
    big[i] = '\0';
    n_measure_calls = 0;
    tl = textlayout_create(big, i, 300, 3, fake_measure, NULL);
    CHECK(tl && tl->n_lines == 3 && tl->cut);
    CHECK(n_measure_calls < 1000);
    textlayout_free(tl);
    free(big);
}

static void invalid_utf8_is_dropped_not_crashed_on(void)
{
    const char bad[] = "\xff\xfe"
                       "abc \xc3\x28 \xe3\x81 日本\xf4\x90\x80\x80語 \xed\xa0\x80"
                       "\xc0\xaf end\xe3";
    struct textlayout *tl;

    bad_measure_input = 0;
    tl = textlayout_create(bad, sizeof bad - 1, 400, 0, fake_measure, NULL);
    CHECK(tl);
    CHECK(tl && valid_utf8(tl->text, tl->text_len));
    CHECK(tl && lines_sane(tl, 400));
    CHECK(tl && some_line_contains(tl, "日本語"));
    CHECK(bad_measure_input == 0);
    textlayout_free(tl);
}

static void random_bytes_at_any_width_terminate_with_sane_lines(void)
{
    uint32_t seed = 12345;
    char buf[300];
    int round;

    bad_measure_input = 0;
    for (round = 0; round < 2000; round++) {
        size_t len, i;
        int width, max;
        struct textlayout *tl;

        seed = seed * 1103515245u + 12345u;
        len = (seed >> 8) % sizeof buf;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            /* Bias towards UTF-8 lead and continuation bytes and breaking characters. */
            switch ((seed >> 24) % 8) {
            case 0:
                buf[i] = (char)(0xE3);
                break;
            case 1:
                buf[i] = (char)(0x80 + ((seed >> 8) % 64));
                break;
            case 2:
                buf[i] = ' ';
                break;
            case 3:
                buf[i] = '\n';
                break;
            default:
                buf[i] = (char)(seed >> 16);
                break;
            }
        }
        width = (int)((seed >> 4) % 60) - 2;
        max = (int)((seed >> 12) % 4);
        tl = textlayout_create(buf, len, width, max, fake_measure, NULL);
        CHECK(tl);
        if (!tl) {
            continue;
        }
        CHECK(lines_sane(tl, width < 0 ? 0 : width));
        CHECK(max == 0 || tl->n_lines <= (size_t)max);
        textlayout_free(tl);
    }
    CHECK(bad_measure_input == 0);
}

static void empty_text_gives_no_lines(void)
{
    struct textlayout *tl = lay("", 100, 0);

    CHECK(tl && tl->n_lines == 0 && !tl->cut);
    textlayout_free(tl);
    tl = lay(NULL, 100, 0);
    CHECK(tl && tl->n_lines == 0);
    textlayout_free(tl);
    tl = lay(" \n \n", 100, 2);
    CHECK(tl && tl->n_lines == 0);
    textlayout_free(tl);
    textlayout_free(NULL);
}

static void widths_zero_and_one_do_not_hang(void)
{
    int width;

    for (width = -1; width <= 1; width++) {
        struct textlayout *tl = lay(paragraph, width, 0);
        size_t k;

        CHECK(tl);
        if (!tl) {
            continue;
        }
        CHECK(tl->n_lines > 50);
        for (k = 0; k < tl->n_lines; k++) {
            CHECK(tl->lines[k].len > 0 && tl->lines[k].len <= 4);
        }
        textlayout_free(tl);
        tl = lay(paragraph, width, 2);
        CHECK(tl && tl->n_lines == 2 && tl->cut);
        textlayout_free(tl);
    }
}

static bool phrase_lines_ok(const char *s, int width, const char *whole)
{
    struct textlayout *tl =
        textlayout_create_flags(s, strlen(s), width, 0, TEXTLAYOUT_PHRASE, fake_measure, NULL);
    bool ok = tl && tl->n_lines > 0;
    bool found = !whole;
    size_t total = 0;
    for (size_t k = 0; ok && k < tl->n_lines; k++) {
        const struct textlayout_line *ln = &tl->lines[k];
        int32_t f = first_cp(tl, k), l = last_cp(tl, k);
        ok = ln->width <= width &&
             (k == 0 || f < 0 || !textlayout_forbidden_at_start((uint32_t)f)) &&
             (k + 1 == tl->n_lines || l < 0 || !textlayout_forbidden_at_end((uint32_t)l));
        total += ln->len;
        for (size_t o = 0; whole && o + strlen(whole) <= ln->len; o++) {
            if (memcmp(tl->text + ln->off + o, whole, strlen(whole)) == 0) {
                found = true;
            }
        }
    }
    ok = ok && found && total == strlen(s);
    textlayout_free(tl);
    return ok;
}

static void titles_break_between_phrases_and_keep_kinsoku(void)
{
    /* by characters: 「指で読む文／字にふれる」; by phrases 「文字」 stays whole */
    CHECK(phrase_lines_ok("指で読む文字にふれる", 50, "文字"));
    CHECK(phrase_lines_ok("武蔵野市多文化共生フォーラム", 60, "フォーラム"));
    CHECK(phrase_lines_ok("シニアのためのスマホ相談会", 80, "スマホ"));
    /* 禁則 in phrase mode too */
    CHECK(phrase_lines_ok("きょうは、としょかんで「えほん」をよみます。", 60, NULL));
}

static void a_phrase_wider_than_the_line_falls_back_to_characters(void)
{
    struct textlayout *tl = textlayout_create_flags("あいうえおかきくけこさしすせそ", 45, 60, 0,
                                                    TEXTLAYOUT_PHRASE, fake_measure, NULL);
    CHECK(tl && tl->n_lines == 3);
    for (size_t k = 0; tl && k < tl->n_lines; k++) {
        CHECK(tl->lines[k].width <= 60);
    }
    textlayout_free(tl);
    CHECK(phrase_lines_ok("あいうえおかきくけこさしすせそ", 60, NULL));
}

/* The lines of s at width, joined by '/'. */
static const char *lines_of(const char *s, int width, unsigned flags, char *buf, size_t n)
{
    struct textlayout *tl =
        textlayout_create_flags(s, strlen(s), width, 0, flags, fake_measure, NULL);
    size_t o = 0;
    buf[0] = '\0';
    for (size_t k = 0; tl && k < tl->n_lines && o + tl->lines[k].len + 2 < n; k++) {
        if (k > 0) {
            buf[o++] = '/';
        }
        memcpy(buf + o, tl->text + tl->lines[k].off, tl->lines[k].len);
        o += tl->lines[k].len;
        buf[o] = '\0';
    }
    textlayout_free(tl);
    return buf;
}

static void a_number_keeps_its_counter(void)
{
    char buf[256];
    /* 「会館 2」 would fit 65 px; the 2 goes down with its 階 */
    CHECK(strcmp(lines_of("会館 2階", 35, 0, buf, sizeof buf), "会館/2階") == 0);
    CHECK(strcmp(lines_of("定員120名です", 40, 0, buf, sizeof buf), "定員/120名で/す") == 0);
    CHECK(strcmp(lines_of("あと5日", 30, 0, buf, sizeof buf), "あと/5日") == 0);
    /* fullwidth digits and Hangul counters too */
    CHECK(strcmp(lines_of("あいう３階", 45, 0, buf, sizeof buf), "あいう/３階") == 0);
    CHECK(strcmp(lines_of("가나다2층", 35, 0, buf, sizeof buf), "가나다/2층") == 0);
    /* a number too long for the line is still split somewhere */
    CHECK(strcmp(lines_of("12345階", 20, 0, buf, sizeof buf), "1234/5階") == 0);
}

static void a_line_ends_at_a_space_rather_than_inside_a_unit(void)
{
    char buf[256];
    /* 「…2階 集」 would fit 140 px: the line ends at the space instead */
    const char *place = "館外　武蔵野市民会館 2階 集会室";
    CHECK(strcmp(lines_of(place, 140, 0, buf, sizeof buf), "館外　武蔵野市民会館 2階/集会室") == 0);
    CHECK(strcmp(lines_of(place, 140, TEXTLAYOUT_PHRASE, buf, sizeof buf),
                 "館外　武蔵野市民会館 2階/集会室") == 0);
    /* never a line under two thirds full for it: the space at 市 is too early */
    CHECK(strcmp(lines_of("武蔵野市 多文化共生フォーラム", 120, TEXTLAYOUT_PHRASE, buf, sizeof buf),
                 "武蔵野市 多文化共生/フォーラム") == 0);
    /* Korean keeps its words */
    CHECK(strcmp(lines_of("시민 활동 센터에서", 60, 0, buf, sizeof buf), "시민 활동/센터에서") ==
          0);
}

int main(void)
{
    RUN(japanese_lines_never_start_with_closing_punctuation_or_small_kana);
    RUN(japanese_lines_never_end_with_opening_brackets);
    RUN(the_issue_lists_are_all_forbidden);
    RUN(nakaguro_and_long_vowel_mark_never_start_a_line);
    RUN(urls_stay_whole_when_they_fit);
    RUN(urls_are_split_only_when_they_cannot_fit);
    RUN(latin_words_are_not_split_and_wrap_at_spaces);
    RUN(leading_spaces_of_wrapped_lines_are_dropped);
    RUN(explicit_newlines_force_breaks);
    RUN(a_cut_ends_with_an_ellipsis_that_fits);
    RUN(text_that_fits_is_not_cut);
    RUN(a_cut_stops_early_on_long_text);
    RUN(invalid_utf8_is_dropped_not_crashed_on);
    RUN(random_bytes_at_any_width_terminate_with_sane_lines);
    RUN(empty_text_gives_no_lines);
    RUN(widths_zero_and_one_do_not_hang);
    RUN(titles_break_between_phrases_and_keep_kinsoku);
    RUN(a_phrase_wider_than_the_line_falls_back_to_characters);
    RUN(a_number_keeps_its_counter);
    RUN(a_line_ends_at_a_space_rather_than_inside_a_unit);
    TEST_MAIN_END();
}
