/* test_sys_panel: panel commands run in a child, are killed at the timeout, never block. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys/panel.h"
#include "testutil.h"
#include "util/clock.h"

/* Generous bound for "quickly" on a slow shared machine; the command itself runs 30 s. */
#define WAIT_MS 20000

/* Whether pid is gone or only a zombie nobody will run again. */
static int process_gone(pid_t pid)
{
    char path[64], buf[512];
    FILE *f;
    size_t n;
    char *paren;

    if (kill(pid, 0) < 0 && errno == ESRCH) {
        return 1;
    }
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    f = fopen(path, "r");
    if (!f) {
        return 1;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    paren = strrchr(buf, ')');
    return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static void true_exits_with_status_zero(void)
{
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;

    CHECK(p);
    CHECK(sys_panel_run(p, "true", 5) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_EXITED);
    CHECK(r.status == 0);
    CHECK(r.seq == 1);
    CHECK(process_gone(r.pid));
    sys_panel_free(p);
}

static void a_failing_command_reports_its_exit_status(void)
{
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;

    CHECK(p);
    CHECK(sys_panel_run(p, "exit 3", 5) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_EXITED);
    CHECK(r.status == 3);
    sys_panel_free(p);
}

static void sleep_30_is_killed_at_the_timeout_without_blocking_the_caller(void)
{
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;
    int64_t t0, handed_over;

    CHECK(p);
    t0 = kclock_mono_ms();
    CHECK(sys_panel_run(p, "sleep 30", 1) == 0);
    handed_over = kclock_mono_ms() - t0;
    printf("  handing over took %lld ms\n", (long long)handed_over);
    CHECK(sys_panel_busy(p));
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_TIMED_OUT);
    CHECK(r.elapsed_ms >= 1000);
    CHECK(r.elapsed_ms < WAIT_MS);
    printf("  killed after %lld ms\n", (long long)r.elapsed_ms);
    CHECK(process_gone(r.pid));
    sys_panel_free(p);
}

static void the_whole_process_group_dies_at_the_timeout(void)
{
    char *dir = testutil_tempdir();
    char cmd[1024], path[512], buf[32] = "";
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;
    FILE *f;
    pid_t bg = 0;

    CHECK(dir && p);
    snprintf(path, sizeof path, "%s/bg.pid", dir);
    /* a pipeline-like command: a background child the shell waits for */
    snprintf(cmd, sizeof cmd, "sleep 31 & echo $! > '%s'; wait", path);
    CHECK(sys_panel_run(p, cmd, 1) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_TIMED_OUT);
    f = fopen(path, "r");
    CHECK(f);
    if (f) {
        if (fgets(buf, sizeof buf, f)) {
            bg = (pid_t)atoi(buf);
        }
        fclose(f);
    }
    CHECK(bg > 0);
    if (bg > 0) {
        /* the orphan is reaped by init, not by us: give it a moment, bounded */
        for (int i = 0; i < 200 && !process_gone(bg); i++) {
            usleep(10000);
        }
        CHECK(process_gone(bg));
    }
    sys_panel_free(p);
    testutil_rmtree(dir);
    free(dir);
}

static void the_latest_request_wins_over_a_queued_one(void)
{
    char *dir = testutil_tempdir();
    char cmd[1024], path[512];
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;

    CHECK(dir && p);
    snprintf(path, sizeof path, "%s/started", dir);
    snprintf(cmd, sizeof cmd, "touch '%s'; sleep 30", path);
    CHECK(sys_panel_run(p, cmd, 1) == 0);
    /* wait (bounded) until the worker took it, so the next two queue behind it */
    for (int i = 0; i < 2000 && access(path, F_OK) != 0; i++) {
        usleep(10000);
    }
    CHECK(access(path, F_OK) == 0);
    snprintf(path, sizeof path, "%s/ran", dir);
    /* queued behind the sleep, then replaced before it could start */
    snprintf(cmd, sizeof cmd, "echo off >> '%s'", path);
    CHECK(sys_panel_run(p, cmd, 5) == 0);
    snprintf(cmd, sizeof cmd, "echo on >> '%s'", path);
    CHECK(sys_panel_run(p, cmd, 5) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_EXITED);
    CHECK(r.seq == 2);
    {
        FILE *f = fopen(path, "r");
        char line[32] = "";
        CHECK(f);
        if (f) {
            CHECK(fgets(line, sizeof line, f));
            CHECK(strcmp(line, "on\n") == 0);
            CHECK(!fgets(line, sizeof line, f));
            fclose(f);
        }
    }
    sys_panel_free(p);
    testutil_rmtree(dir);
    free(dir);
}

static void an_empty_command_does_nothing(void)
{
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;

    CHECK(p);
    CHECK(sys_panel_run(p, "", 5) == 0);
    CHECK(sys_panel_run(p, NULL, 5) == 0);
    CHECK(!sys_panel_busy(p));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_NONE);
    sys_panel_free(p);
}

