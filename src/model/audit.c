/* audit.c - tables and destructor of the artifact audit model. */
#include "config.h"
#include "model/audit.h"

#include <stdlib.h>

static const char *const state_words[] = {
#define AUD_X(e, w) [e] = w,
	AUDIT_STATE_TABLE(AUD_X)
#undef AUD_X
};

const char *audit_state_word(enum audit_state s)
{
	return (unsigned)s < sizeof state_words / sizeof *state_words ? state_words[s] : "?";
}

void audit_free(struct audit **ap)
{
	struct audit *a;
	size_t i;
	if (!ap || !*ap)
		return;
	a = *ap;
	for (i = 0; i < a->n; i++) {
		free(a->rows[i].artifact);
		free(a->rows[i].note);
		free(a->rows[i].pack_state);
	}
	free(a->rows);
	for (i = 0; i < FLOW_COUNT; i++) {
		free(a->flows[i].status_raw);
		str_list_free(&a->flows[i].receipt_missing_required);
	}
	free(a->pack_audit);
	free(a);
	*ap = NULL;
}
