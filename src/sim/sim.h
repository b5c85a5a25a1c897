/* sim: kiosk-sim, the kiosk's test bench. It runs the same program (app_main_driven in
 * app/) with two drivers the firmware does not carry: a replay of scripted touches
 * (replay.c) and a soak of days of simulated time with visitors, staff and a changing feed
 * (soak.c). kiosk-sim takes every kiosk option plus --replay and --soak; it is never
 * installed. Everything here runs on the main thread, except the soak's staff thread, which
 * only speaks HTTP to the admin API. */
#ifndef KIOSK_SIM_SIM_H
#define KIOSK_SIM_SIM_H

struct app;

/* --replay FILE: scripted touches through the real loop; screenshots go to dir. Returns the
 * exit status (0 when every line ran and every screenshot was saved). */
int sim_replay_run(struct app *a, const char *path, const char *dir);

/* --soak SECONDS: a simulated stretch of time with visitors, staff and feed changes.
 * prepare runs right after the config is loaded and swaps in the soak's clock (0 or exit
 * status 2 for a bad SECONDS); run replaces the event loop and returns 0 when memory and
 * descriptors held steady. */
int sim_soak_prepare(struct app *a, const char *seconds);
int sim_soak_run(struct app *a);

#endif
