/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit_summary.c: the parts of an audit's summary record that the
 * table and the HTML page word alike: where the verdicts came from, and
 * whether orphans were looked for. */
#include "cli.h"
#include "audit.h"

#include <stdlib.h>
#include <string.h>

void audit_put_policy(FILE *f, audit_put_fn put, const signet_audit_record *summary)
{
	int named = 0;
	const char *kind = signet_audit_record_policy_kind(summary, &named);
	size_t i, n = signet_audit_record_policy_file_count(summary);
	const char **names;

	if (kind == NULL) {
		fputs("not recorded (a report written before signet recorded it)", f);
		return;
	}
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		fputs("(out of memory)", f);
		return;
	}
	for (i = 0; i < n; i++)
		names[i] = signet_audit_record_policy_file(summary, i);
	cli_policy_source_write(f, put, kind, names, n, named);
	free(names);
}

void audit_put_orphans(FILE *f, audit_put_fn put, const signet_audit_record *summary,
                       unsigned long long found)
{
	unsigned long long n = 0, c = 0;
	const char *repo = NULL, *reason = NULL;

	if (!signet_audit_record_orphans_not_looked_for(summary, &n, &repo, &reason)) {
		(void)signet_audit_record_orphans(summary, &c);
		fprintf(f, "%llu", c);
		return;
	}
	if (n == 1) {
		fputs("not looked for in ", f);
		put(f, repo);
		fputs(" (", f);
	} else {
		fprintf(f, "not looked for in %llu repositories (the first, ", n);
		put(f, repo);
		fputs(": ", f);
	}
	put(f, reason);
	fputc(')', f);
	if (found > 0)
		fprintf(f, "; %llu found where they could be looked for", found);
}
