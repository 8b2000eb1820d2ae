/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/authfile.c: credentials from a containers auth.json or a docker
 * config.json ({"auths": {KEY: {"auth": base64("user:pass")}}}).
 *
 * KEY lookup, as containers/image does it: the most specific of
 * "host/ns/repo", "host/ns", "host" first (exact keys); then the legacy
 * forms at registry level: a URL key ("https://index.docker.io/v1/",
 * "http://host/...") reduced to its host, and "index.docker.io" /
 * "registry-1.docker.io" standing for docker.io.  The whole file is checked
 * (every entry must be well formed), not only the entry used.  An entry with
 * neither "auth" nor "username" (docker writes {} when a credential helper
 * holds the secret) means "no credentials".  A file that does not exist
 * means no credentials, as in skopeo.
 *
 * "credHelpers" (per registry host) and "credsStore" (the default) name a
 * docker-credential-NAME program holding the secret; they come before
 * "auths", as in docker.  The lookup only says which helper: running it is
 * credhelper.c's.  When the caller has not enabled helpers, they are not
 * read at all.  The legacy
 * ~/.dockercfg holds the auths map at its top level.
 */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- the file ----------------------------------------------------------- */

/* A key as it may appear in a message: printable, no quotes, bounded. */
static void key_for_msg(char out[128], const char *key)
{
	size_t n = 0;

	for (; *key != '\0' && n < 127; key++)
		out[n++] = (*key >= 0x20 && *key < 0x7f && *key != '"' && *key != '\\') ? *key : '?';
	out[n] = '\0';
}

/* Reads one entry, map[key] ("auths", or "" in the legacy format).  With
 * user/pass NULL it only checks it.  *user is
 * NULL when the entry holds no credentials. */
static int entry_decode(char **user, char **pass, json_t *entry, const char *path, const char *map,
                        const char *key, struct sn_err *e)
{
	json_t *auth, *uname, *pword;
	unsigned char *dec = NULL;
	char k[128], *u = NULL, *p = NULL;
	const char *colon;
	size_t declen = 0;
	int rc = 0;

	key_for_msg(k, key);
	if (!json_is_object(entry))
		return sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"]: not an object", path, map,
		                 k);
	auth = json_object_get(entry, "auth");
	uname = json_object_get(entry, "username");
	pword = json_object_get(entry, "password");
	if (auth != NULL && !json_is_string(auth))
		return sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"].auth: not a string", path,
		                 map, k);
	if (uname != NULL && !json_is_string(uname))
		return sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"].username: not a string", path,
		                 map, k);
	if (pword != NULL && !json_is_string(pword))
		return sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"].password: not a string", path,
		                 map, k);

	if (auth != NULL && json_string_length(auth) != 0) {
		int d = sn_base64_decode(&dec, &declen, json_string_value(auth), json_string_length(auth));

		if (d == SIGNET_ENOMEM)
			return sn_enomem(e);
		if (d != 0)
			return sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"].auth: invalid base64",
			                 path, map, k);
		if (memchr(dec, '\0', declen) != NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "auth file %s: %s[\"%s\"].auth: contains a NUL byte", path, map, k);
			goto out;
		}
		colon = memchr(dec, ':', declen);
		if (colon == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "auth file %s: %s[\"%s\"].auth: no ':' between user name and password",
			               path, map, k);
			goto out;
		}
		if (colon == (const char *)dec) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"].auth: empty user name",
			               path, map, k);
			goto out;
		}
		if (user != NULL &&
		    ((u = sn_strndup((const char *)dec, (size_t)(colon - (const char *)dec), e)) == NULL ||
		     (p = sn_strdup(colon + 1, e)) == NULL)) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
	} else if (uname != NULL || pword != NULL) {
		if (uname == NULL || pword == NULL) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "auth file %s: %s[\"%s\"]: \"%s\" without \"%s\"",
			               path, map, k, uname != NULL ? "username" : "password",
			               uname != NULL ? "password" : "username");
			goto out;
		}
		if (json_string_length(uname) == 0 ||
		    strlen(json_string_value(uname)) != json_string_length(uname) ||
		    strlen(json_string_value(pword)) != json_string_length(pword)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT,
			               "auth file %s: %s[\"%s\"]: empty user name or NUL byte", path, map, k);
			goto out;
		}
		if (user != NULL && ((u = sn_strdup(json_string_value(uname), e)) == NULL ||
		                     (p = sn_strdup(json_string_value(pword), e)) == NULL)) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
	}
	if (user != NULL) {
		*user = u;
		*pass = p;
		u = p = NULL;
	}
