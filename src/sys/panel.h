/* panel: switching the display panel off and on with the operator's commands.
 *
 * Outside opening hours the app runs config panel_off_cmd (e.g. `vcgencmd display_power 0`
 * or `echo standby 0 | cec-client -s -d 1`) and panel_on_cmd when the facility opens. These
 * commands talk to firmware and to TVs over HDMI-CEC, and a TV without CEC makes cec-client
 * wait for ever: so each command runs in a child process (/bin/sh -c, in its own process
 * group) watched by a worker thread, and at panel_cmd_timeout_s the whole group is killed
 * with SIGKILL and reaped. The main loop only hands the command over and never waits.
 * Requests queue with "latest wins": if the facility opens while the off command still
 * runs, the on command runs next and a stale off never follows it.
 *
 * sys_panel_decide says what the panel should be: on while open, and on while closed as long
 * as an emergency announcement is active (the screen draws it, so the panel must show it). */
#ifndef KIOSK_SYS_PANEL_H
#define KIOSK_SYS_PANEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sys_panel;

/* How the last finished command ended. */
enum sys_panel_outcome {
    SYS_PANEL_NONE = 0,     /* nothing finished yet */
    SYS_PANEL_EXITED,       /* exited; see status */
    SYS_PANEL_SIGNALED,     /* killed by a signal it did not get from us */
    SYS_PANEL_TIMED_OUT,    /* still running at the timeout: process group killed */
    SYS_PANEL_SPAWN_FAILED, /* could not start /bin/sh */
};

struct sys_panel_result {
    enum sys_panel_outcome outcome;
    int status; /* exit code for EXITED, signal number for SIGNALED, errno for FAILED */
    pid_t pid;  /* the child's pid (= its process group) */
    int64_t elapsed_ms;
    unsigned long seq; /* counts finished commands, so a caller can tell a new result */
    int tag;           /* the caller's tag of that command (sys_panel_run_tagged) */
};

/* Why the panel should be on or off. */
enum sys_panel_why {
    SYS_PANEL_WHY_HOURS,     /* the opening hours alone */
    SYS_PANEL_WHY_EMERGENCY, /* closed, but an emergency announcement is showing */
};

struct sys_panel_want {
    bool on;
    enum sys_panel_why why;
};

/* What the panel should be when the facility is `open` (or not) and `emergency` tells
 * whether any emergency announcement is active on screen. Pure; any thread. */
struct sys_panel_want sys_panel_decide(bool open, bool emergency);

/* "hours" or "emergency", for logs and the status. */
const char *sys_panel_why_name(enum sys_panel_why why);

/* "none", "exited", "signaled", "timed_out" or "spawn_failed", for logs and the status. */
const char *sys_panel_outcome_name(enum sys_panel_outcome outcome);

/* Starts the worker thread. Returns NULL on failure (logged). Main thread. */
struct sys_panel *sys_panel_create(void);

/* Queues `cmd` (copied) to run with `timeout_s` (1..600), replacing a queued but not yet
 * started command. An empty or NULL cmd is ignored (returns 0): the operator configured no
 * panel control. Returns 0 or -ENOMEM. Never blocks on the child. Main thread. */
int sys_panel_run(struct sys_panel *p, const char *cmd, int timeout_s);

/* sys_panel_run with a tag the result carries back (e.g. which of on and off ran), so a
 * caller can tell which request a result belongs to when a queued one was replaced. */
int sys_panel_run_tagged(struct sys_panel *p, const char *cmd, int timeout_s, int tag);

/* True while a command runs or waits to run. Any thread. */
bool sys_panel_busy(struct sys_panel *p);

/* Copies the result of the last finished command. Any thread. */
void sys_panel_last(struct sys_panel *p, struct sys_panel_result *out);

/* Waits up to timeout_ms until nothing runs or waits; returns true when idle. For tests and
 * for shutdown; the main loop never calls it. */
bool sys_panel_wait_idle(struct sys_panel *p, int timeout_ms);

/* Kills a running command's process group, reaps it, stops the worker. NULL is fine. */
void sys_panel_free(struct sys_panel *p);

#endif
