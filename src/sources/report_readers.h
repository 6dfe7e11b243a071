/* report_readers.h - one reader per report format, and what they share.
 *
 * Each reader gets an open, regular file (positioned at offset 0) and an
 * empty tr_report; it fills entries, declared values and problems, then
 * calls tr_report_finish(). A reader returns WZ_OK even for malformed
 * input (r->malformed says so); other statuses mean nothing useful was read.
 * Readers honour r's keep policy: they ask tr_admit() before storing an
 * entry and tr_count_only() the others (go -json, which must see a test's
 * last event, stores all and lets tr_report_finish() drop them). Entry
 * strings go into r's arena (tr_case_put, tr_case_make_id).
 * Ownership: readers borrow fd and r; they close nothing.
 */
#ifndef WZ_SOURCES_REPORT_READERS_H
#define WZ_SOURCES_REPORT_READERS_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/xmlreader.h>
#include "model/testreport.h"
#include "util/status.h"

enum wz_status report_junit_read(int fd, struct tr_report *r, struct wz_err *err);
enum wz_status report_cobertura_read(int fd, struct tr_report *r, struct wz_err *err); /* + JaCoCo */
enum wz_status report_lcov_read(int fd, struct tr_report *r, struct wz_err *err);
enum wz_status report_tap_read(int fd, struct tr_report *r, struct wz_err *err);
enum wz_status report_gojson_read(int fd, struct tr_report *r, struct wz_err *err);

/* ---- shared: bounded line reading from an fd ---- */

/* Lines longer than this are cut (the rest of the line is skipped). */
#define REPORT_LINE_MAX (1u << 20)

struct report_lines {
	int fd;
	char *buf;
	size_t len, pos, cap;
	bool eof;
	bool error;           /* read(2) failed */
	long lineno;          /* 1-based number of the line last returned */
	bool cut;             /* last line returned was longer than REPORT_LINE_MAX */
	bool last_no_newline; /* last line returned had no line end (file end) */
	bool skip_rest;       /* private: dropping the tail of a cut line */
};
void report_lines_init(struct report_lines *it, int fd);
/* Next line without its CR/LF, NUL-terminated in place (valid until the
 * next call). A UTF-8 BOM at the start is dropped. */
bool report_lines_next(struct report_lines *it, char **line, size_t *len);
void report_lines_free(struct report_lines *it);

/* ---- shared: a safe streaming XML reader ---- */

struct report_xml {
	xmlTextReaderPtr rd;
	bool failed;          /* an XML error was reported */
	long err_line;
	char err_msg[256];
};
/* Opens a streaming reader on fd: no network, no entity substitution, no
 * DTD loading, default (non-huge) limits. NULL only on allocation failure. */
bool report_xml_open(struct report_xml *x, int fd, const char *path);
void report_xml_close(struct report_xml *x);
/* Attribute value as a malloc'd string, NULL when absent. */
char *report_xml_attr(struct report_xml *x, const char *name);

#endif
