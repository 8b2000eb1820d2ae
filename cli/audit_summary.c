/* SPDX-License-Identifier: Apache-2.0 */
/* cli/audit_summary.c: the parts of an audit's summary record that the
 * table and the HTML page word alike (where the verdicts came from, and
 * whether orphans were looked for), and the check that a summary read back
 * from a file carries them in the form the library writes. */
#include "cli.h"
#include "audit.h"

#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int is_count(json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) >= 0;
}

const char *audit_summary_problem(json_t *summary)
{
	json_t *orphans = json_object_get(summary, "orphans");
	json_t *unlooked = json_object_get(summary, "orphansNotLookedFor");
	json_t *policy = json_object_get(summary, "policy"), *files, *f;
	const char *kind;
	size_t i;

	if (!is_count(orphans) && !json_is_null(orphans))
		return "\"orphans\" is neither a count nor null";
	if (unlooked != NULL && !json_is_null(unlooked) &&
	    (!json_is_object(unlooked) || !is_count(json_object_get(unlooked, "repositories")) ||
	     json_integer_value(json_object_get(unlooked, "repositories")) == 0 ||
	     str(unlooked, "repository") == NULL || str(unlooked, "reason") == NULL))
		return "\"orphansNotLookedFor\" is neither null nor "
		       "{\"repositories\" (at least 1), \"repository\", \"reason\"}";
	/* null orphans exactly when they were not looked for everywhere */
	if (json_is_null(orphans) != json_is_object(unlooked))
		return "\"orphans\" is null but \"orphansNotLookedFor\" is not set, or the other way round";
	if (policy == NULL)
		return NULL; /* written before signet recorded it */
	kind = str(policy, "kind");
	files = json_object_get(policy, "files");
	if (!json_is_object(policy) || kind == NULL ||
	    (strcmp(kind, "policy") != 0 && strcmp(kind, "contract") != 0 && strcmp(kind, "keys") != 0) ||
	    !json_is_array(files) || !json_is_boolean(json_object_get(policy, "named")))
		return "\"policy\" is not "
		       "{\"kind\": \"policy\"|\"contract\"|\"keys\", \"files\": [...], \"named\": bool}";
	json_array_foreach(files, i, f) {
		if (!json_is_string(f))
			return "\"policy\": \"files\" holds something else than file names";
	}
	if (strcmp(kind, "keys") != 0 && json_array_size(files) != 1)
		return "\"policy\": a policy or a contract is one file";
	return NULL;
}

void audit_put_policy(FILE *f, audit_put_fn put, json_t *summary)
{
	json_t *policy = json_object_get(summary, "policy"), *files = json_object_get(policy, "files"), *v;
	const char **names;
	size_t i, n = json_array_size(files);

	if (policy == NULL) {
		fputs("not recorded (a report written before signet recorded it)", f);
		return;
	}
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		fputs("(out of memory)", f);
		return;
	}
	json_array_foreach(files, i, v)
		names[i] = json_string_value(v);
	cli_policy_source_write(f, put, str(policy, "kind"), names, n,
				json_is_true(json_object_get(policy, "named")));
	free(names);
}

void audit_put_orphans(FILE *f, audit_put_fn put, json_t *summary, unsigned long long found)
{
	json_t *unlooked = json_object_get(summary, "orphansNotLookedFor");
	json_int_t n = json_integer_value(json_object_get(unlooked, "repositories"));

	if (!json_is_object(unlooked)) {
		json_int_t c = json_integer_value(json_object_get(summary, "orphans"));

		fprintf(f, "%llu", c > 0 ? (unsigned long long)c : 0);
		return;
	}
	if (n == 1) {
		fputs("not looked for in ", f);
		put(f, str(unlooked, "repository"));
		fputs(" (", f);
	} else {
		fprintf(f, "not looked for in %lld repositories (the first, ", (long long)n);
		put(f, str(unlooked, "repository"));
		fputs(": ", f);
	}
	put(f, str(unlooked, "reason"));
	fputc(')', f);
	if (found > 0)
		fprintf(f, "; %llu found where they could be looked for", found);
}
