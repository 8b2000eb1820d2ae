/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/lookaside.c: the lookaside signature store (SPEC §3.6,
 * containers/image docker/registries_d.go and docs/signature-protocols.md):
 * <base>/<repository path>@<ALGO>=<HEX>/signature-N, N = 1, 2, ...
 *
 * file:// bases are read and written as local files (sigfiles.c: append,
 * never overwrite); http:// and https:// bases are read with plain GETs
 * (http_fetch.c) and never written, as containers/image.
 */
#include "sigfiles.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHAT_SIG "lookaside signature"

/* ---- URLs ----------------------------------------------------------- */

static int is_file_url(const char *u)
{
	return strncasecmp(u, "file://", 7) == 0;
}

const char *sn_lookaside_base_problem(const char *u)
{
	const char *rest, *auth_end;
	int file = 0;

	if (u == NULL)
		return "no URL";
	for (const char *p = u; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c == 0x7f)
			return "contains a space or a control character";
		if (c == '?' || c == '#')
			return "a query or fragment is not supported in a lookaside URL";
		if (c == '%' && (sn_hex_digit(p[1]) < 0 || sn_hex_digit(p[2]) < 0))
			return "contains an invalid percent-escape";
	}
	if (strncasecmp(u, "https://", 8) == 0) {
		rest = u + 8;
	} else if (strncasecmp(u, "http://", 7) == 0) {
		rest = u + 7;
	} else if (is_file_url(u)) {
		rest = u + 7;
		file = 1;
	} else {
		return "not an absolute http://, https:// or file:// URL";
	}
	auth_end = strchr(rest, '/');
	if (auth_end == NULL)
		auth_end = rest + strlen(rest);
	if (file) {
		if (auth_end != rest)
			return "a file:// URL must have an empty host (file:///path)";
		if (*rest == '\0')
			return "a file:// URL needs a path";
	} else if (auth_end == rest) {
		return "no host";
	}
	return NULL;
}

/* Refuses empty, "." and ".." components (containers/image checks that
 * path.Clean leaves the path unchanged). */
static int path_clean(const char *path)
{
	const char *p = path;

	if (*p == '\0')
		return 0;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (end == NULL)
			return 1;
		p = end + 1;
	}
}

int sn_lookaside_url(char **out, const char *base, const struct sn_ref *ref, const char *manifest_digest,
                     unsigned index, struct sn_err *e)
{
	const char *why, *colon;
	char *url;
	int rc;

	if (out == NULL || base == NULL || ref == NULL || manifest_digest == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside URL: missing argument");
	if (index == 0)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside URL: signatures are numbered from 1");
	if (ref->transport != SIGNET_TRANSPORT_DOCKER || ref->path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside URL: %s is not a docker reference",
		                 ref->string != NULL ? ref->string : "the image");
	if ((why = sn_lookaside_base_problem(base)) != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "lookaside base URL \"%.300s\": %s", base, why);
	if ((rc = sn_digest_validate(manifest_digest, e)) != 0) {
		sn_errctx(e, "lookaside URL: ");
		return rc;
	}
	if (!path_clean(ref->path))
		return sn_seterr(e, SIGNET_EBADINPUT, "lookaside URL: unexpected path elements in \"%.300s\"",
		                 ref->path);
	colon = strchr(manifest_digest, ':');
	/* The same string operation as containers/image: base path + "/" +
	 * repository, then "@ALGO=HEX/signature-N". */
	url = sn_aprintf(e, "%s/%s@%.*s=%s/signature-%u", base, ref->path, (int)(colon - manifest_digest),
	                 manifest_digest, colon + 1, index);
	if (url == NULL)
		return SIGNET_ENOMEM;
	*out = url;
	return 0;
}

/* The URL of the directory holding the signatures: that of signature-1
 * without "/signature-1". */
static int sig_dir_url(char **out, const char *base, const struct sn_ref *ref, const char *manifest_digest,
                       struct sn_err *e)
{
	char *url;
	int rc;

	if ((rc = sn_lookaside_url(&url, base, ref, manifest_digest, 1, e)) != 0)
		return rc;
	*strrchr(url, '/') = '\0';
	*out = url;
	return 0;
}

/* The local path of a file:// URL (already checked by
 * sn_lookaside_base_problem): what follows "file://", percent-decoded.
 * Every '%' must start a two-digit escape, and none may encode a NUL. */
static int file_url_path(char **out, const char *url, struct sn_err *e)
{
	const char *p = url + 7;
	char *path, *q;

	if ((path = malloc(strlen(p) + 1)) == NULL)
		return sn_enomem(e);
	for (q = path; *p != '\0'; p++) {
		if (*p != '%') {
			*q++ = *p;
			continue;
		}
		if (sn_hex_digit(p[1]) < 0 || sn_hex_digit(p[2]) < 0) {
			free(path);
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "lookaside URL \"%.300s\": invalid percent-escape", url);
		}
		*q = (char)(sn_hex_digit(p[1]) * 16 + sn_hex_digit(p[2]));
		if (*q == '\0') {
			free(path);
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "lookaside URL \"%.300s\": %%00 (a NUL byte) in a file path", url);
		}
		q++;
		p += 2;
	}
	*q = '\0';
	*out = path;
	return 0;
}

