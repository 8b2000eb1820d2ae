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
/* -j when not given: for a registry elsewhere, where each image waits on
 * round trips (4 was 1.6x to 2x faster than 1 at 20 and 50 ms, 8 hardly
 * more than 4: bench/bench-audit-jobs.sh, docs/audit.md); 1 for a
 * registry on this machine and for dir: and oci: copies, which are
 * CPU-bound (more jobs than cores were slower there). */
#define AUDIT_DEFAULT_REMOTE_JOBS 4u
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
struct audit_tally;
int audit_html_commit(struct audit_html *h, const signet_audit_record *summary,
                      const struct audit_tally *tally);
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

/* ---- the summary the reports lead with (audit_tally.c) ---------------- */

/* Distinct denial (and error) reasons grouped and counted; images whose
 * reason would make one more group are counted as "other reasons". */
#define AUDIT_MAX_REASON_GROUPS 64u
/* Signers whose user id is remembered for the report (others are shown
 * by key id alone). */
#define AUDIT_MAX_SIGNER_NAMES 1024u
/* Hex digits of an OpenPGP long key id, shown after a name. */
#define AUDIT_KEY_ID_HEX 16u
/* "…", what a truncated cell ends with. */
#define AUDIT_ELLIPSIS "\xe2\x80\xa6"

struct audit_reason {
	char *text;    /* the reason, without the image's own name (audit_reason_short) */
	char *example; /* the first image denied for it */
	unsigned long long count;
	int verdict; /* SIGNET_AUDIT_DENIED or SIGNET_AUDIT_ERROR */
};

struct audit_signer_name {
	char *signer, *name;
};

struct audit_tally {
	/* signatures by format: simple-signing, sigstore, other */
	unsigned long long sigs[3], valid[3], unsigned_images;
	struct audit_reason *reasons;
	size_t n_reasons, cap_reasons;
	unsigned long long reasons_other[2]; /* denied, errors beyond the groups */
	struct audit_signer_name *names;
	size_t n_names, cap_names;
};

void audit_tally_init(struct audit_tally *t);
void audit_tally_free(struct audit_tally *t);
/* Counts one image record (borrowed).  Returns 0 or -1 (out of memory). */
int audit_tally_image(struct audit_tally *t, const signet_audit_record *rec);
/* Sorts the reasons: denials first, then errors; most images first. */
void audit_tally_sort(struct audit_tally *t);
/* The index of the group of a reason (as audit_reason_short gave it), or
 * (size_t)-1 when it has none. */
size_t audit_tally_reason_index(const struct audit_tally *t, const char *text);
/* The user id seen with signer's valid signatures, or NULL. */
const char *audit_tally_name(const struct audit_tally *t, const char *signer);
/* "Name <mail> (55CE…1E72143C9FFCE288)", "OpenPGP key 55CE…", "cosign
 * key SHA256:d8bb2a95d9064cc8…" in buf. */
void audit_signer_label(char *buf, size_t n, const char *signer, const char *name);
/* reason without the leading "REF: denied: ", the image's reference and
 * digest elsewhere in it replaced by "the image" and "its digest", so
 * that images denied alike group together, control characters as '?';
 * malloc'd (NULL: reason NULL
 * or out of memory). */
char *audit_reason_short(const char *reason, const char *ref, const char *digest);
/* Removes "policy FILE: " / "contract FILE: " (the summary's policy
 * files) from text in place. */
void audit_strip_policy(char *text, const signet_audit_record *summary);
/* The audited source and what it covers ("docker://R (a registry: ...)"). */
void audit_describe_source(FILE *f, audit_put_fn put, const char *source);

/* ---- the terminal report (audit_table.c) ------------------------------ */

/* Writes s to f with control characters (terminal escapes from a hostile
 * registry) replaced by '?'; NULL or "" as "-". */
void audit_put_clean(FILE *f, const char *s);

/* Columns of the terminal: $COLUMNS, else the terminal's width
 * (TIOCGWINSZ on stdout), else AUDIT_COLUMNS_DEFAULT; clamped to
 * AUDIT_COLUMNS_MIN..AUDIT_COLUMNS_MAX. */
#define AUDIT_COLUMNS_DEFAULT 80u
#define AUDIT_COLUMNS_MIN     60u
#define AUDIT_COLUMNS_MAX     1000u
unsigned int audit_columns(void);

/* The table of images and orphans: rows are kept in temporary files as
 * they arrive, and printed after the summary, aligned to the width. */
struct audit_table;
/* Returns 0, or the exit code (printed). */
int audit_table_open(struct audit_table **out);
/* Adds an image or orphan record (borrowed).  Returns 0 or the exit code. */
int audit_table_record(struct audit_table *t, const signet_audit_record *rec);
/* Prints the whole report to f: header, summary, grouped reasons, signers,
 * the images, the orphans.  Returns 0 or the exit code. */
int audit_table_print(struct audit_table *t, FILE *f, const signet_audit_record *summary,
                      const struct audit_tally *tally, unsigned long long orphan_records,
                      unsigned int columns);
void audit_table_free(struct audit_table *t);
/* The one-line summary that ends every run on stderr: "signet audit:
 * SOURCE: N images: A allowed, D denied, E errors (policy P)". */
void audit_summary_line(FILE *f, audit_put_fn put, const signet_audit_record *summary);

#endif
