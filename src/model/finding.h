/* finding.h - what one analyzer concluded about one subject, with the
 * evidence behind it (spec/analysis.md §0, §9.4).
 *
 * Severity, confidence and evidence types are X-macro tables (the single
 * source of the words printed and parsed). Analyzers fill struct finding;
 * analysis/synthesis.c turns findings into learning candidates.
 *
 * Ownership: a struct finding owns every string and array in it;
 * finding_free(&f) releases a heap finding and NULLs f, finding_clear(f)
 * releases the insides of one embedded in an array. struct evidence owns
 * its strings (evidence_clear). Strings are untrusted UTF-8 as read.
 */
#ifndef WZ_MODEL_FINDING_H
#define WZ_MODEL_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"

/* X(enum, word, rank weight) — ascending order. */
#define FND_SEVERITY_TABLE(X)          \
	X(SEV_INFO,     "INFO",     1.0) \
	X(SEV_MINOR,    "MINOR",    2.0) \
	X(SEV_MAJOR,    "MAJOR",    3.0) \
	X(SEV_CRITICAL, "CRITICAL", 4.0)

enum fnd_severity {
#define FND_X(e, w, k) e,
	FND_SEVERITY_TABLE(FND_X)
#undef FND_X
	SEV_COUNT
};

/* X(enum, word, rank weight) — ascending order. */
#define FND_CONFIDENCE_TABLE(X)         \
	X(CONF_LOW,    "LOW",    0.3)   \
	X(CONF_MEDIUM, "MEDIUM", 0.6)   \
	X(CONF_HIGH,   "HIGH",   1.0)

enum fnd_confidence {
#define FND_X(e, w, k) e,
	FND_CONFIDENCE_TABLE(FND_X)
#undef FND_X
	CONF_COUNT
};

/* Evidence item types (§9.4). X(enum, word) */
#define FND_EVIDENCE_TABLE(X)      \
	X(EV_ARTIFACT, "artifact") \
	X(EV_COMMIT,   "commit")   \
	X(EV_BLAME,    "blame")    \
	X(EV_TEST,     "test")     \
	X(EV_QUERY,    "query")    \
	X(EV_URL,      "url")      \
	X(EV_PANE,     "pane")

enum fnd_ev_type {
#define FND_X(e, w) e,
	FND_EVIDENCE_TABLE(FND_X)
#undef FND_X
	EV_COUNT
};

struct evidence {
	enum fnd_ev_type type;
	char *locator;     /* path:line, path#heading, SHA, test id, backend+query+range, URL */
	char *excerpt;     /* one line (may be NULL); sanitise before drawing */
	char *analyzer;    /* who produced it ("pack", "audit", "receipts", ...) */
	enum fnd_confidence confidence;
	bool current_failure_only;   /* rests only on a CURRENT_FAILURE signal */
};

struct fnd_number {
	char *key;
	double v;
};

struct finding {
	char *analyzer;           /* "tests", "metrics", ... */
	char *kind;               /* a spec/analysis.md §9.1 kind word */
	char *subject;            /* subject key: no counts, times or run ids */
	char *title;              /* one line for people (may hold counts) */
	char *body;               /* may be NULL */
	char *status;             /* PASS WARN FAIL MISSING NO_DATA INCONCLUSIVE PENDING or own */
	enum fnd_severity severity;
	enum fnd_confidence confidence;
	bool input_missing;       /* a required input was missing (§9.3: -1 grade) */
	struct {
		double value, ci_low, ci_high;   /* NAN when unknown */
		char *unit;
	} effect;
	struct fnd_number *numbers;
	size_t nnumbers;
	struct str_list reasons;  /* the rules that fired */
	struct str_list components;   /* subject components (file, service, test) for merging */
	struct evidence *ev;
	size_t nev;
};

const char *fnd_severity_word(enum fnd_severity s);
const char *fnd_confidence_word(enum fnd_confidence c);
const char *fnd_ev_type_word(enum fnd_ev_type t);
double fnd_severity_weight(enum fnd_severity s);
double fnd_confidence_weight(enum fnd_confidence c);
/* Exact-case word to enum; -1 when unknown. */
int fnd_severity_parse(const char *w);
int fnd_confidence_parse(const char *w);
int fnd_ev_type_parse(const char *w);

/* A new finding with NAN effect numbers and copies of the strings. */
struct finding *finding_new(const char *analyzer, const char *kind, const char *subject,
			    const char *title);
/* Appends an evidence item (copies the strings) and returns it. */
struct evidence *finding_add_evidence(struct finding *f, enum fnd_ev_type type, const char *locator,
				      const char *excerpt, enum fnd_confidence conf);
void finding_add_number(struct finding *f, const char *key, double v);

/* Deep copy of an evidence item into *dst (fresh strings). */
void evidence_copy(struct evidence *dst, const struct evidence *src);
void evidence_clear(struct evidence *e);

void finding_clear(struct finding *f);
void finding_free(struct finding **f);

#endif
