/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/http_fetch.c: a plain GET for signature stores (the lookaside
 * web server), on the registry client's transport.
 *
 * A lookaside is a static web server, not a registry: there is no /v2/
 * probe, no challenge and no token, and no credentials are ever sent to it
 * (containers/image does not either).  What it shares with the registry
 * client (client.c, sn_http_exchange) is everything else: the handle
 * cached per host:port in ctx->registries (connection reuse; a lookaside on
 * the registry's own host:port uses the registry's handle, which is safe
 * because credentials are only ever sent when a request carries them), the
 * TLS settings (tls_verify, cert_dir CAs and client certificate), timeouts,
 * retries on 429/5xx/resets, and the redirect rules (SIGNET_MAX_REDIRECTS,
 * never https -> http).  The URL's scheme is used as written: an http://
 * lookaside is read over plain HTTP even with TLS verification on, as
 * containers/image does; what comes from it is verified cryptographically.
 */
#include "client_internal.h"

#include <stdlib.h>
#include <string.h>

/* "host[:port]" of an http(s) URL without credentials in it, the key of
 * the handle cache; messages name what (the URL may not be printable). */
static int url_domain(char **out, const char *url, const char *what, struct sn_err *e)
{
	struct sn_url u;
	const char *why;
	int rc;

	if ((rc = sn_url_parse(&u, url, &why)) == SIGNET_ENOMEM)
		return sn_enomem(e);
	if (rc == 0) {
		if ((*out = sn_url_authority(&u)) == NULL)
			rc = sn_enomem(e);
		sn_url_free(&u);
		return rc;
	}
	if (strcmp(why, "credentials in the URL") == 0)
		/* The URL is not quoted: it holds a secret. */
		return sn_seterr(e, SIGNET_EINVAL,
		                 "%s URL: credentials in the URL (user:password@host) are refused: "
		                 "signet never sends credentials to a signature server",
		                 what);
	if (strcmp(why, "no host") == 0 || strcmp(why, "invalid port") == 0)
		return sn_seterr(e, SIGNET_EINVAL, "%s \"%.300s\": %s", what, url, why);
	if (strcmp(why, "not an http:// or https:// URL") == 0)
		return sn_seterr(e, SIGNET_EINVAL, "%s \"%.300s\": not an absolute http:// or https:// URL",
		                 what, url);
	return sn_seterr(e, SIGNET_EINVAL, "%s \"%.300s\": not a valid URL: %s", what, url, why);
}

int sn_http_fetch(struct sn_buf *out, int *found, struct signet_ctx *ctx, const char *url, size_t max,
                  const char *limit_name, const char *what, struct sn_err *e)
{
	struct sn_http_req req = {0};
	struct sn_http_resp resp;
	struct sn_registry *r = NULL;
	char *domain = NULL, *label = NULL;
	int rc;

	if (what == NULL)
		what = "resource";
	sn_buf_init(out, max, what);
	sn_http_resp_init(&resp);
	if (found == NULL || ctx == NULL || url == NULL) {
		rc = sn_seterr(e, SIGNET_EINVAL, "%s: missing argument", what);
		goto out;
	}
	if ((rc = url_domain(&domain, url, what, e)) != 0)
		goto out;
	if ((rc = sn_registry_get(&r, ctx, domain, e)) != 0) {
		sn_errctx(e, "%s \"%.300s\": ", what, url);
		goto out;
	}
	if ((label = sn_aprintf(e, "%s %.1000s", what, url)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	req.method = "GET";
	req.url = url;
	req.out = out;
	req.what = label;
	req.limit_name = limit_name;
	req.peer = what;
	/* req.auth stays NULL: no Authorization header on any hop. */
	if ((rc = sn_http_exchange(r, &req, &resp, e)) != 0)
		goto out;
	if (resp.status == 200) {
		*found = 1;
	} else if (resp.status == 404) {
		sn_buf_reset(out);
		*found = 0;
	} else if (resp.url != NULL && strcmp(resp.url, url) != 0) {
		/* Redirected: the final URL without query and fragment (a
		 * presigned storage URL carries credentials there). */
		rc = sn_seterr(e, SIGNET_EREGISTRY, "%s: HTTP %ld (redirected to %.*s)", label, resp.status,
		               (int)(strcspn(resp.url, "?#") < 1000 ? strcspn(resp.url, "?#") : 1000),
		               resp.url);
	} else {
		rc = sn_seterr(e, SIGNET_EREGISTRY, "%s: HTTP %ld", label, resp.status);
	}
out:
	if (rc != 0) {
		sn_buf_free(out);
		sn_buf_init(out, max, what);
	}
	sn_http_resp_free(&resp);
	free(domain);
	free(label);
	return rc;
}
