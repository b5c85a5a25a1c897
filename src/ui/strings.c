/* strings: ui_str and the current interface language (see strings.h).
 *
 * The current language is one value for the one screen, kept here rather than passed to
 * every ui_str call: a hundred call sites ask for words, and all of them want the words of
 * the screen being drawn. ui/ sets it from the visitor's choice before each frame. */
#include "ui/strings.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ui/strings_internal.h"

struct lang_info {
    const char *const *table;
    const char *code, *suffix, *own_name;
};

static const struct lang_info langs[UI_LANG_COUNT_] = {
    [UI_LANG_JA] = {ui_strings_ja, "ja", "", "日本語"},
    [UI_LANG_EASY] = {ui_strings_easy, "ja-easy", "easy", "やさしい にほんご"},
    [UI_LANG_EN] = {ui_strings_en, "en", "en", "English"},
    [UI_LANG_ZH] = {ui_strings_zh, "zh-Hans", "zh", "中文"},
    [UI_LANG_KO] = {ui_strings_ko, "ko", "ko", "한국어"},
};

static enum ui_lang current = UI_LANG_JA;

static bool lang_ok(enum ui_lang lang)
{
    return (int)lang >= 0 && lang < UI_LANG_COUNT_;
}

const char *ui_str_in(enum ui_lang lang, enum ui_str id)
{
    if (!lang_ok(lang) || (int)id < 0 || id >= UI_STR_COUNT_) {
        return NULL;
    }
    return langs[lang].table[id];
}

const char *ui_str(enum ui_str id)
{
    const char *s = ui_str_in(current, id);

    /* a missing translation (a test catches it) says it in Japanese, never nothing */
    if (!s) {
        s = ui_str_in(UI_LANG_JA, id);
    }
    return s ? s : "";
}

void ui_str_set_lang(enum ui_lang lang)
{
    current = lang_ok(lang) ? lang : UI_LANG_JA;
}

enum ui_lang ui_str_lang(void)
{
    return current;
}

const char *ui_lang_code(enum ui_lang lang)
{
    return lang_ok(lang) ? langs[lang].code : "ja";
}

const char *ui_lang_suffix(enum ui_lang lang)
{
    return lang_ok(lang) ? langs[lang].suffix : "";
}

const char *ui_lang_own_name(enum ui_lang lang)
{
    return lang_ok(lang) ? langs[lang].own_name : "";
}

int ui_lang_parse(const char *s)
{
    if (!s) {
        return -1;
    }
    for (int i = 0; i < UI_LANG_COUNT_; i++) {
        if (strcmp(s, langs[i].code) == 0 ||
            (langs[i].suffix[0] && strcmp(s, langs[i].suffix) == 0)) {
            return i;
        }
    }
    return -1;
}
