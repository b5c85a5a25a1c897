/* test_ui_detail_qr: the detail screen's QR code, as a visitor sees it.
 *
 * Renders the real ui (software renderer, landscape 1920x1080 and portrait 1080x1920) for
 * listings whose signup URLs are at and just past ui_qr_max_url(), the limit
 * `kiosk --check-feed` warns at, and checks the screenshot: a code that zbarimg decodes to
 * the URL with whole modules of at least 8 px, and its caption naming the host; or, when
 * no code can be drawn large enough, the contact and no caption at all. */
#include <stdlib.h>
#include <string.h>

#include <SDL.h>

#include "feed/feed.h"
#include "feed/model.h"
#include "gfx/gfx.h"
#include "offscreen.h"
#include "ui/ui.h"
#include "util/qrspec.h"
#include "util/timeutil.h"
#include "testutil.h"

#define NOW 1795654800 /* 2026-11-26T10:00:00+09:00 */
#define CAPTION "スマートフォンで読み取ると"
#define CONTACT "市民活動推進課 0422-60-1830"

static char *tmpdir;

/* What one screenshot showed. */
struct shot {
    char decoded[2600]; /* what zbarimg read, "" when nothing */
    int module;         /* px per module of the pure-black code, 0 when none */
    char *text;         /* every text line drawn, newline-separated */
};

/* A URL of exactly n bytes on host. */
static char *url_of(const char *host, size_t n)
{
    char *u = malloc(n + 1);
    if (!u) {
        return NULL;
    }
    int k = snprintf(u, n + 1, "https://%s/form?id=", host);
    for (size_t i = (size_t)k; i < n; i++) {
        u[i] = (char)('a' + i % 26);
    }
    u[n] = '\0';
    return u;
}

/* A feed with event "ev" signing up at url (NULL: none) and, with bands, an important and
 * a normal announcement on screen. The model owns it. */
static struct model *model_with(const char *url, bool bands)
{
    char *doc = malloc(8192);
    if (!doc) {
        return NULL;
    }
    char su[2700] = "";
    if (url) {
        snprintf(su, sizeof su, "\"signup_url\":\"%s\",", url);
    }
    snprintf(doc, 8192,
             "{\"version\":1,\"generated_at\":\"2026-11-26T09:00:00+09:00\",\"events\":["
             "{\"id\":\"ev\",\"title\":{\"ja\":\"玉川上水の清掃\"},\"start\":\"2026-12-01\","
             "%s\"contact\":{\"ja\":\"" CONTACT "\"}}],\"volunteers\":[],"
             "\"announcements\":[%s]}",
             su,
             bands ? "{\"id\":\"a1\",\"text\":{\"ja\":\"館内Wi-Fiの工事があります。\"},"
                     "\"level\":\"important\",\"starts_at\":\"2026-11-25T00:00:00+09:00\","
                     "\"ends_at\":\"2026-11-30T00:00:00+09:00\"},"
                     "{\"id\":\"a2\",\"text\":{\"ja\":\"第3水曜日は休館します。\"},"
                     "\"starts_at\":\"2026-11-25T00:00:00+09:00\","
                     "\"ends_at\":\"2026-11-30T00:00:00+09:00\"}"
                   : "");
    char err[256] = "";
    struct feed *f = feed_parse(doc, strlen(doc), NULL, err, sizeof err);
    free(doc);
    CHECK(f && feed_find(f, "ev"));
    if (!f) {
        fprintf(stderr, "  feed rejected: %s\n", err);
        return NULL;
    }
    struct model *m = model_create("");
    if (!m) {
        feed_free(f);
        return NULL;
    }
    model_set_feed(m, f, NOW);
    model_tick(m, NOW);
    return m;
}

static Uint32 px_at(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + y * s->pitch + x * 3;
    return ((Uint32)p[0] << 16) | ((Uint32)p[1] << 8) | p[2];
}

/* The module size of the pure-black code in s, from its top-left finder pattern. */
static int module_of(SDL_Surface *s)
{
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++) {
            if (px_at(s, x, y) == 0) {
                int run = 0;
                while (x + run < s->w && px_at(s, x + run, y) == 0) {
                    run++;
                }
                return run % 7 == 0 ? run / 7 : -1;
            }
        }
    }
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return NULL;
    }
    char *buf = calloc(1, 1 << 16);
    if (buf) {
        size_t n = fread(buf, 1, (1 << 16) - 1, f);
        buf[n] = '\0';
    }
    fclose(f);
    return buf;
}