static void freeing_kills_a_running_command(void)
{
    struct sys_panel *p = sys_panel_create();
    int64_t t0;

    CHECK(p);
    CHECK(sys_panel_run(p, "sleep 30", 600) == 0);
    usleep(100000);
    t0 = kclock_mono_ms();
    sys_panel_free(p);
    CHECK(kclock_mono_ms() - t0 < WAIT_MS);
}

static void the_command_gets_default_signal_dispositions(void)
{
    /* the kiosk ignores SIGPIPE; a panel pipeline must still die of it normally */
    struct sys_panel *p;
    struct sys_panel_result r;

    signal(SIGPIPE, SIG_IGN);
    p = sys_panel_create();
    CHECK(p);
    CHECK(sys_panel_run(p,
                        "trap - PIPE; yes | head -c 1 > /dev/null; "
                        "s=$(grep SigIgn /proc/self/status | tr -d ' \\t' | cut -d: -f2); "
                        "[ $((0x$s & 0x1000)) -eq 0 ]",
                        10) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.outcome == SYS_PANEL_EXITED);
    CHECK(r.status == 0);
    sys_panel_free(p);
    signal(SIGPIPE, SIG_DFL);
}

static void open_hours_keep_the_panel_on_for_the_hours(void)
{
    struct sys_panel_want w = sys_panel_decide(true, false);

    CHECK(w.on);
    CHECK(w.why == SYS_PANEL_WHY_HOURS);
    /* An emergency while open changes nothing: its end must not switch the panel off. */
    w = sys_panel_decide(true, true);
    CHECK(w.on);
    CHECK(w.why == SYS_PANEL_WHY_HOURS);
}

static void closed_without_an_emergency_turns_the_panel_off(void)
{
    struct sys_panel_want w = sys_panel_decide(false, false);

    CHECK(!w.on);
    CHECK(w.why == SYS_PANEL_WHY_HOURS);
    CHECK(strcmp(sys_panel_why_name(w.why), "hours") == 0);
}

static void an_emergency_while_closed_turns_the_panel_on(void)
{
    struct sys_panel_want w = sys_panel_decide(false, true);

    CHECK(w.on);
    CHECK(w.why == SYS_PANEL_WHY_EMERGENCY);
    CHECK(strcmp(sys_panel_why_name(w.why), "emergency") == 0);
}

static void a_result_carries_the_tag_of_its_command(void)
{
    struct sys_panel *p = sys_panel_create();
    struct sys_panel_result r;

    CHECK(p);
    CHECK(sys_panel_run_tagged(p, "exit 4", 5, 7) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.tag == 7);
    CHECK(r.status == 4);
    CHECK(strcmp(sys_panel_outcome_name(r.outcome), "exited") == 0);
    CHECK(sys_panel_run(p, "true", 5) == 0);
    CHECK(sys_panel_wait_idle(p, WAIT_MS));
    sys_panel_last(p, &r);
    CHECK(r.tag == 0);
    CHECK(r.seq == 2);
    sys_panel_free(p);
}

int main(void)
{
    RUN(open_hours_keep_the_panel_on_for_the_hours);
    RUN(closed_without_an_emergency_turns_the_panel_off);
    RUN(an_emergency_while_closed_turns_the_panel_on);
    RUN(a_result_carries_the_tag_of_its_command);
    RUN(true_exits_with_status_zero);
    RUN(a_failing_command_reports_its_exit_status);
    RUN(sleep_30_is_killed_at_the_timeout_without_blocking_the_caller);
    RUN(the_whole_process_group_dies_at_the_timeout);
    RUN(the_latest_request_wins_over_a_queued_one);
    RUN(an_empty_command_does_nothing);
    RUN(freeing_kills_a_running_command);
    RUN(the_command_gets_default_signal_dispositions);
    TEST_MAIN_END();
}
