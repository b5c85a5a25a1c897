/* args: the kiosk's command line. Flags that mirror config keys are applied over the
 * config later (app.c), so the file and the flag can never disagree on a meaning. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

void app_usage(FILE *out)
{
    fputs("usage: kiosk [options]\n"
          "  --config FILE           settings (key = value); flags below override it\n"
          "  --feed URL              a source (https:// or file://; JSON feed, CSV or iCalendar);\n"
          "                          repeat it for more sources (source.1, source.2 ...)\n"
          "  --state-dir DIR         cache and state directory\n"
          "  --windowed WxH          a window instead of full screen (development)\n"
          "  --rotation DEG          0, 90, 180 or 270\n"
          "  --screenshot DIR        render every screen headless to DIR/*.png and *.txt\n"
          "  --admin-listen ADDR:PORT  staff API address (\"\" disables it)\n"
          "  --admin-token-file FILE staff API token\n"
          "  --check-feed FILE       judge a feed file, print what is kept and dropped\n"
          "  --now ISO8601           start the clock at this time (tests)\n"
          "  --clock-rate R          run the clock R times real speed (tests)\n"
          "  --idle-timeout S        seconds without touch before the attract loop\n"
          "  --help, --version\n",
          out);
}

static int need(int argc, char **argv, int *i, const char **dst, char *err, size_t errlen)
{
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "%s needs a value", argv[*i]);
        return -EINVAL;
    }
    *dst = argv[++*i];
    return 0;
}

int app_args_parse(int argc, char **argv, struct app_args *a, char *err, size_t errlen)
{
    return app_args_parse_driven(argc, argv, a, NULL, err, errlen);
}

int app_args_parse_driven(int argc, char **argv, struct app_args *a, const struct app_driver *d,
                          char *err, size_t errlen)
{
    static const struct {
        const char *flag;
        size_t off;
    } opts[] = {
        {"--config", offsetof(struct app_args, config_path)},
        {"--state-dir", offsetof(struct app_args, state_dir)},
        {"--windowed", offsetof(struct app_args, windowed)},
        {"--rotation", offsetof(struct app_args, rotation)},
        {"--screenshot", offsetof(struct app_args, screenshot_dir)},
        {"--admin-listen", offsetof(struct app_args, admin_listen)},
        {"--admin-token-file", offsetof(struct app_args, admin_token_file)},
        {"--check-feed", offsetof(struct app_args, check_feed)},
        {"--now", offsetof(struct app_args, now_iso)},
        {"--idle-timeout", offsetof(struct app_args, idle_timeout)},
    };
    int rc;
    memset(a, 0, sizeof *a);
    a->clock_rate = 1.0;
    err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool done = false;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
            if (strcmp(arg, opts[k].flag) == 0) {
                const char **dst = (const char **)(void *)((char *)a + opts[k].off);
                if (need(argc, argv, &i, dst, err, errlen) != 0) {
                    return -EINVAL;
                }
                done = true;
                break;
            }
        }
        if (done) {
            continue;
        }
        if (strcmp(arg, "--feed") == 0) {
            /* repeated: the first is feed_url, the next ones source.1, source.2 ... */
            const char *v;
            if (need(argc, argv, &i, &v, err, errlen) != 0) {
                return -EINVAL;
            }
            if (!a->feed_url) {
                a->feed_url = v;
            } else if (a->n_more_feeds < APP_MAX_MORE_FEEDS) {
                a->more_feeds[a->n_more_feeds++] = v;
            } else {
                snprintf(err, errlen, "--feed: at most %d sources", APP_MAX_MORE_FEEDS + 1);
                return -EINVAL;
            }
        } else if (strcmp(arg, "--clock-rate") == 0) {
            const char *v;
            if (need(argc, argv, &i, &v, err, errlen) != 0) {
                return -EINVAL;
            }
            char *end;
            errno = 0;
            double r = strtod(v, &end);
            if (errno != 0 || *end != '\0' || !(r > 0.0) || r > 1e6) {
                snprintf(err, errlen, "--clock-rate: '%s' is not a positive number", v);
                return -EINVAL;
            }
            a->clock_rate = r;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
        } else if (strcmp(arg, "--version") == 0) {
            a->version = true;
        } else if (d && d->parse_arg &&
                   (rc = d->parse_arg(d->ctx, a, argc, argv, &i, err, errlen)) != 0) {
            if (rc < 0) {
                return rc;
            }
        } else {
            snprintf(err, errlen, "unknown option '%s' (see --help)", arg);
            return -EINVAL;
        }
    }
    if (a->windowed) {
        int w, h;
        char x;
        if (sscanf(a->windowed, "%d%c%d", &w, &x, &h) != 3 || x != 'x' || w < 64 || h < 64 ||
            w > 16384 || h > 16384) {
            snprintf(err, errlen, "--windowed: '%s' is not WxH", a->windowed);
            return -EINVAL;
        }
    }
    return 0;
}
