/* sdnotify: thin wrapper over libsystemd's sd_notify.
 *
 * libsystemd already does the socket work (abstract and path sockets, credentials); this
 * file only fixes the messages we send and keeps text from the app from forging others. It
 * never unsets NOTIFY_SOCKET: the watchdog pings for months go through the same variable. */
#include "sys/sdnotify.h"

#include <errno.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#define SYS_STATUS_MAX 200

static int sys_notify_send(const char *msg)
{
    int rc = sd_notify(0, msg);
    return rc < 0 ? rc : (rc > 0 ? 1 : 0);
}

int sys_notify_ready(void)
{
    return sys_notify_send("READY=1");
}

int sys_notify_watchdog(void)
{
    return sys_notify_send("WATCHDOG=1");
}

int sys_notify_stopping(void)
{
    return sys_notify_send("STOPPING=1");
}

int sys_notify_reloading(void)
{
    return sys_notify_send("RELOADING=1");
}

int sys_notify_status(const char *text)
{
    char msg[sizeof "STATUS=" + SYS_STATUS_MAX];
    size_t prefix = sizeof "STATUS=" - 1;
    size_t n;

    if (!text) {
        return -EINVAL;
    }
    n = strlen(text);
    if (n > SYS_STATUS_MAX) {
        /* cut at a character boundary: systemctl shows a broken Japanese byte as garbage */
        n = SYS_STATUS_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(msg, "STATUS=", prefix);
    memcpy(msg + prefix, text, n);
    msg[prefix + n] = '\0';
    /* the protocol is newline-separated assignments: a newline from a feed title or an
     * error message must not become a second assignment */
    for (size_t i = prefix; i < prefix + n; i++) {
        if (msg[i] == '\n' || msg[i] == '\r') {
            msg[i] = ' ';
        }
    }
    return sys_notify_send(msg);
}

int64_t sys_watchdog_interval_ms(void)
{
    uint64_t usec = 0;
    int rc = sd_watchdog_enabled(0, &usec);

    if (rc <= 0) {
        return 0;
    }
    if (usec < 1000) {
        return 1;
    }
    return (int64_t)(usec / 1000);
}
