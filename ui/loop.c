/* loop.c - self-pipe, signal handlers and the poll() wait. */
#include "config.h"
#include "ui/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int pipe_fd[2] = {-1, -1};
static volatile sig_atomic_t restore_fd = -1;
static struct termios restore_tio;
static bool restore_has_tio;
static char restore_bytes[256];
static size_t restore_len;

static const int soft_sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
static const int crash_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void on_soft(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (pipe_fd[1] >= 0) {
		ssize_t r = write(pipe_fd[1], &b, 1);
		(void)r;
	}
	errno = saved;
}

static void on_crash(int sig)
{
	int fd = restore_fd;

	if (fd >= 0) {
		if (restore_len > 0) {
			ssize_t r = write(fd, restore_bytes, restore_len);
			(void)r;
		}
		if (restore_has_tio)
			tcsetattr(fd, TCSAFLUSH, &restore_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return false;
	return fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

bool loop_init(void)
{
	struct sigaction sa;

	if (pipe_fd[0] >= 0)
		return true;
	if (pipe(pipe_fd) != 0)
		return false;
	if (!set_flags(pipe_fd[0]) || !set_flags(pipe_fd[1])) {
		loop_fini();
		return false;
	}
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_soft;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof soft_sigs / sizeof soft_sigs[0]; i++)
		sigaction(soft_sigs[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
		sigaction(crash_sigs[i], &sa, NULL);
	return true;
}

void loop_fini(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof soft_sigs / sizeof soft_sigs[0]; i++)
		sigaction(soft_sigs[i], &sa, NULL);
	for (size_t i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
		sigaction(crash_sigs[i], &sa, NULL);
	restore_fd = -1;
	for (int i = 0; i < 2; i++) {
		if (pipe_fd[i] >= 0)
			close(pipe_fd[i]);
		pipe_fd[i] = -1;
	}
}

void loop_set_restore(int fd, const void *termios_saved, const char *bytes, size_t n)
{
	restore_fd = -1;
	restore_has_tio = termios_saved != NULL;
	if (termios_saved)
		memcpy(&restore_tio, termios_saved, sizeof restore_tio);
	if (n > sizeof restore_bytes)
		n = sizeof restore_bytes;
	if (bytes && n)
		memcpy(restore_bytes, bytes, n);
	restore_len = bytes ? n : 0;
	restore_fd = fd;
}

bool loop_wait(int tty_fd, int timeout_ms, struct loop_events *ev)
{
	struct pollfd p[2];
	int np = 0, r;

	memset(ev, 0, sizeof *ev);
	p[np].fd = pipe_fd[0];
	p[np].events = POLLIN;
	p[np++].revents = 0;
	if (tty_fd >= 0) {
		p[np].fd = tty_fd;
		p[np].events = POLLIN;
		p[np++].revents = 0;
	}
	r = poll(p, (nfds_t)np, timeout_ms);
	if (r < 0)
		return errno == EINTR;
	if (p[0].revents & POLLIN) {
		unsigned char b[64];
		ssize_t n;
		while ((n = read(pipe_fd[0], b, sizeof b)) > 0) {
			for (ssize_t i = 0; i < n; i++) {
				if (b[i] == SIGWINCH)
					ev->winch = true;
				else if (b[i] == 0)
					ev->wakeup = true;
				else
					ev->quit_signal = b[i];
			}
		}
	}
	if (np > 1 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
		ev->input = true;
	return true;
}

void loop_wake(void)
{
	unsigned char b = 0;

	if (pipe_fd[1] >= 0) {
		ssize_t r = write(pipe_fd[1], &b, 1);
		(void)r;
	}
}

int loop_notify_fd(void)
{
	return pipe_fd[1];
}
