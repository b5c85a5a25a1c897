/* test_sys_sdnotify: the messages systemd gets, read from a socket we own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sys/sdnotify.h"
#include "testutil.h"

static char *dir;
static int sock = -1;

static int open_notify_socket(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = 5};

    dir = testutil_tempdir();
    if (!dir) {
        return -1;
    }
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s/notify", dir);
    sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof addr) < 0) {
        return -1;
    }
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return setenv("NOTIFY_SOCKET", addr.sun_path, 1);
}

static bool received(const char *want)
{
    char buf[512];
    ssize_t n = recv(sock, buf, sizeof buf - 1, 0);

    if (n < 0) {
        return false;
    }
    buf[n] = '\0';
    if (strcmp(buf, want) != 0) {
        printf("  got '%s', wanted '%s'\n", buf, want);
        return false;
    }
    return true;
}

static void nothing_is_sent_outside_systemd(void)
{
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    CHECK(sys_notify_ready() == 0);
    CHECK(sys_notify_watchdog() == 0);
    CHECK(sys_notify_status("x") == 0);
    CHECK(sys_watchdog_interval_ms() == 0);
}

static void ready_watchdog_and_stopping_reach_the_socket(void)
{
    CHECK(open_notify_socket() == 0);
    CHECK(sys_notify_ready() == 1);
    CHECK(received("READY=1"));
    CHECK(sys_notify_watchdog() == 1);
    CHECK(received("WATCHDOG=1"));
    CHECK(sys_notify_reloading() == 1);
    CHECK(received("RELOADING=1"));
    CHECK(sys_notify_stopping() == 1);
    CHECK(received("STOPPING=1"));
}

static void status_text_cannot_inject_another_assignment(void)
{
    CHECK(sys_notify_status("表示中: 12件\nREADY=1") == 1);
    CHECK(received("STATUS=表示中: 12件 READY=1"));
}

static void a_long_status_is_cut_at_a_character_boundary(void)
{
    const char *a = "あ"; /* 3 bytes */
    char text[700] = "";
    char want[700] = "STATUS=";
    size_t w = strlen(want);

    for (int i = 0; i < 200; i++) { /* 600 bytes */
        memcpy(text + 3 * i, a, 3);
    }
    for (int i = 0; i < 66; i++) { /* 198 bytes: the most whole characters in 200 */
        memcpy(want + w + 3 * i, a, 3);
    }
    CHECK(sys_notify_status(text) == 1);
    CHECK(received(want));
}

static void watchdog_interval_comes_from_the_environment(void)
{
    char pid[32];

    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_USEC", "30000000", 1);
    setenv("WATCHDOG_PID", pid, 1);
    CHECK(sys_watchdog_interval_ms() == 30000);
    setenv("WATCHDOG_PID", "1", 1); /* meant for another process */
    CHECK(sys_watchdog_interval_ms() == 0);
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    CHECK(sys_watchdog_interval_ms() == 0);
}

int main(void)
{
    int rc;

    RUN(nothing_is_sent_outside_systemd);
    RUN(ready_watchdog_and_stopping_reach_the_socket);
    RUN(status_text_cannot_inject_another_assignment);
    RUN(a_long_status_is_cut_at_a_character_boundary);
    RUN(watchdog_interval_comes_from_the_environment);
    rc = testutil_finish();
    if (sock >= 0) {
        close(sock);
    }
    if (dir) {
        testutil_rmtree(dir);
        free(dir);
    }
    return rc;
}
