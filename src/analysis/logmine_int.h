/* logmine_int.h - internals shared by the logmine_*.c files (not public).
 *
 * Ownership: the miner owns groups (their token strings and cached
 * template strings) and the tree nodes; a leaf lists the ids of its live
 * groups. Evicted groups keep their tokens so their lines can still be
 * printed, but leave the tree.
 */
#ifndef WZ_ANALYSIS_LOGMINE_INT_H
#define WZ_ANALYSIS_LOGMINE_INT_H

#include "analysis/logmine.h"

#define LM_NONE ((size_t)-1)
#define LM_WILD "<*>"

struct lm_node {
	char *key;               /* token (or token count at the first level) */
	struct lm_node **kids;
	size_t nkids, kcap;
	size_t *grp;             /* leaf: live group ids, oldest first */
	size_t ngrp, gcap;
};

/* Values seen at one position of a group (pass 1), up to LM_HIST_MAX. */
#define LM_HIST_MAX 4
struct lm_hist {
	char *v[LM_HIST_MAX];
	size_t nv;
	bool many;               /* more distinct values than LM_HIST_MAX */
	bool varlike;            /* a value held a digit or a placeholder */
};

struct lm_group {
	char **tok;              /* template tokens, typed placeholders kept */
	size_t ntok;
	size_t ntok0;            /* tokens of the messages (hist entries) */
	size_t count;            /* lines mined into this group */
	struct lm_node *leaf;
	size_t prev, next;       /* LRU list (most recent at head) */
	bool live;               /* still in the tree */
	size_t parent;           /* lm_finish union-find; itself when final */
	char *typed, *scored;    /* cached template strings (NULL: stale) */
	struct lm_hist *hist;    /* per position, pass 1 */
	bool *splitpos;          /* lm_freeze: positions that split the group */
	size_t *subs, nsubs, scap; /* pass 2: the groups it was split into */
	bool split;              /* its lines went to subs */
};

struct lm_miner {
	struct lm_params p;
	struct lm_node root;
	struct lm_group *g;
	size_t ng, gcap;
	size_t live, lru_head, lru_tail;
	size_t evictions, truncated, lines;
	bool finished;
	bool frozen;             /* lm_freeze ran: lm_assign may follow */
	struct buf mbuf;         /* scratch: masked message */
	char **tbuf;             /* scratch: token pointers into mbuf */
	size_t tcap;
};

/* logmine_refine.c: the merges lm_finish applies. */
void lm_refine(struct lm_miner *m);
/* True when t holds a digit or a placeholder (routed to "<*>"). */
bool lm_tok_variable(const char *t);
/* What a position becomes when a and b differ: "<*>", or "key=<*>" when
 * both start with the same "key=" (the key stays a constant). Caller frees. */
char *lm_wild_of(const char *a, const char *b);
/* Masks and splits msg into m->tbuf; returns the token count. */
size_t lm_tokenize(struct lm_miner *m, const char *msg, size_t n, bool *truncated);
/* logmine_split.c: split groups point at their first sub-group. */
void lm_split_settle(struct lm_miner *m);
/* Union-find root of gid. */
size_t lm_root(const struct lm_miner *m, size_t gid);
/* Builds " "-joined template of tokens; scored: placeholders as "<*>". */
char *lm_join(char *const *tok, size_t ntok, bool scored);

#endif
