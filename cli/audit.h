/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit.h: the outputs of `signet audit` (table, JSON Lines, HTML),
 * shared by the live audit and by `signet audit merge` / `render`, which
 * read the records back from JSON Lines files. */
#ifndef SIGNET_CLI_AUDIT_H
#define SIGNET_CLI_AUDIT_H

#include <stdio.h>

#include <signet/audit.h>

/* Parallel requests accepted by -j. */
#define AUDIT_MAX_JOBS 64u
/* Shards accepted by --shard K/N and by merge. */
#define AUDIT_MAX_SHARDS SIGNET_AUDIT_MAX_SHARDS

/* The streamed HTML report: rows are written to a temporary file next to
 * the target as records arrive; audit_html_commit() adds the summary charts
 * (shown first by CSS order) and renames the file into place. */
struct audit_html;

/* Creates PATH's temporary file.  Returns 0, or the exit code (printed). */
int audit_html_open(struct audit_html **out, const char *path);
/* Adds one image or orphan record (borrowed).  Returns 0 or the exit code. */
int audit_html_record(struct audit_html *h, const signet_audit_record *rec);
/* Writes the summary (borrowed) and the end of the page, then renames the
 * file into place.  Frees h whatever happens.  Returns 0 or the exit code;
 * on failure nothing is left behind. */
int audit_html_commit(struct audit_html *h, const signet_audit_record *summary);
/* Drops the temporary file; h may be NULL. */
void audit_html_abort(struct audit_html *h);

/* Writes s HTML-escaped (& < > " ') to f. */
void audit_html_escape(FILE *f, const char *s);

/* audit_summary.c: what the table and the HTML page say alike about a
 * summary record (read through the getters).  Strings from the record go through put (cleaned of
 * control characters for a terminal, HTML-escaped for the page). */
typedef void (*audit_put_fn)(FILE *f, const char *s);
/* Where the verdicts came from, as `signet verify` words it after
 * "Policy: ". */
void audit_put_policy(FILE *f, audit_put_fn put, const signet_audit_record *summary);
/* The orphan count, or "not looked for in REPO (REASON)" (and how many
 * were found where they could be, FOUND orphan records). */
void audit_put_orphans(FILE *f, audit_put_fn put, const signet_audit_record *summary,
                       unsigned long long found);

#endif
