/* replay: `kiosk-sim --replay FILE` walks the real program as a visitor would.
 *
 * The script is one command a line ('#' starts a comment):
 *   tap X Y                 a finger down and up at logical pixel (X, Y)
 *   drag X1 Y1 X2 Y2 MS     a finger moved from one point to another over MS ms
 *   wait MS                 let the loop run for MS real milliseconds
 *   screenshot NAME         save DIR/NAME.png and DIR/NAME.txt of the current screen
 * Coordinates are those of the text listings (the logical screen); touches are turned to
 * the panel's orientation and pushed as SDL finger events, so they travel through the same
 * queue, rotation and gesture code as a real finger. Time runs as it does for the program:
 * with --clock-rate R, `wait 1000` is R seconds of kiosk time, so an idle timeout fires. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "sim/sim.h"
#include "util/clock.h"
#include "util/fsio.h"
#include "util/log.h"

#define REPLAY_MAX_BYTES (1024 * 1024)
#define REPLAY_TAP_HOLD_MS 60
#define REPLAY_TAP_GAP_MS 300
#define REPLAY_MOVE_STEP_MS 16

static void run_for(struct app *a, int64_t ms)
{
    int64_t end = kclock_mono_ms() + ms;
    for (;;) {
        if (app_poll(a)) {
            app_draw(a, NULL, NULL);
        }
        int64_t left = end - kclock_mono_ms();
        if (left <= 0 || a->quit) {
            break;
        }
        app_sleep(a, left > 50 ? 50 : (int)left);
    }
}

static void inject(struct app *a, Uint32 type, double x, double y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.tfinger.type = type;
    e.tfinger.timestamp = SDL_GetTicks();
    e.tfinger.touchId = 1;
    e.tfinger.fingerId = 1;
    app_logical_to_norm(a, x, y, &e.tfinger.x, &e.tfinger.y);
    e.tfinger.pressure = type == SDL_FINGERUP ? 0.0f : 1.0f;
    if (SDL_PushEvent(&e) != 1) {
        LOG_WARN("replay", "event queue full");
    }
}

static int cmd_screenshot(struct app *a, const char *dir, const char *name)
{
    char png[1024], txt[1024];
    for (const char *p = name; *p != '\0'; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.')) {
            LOG_ERROR("replay", "screenshot name '%s': use letters, digits, - _ .", name);
            return -1;
        }
    }
    snprintf(png, sizeof png, "%s/%s.png", dir, name);
    snprintf(txt, sizeof txt, "%s/%s.txt", dir, name);
    app_poll(a);
    int rc = app_draw(a, png, txt);
    printf("replay: screenshot %s: %s\n", name, ui_describe(a->ui));
    fflush(stdout);
    return rc;
}

int sim_replay_run(struct app *a, const char *path, const char *dir)
{
    char *data = NULL;
    size_t len = 0;
    int rc = fsio_read_file(path, REPLAY_MAX_BYTES, &data, &len);
    if (rc != 0) {
        LOG_ERROR("replay", "cannot read %s: %s", path, fsio_strerror(rc));
        return 1;
    }
    rc = fsio_mkdirs(dir);
    if (rc != 0 && rc != -EEXIST) {
        LOG_ERROR("replay", "cannot create %s: %s", dir, strerror(-rc));
        free(data);
        return 1;
    }
    int status = 0;
    int lineno = 0;
    char *save = NULL;
    run_for(a, 50);
    for (char *line = strtok_r(data, "\n", &save); line && !a->quit;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char cmd[32], name[200];
        double x1, y1, x2, y2, ms;
        if (sscanf(line, "%31s", cmd) != 1) {
            continue;
        }
        if (strcmp(cmd, "tap") == 0 && sscanf(line, "%*s %lf %lf", &x1, &y1) == 2) {
            inject(a, SDL_FINGERDOWN, x1, y1);
            run_for(a, REPLAY_TAP_HOLD_MS);
            inject(a, SDL_FINGERUP, x1, y1);
            run_for(a, REPLAY_TAP_GAP_MS);
        } else if (strcmp(cmd, "drag") == 0 &&
                   sscanf(line, "%*s %lf %lf %lf %lf %lf", &x1, &y1, &x2, &y2, &ms) == 5 &&
                   ms >= 0 && ms < 600000) {
            int steps = (int)(ms / REPLAY_MOVE_STEP_MS);
            if (steps < 1) {
                steps = 1;
            }
            inject(a, SDL_FINGERDOWN, x1, y1);
            for (int i = 1; i <= steps; i++) {
                run_for(a, (int64_t)(ms / steps));
                double t = (double)i / steps;
                inject(a, SDL_FINGERMOTION, x1 + (x2 - x1) * t, y1 + (y2 - y1) * t);
            }
            run_for(a, 1);
            inject(a, SDL_FINGERUP, x2, y2);
            run_for(a, REPLAY_MOVE_STEP_MS);
        } else if (strcmp(cmd, "wait") == 0 && sscanf(line, "%*s %lf", &ms) == 1 && ms >= 0 &&
                   ms < 3600000) {
            run_for(a, (int64_t)ms);
        } else if (strcmp(cmd, "screenshot") == 0 && sscanf(line, "%*s %199s", name) == 1) {
            if (cmd_screenshot(a, dir, name) != 0) {
                status = 1;
            }
        } else {
            LOG_ERROR("replay", "%s:%d: cannot read '%s'", path, lineno, line);
            status = 1;
            break;
        }
    }
    free(data);
    return status;
}