out:
	if (dec != NULL) {
		OPENSSL_cleanse(dec, declen);
		free(dec);
	}
	sn_free_secret(u);
	sn_free_secret(p);
	return rc;
}

/* "registry-1.docker.io", "index.docker.io" and "docker.io" are one. */
static int same_registry(const char *a, size_t alen, const char *domain)
{
	static const char *const docker[] = {"docker.io", "index.docker.io", "registry-1.docker.io"};
	int a_docker = 0, d_docker = 0;

	for (size_t i = 0; i < sizeof(docker) / sizeof(docker[0]); i++) {
		if (strlen(docker[i]) == alen && memcmp(docker[i], a, alen) == 0)
			a_docker = 1;
		if (strcmp(docker[i], domain) == 0)
			d_docker = 1;
	}
	if (a_docker || d_docker)
		return a_docker && d_docker;
	return strlen(domain) == alen && memcmp(domain, a, alen) == 0;
}

/* A registry-level key in a legacy form naming domain? */
static int legacy_key_matches(const char *key, const char *domain)
{
	const char *h = key;
	size_t n;

	if (strncmp(h, "https://", 8) == 0)
		h += 8;
	else if (strncmp(h, "http://", 7) == 0)
		h += 7;
	n = h != key ? strcspn(h, "/") : strlen(h);
	if (h == key && strchr(h, '/') != NULL)
		return 0; /* "host/ns": only ever an exact key */
	return same_registry(h, n, domain);
}

static void wipe_secrets(json_t *auths)
{
	const char *key;
	json_t *entry;

	json_object_foreach(auths, key, entry)
	{
		json_t *a = json_object_get(entry, "auth"), *p = json_object_get(entry, "password");

		/* jansson owns these bytes and is about to free them. */
		if (json_is_string(a))
			OPENSSL_cleanse((char *)json_string_value(a), json_string_length(a));
		if (json_is_string(p))
			OPENSSL_cleanse((char *)json_string_value(p), json_string_length(p));
	}
}

/* A helper name names a program in PATH, never a path: docker-credential-NAME. */
static int helper_name_ok(const char *name, size_t len)
{
	if (len == 0 || strlen(name) != len)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* Checks "credHelpers" and "credsStore"; *helper (borrowed from root) and
 * *via name the helper for domain, if any: credHelpers first, then the
 * credsStore default, as docker does. */
static int helpers_check(const char **helper, const char **via, json_t *root, const char *what,
                         const char *domain, struct sn_err *e)
{
	json_t *ch = json_object_get(root, "credHelpers"), *store = json_object_get(root, "credsStore"), *v;
	const char *key;
	char k[128];

	*helper = NULL;
	*via = NULL;
	if (ch != NULL && !json_is_null(ch) && !json_is_object(ch))
		return sn_seterr(e, SIGNET_EBADINPUT, "%s: credHelpers: not an object", what);
	json_object_foreach(ch, key, v)
	{
		key_for_msg(k, key);
		if (!json_is_string(v))
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: credHelpers[\"%s\"]: not a string", what,
			                 k);
		if (!helper_name_ok(json_string_value(v), json_string_length(v)))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: credHelpers[\"%s\"]: not a helper name (letters, digits, '-', "
			                 "'_', '.')",
			                 what, k);
		if (*helper == NULL && sn_registry_host_equal(key, domain)) {
			*helper = json_string_value(v);
			*via = key;
		}
	}
	if (store != NULL && !json_is_null(store)) {
		if (!json_is_string(store))
			return sn_seterr(e, SIGNET_EBADINPUT, "%s: credsStore: not a string", what);
		/* docker reads "" as no store */
		if (json_string_length(store) != 0 &&
		    !helper_name_ok(json_string_value(store), json_string_length(store)))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: credsStore: not a helper name (letters, digits, '-', '_', '.')",
			                 what);
		if (*helper == NULL && json_string_length(store) != 0)
			*helper = json_string_value(store);
	}
	return 0;
}

void sn_authfile_hit_clear(struct sn_authfile_hit *h)
{
	if (h == NULL)
		return;
	free(h->user);
	sn_free_secret(h->pass);
	free(h->helper);
	free(h->key);
	memset(h, 0, sizeof(*h));
}

