/* sdnotify: telling systemd how the kiosk is doing.
 *
 * The unit is Type=notify with a watchdog: systemd starts the next unit only once we say
 * READY=1 (after the first frame is on the panel), and restarts the kiosk when the
 * WATCHDOG=1 pings stop. The app pings from its main loop only after it really drew a frame
 * or handled events, so a hung renderer or a dead-locked loop stops the pings and gets the
 * kiosk restarted. Every call is a cheap no-op when not started by systemd (NOTIFY_SOCKET
 * unset), so the same binary runs in a terminal, the tests and the demo. */
#ifndef KIOSK_SYS_SDNOTIFY_H
#define KIOSK_SYS_SDNOTIFY_H

#include <stdint.h>

/* Each sender returns 1 when the message was sent, 0 when not running under systemd, or a
 * negative errno value. Main thread (systemd accepts messages from the main PID only:
 * NotifyAccess=main; any thread of that process works, but the app keeps them in one). */

/* READY=1: call once, after the first frame was presented. */
int sys_notify_ready(void);

/* WATCHDOG=1: call from the main loop each time it made progress, at least every
 * sys_watchdog_interval_ms() / 2. */
int sys_notify_watchdog(void);

/* STATUS=<text>, shown by `systemctl status kiosk`. Newlines become spaces so a status text
 * can never inject another assignment (READY=1, MAINPID=...). */
int sys_notify_status(const char *text);

/* STOPPING=1: call when a stop was requested and the loop is winding down. */
int sys_notify_stopping(void);

/* RELOADING=1 before re-reading the config on SIGHUP; send sys_notify_ready() after. */
int sys_notify_reloading(void);

/* The watchdog interval systemd expects (WatchdogSec=) in milliseconds, or 0 when no
 * watchdog is armed for this process. The app pings at half of it. */
int64_t sys_watchdog_interval_ms(void);

#endif
