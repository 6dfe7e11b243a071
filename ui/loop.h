/* loop.h - the one poll() loop's plumbing: the self-pipe that signal
 * handlers write to, the wait itself, and terminal restoration on crashes.
 *
 * SIGWINCH, SIGINT, SIGTERM and SIGHUP handlers only write the signal
 * number to the self-pipe. Crash signals (SEGV, BUS, FPE, ILL, ABRT) write
 * the precomputed restore sequence to the terminal, reset its termios and
 * re-raise with the default action. Ownership: process-wide state set by
 * loop_init() and released by loop_fini().
 */
#ifndef WZ_UI_LOOP_H
#define WZ_UI_LOOP_H

#include <stdbool.h>
#include <stddef.h>

struct loop_events {
	bool input;       /* the terminal fd is readable */
	bool winch;       /* one or more SIGWINCH (coalesced) */
	int quit_signal;  /* SIGINT/SIGTERM/SIGHUP received, else 0 */
	bool wakeup;      /* a worker wrote a wake byte */
};

/* Creates the self-pipe and installs the handlers. */
bool loop_init(void);
void loop_fini(void);
/* For crash signals: fd of the terminal, its saved termios (copied) and the
 * bytes that restore it (rmcup, cnorm, sgr0 ...). Pass fd -1 to disable. */
void loop_set_restore(int fd, const void *termios_saved, const char *bytes, size_t n);
/* Waits until the terminal fd (or -1 for none) is readable, a signal
 * arrives, or timeout_ms passes (-1 forever, 0 poll). Returns false on a
 * poll error. */
bool loop_wait(int tty_fd, int timeout_ms, struct loop_events *ev);
/* The self-pipe's write end (for the job pool's notifications), or -1. */
int loop_notify_fd(void);
/* Wakes the loop from another thread (job done). */
void loop_wake(void);

#endif
