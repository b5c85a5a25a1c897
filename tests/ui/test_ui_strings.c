/* test_ui_strings: every interface string exists in every language, in that language.
 *
 * A missing entry would show Japanese on an English screen (ui_str falls back), so each of
 * the five tables must fill every id. Beyond presence: English, Chinese and Korean entries
 * hold no kana (a Japanese word left untranslated), the English ones no CJK at all, the
 * Korean labels Hangul, and the やさしい日本語 readings are well-formed `{base|reading}`. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ui/strings.h"
#include "util/ruby.h"
#include "util/utf8.h"

static int32_t next_cp(const char *s, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    int32_t cp = u[*i];
    int n = cp < 0x80 ? 0 : cp < 0xE0 ? 1 : cp < 0xF0 ? 2 : 3;

    cp = n == 0 ? cp : n == 1 ? cp & 0x1F : n == 2 ? cp & 0x0F : cp & 0x07;
    (*i)++;
    while (n-- > 0 && u[*i]) {
        cp = cp << 6 | (u[(*i)++] & 0x3F);
    }
    return cp;
}

static bool is_kana(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF);
}

static bool is_cjk(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF);
}

static bool has(const char *s, bool (*pred)(int32_t))
{
    for (size_t i = 0; s[i];) {
        if (pred(next_cp(s, &i))) {
            return true;
        }
    }
    return false;
}

static bool is_hangul(int32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7AF;
}

static bool is_han(int32_t cp)
{
    return cp >= 0x3400 && cp <= 0x9FFF;
}

static void every_language_has_every_string(void)
{
    for (int l = 0; l < UI_LANG_COUNT_; l++) {
        for (int id = 0; id < UI_STR_COUNT_; id++) {
            const char *s = ui_str_in((enum ui_lang)l, (enum ui_str)id);
            /* affixes a language may not need (English counts have no unit word, "until"
             * goes before or after a date); everything else says something */
            bool may_be_empty =
                (l == UI_LANG_EN && (id == UI_STR_COUNT_UNIT || id == UI_STR_DAYS_LEFT_UNIT)) ||
                id == UI_STR_UNTIL || id == UI_STR_UNTIL_BEFORE || id == UI_STR_SHOWN_UNTIL;
            if (!s || (!s[0] && !may_be_empty)) {
                fprintf(stderr, "%s: string %d missing\n", ui_lang_code((enum ui_lang)l), id);
            }
            CHECK(s && (s[0] || may_be_empty));
            CHECK(!s || utf8_valid(s, strlen(s)));
        }
    }
}

static void foreign_tables_hold_no_japanese_words(void)
{
    for (int id = 0; id < UI_STR_COUNT_; id++) {
        const char *en = ui_str_in(UI_LANG_EN, (enum ui_str)id);
        const char *zh = ui_str_in(UI_LANG_ZH, (enum ui_str)id);
        const char *ko = ui_str_in(UI_LANG_KO, (enum ui_str)id);
        if (en && has(en, is_cjk)) {
            fprintf(stderr, "en %d: %s\n", id, en);
        }
        CHECK(en && !has(en, is_cjk));
        if (zh && has(zh, is_kana)) {
            fprintf(stderr, "zh-Hans %d: %s\n", id, zh);
        }
        CHECK(zh && !has(zh, is_kana));
        if (ko && (has(ko, is_kana) || has(ko, is_han))) {
            fprintf(stderr, "ko %d: %s\n", id, ko);
        }
        CHECK(ko && !has(ko, is_kana) && !has(ko, is_han));
    }
    /* "until" is said somewhere around the date in every language */
    for (int l = 0; l < UI_LANG_COUNT_; l++) {
        CHECK(ui_str_in((enum ui_lang)l, UI_STR_UNTIL)[0] ||
              ui_str_in((enum ui_lang)l, UI_STR_UNTIL_BEFORE)[0]);
    }
    /* a Korean screen says it in Hangul */
    CHECK(has(ui_str_in(UI_LANG_KO, UI_STR_ATTRACT_TOUCH), is_hangul));
    CHECK(has(ui_str_in(UI_LANG_ZH, UI_STR_ATTRACT_TOUCH), is_han));
}

static void easy_japanese_readings_are_well_formed(void)
{
    for (int id = 0; id < UI_STR_COUNT_; id++) {
        const char *s = ui_str_in(UI_LANG_EASY, (enum ui_str)id);
        size_t len = s ? strlen(s) : 0;
        struct ruby_text *rt = s ? ruby_parse(s, len) : NULL;
        CHECK(!s || rt);
        /* every reading parses: no bar of a malformed span is left in the text as written
         * (a brace alone may stay: the {n} of a count) */
        if (rt && strchr(rt->base, '|')) {
            fprintf(stderr, "ja-easy %d: bad reading markup: %s\n", id, s);
            CHECK(false);
        }
        for (size_t i = 0; rt && i < rt->n_spans; i++) {
            /* a reading is kana */
            const struct ruby_span *sp = &rt->spans[i];
            char *reading = strndup(rt->readings + sp->read_off, sp->read_len);
            CHECK(reading && has(reading, is_kana) && !has(reading, is_han));
            free(reading);
        }
        ruby_free(rt);
    }
    /* the markup shows as its base where ruby is not drawn */
    const char *marked = "お{金|かね}と{日本語|にほんご}、{ふつう}と{a|}";
    struct ruby_text *rt = ruby_parse(marked, strlen(marked));
    CHECK(rt && strcmp(rt->base, "お金と日本語、{ふつう}と{a|}") == 0);
    ruby_free(rt);
}

static void the_current_language_answers(void)
{
    CHECK(strcmp(ui_str(UI_STR_CLOSE), "とじる") == 0);
    ui_str_set_lang(UI_LANG_EN);
    CHECK(strcmp(ui_str(UI_STR_CLOSE), "Close") == 0);
    CHECK(ui_str_lang() == UI_LANG_EN);
    ui_str_set_lang((enum ui_lang)99);
    CHECK(ui_str_lang() == UI_LANG_JA);
    CHECK(ui_lang_parse("zh-Hans") == UI_LANG_ZH && ui_lang_parse("zh") == UI_LANG_ZH);
    CHECK(ui_lang_parse("ja-easy") == UI_LANG_EASY && ui_lang_parse("easy") == UI_LANG_EASY);
    CHECK(ui_lang_parse("ja") == UI_LANG_JA && ui_lang_parse("fr") == -1);
    CHECK(strcmp(ui_lang_own_name(UI_LANG_KO), "한국어") == 0);
}

int main(void)
{
    RUN(every_language_has_every_string);
    RUN(foreign_tables_hold_no_japanese_words);
    RUN(easy_japanese_readings_are_well_formed);
    RUN(the_current_language_answers);
    TEST_MAIN_END();
}
