/* cli.c - option parsing and usage text from the tables in cli.h. */
#include "config.h"
#include "cli/cli.h"
#include "util/timeparse.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char flag_set[] = "1";

int cli_parse(int argc, char **argv, struct cli_opts *o)
{
	enum {
#define CLI_X(lname, sc, arg, field, meta, help) OPT_##field,
		CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
		OPT_COUNT
	};
	static const struct option longopts[] = {
#define CLI_X(lname, sc, arg, field, meta, help) {lname, arg, NULL, 256 + OPT_##field},
		CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
		{NULL, 0, NULL, 0}};
	static const char shortopts[] = "+" /* stop at nothing: permute handled below */
		"o:nvVh";
	const char *shortmap[128] = {0};
	int c, i;

	memset(o, 0, sizeof *o);
	o->argv0 = argv[0];
#define CLI_X(lname, sc, arg, field, meta, help) if (sc) shortmap[(int)(sc)] = lname;
	CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
	(void)shortmap;
	optind = 1;
	opterr = 0;
	/* Permute: collect positionals ourselves so options may follow the command. */
	o->args = calloc((size_t)argc + 1, sizeof *o->args);
	if (!o->args)
		return 2;
	o->args_base = o->args;
	for (;;) {
		c = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (c == -1) {
			if (optind < argc) {
				o->args[o->nargs++] = argv[optind++];
				continue;
			}
			break;
		}
		switch (c) {
#define CLI_X(lname, sc, arg, field, meta, help)                                     \
	case 256 + OPT_##field:                                                       \
		o->field = arg ? (optarg ? optarg : flag_set) : flag_set;             \
		break;
			CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
		case 'o': o->out = optarg; break;
		case 'n': o->dry_run = flag_set; break;
		case 'v': o->verbose = flag_set; break;
		case 'V': o->version = flag_set; break;
		case 'h': o->help = flag_set; break;
		case '?':
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "wisdom: unknown option '-%c' (see wisdom --help)\n", optopt);
			else
				fprintf(stderr, "wisdom: unknown or incomplete option '%s' (see wisdom --help)\n",
					argv[optind - 1]);
			return 2;
		}
	}
	if (o->nargs > 0) {
#define CLI_X(name, fn, syn, sum) if (!o->command && strcmp(o->args[0], name) == 0) o->command = name;
		CLI_COMMAND_TABLE(CLI_X)
#undef CLI_X
		if (o->command) {
			o->args++;
			o->nargs--;
		}
	}
	if (o->no_color)
		o->color = "never";
	for (i = 0; i < o->nargs; i++)
		if (!o->args[i])
			return 2;
	return 0;
}

void cli_free(struct cli_opts *o)
{
	free(o->args_base);
	o->args_base = o->args = NULL;
	o->nargs = 0;
}

void cli_usage(FILE *f)
{
	fprintf(f, "Usage: wisdom [OPTIONS] [RUN]      open the investigation console\n");
#define CLI_X(name, fn, syn, sum) fprintf(f, "       wisdom %-40s %s\n", syn, sum);
	CLI_COMMAND_TABLE(CLI_X)
#undef CLI_X
	fprintf(f, "\nOptions:\n");
{
		static const struct {
			const char *lname, *meta, *help;
			int sc, arg;
		} opts[] = {
#define CLI_X(lname, sc, arg, field, meta, help) {lname, meta, help, sc, arg},
			CLI_OPTION_TABLE(CLI_X)
#undef CLI_X
		};
		size_t i;
		for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
			char left[48];
			if (opts[i].arg == 1)
				snprintf(left, sizeof left, "--%s %s", opts[i].lname, opts[i].meta);
			else if (opts[i].arg == 2)
				snprintf(left, sizeof left, "--%s[=%s]", opts[i].lname, opts[i].meta);
			else
				snprintf(left, sizeof left, "--%s", opts[i].lname);
			if (opts[i].sc)
				fprintf(f, "  -%c, %-24s %s\n", opts[i].sc, left, opts[i].help);
			else
				fprintf(f, "      %-24s %s\n", left, opts[i].help);
		}
	}
	fprintf(f, "\nRUN is a run id, a run folder, a .runs/ folder or a repository.\n"
		   "Exit status: 0 ok, 1 findings need attention, 2 usage or input error,\n"
		   "3 backend unreachable. See wisdom(1).\n");
}

double cli_now(const struct cli_opts *o)
{
	const char *c = o->clock ? o->clock : getenv("WISDOM_CLOCK");
	double t;
	if (c && *c) {
		char *end;
		t = strtod(c, &end);
		if (end != c && *end == '\0')
			return t;
		if (tp_parse(c, &t, NULL, NULL))
			return t;
	}
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		return (double)ts.tv_sec + ts.tv_nsec / 1e9;
	}
}