int sn_authfile_lookup(struct sn_authfile_hit *out, const char *path, int legacy, int helpers,
                       const char *domain, const char *repo, struct sn_err *e)
{
	json_t *root = NULL, *auths = NULL, *entry, *chosen = NULL;
	const char *key, *chosen_key = NULL, *helper = NULL, *via = NULL;
	struct sn_authfile_hit hit = {0};
	struct sn_buf file;
	char *what = NULL, *cand = NULL;
	int rc;

	if (out == NULL || path == NULL || domain == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_authfile_lookup: NULL argument");
	rc = sn_file_read(&file, path, SIGNET_MAX_AUTHFILE_SIZE, "auth file", 0, e);
	if (rc == SIGNET_ENOTFOUND) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (rc == SIGNET_ELIMIT)
		return sn_seterr(e, rc, "auth file %s: larger than the limit of %u bytes (SIGNET_MAX_AUTHFILE_SIZE)",
				 path, SIGNET_MAX_AUTHFILE_SIZE);
	if (rc != 0)
		return rc;
	if ((what = sn_aprintf(e, "auth file %s", path)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = sn_json_parse_secret(&root, file.data, file.len, what, e)) != 0)
		goto out;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: not a JSON object", what);
		goto out;
	}
	/* The legacy ~/.dockercfg is the auths map itself; it names no
	 * helpers and has only registry-level keys. */
	if (legacy) {
		auths = root;
		repo = NULL;
	} else {
		auths = json_object_get(root, "auths");
		if (auths != NULL && !json_is_null(auths) && !json_is_object(auths)) {
			rc = sn_seterr(e, SIGNET_EBADINPUT, "%s: auths: not an object", what);
			goto out;
		}
		/* Without helpers, credHelpers and credsStore are not read at
		 * all: the file's auths answer, as before helpers were run. */
		if (helpers && (rc = helpers_check(&helper, &via, root, what, domain, e)) != 0)
			goto out;
	}
	/* Every entry must be well formed. */
	json_object_foreach(auths, key, entry)
	{
		if ((rc = entry_decode(NULL, NULL, entry, path, legacy ? "" : "auths", key, e)) != 0)
			goto out;
	}
	if (helper != NULL) {
		char k[128];

		if (via != NULL)
			key_for_msg(k, via);
		if ((hit.helper = sn_strdup(helper, e)) == NULL ||
		    (hit.key = via != NULL ? sn_aprintf(e, "credHelpers[\"%s\"]", k)
		                           : sn_strdup("credsStore", e)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		goto found;
	}
	/* Exact keys, most specific first: host/a/b/c, host/a/b, host/a, host. */
	if ((cand = sn_aprintf(e, "%s%s%s", domain, repo != NULL ? "/" : "", repo != NULL ? repo : "")) ==
	    NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	for (;;) {
		char *slash;

		if ((chosen = json_object_get(auths, cand)) != NULL) {
			chosen_key = cand;
			break;
		}
		if ((slash = strrchr(cand, '/')) == NULL || (size_t)(slash - cand) < strlen(domain))
			break;
		*slash = '\0';
	}
	/* Legacy registry-level keys, in byte order of the key. */
	if (chosen == NULL) {
		json_object_foreach(auths, key, entry)
		{
			if (legacy_key_matches(key, domain) &&
			    (chosen_key == NULL || strcmp(key, chosen_key) < 0)) {
				chosen = entry;
				chosen_key = key;
			}
		}
	}
	if (chosen == NULL)
		goto found;
	if ((rc = entry_decode(&hit.user, &hit.pass, chosen, path, legacy ? "" : "auths", chosen_key, e)) !=
	    0)
		goto out;
	if (hit.user != NULL) {
		char k[128];

		key_for_msg(k, chosen_key);
		if ((hit.key = sn_aprintf(e, "%s[\"%s\"]", legacy ? "" : "auths", k)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
	}
found:
	*out = hit;
	memset(&hit, 0, sizeof(hit));
out:
	sn_authfile_hit_clear(&hit);
	if (root != NULL) {
		wipe_secrets(auths);
		json_decref(root);
	}
	sn_buf_wipe_free(&file);
	free(what);
	free(cand);
	return rc;
}
