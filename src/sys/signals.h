/* signals: SIGTERM, SIGINT and SIGHUP turned into flags the main loop reads.
 *
 * systemd stops the kiosk with SIGTERM; an operator in a terminal uses Ctrl-C (SIGINT);
 * `systemctl reload kiosk` and `kill -HUP` ask for the config to be read again (the app keeps
 * the old config, with a log line naming what is wrong, when the new one does not load).
 * The handlers only set bits and write one byte to a self-pipe, which is all a signal
 * handler may safely do; the loop either polls sys_signals_fd() while it sleeps, or asks
 * for a waker callback run from a small thread (e.g. one that does SDL_PushEvent, which is
 * not async-signal-safe and so must never run in the handler itself). SIGPIPE is ignored:
 * a peer closing a socket is an error code, never the end of the kiosk. A second SIGTERM or
 * SIGINT kills the process the default way, so a kiosk hung while stopping still dies.
 *
 * The state is process-wide, as signal dispositions are: the one exception to "no global
 * state outside app/". Install before SDL_Init (SDL installs its own SIGINT/SIGTERM handlers
 * only where none is set) or set SDL_HINT_NO_SIGNAL_HANDLERS. */
#ifndef KIOSK_SYS_SIGNALS_H
#define KIOSK_SYS_SIGNALS_H

#include <stdbool.h>

#define SYS_SIGNAL_STOP 0x1u   /* SIGTERM or SIGINT arrived */
#define SYS_SIGNAL_RELOAD 0x2u /* SIGHUP arrived */

/* Creates the self-pipe and installs the handlers. Idempotent. Returns 0 or -errno.
 * Main thread, at start-up, before other threads start. */
int sys_signals_install(void);

/* The read end of the self-pipe (non-blocking, close-on-exec): readable after a signal.
 * Poll it with POLLIN; -1 before sys_signals_install. Do not read it; call
 * sys_signals_take(). */
int sys_signals_fd(void);

/* Whether any signal arrived since the last take; cheap, for every loop iteration. */
bool sys_signals_pending(void);

/* Returns the SYS_SIGNAL_* bits that arrived since the last call, clears them and drains
 * the pipe. Main thread. */
unsigned sys_signals_take(void);

/* The last stop signal's number (SIGTERM, SIGINT) for the log line, or 0. */
int sys_signals_stop_signo(void);

/* Starts a thread that calls fn(ctx) from normal thread context each time a signal
 * arrives (after sys_signals_install). fn must be thread-safe: SDL_PushEvent is. Use either
 * this or polling sys_signals_fd(), not both: the thread drains the pipe. At most one
 * waker; returns 0, -EALREADY, or -errno. The thread runs until the process ends. */
int sys_signals_start_waker(void (*fn)(void *ctx), void *ctx);

#endif