/* Draws the detail of "ev" (or, with attract, the attract loop) at w x h and fills *out.
 * 0 or -1. */
static int render_screen(const char *url, bool bands, bool attract, int w, int h, struct shot *out)
{
    int rc = -1;
    char png[512], txt[512], cmd[700];
    memset(out, 0, sizeof *out);
    struct offscreen os;
    struct gfx *g = offscreen_open_surface(&os, w, h, &offscreen_fonts) == 0 ? os.gfx : NULL;
    struct model *m = g ? model_with(url, bands) : NULL;
    struct ui_options o = {"武蔵野プレイス", "Musashino Place", 120, 8, 86400};
    struct ui *u = m ? ui_create(g, m, &o, 0) : NULL;
    if (!u) {
        goto out;
    }
    ui_set_size(u, w, h);
    if (attract) {
        ui_start_attract(u, 0);
    } else if (ui_open_detail(u, "ev", 0) != 0) {
        goto out;
    }
    ui_draw(u, 0);
    snprintf(png, sizeof png, "%s/shot.png", tmpdir);
    snprintf(txt, sizeof txt, "%s/shot.txt", tmpdir);
    if (gfx_save_png(os.ren, w, h, png) != 0 || gfx_write_text_listing(g, txt) != 0) {
        goto out;
    }
    out->module = module_of(os.surface);
    out->text = slurp(txt);
    snprintf(cmd, sizeof cmd, "zbarimg --nodbus -q --raw '%s' 2>/dev/null", png);
    FILE *p = popen(cmd, "r");
    if (p) {
        if (!fgets(out->decoded, sizeof out->decoded, p)) {
            out->decoded[0] = '\0';
        }
        pclose(p);
        out->decoded[strcspn(out->decoded, "\n")] = '\0';
    }
    rc = out->text ? 0 : -1;
out:
    ui_free(u);
    model_free(m);
    offscreen_close(&os);
    CHECK(rc == 0);
    return rc;
}

static int render(const char *url, bool bands, int w, int h, struct shot *out)
{
    return render_screen(url, bands, false, w, h, out);
}

/* The listing's text as one string without geometry, line breaks or spaces: a line may
 * wrap anywhere and drop its spaces there. The caller frees. */