/* The directory of a file:// store, as a URL and as a path. */
struct file_store {
	char *url;
	char *path;
	char *store; /* "lookaside <url>" */
};

static void file_store_free(struct file_store *fs)
{
	free(fs->url);
	free(fs->path);
	free(fs->store);
}

static int file_store_open(struct file_store *fs, struct sn_sigfiles *s, const char *base,
                           const struct sn_ref *ref, const char *manifest_digest, struct sn_err *e)
{
	int rc;

	memset(fs, 0, sizeof(*fs));
	if ((rc = sig_dir_url(&fs->url, base, ref, manifest_digest, e)) != 0 ||
	    (rc = file_url_path(&fs->path, fs->url, e)) != 0)
		return rc;
	if ((fs->store = sn_aprintf(e, "lookaside %s", fs->url)) == NULL)
		return SIGNET_ENOMEM;
	memset(s, 0, sizeof(*s));
	s->dir = fs->path;
	s->loc_dir = fs->url;
	s->prefix = "";
	s->what = WHAT_SIG;
	s->store = fs->store;
	/* Symbolic links are followed, as containers/image: the store is the
	 * administrator's directory; what is read is verified anyway. */
	s->file_flags = 0;
	s->mkdirs = 1;
	return 0;
}

/* ---- reading ---------------------------------------------------------- */

static int read_http(struct sn_sig_list *out, struct signet_ctx *ctx, const char *base,
                     const struct sn_ref *ref, const char *manifest_digest, struct sn_err *e)
{
	struct sn_sig_list l = {NULL, 0, 0, out->max_bytes};
	char *url = NULL, *store = NULL;
	unsigned char *data;
	struct sn_buf b;
	int rc = 0, found;
	size_t len, max;

	if ((store = sn_aprintf(e, "lookaside %s", base)) == NULL)
		return SIGNET_ENOMEM;
	for (unsigned n = 1;; n++) {
		free(url);
		if ((rc = sn_lookaside_url(&url, base, ref, manifest_digest, n, e)) != 0)
			goto out;
		/* Never fetch more than the list may still hold. */
		max = sn_sig_list_next_max(&l);
		rc = sn_http_fetch(&b, &found, ctx, url, max, "SIGNET_MAX_SIGNATURE_SIZE", WHAT_SIG, e);
		if (rc == SIGNET_ELIMIT && max < SIGNET_MAX_SIGNATURE_SIZE)
			rc = sn_sig_list_full(&l, store, e);
		if (rc != 0)
			goto out;
		if (!found) {
			sn_buf_free(&b);
			break;
		}
		if (n > SIGNET_MAX_LOOKASIDE_SIGNATURES) {
			sn_buf_free(&b);
			*strrchr(url, '/') = '\0';
			rc = sn_seterr(
			    e, SIGNET_ELIMIT,
			    "lookaside %s: more than %d signatures (SIGNET_MAX_LOOKASIDE_SIGNATURES)", url,
			    SIGNET_MAX_LOOKASIDE_SIGNATURES);
			goto out;
		}
		data = sn_buf_steal(&b, &len);
		rc = sn_sig_list_add(&l, data, len, url, store, e);
		url = NULL;
		if (rc != 0)
			goto out;
	}
	*out = l;
	l.items = NULL;
	l.n = 0;
out:
	sn_sig_list_free(&l);
	free(url);
	free(store);
	return rc;
}

int sn_lookaside_read(struct sn_sig_list *out, struct signet_ctx *ctx, const char *base,
                      const struct sn_ref *ref, const char *manifest_digest, struct sn_err *e)
{
	struct file_store fs;
	struct sn_sigfiles s;
	int rc;

	if (out == NULL || base == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside: missing argument");
	if (!is_file_url(base)) {
		if (ctx == NULL)
			return sn_seterr(e, SIGNET_EINVAL, "lookaside %.300s: no context for HTTP", base);
		return read_http(out, ctx, base, ref, manifest_digest, e);
	}
	if ((rc = file_store_open(&fs, &s, base, ref, manifest_digest, e)) == 0)
		rc = sn_sigfiles_read(out, &s, e);
	file_store_free(&fs);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/*
 * Unlike skopeo (containers/image putSignaturesToLookaside rewrites
 * signature-1..N of the whole list with plain overwrites, then deletes the
 * ones after it), this adds one signature as the first free name and never
 * touches an existing file: two signers at the same time both keep theirs.
 */
int sn_lookaside_write(char **location, const char *base, const struct sn_ref *ref,
                       const char *manifest_digest, const void *blob, size_t len, struct sn_err *e)
{
	struct file_store fs;
	struct sn_sigfiles s;
	const char *why;
	int rc;

	if (location == NULL || base == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside: missing argument");
	if ((why = sn_lookaside_base_problem(base)) != NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "lookaside base URL \"%.300s\": %s", base, why);
	if (!is_file_url(base))
		return sn_seterr(e, SIGNET_EINVAL,
		                 "lookaside %.300s: writing to a lookaside over http is not supported; "
		                 "use lookaside-staging with a file:// URL",
		                 base);
	if ((rc = file_store_open(&fs, &s, base, ref, manifest_digest, e)) == 0)
		rc = sn_sigfiles_write(location, &s, blob, len, e);
	file_store_free(&fs);
	return rc;
}
