/* test_util_utf8: well-formedness and sanitising of untrusted text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "testutil.h"

static bool valid(const char *s)
{
    return utf8_valid(s, strlen(s));
}

static void ascii_and_japanese_are_valid(void)
{
    CHECK(valid(""));
    CHECK(valid("hello"));
    CHECK(valid("武蔵野プレイス"));
    CHECK(valid("\xF0\x9F\x8E\x89")); /* U+1F389 */
    CHECK(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
}

static void malformed_sequences_are_invalid(void)
{
    CHECK(!valid("\x80"));         /* lone continuation */
    CHECK(!valid("\xC3"));         /* truncated */
    CHECK(!valid("\xE3\x81"));     /* truncated */
    CHECK(!valid("\xE3\x81\x41")); /* bad continuation */
    CHECK(!valid("\xFF"));
    CHECK(!valid("\xFE"));
    CHECK(!valid("a\xF8\x88\x80\x80\x80"));
}

static void overlongs_surrogates_and_values_past_the_last_are_invalid(void)
{
    CHECK(!valid("\xC0\x80")); /* overlong NUL */
    CHECK(!valid("\xC1\xBF"));
    CHECK(!valid("\xE0\x80\xAF")); /* overlong '/' */
    CHECK(!valid("\xF0\x80\x80\xAF"));
    CHECK(!valid("\xED\xA0\x80"));     /* U+D800 */
    CHECK(!valid("\xED\xBF\xBF"));     /* U+DFFF */
    CHECK(!valid("\xF4\x90\x80\x80")); /* U+110000 */
    CHECK(valid("\xED\x9F\xBF"));      /* U+D7FF */
    CHECK(valid("\xEE\x80\x80"));      /* U+E000 */
}

static void an_embedded_nul_is_invalid(void)
{
    CHECK(!utf8_valid("ab\0cd", 5));
    CHECK(utf8_valid("ab\0cd", 2));
}

static void utf8_next_decodes_and_reports_errors(void)
{
    const char *s = "aあ\xFF"
                    "b";
    const char *end = s + strlen(s);
    CHECK(utf8_next(&s, end) == 'a');
    CHECK(utf8_next(&s, end) == 0x3042);
    CHECK(utf8_next(&s, end) == -1);
    CHECK(utf8_next(&s, end) == 'b'); /* resynchronises after the bad byte */
    CHECK(utf8_next(&s, end) == -1);  /* at the end */
}

static void sanitize_strips_control_characters(void)
{
    char *s = utf8_sanitize("a\x01"
                            "b\x7F"
                            "c\xC2\x85"
                            "d\xE2\x80\xAE"
                            "e\xEF\xBB\xBF"
                            "f",
                            100, false);
    CHECK(s && strcmp(s, "abcdef") == 0);
    free(s);
}

static void sanitize_turns_tabs_and_lone_cr_into_spaces(void)
{
    char *s = utf8_sanitize("a\tb\rc", 100, false);
    CHECK(s && strcmp(s, "a b c") == 0);
    free(s);
}

static void sanitize_keeps_newlines_only_when_asked(void)
{
    char *a = utf8_sanitize("1\n2\r\n3\xE2\x80\xA8"
                            "4",
                            100, true);
    char *b = utf8_sanitize("1\n2\r\n3", 100, false);
    CHECK(a && strcmp(a, "1\n2\n3\n4") == 0);
    CHECK(b && strcmp(b, "1 2 3") == 0);
    free(a);
    free(b);
}

static void sanitize_cuts_at_a_character_boundary(void)
{
    char *a = utf8_sanitize("あいう", 8, false); /* 9 bytes: only two characters fit */
    char *b = utf8_sanitize("あいう", 9, false);
    char *c = utf8_sanitize("abc", 0, false);
    CHECK(a && strcmp(a, "あい") == 0);
    CHECK(b && strcmp(b, "あいう") == 0);
    CHECK(c && strcmp(c, "") == 0);
    free(a);
    free(b);
    free(c);
}

static void sanitize_keeps_emoji_sequences(void)
{
    /* family emoji with zero width joiners: ZWJ is not a control to strip */
    const char *fam = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9";
    char *s = utf8_sanitize(fam, 100, false);
    CHECK(s && strcmp(s, fam) == 0);
    free(s);
}

static bool visible(const char *s)
{
    return utf8_has_visible(s, strlen(s));
}

static void text_of_spaces_and_invisible_characters_has_nothing_visible(void)
{
    static const char *const blank[] = {
        "",
        " ",
        "\n",
        "\t \r\n",
        "\xE3\x80\x80", /* U+3000 */
        "\xC2\xA0",
        "\xE2\x80\x8B",
        "\xE2\x80\x8D",
        "\xEF\xBB\xBF", /* NBSP ZWSP ZWJ BOM */
        "\xE2\xA0\x80", /* blank Braille */
        "\xE3\x85\xA4",
        "\xE1\x85\x9F\xE1\x85\xA0",
        "\xEF\xBE\xA0", /* Hangul fillers */
        "\xC2\xAD",
        "\xE2\x81\xA0",
        "\xE1\xA0\x8E",
        "\xE2\x80\xAE", /* SHY WJ MVS RLO */
        "\xEF\xB8\x8F",
        "\xF3\xA0\x84\x80",
        "\xF3\xA0\x81\x81", /* VS16 VS17 tag A */
        "\xEE\x80\x80",
        "\xF3\xB0\x80\x80",
        "\xEF\xBF\xBF", /* PUA, plane 15, FFFF */
        "\xD8\x80",
        "\xE1\x9A\x80 \xE2\x80\xAF", /* Arabic number sign, Ogham */
    };
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        CHECK(!visible(blank[i]));
        if (visible(blank[i])) {
            fprintf(stderr, "  case %zu counted as visible\n", i);
        }
    }
}

static void one_visible_character_is_enough(void)
{
    CHECK(visible("a"));
    CHECK(visible("\xE3\x80\x80\xE7\x81\xAB\xE2\x80\x8B")); /* 　火 + ZWSP */
    CHECK(visible("\xE3\x80\x82"));                         /* 。 */
    CHECK(visible("\xF0\x9F\x94\xA5"));                     /* an emoji */
    CHECK(visible("\xE2\xA0\x81"));                         /* Braille dot 1 */
    CHECK(visible("\xEA\xB0\x80"));                         /* 가 */
    CHECK(!utf8_cp_invisible(0xFFFD) && utf8_cp_invisible(0x1FFFE));
}

int main(void)
{
    RUN(ascii_and_japanese_are_valid);
    RUN(malformed_sequences_are_invalid);
    RUN(overlongs_surrogates_and_values_past_the_last_are_invalid);
    RUN(an_embedded_nul_is_invalid);
    RUN(utf8_next_decodes_and_reports_errors);
    RUN(sanitize_strips_control_characters);
    RUN(sanitize_turns_tabs_and_lone_cr_into_spaces);
    RUN(sanitize_keeps_newlines_only_when_asked);
    RUN(sanitize_cuts_at_a_character_boundary);
    RUN(sanitize_keeps_emoji_sequences);
    RUN(text_of_spaces_and_invisible_characters_has_nothing_visible);
    RUN(one_visible_character_is_enough);
    TEST_MAIN_END();
}
