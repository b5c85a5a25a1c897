/* main: kiosk-sim, the kiosk with its test drivers. It parses the kiosk's options plus its
 * own, and hands the rest to the same app_main the kiosk runs, so a replay or a soak goes
 * through the real start-up, services, sync worker and event loop. Without --replay or
 * --soak it behaves as the kiosk does. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "sim/sim.h"

struct sim {
    const char *replay_path; /* --replay FILE */
    const char *soak;        /* --soak SECONDS */
};

static void sim_usage(FILE *out)
{
    fputs("kiosk-sim: the kiosk with its test drivers (never installed)\n"
          "  --replay FILE           drive the kiosk with a script of touches (screenshots\n"
          "                          to the --screenshot DIR, default .)\n"
          "  --soak SECONDS          soak test: SECONDS of simulated time (with --clock-rate)\n"
          "and every kiosk option:\n",
          out);
}

static int sim_parse_arg(void *ctx, struct app_args *args, int argc, char **argv, int *i, char *err,
                         size_t errlen)
{
    struct sim *s = ctx;
    const char **dst;

    if (strcmp(argv[*i], "--replay") == 0) {
        dst = &s->replay_path;
    } else if (strcmp(argv[*i], "--soak") == 0) {
        dst = &s->soak;
    } else {
        return 0;
    }
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "%s needs a value", argv[*i]);
        return -EINVAL;
    }
    *dst = argv[++*i];
    /* with a replay, --screenshot names where its screenshots go */
    args->screenshot_dir_is_output = s->replay_path;
    return 1;
}

static int sim_prepare(void *ctx, struct app *a)
{
    struct sim *s = ctx;
    return s->soak ? sim_soak_prepare(a, s->soak) : 0;
}

static int sim_run(void *ctx, struct app *a)
{
    struct sim *s = ctx;
    if (s->replay_path) {
        return sim_replay_run(a, s->replay_path,
                              a->args.screenshot_dir ? a->args.screenshot_dir : ".");
    }
    return s->soak ? sim_soak_run(a) : app_run_loop(a);
}

int main(int argc, char **argv)
{
    struct sim s = {0};
    const struct app_driver d = {
        .parse_arg = sim_parse_arg,
        .usage = sim_usage,
        .prepare = sim_prepare,
        .run = sim_run,
        .ctx = &s,
    };
    return app_main_driven(argc, argv, &d);
}
