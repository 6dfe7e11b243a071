/* runmd.c - composition of the markdown readers (being written). */
#include "config.h"
#include "sources/runmd.h"

void runmd_fill(struct run *r)
{
	(void)r;
}
