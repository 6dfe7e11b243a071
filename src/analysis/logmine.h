/* logmine.h - log template mining (spec/analysis.md §4.1-4.2).
 *
 * Three steps per message: lm_mask() replaces variable values by typed
 * placeholders (<TS> <UUID> <MAC> <IP> <TIME> <HEX> <ID> <NUM>), the Drain
 * tree (lm_add) puts the masked tokens into a group, and lm_finish() merges
 * groups that are one template once variable-length parameters are
 * collapsed and constant positions are chosen by frequency. A literal "<*>"
 * or typed placeholder in the input is taken as a placeholder.
 *
 * Optional: lm_fmt_* strips a Loghub-style header ("<Date> <Time> <Level>
 * <Component>: <Content>") before mining.
 *
 * Ownership: struct lm_miner owns every group and template; strings that
 * lm_template() returns stay valid until the next lm_add/lm_finish/lm_free.
 * lm_mask() appends to the caller's buf. struct lm_fmt owns its parsed
 * pattern (lm_fmt_free).
 */
#ifndef WZ_ANALYSIS_LOGMINE_H
#define WZ_ANALYSIS_LOGMINE_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"
#include "util/status.h"

/* ---- masking (§4.1) ---- */

/* Appends the masked copy of in[0..n) to out (not reset first). */
void lm_mask(const char *in, size_t n, struct buf *out);
/* True when tok[0..n) is "<*>" or one of the typed placeholders. */
bool lm_is_placeholder(const char *tok, size_t n);

/* ---- the miner (§4.2) ---- */

struct lm_params {
	int depth;              /* tree depth incl. root and length level: 4 */
	double st;              /* similarity threshold: 0.5 */
	int max_children;       /* per tree node: 100 */
	size_t max_groups;      /* live groups before LRU eviction: 10,000 */
	size_t max_msg;         /* bytes of a message mined: 3,000 */
	bool refine;            /* lm_finish merges (collapse + frequency): true */
};

void lm_params_default(struct lm_params *p);

struct lm_miner;

struct lm_miner *lm_new(const struct lm_params *p);
void lm_free(struct lm_miner *m);

/* Masks and mines one message; returns the id of the group it joined or
 * started (ids count from 0 in creation order). *truncated (optional) is
 * set when the message was longer than max_msg. */
size_t lm_add(struct lm_miner *m, const char *msg, size_t n, bool *truncated);

/* Optional second pass (frequency-based constant positions): after the
 * last lm_add, lm_freeze() picks, per group, the "<*>" positions that
 * only ever held a few plain words (so are constant parts of several
 * templates Drain joined); then every message is given again, in the same
 * order, with the group lm_add returned for it: lm_assign() returns the
 * group the line ends in (a group split by those words, or gid itself).
 * Without the second pass no group is split. */
void lm_freeze(struct lm_miner *m);
size_t lm_assign(struct lm_miner *m, size_t gid, const char *msg, size_t n);

/* Mines an already masked, already split message (tests, W-16). */
size_t lm_add_tokens(struct lm_miner *m, const char *const *tok, size_t ntok);

/* Drain's similarity of a template to a message, both token arrays of the
 * same length: #{i: t_i = m_i, t_i not a placeholder} / n (1 when n = 0). */
double lm_sim(const char *const *tmpl, const char *const *msg, size_t n);

/* Ends mining: applies the refinements (when params.refine) and fixes the
 * final groups. Call once; lm_add is refused afterwards (returns SIZE_MAX). */
void lm_finish(struct lm_miner *m);

/* Groups ever created (final or not). */
size_t lm_ngroups(const struct lm_miner *m);
/* The final group a group id ended in (itself before lm_finish). */
size_t lm_final(const struct lm_miner *m, size_t gid);
/* Lines in group gid (after lm_finish: summed over merged groups, on the
 * final id). */
size_t lm_count(const struct lm_miner *m, size_t gid);
/* Template of gid's final group: typed placeholders kept (typed = true) or
 * every placeholder "<*>" (typed = false, the scored form). */
const char *lm_template(struct lm_miner *m, size_t gid, bool typed);

/* Counters for notes. */
size_t lm_evictions(const struct lm_miner *m);
size_t lm_truncated(const struct lm_miner *m);
size_t lm_lines(const struct lm_miner *m);

/* Final groups, most lines first (ties: scored template, then id).
 * Fills a malloc'd array the caller frees; returns the number. */
size_t lm_ranked(struct lm_miner *m, size_t **ids);

/* ---- header formats (loghub notation) ---- */

struct lm_fmt;

/* Parses fmt: <Name> fields (lazy), runs of spaces (one or more
 * whitespace), "(...)?" optional parts, other characters literal, and a
 * <Content> field that takes the rest of the line. */
enum wz_status lm_fmt_parse(const char *fmt, struct lm_fmt **out, struct wz_err *err);
void lm_fmt_free(struct lm_fmt *f);
/* Finds the Content of line[0..n) (surrounding whitespace ignored). True
 * and the content (offset *off, length *len) when the header matches; false otherwise. */
bool lm_fmt_content(const struct lm_fmt *f, const char *line, size_t n, size_t *off, size_t *len);

#endif
