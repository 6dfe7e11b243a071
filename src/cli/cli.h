/* cli.h - the command line: one table of options, one of subcommands.
 *
 * CLI_OPTION_TABLE drives getopt_long, `wisdom --help` and the OPTIONS
 * section of the man page; CLI_COMMAND_TABLE drives dispatch and the
 * SYNOPSIS. Ownership: struct cli_opts borrows argv strings (never freed).
 */
#ifndef WZ_CLI_CLI_H
#define WZ_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* X(long_name, short_char_or_0, has_arg(0/1/2 optional), field, metavar, help) */
#define CLI_OPTION_TABLE(X)                                                                  \
	X("repo",        0,  1, repo,        "DIR",    "repository (or .runs/ or run folder) to open") \
	X("config",      0,  1, config,      "FILE",   "configuration file (default $XDG_CONFIG_HOME/wisdom/config)") \
	X("since",       0,  1, since,       "TIME",   "start of the post-deploy window") \
	X("until",       0,  1, until,       "TIME",   "end of the post-deploy window") \
	X("offline",     0,  0, offline,     NULL,     "replay recorded evidence only; no network") \
	X("record",      0,  1, record,      "DIR",    "record backend responses into DIR") \
	X("color",       0,  2, color,       "WHEN",   "auto, always or never") \
	X("no-color",    0,  0, no_color,    NULL,     "same as --color=never") \
	X("theme",       0,  1, theme,       "NAME",   "colour theme (default, light, high-contrast, cvd, mono)") \
	X("script",      0,  1, script,      "FILE",   "drive the console headless from FILE") \
	X("dump",        0,  1, dump,        "FILE",   "write the last screen to FILE as text") \
	X("size",        0,  1, size,        "COLSxROWS", "screen size in headless mode") \
	X("term",        0,  1, term,        "NAME",   "terminal type in headless mode") \
	X("clock",       0,  1, clock,       "TIME",   "fixed \"now\" (tests)") \
	X("trace",       0,  1, trace,       "FILE",   "write a trace of events to FILE") \
	X("bench",       0,  0, bench,       NULL,     "add frame times to the trace") \
	X("json",        0,  0, json,        NULL,     "print JSON instead of text") \
	X("out",         'o', 1, out,        "DIR",    "write the report into DIR") \
	X("list",        0,  0, list,        NULL,     "review: list candidates and decisions") \
	X("accept",      0,  1, accept,      "ID",     "review: accept learning ID (repeatable via arguments)") \
	X("reject",      0,  1, reject,      "ID",     "review: reject learning ID") \
	X("edit",        0,  1, edit,        "ID",     "review: edit learning ID in $EDITOR") \
	X("dry-run",     'n', 0, dry_run,    NULL,     "publish: print every file and call, change nothing") \
	X("files-only",  0,  0, files_only,  NULL,     "publish: write files, make no GitHub call") \
	X("format",      0,  1, format,      "FMT",    "mine-logs: header format to strip") \
	X("csv",         0,  0, csv,         NULL,     "mine-logs: one CSV row per line") \
	X("dump-keymap", 0,  1, dump_keymap, "FMT",    "print the key bindings as roff or config") \
	X("verbose",     'v', 0, verbose,    NULL,     "more detail on stderr") \
	X("version",     'V', 0, version,    NULL,     "print the version and exit") \
	X("help",        'h', 0, help,       NULL,     "print this help and exit")

/* X(name, function, synopsis, summary) */
#define CLI_COMMAND_TABLE(X)                                                                  \
	X("runs",      cmd_runs,      "runs",                   "list runs with per-flow status") \
	X("analyze",   cmd_analyze,   "analyze [RUN]",          "run every available analysis; print a report") \
	X("review",    cmd_review,    "review [RUN] --list|--accept ID...|--reject ID...|--edit ID", "record decisions on learnings") \
	X("publish",   cmd_publish,   "publish [RUN] [--dry-run|--files-only]", "write accepted learnings and post them") \
	X("doctor",    cmd_doctor,    "doctor",                 "show which extensions are configured") \
	X("tests",     cmd_tests,     "tests FILE|DIR...",      "parse test reports, print totals and failures") \
	X("mine-logs", cmd_mine_logs, "mine-logs FILE",         "mine log templates from a plain log file") \
	X("demo",      cmd_demo,      "demo [RUN]",             "open the bundled offline demo")

struct cli_opts {
#define CLI_X(lname, sc, arg, field, meta, help) const char *field;
	CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
	const char *command;      /* NULL: the console */
	int nargs;
	char **args;              /* positional arguments after the command */
	char **args_base;         /* owned allocation behind args (cli_free) */
	const char *argv0;
};

struct cli_opts;
#define CLI_X(name, fn, syn, sum) int fn(const struct cli_opts *o);
CLI_COMMAND_TABLE(CLI_X)
#undef CLI_X

/* Parses argv. Returns 0 on success, 2 on a usage error (message printed). */
int cli_parse(int argc, char **argv, struct cli_opts *o);
void cli_usage(FILE *f);
/* Releases what cli_parse allocated. */
void cli_free(struct cli_opts *o);
/* True when an option without an argument was given. */
#define CLI_FLAG(o, field) ((o)->field != NULL)

/* Shared by subcommands: "now" from --clock / WISDOM_CLOCK, else the wall clock. */
double cli_now(const struct cli_opts *o);

#endif
