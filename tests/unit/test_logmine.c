/* test_logmine.c - §4.1 masking (W-15), §4.2 Drain (W-16), the miner's
 * caps and refinements, and Loghub header formats. */
#include "config.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/logmine.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char *mask(const char *s)
{
	struct buf b = { 0 };
	lm_mask(s, strlen(s), &b);
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

static void assert_mask(const char *in, const char *want)
{
	char *got = mask(in);
	assert_string_equal(got, want);
	free(got);
}

/* W-15, the four examples exactly as written. */
static void test_w15(void **st)
{
	(void)st;
	assert_mask("2024-03-05T14:06:11.345Z payment gateway timeout after 3500 ms "
		    "(order=4f1c2a9e-77b1-4e0a-9c1e-2b7f1f0a9d10)",
		    "<TS> payment gateway timeout after <NUM> ms (order=<UUID>)");
	assert_mask("Connection from 10.0.0.12:5432 closed after 1.5s, peer fe80::1ff:fe23:4567:890a",
		    "Connection from <IP> closed after <NUM>, peer <IP>");
	assert_mask("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 at 0x7ffd5e8c pid 4312 took 12% cpu at 14:06:11",
		    "commit <HEX> at <HEX> pid <NUM> took <NUM> cpu at <TIME>");
	assert_mask("Received block blk_-1608999687919862906 of size 67108864 from /10.250.10.6",
		    "Received block <ID> of size <NUM> from /<IP>");
}

/* Each mask alone, and the boundary rule: no mask where a letter, digit,
 * '_' or '.' touches the match. */
static void test_mask_kinds(void **st)
{
	(void)st;
	assert_mask("mac 00:1a:2b:3c:4d:5e up", "mac <MAC> up");
	assert_mask("attempt_1445144423722_0020_m_000003_0 done", "<ID> done");
	assert_mask("size 4KiB and 2.5e3 and 7ms", "size <NUM> and <NUM> and <NUM>");
	assert_mask("v1.2.3 stays", "v1.2.3 stays");       /* '.' touches: no <NUM> */
	assert_mask("x86 and abc123", "x86 and abc123");    /* letters touch */
	assert_mask("ends with 42.", "ends with 42.");      /* '.' after the match */
	assert_mask("5min", "5min");                        /* a unit must end the token */
	assert_mask("deadbeef is not hex but deadbeef1 is", "deadbeef is not hex but <HEX> is");
	assert_mask("at 2024-03-05T14:06:11+01:00 ok", "at <TS> ok");
	assert_mask("", "");
	assert_true(lm_is_placeholder("<*>", 3));
	assert_true(lm_is_placeholder("<IP>", 4));
	assert_false(lm_is_placeholder("<IPX>", 5));
}

static size_t add(struct lm_miner *m, const char *s)
{
	return lm_add(m, s, strlen(s), NULL);
}

/* W-16: 4/6 = 0.6667 joins, 2/8 = 0.25 splits. */
static void test_w16(void **st)
{
	const char *g1[] = { "Accepted", "password", "for", "alice", "from", "<*>" };
	const char *m1[] = { "Accepted", "password", "for", "bob", "from", "<IP>" };
	const char *g2[] = { "Cache", "warm", "completed:", "<*>", "items", "in", "<*>", "ms" };
	const char *m2[] = { "Cache", "warm", "failed", "for", "<NUM>", "keys", "after", "<NUM>" };
	struct lm_params p;
	struct lm_miner *m;
	size_t a, b;
	(void)st;

	assert_float_equal(lm_sim(g1, m1, 6), 0.6667, 1e-4);
	assert_float_equal(lm_sim(g2, m2, 8), 0.25, 1e-9);

	lm_params_default(&p);
	p.refine = false;
	m = lm_new(&p);
	a = lm_add_tokens(m, g1, 6);
	b = lm_add_tokens(m, m1, 6);
	assert_int_equal(a, b);
	assert_string_equal(lm_template(m, a, false), "Accepted password for <*> from <*>");
	assert_int_equal(lm_count(m, a), 2);
	a = lm_add_tokens(m, g2, 8);
	b = lm_add_tokens(m, m2, 8);
	assert_int_not_equal(a, b);
	assert_int_equal(lm_ngroups(m), 3);
	assert_string_equal(lm_template(m, a, true), "Cache warm completed: <*> items in <*> ms");
	assert_string_equal(lm_template(m, b, true), "Cache warm failed for <NUM> keys after <NUM>");
	lm_free(m);
}

/* §4.2 ties: the group with more "<*>" positions, then the older one. */
static void test_ties(void **st)
{
	const char *g0[] = { "a", "b", "c", "d", "e", "f" };
	const char *g1[] = { "a", "b", "p", "q", "r", "s" };
	const char *g1b[] = { "a", "b", "p", "q", "r", "t" };
	const char *msg[] = { "a", "b", "c", "q", "r", "f" };
	struct lm_params p;
	struct lm_miner *m;
	(void)st;
	lm_params_default(&p);
	p.refine = false;

	m = lm_new(&p);
	assert_int_equal(lm_add_tokens(m, g0, 6), 0);
	assert_int_equal(lm_add_tokens(m, g1, 6), 1);          /* 2/6 < 0.5 */
	assert_int_equal(lm_add_tokens(m, msg, 6), 0);         /* 4/6 each: older */
	lm_free(m);

	m = lm_new(&p);
	lm_add_tokens(m, g0, 6);
	lm_add_tokens(m, g1, 6);
	assert_int_equal(lm_add_tokens(m, g1b, 6), 1);         /* 5/6: s -> <*> */
	assert_string_equal(lm_template(m, 1, false), "a b p q r <*>");
	assert_int_equal(lm_add_tokens(m, msg, 6), 1);         /* 4/6 each: more <*> */
	lm_free(m);
}

/* Typed placeholders stay in the display template while they agree. */
static void test_typed(void **st)
{
	struct lm_miner *m = lm_new(NULL);
	size_t a, b, c;
	(void)st;
	a = add(m, "Connection from 10.0.0.1 closed");
	b = add(m, "Connection from 10.0.0.2 closed");
	c = add(m, "Connection from host1 closed");
	assert_int_equal(a, b);
	assert_int_equal(a, c);
	lm_finish(m);
	assert_string_equal(lm_template(m, a, false), "Connection from <*> closed");
	lm_free(m);

	m = lm_new(NULL);
	a = add(m, "Connection from 10.0.0.1 closed");
	b = add(m, "Connection from 10.0.0.2 closed");
	assert_string_equal(lm_template(m, a, true), "Connection from <IP> closed");
	assert_string_equal(lm_template(m, a, false), "Connection from <*> closed");
	lm_free(m);
}

/* 3,000-byte cap, LRU eviction counted, finish refuses more lines. */
static void test_caps(void **st)
{
	struct lm_params p;
	struct lm_miner *m;
	char *big = xmalloc(5001);
	bool trunc = false;
	(void)st;

	memset(big, 'a', 5000);
	for (size_t i = 100; i < 5000; i += 100)
		big[i] = ' ';
	big[5000] = '\0';
	m = lm_new(NULL);
	lm_add(m, big, 5000, &trunc);
	assert_true(trunc);
	assert_int_equal(lm_truncated(m), 1);
	/* 3000 bytes = 30 words (29 of 100 bytes + the 100th-byte space) */
	lm_finish(m);
	assert_int_equal(lm_add(m, "x", 1, NULL), SIZE_MAX);
	lm_free(m);
	free(big);

	lm_params_default(&p);
	p.max_groups = 2;
	m = lm_new(&p);
	add(m, "alpha one");
	add(m, "beta two");
	add(m, "gamma three");     /* evicts "alpha one" */
	assert_int_equal(lm_evictions(m), 1);
	assert_int_equal(add(m, "alpha one"), 3);   /* a new group */
	assert_int_equal(lm_evictions(m), 2);
	assert_int_equal(lm_lines(m), 4);
	lm_finish(m);
	/* the two "alpha one" groups print one template, so they are one group */
	assert_int_equal(lm_final(m, 0), lm_final(m, 3));
	assert_int_equal(lm_count(m, lm_final(m, 0)), 2);
	lm_free(m);
}

/* Variable-length parameters: groups that agree once runs of <*> and
 * bracketed parameter groups collapse are one group. */
static void test_refine_collapse(void **st)
{
	struct lm_miner *m = lm_new(NULL);
	size_t a, b;
	size_t *ids = NULL, n;
	(void)st;
	a = add(m, "host1:443 close, 1190 bytes sent, 1671 bytes received, lifetime 00:02");
	b = add(m, "host2:443 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02");
	assert_int_not_equal(a, b);
	lm_finish(m);
	assert_int_equal(lm_final(m, a), lm_final(m, b));
	n = lm_ranked(m, &ids);
	assert_int_equal(n, 1);
	assert_int_equal(lm_count(m, ids[0]), 2);
	free(ids);
	lm_free(m);
}

/* The second pass: a "<*>" that only held a few plain words splits the
 * group; one that held many stays a parameter. */
static void test_split(void **st)
{
	static const char *const lines[] = {
		"cupsd daemon startup succeeded", "cupsd daemon shutdown succeeded",
		"cupsd daemon startup succeeded", "login of user alice ok", "login of user bob ok",
		"login of user carol ok", "login of user dave ok", "login of user erin ok",
	};
	size_t gid[8], fin[8], *ids = NULL, n;
	struct lm_miner *m = lm_new(NULL);
	(void)st;
	for (size_t i = 0; i < 8; i++)
		gid[i] = add(m, lines[i]);
	assert_int_equal(gid[0], gid[1]);       /* Drain: 3/4 >= 0.5 */
	assert_int_equal(gid[3], gid[7]);
	lm_freeze(m);
	assert_int_equal(add(m, "late line"), SIZE_MAX);
	for (size_t i = 0; i < 8; i++)
		fin[i] = lm_assign(m, gid[i], lines[i], strlen(lines[i]));
	lm_finish(m);
	for (size_t i = 0; i < 8; i++)
		fin[i] = lm_final(m, fin[i]);
	assert_int_not_equal(fin[0], fin[1]);
	assert_int_equal(fin[0], fin[2]);
	assert_string_equal(lm_template(m, fin[0], false), "cupsd daemon startup succeeded");
	assert_string_equal(lm_template(m, fin[1], false), "cupsd daemon shutdown succeeded");
	assert_int_equal(fin[3], fin[7]);
	assert_string_equal(lm_template(m, fin[3], false), "login of user <*> ok");
	n = lm_ranked(m, &ids);
	assert_int_equal(n, 3);
	assert_int_equal(lm_count(m, ids[0]), 5);
	assert_int_equal(lm_count(m, ids[1]), 2);
	assert_int_equal(lm_count(m, ids[2]), 1);
	free(ids);
	lm_free(m);
}

/* "key=<*>": the key of a pair stays a constant when values differ. */
static void test_key_value(void **st)
{
	struct lm_miner *m = lm_new(NULL);
	size_t a;
	(void)st;
	a = add(m, "auth failure; rhost=10.0.0.1 user=root");
	add(m, "auth failure; rhost=host.example user=admin");
	assert_string_equal(lm_template(m, a, false), "auth failure; rhost=<*> user=<*>");
	lm_free(m);
}

static void test_format(void **st)
{
	struct lm_fmt *f = NULL;
	struct wz_err err = { 0 };
	size_t off, len;
	const char *l1 = "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown";
	const char *l2 = "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)";
	const char *l3 = "Jun 15 04:06:20 combo logrotate: ALERT exited abnormally with [1]";
	(void)st;

	assert_int_equal(lm_fmt_parse("<Month> <Date> <Time> <Level> <Component>([<PID>])?: <Content>", &f, &err), WZ_OK);
	assert_true(lm_fmt_content(f, l1, strlen(l1), &off, &len));
	assert_int_equal(len, strlen("check pass; user unknown"));
	assert_memory_equal(l1 + off, "check pass; user unknown", len);
	assert_true(lm_fmt_content(f, l2, strlen(l2), &off, &len));
	assert_memory_equal(l2 + off, "session opened", 14);
	assert_true(lm_fmt_content(f, l3, strlen(l3), &off, &len));
	assert_memory_equal(l3 + off, "ALERT exited abnormally with [1]", len);
	assert_false(lm_fmt_content(f, "garbage", 7, &off, &len));
	lm_fmt_free(f);

	assert_int_equal(lm_fmt_parse("[<Time>] <Program> - <Content>", &f, &err), WZ_OK);
	l1 = "  [10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open  ";
	assert_true(lm_fmt_content(f, l1, strlen(l1), &off, &len));
	assert_int_equal(len, strlen("proxy.cse.cuhk.edu.hk:5070 open"));
	lm_fmt_free(f);

	assert_int_equal(lm_fmt_parse("<Date> <Time>", &f, &err), WZ_EUSAGE);
	assert_non_null(strstr(err.msg, "<Content>"));
	assert_null(f);
	assert_int_equal(lm_fmt_parse("(<A> <Content>)?", &f, &err), WZ_EUSAGE);
	assert_int_equal(lm_fmt_parse("<Content> <A>", &f, &err), WZ_EUSAGE);
}

/* A hostile line against a format of many lazy fields ends quickly. */
static void test_format_budget(void **st)
{
	struct lm_fmt *f = NULL;
	struct wz_err err = { 0 };
	char *line = xmalloc(3001);
	size_t off, len;
	(void)st;
	memset(line, ' ', 3000);
	for (size_t i = 0; i < 3000; i += 2)
		line[i] = 'x';
	line[3000] = '\0';
	assert_int_equal(lm_fmt_parse("<A> <B> <C> <D> <E> <F> <G> <H> <I> Z <Content>", &f, &err), WZ_OK);
	assert_false(lm_fmt_content(f, line, 3000, &off, &len));
	lm_fmt_free(f);
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_w15),
		cmocka_unit_test(test_mask_kinds),
		cmocka_unit_test(test_w16),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_refine_collapse),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
