/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit.h: the outputs of `signet audit` (table, JSON Lines, HTML),
 * shared by the live audit and by `signet audit merge` / `render`, which
 * read the records back from JSON Lines files. */
#ifndef SIGNET_CLI_AUDIT_H
#define SIGNET_CLI_AUDIT_H

#include <stdio.h>

#include <jansson.h>

/* One record (one line of JSON Lines) read back from a file: longer lines
 * are refused.  An image record holds at most 128 + 100 signatures of a few
 * hundred bytes of text each, far below this. */
#define AUDIT_MAX_LINE (8u * 1024u * 1024u)
/* Parallel requests accepted by -j. */
#define AUDIT_MAX_JOBS 64u
/* Shards accepted by --shard K/N and by merge. */
#define AUDIT_MAX_SHARDS 4096u

/* The streamed HTML report: rows are written to a temporary file next to
 * the target as records arrive; audit_html_commit() adds the summary charts
 * (shown first by CSS order) and renames the file into place. */
struct audit_html;

/* Creates PATH's temporary file.  Returns 0, or the exit code (printed). */
int audit_html_open(struct audit_html **out, const char *path);
/* Adds one image or orphan record (borrowed).  Returns 0 or the exit code. */
int audit_html_record(struct audit_html *h, json_t *rec);
/* Writes the summary (borrowed) and the end of the page, then renames the
 * file into place.  Frees h whatever happens.  Returns 0 or the exit code;
 * on failure nothing is left behind. */
int audit_html_commit(struct audit_html *h, json_t *summary);
/* Drops the temporary file; h may be NULL. */
void audit_html_abort(struct audit_html *h);

/* Writes s HTML-escaped (& < > " ') to f. */
void audit_html_escape(FILE *f, const char *s);

/* audit_summary.c: what the table and the HTML page say alike about a
 * summary record.  Strings from the record go through put (cleaned of
 * control characters for a terminal, HTML-escaped for the page). */
typedef void (*audit_put_fn)(FILE *f, const char *s);
/* NULL when the summary's "orphans", "orphansNotLookedFor" and "policy"
 * have the form the library writes them in (the last two may be absent in
 * files written before they existed); else what is wrong. */
const char *audit_summary_problem(json_t *summary);
/* Where the verdicts came from, as `signet verify` words it after
 * "Policy: ". */
void audit_put_policy(FILE *f, audit_put_fn put, json_t *summary);
/* The orphan count, or "not looked for in REPO (REASON)" (and how many
 * were found where they could be, FOUND orphan records). */
void audit_put_orphans(FILE *f, audit_put_fn put, json_t *summary, unsigned long long found);

#endif
