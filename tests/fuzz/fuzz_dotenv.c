/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_dotenv.c: what compose reads besides a compose file
 * (verify/compose_project.c).  The input is read as a .env; the same
 * bytes are then interpolated with the variables it set (as an image
 * value would be), split as COMPOSE_FILE and taken as a path relative to
 * a directory.  Every call either succeeds with a result or fails with
 * one of its documented codes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "verify/compose_project.h"

static void check_rc(int rc, int allowed)
{
	if (rc != 0 && rc != allowed && rc != SIGNET_EBADINPUT && rc != SIGNET_ELIMIT && rc != SIGNET_ENOMEM)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sn_dotenv env;
	struct sn_err e;
	char *out = NULL, **entries = NULL;
	size_t n = 0;
	int rc;

	if (size > 64u * 1024u)
		return 0;
	sn_dotenv_init(&env);
	rc = sn_dotenv_parse(&env, data, size, "fuzz/.env", &e);
	check_rc(rc, 0);
	if (rc != 0 && env.n != 0)
		abort(); /* nothing is kept from a refused file */
	for (size_t i = 0; i < env.n; i++)
		if (sn_dotenv_get(&env, env.vars[i].name) != &env.vars[i] ||
		    (env.vars[i].value == NULL) == (env.vars[i].why == NULL) || env.vars[i].line == 0)
			abort();

	rc = sn_compose_interpolate(&out, (const char *)data, size, &env, &e);
	check_rc(rc, SIGNET_ENOTFOUND);
	if ((rc == 0) != (out != NULL) || (out != NULL && strlen(out) > SN_COMPOSE_MAX_VALUE))
		abort();
	free(out);
	out = NULL;

	rc = sn_compose_file_entries(&entries, &n, &env, &e);
	check_rc(rc, 0);
	if (rc == 0 && (n > SN_COMPOSE_MAX_FILES || (n == 0) != (entries == NULL)))
		abort();
	for (size_t i = 0; i < n; i++)
		if (entries[i] == NULL || entries[i][0] == '\0')
			abort();
	sn_compose_entries_free(entries);

	rc = sn_compose_path(&out, "a/b", (const char *)data, size, &e);
	check_rc(rc, 0);
	if (rc == 0 && (out == NULL || out[0] == '\0' || out[0] == '/' || strstr(out, "//") != NULL))
		abort();
	free(out);
	sn_dotenv_free(&env);
	return 0;
}