static char *flat(const char *listing)
{
    size_t n = listing ? strlen(listing) : 0;
    char *out = malloc(n + 1), *o = out;
    bool in_text = false;
    if (!out) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = listing[i];
        if (c == '\t' || c == '\n') {
            in_text = c == '\t';
        } else if (in_text && c != ' ') {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

static bool shows_code(const char *url, bool bands, int w, int h, const char *host)
{
    struct shot s;
    if (render(url, bands, w, h, &s) != 0) {
        return false;
    }
    /* the host whole, on one line or two, never cut with … nor labelled ページ： */
    char *ft = flat(s.text);
    bool ok = strcmp(s.decoded, url) == 0 && s.module >= 8 && ft && strstr(ft, CAPTION) &&
              strstr(ft, "Scantoopenthesign-uppage") && strstr(ft, host) &&
              !strstr(s.text, "ページ：");
    free(ft);
    printf("  %dx%d%s url %zu bytes: module %d px, decoded %s\n", w, h, bands ? " with bands" : "",
           strlen(url), s.module, strcmp(s.decoded, url) == 0 ? "ok" : "wrong");
    free(s.text);
    return ok;
}

static bool shows_contact(const char *url, bool bands, int w, int h)
{
    struct shot s;
    if (render(url, bands, w, h, &s) != 0) {
        return false;
    }
    bool ok = s.decoded[0] == '\0' && s.module == 0 && !strstr(s.text, CAPTION) &&
              strstr(s.text, "申し込み・お問い合わせ") && strstr(s.text, CONTACT);
    printf("  %dx%d%s url %zu bytes: contact %s, module %d\n", w, h, bands ? " with bands" : "",
           url ? strlen(url) : 0, ok ? "shown, no caption" : "WRONG", s.module);
    free(s.text);
    return ok;
}

static void the_limit_is_the_portrait_one_and_a_documented_figure(void)
{
    /* docs/feed.md gives these: keep them in step */
    CHECK(ui_qr_max_url() == 122);
    printf("  ui_qr_max_url() = %zu bytes\n", ui_qr_max_url());
}

static void a_url_at_the_limit_shows_its_code_in_both_orientations(void)
{
    char *url = url_of("www.city.musashino.lg.jp", ui_qr_max_url());
    CHECK(url);
    if (!url) {
        return;
    }
    CHECK(shows_code(url, true, 1080, 1920, "www.city.musashino.lg.jp"));
    CHECK(shows_code(url, false, 1080, 1920, "www.city.musashino.lg.jp"));
    /* two announcement bands take room from the landscape panel: it still fits */
    CHECK(shows_code(url, true, 1920, 1080, "www.city.musashino.lg.jp"));
    free(url);
}

static void a_url_past_the_limit_shows_the_contact_and_no_caption(void)
{
    char *url = url_of("www.city.musashino.lg.jp", ui_qr_max_url() + 1);
    CHECK(url);
    if (!url) {
        return;
    }
    CHECK(shows_contact(url, true, 1080, 1920));
    /* landscape has more room since the caption went beside a larger code */
    CHECK(shows_code(url, true, 1920, 1080, "www.city.musashino.lg.jp"));
    free(url);
    char *longest = url_of("www.city.musashino.lg.jp", 2048);
    CHECK(longest && shows_contact(longest, false, 1920, 1080));
    free(longest);
    CHECK(shows_contact(NULL, false, 1920, 1080));
}

static void landscape_without_bands_draws_longer_urls_at_smaller_modules(void)
{
    /* the panel beside the text: 900 px less its insets, a gap and a 250 px caption column
     * leave 566 px, which holds version 11 (69 modules with the quiet zone) at 8 px */
    size_t lmax = qrspec_max_bytes(566, 8);
    CHECK(lmax == 251);
    char *at = url_of("example.jp", lmax), *past = url_of("example.jp", lmax + 1);
    char *short_url = url_of("example.jp", 60);
    CHECK(at && past && short_url);
    if (at && past && short_url) {
        CHECK(shows_code(at, false, 1920, 1080, "example.jp"));
        CHECK(shows_contact(past, false, 1920, 1080));
        struct shot s;
        if (render(short_url, false, 1920, 1080, &s) == 0) {
            /* version 4, 41 modules: the largest whole module in 566 px is 13 px */
            CHECK(s.module == 13);
            CHECK(strcmp(s.decoded, short_url) == 0);
            free(s.text);
        }
    }
    free(at);
    free(past);
    free(short_url);
}

static void an_international_host_is_captioned_in_both_forms(void)
{
    struct shot s;
    if (render("https://例え.jp/form", false, 1920, 1080, &s) != 0) {
        return;
    }
    /* the code holds the punycode the caption shows beside the name */
    CHECK(strcmp(s.decoded, "https://xn--r8jz45g.jp/form") == 0);
    char *ft = flat(s.text);
    CHECK(ft && strstr(ft, "例え.jp(xn--r8jz45g.jp)"));
    CHECK(!strstr(s.text, "ページ："));
    free(ft);
    free(s.text);
}

static void the_attract_loop_never_shows_what_scanning_does_without_a_code(void)
{
    /* the only listing: shown for its title and date, its URL too long for 12 px modules
     * (portrait has room for 331 bytes, landscape for 122) */
    char *url = url_of("www.city.musashino.lg.jp", 600);
    struct shot s;
    CHECK(url);
    if (!url) {
        return;
    }
    for (int portrait = 0; portrait < 2; portrait++) {
        if (render_screen(url, false, true, portrait ? 1080 : 1920, portrait ? 1920 : 1080, &s) !=
            0) {
            continue;
        }
        CHECK(strstr(s.text, "玉川上水の清掃"));
        CHECK(s.module == 0 && !strstr(s.text, CAPTION));
        if (s.module != 0 || strstr(s.text, CAPTION)) {
            printf("  portrait=%d module=%d decoded %zu bytes\n%s", portrait, s.module,
                   strlen(s.decoded), s.text);
        }
        free(s.text);
    }
    free(url);
}

int main(void)
{
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    if (timeutil_set_zone("Asia/Tokyo") != 0) {
        fprintf(stderr, "no Asia/Tokyo zone\n");
    }
    tmpdir = testutil_tempdir();
    if (!tmpdir) {
        return 1;
    }
    RUN(the_limit_is_the_portrait_one_and_a_documented_figure);
    RUN(a_url_at_the_limit_shows_its_code_in_both_orientations);
    RUN(a_url_past_the_limit_shows_the_contact_and_no_caption);
    RUN(landscape_without_bands_draws_longer_urls_at_smaller_modules);
    RUN(an_international_host_is_captioned_in_both_forms);
    RUN(the_attract_loop_never_shows_what_scanning_does_without_a_code);
    testutil_rmtree(tmpdir);
    free(tmpdir);
    SDL_Quit();
    TEST_MAIN_END();
}
