/* test_util_ruby: the reading markup `{漢字|かんじ}` parsed into base text and readings. */
#include <stdlib.h>
#include <string.h>

#include "util/ruby.h"
#include "testutil.h"

static struct ruby_text *parse(const char *s)
{
    return ruby_parse(s, strlen(s));
}

static bool span_is(const struct ruby_text *rt, size_t i, const char *base, const char *reading)
{
    if (i >= rt->n_spans) {
        return false;
    }
    const struct ruby_span *sp = &rt->spans[i];
    return sp->base_len == strlen(base) &&
           memcmp(rt->base + sp->base_off, base, sp->base_len) == 0 &&
           sp->read_len == strlen(reading) &&
           memcmp(rt->readings + sp->read_off, reading, sp->read_len) == 0;
}

static void plain_text_is_its_own_base(void)
{
    struct ruby_text *rt = parse("点字体験講座");
    CHECK(rt && strcmp(rt->base, "点字体験講座") == 0 && rt->n_spans == 0);
    CHECK(!ruby_has_markup("点字", strlen("点字")));
    ruby_free(rt);
}

static void a_group_reading_covers_the_whole_base(void)
{
    struct ruby_text *rt = parse("{武蔵野|むさしの}プレイス");
    CHECK(rt && strcmp(rt->base, "武蔵野プレイス") == 0);
    CHECK(rt && rt->n_spans == 1 && span_is(rt, 0, "武蔵野", "むさしの") && !rt->spans[0].mono);
    ruby_free(rt);
}

static void one_reading_per_character_is_mono_ruby(void)
{
    struct ruby_text *rt = parse("{漢字|かん|じ}を読む");
    CHECK(rt && strcmp(rt->base, "漢字を読む") == 0);
    CHECK(rt && rt->n_spans == 2 && span_is(rt, 0, "漢", "かん") && span_is(rt, 1, "字", "じ"));
    CHECK(rt && rt->n_spans == 2 && rt->spans[0].mono && rt->spans[1].mono);
    ruby_free(rt);
}

static void a_miscounted_mono_reading_becomes_one_group(void)
{
    struct ruby_text *rt = parse("{図書館|と|しょかん}");
    CHECK(rt && strcmp(rt->base, "図書館") == 0);
    CHECK(rt && rt->n_spans == 1 && span_is(rt, 0, "図書館", "としょかん"));
    ruby_free(rt);
}

static void several_spans_keep_their_order(void)
{
    struct ruby_text *rt = parse("{今日|きょう}は{図書館|としょかん}へ");
    CHECK(rt && strcmp(rt->base, "今日は図書館へ") == 0 && rt->n_spans == 2);
    CHECK(rt && span_is(rt, 0, "今日", "きょう") && span_is(rt, 1, "図書館", "としょかん"));
    ruby_free(rt);
}

static void braces_that_are_not_markup_stay_as_written(void)
{
    static const char *const kept[] = {
        "{まだ閉じない", "{読み|", "{|よみ}", "{本|}", "a{b{c|d}e", "{改行\n|かいぎょう}", "}{",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        struct ruby_text *rt = parse(kept[i]);
        if (i == 4) {
            /* the inner span is well formed; the stray outer brace stays */
            CHECK(rt && strcmp(rt->base, "a{bce") == 0 && rt->n_spans == 1);
        } else {
            CHECK(rt && strcmp(rt->base, kept[i]) == 0 && rt->n_spans == 0);
        }
        ruby_free(rt);
    }
}

static void random_bytes_never_overrun(void)
{
    char buf[64];
    unsigned seed = 12345;
    for (int k = 0; k < 2000; k++) {
        size_t n = (size_t)(k % 63);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            static const char alpha[] = "{|}a\xE6\xBC\xA2";
            buf[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
        }
        struct ruby_text *rt = ruby_parse(buf, n);
        CHECK(rt && rt->base_len <= n && strlen(rt->base) == rt->base_len);
        for (size_t s = 0; rt && s < rt->n_spans; s++) {
            CHECK(rt->spans[s].base_off + rt->spans[s].base_len <= rt->base_len);
        }
        ruby_free(rt);
    }
}

int main(void)
{
    RUN(plain_text_is_its_own_base);
    RUN(a_group_reading_covers_the_whole_base);
    RUN(one_reading_per_character_is_mono_ruby);
    RUN(a_miscounted_mono_reading_becomes_one_group);
    RUN(several_spans_keep_their_order);
    RUN(braces_that_are_not_markup_stay_as_written);
    RUN(random_bytes_never_overrun);
    TEST_MAIN_END();
}
