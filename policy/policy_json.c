/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/policy_json.c: containers-policy.json(5) into the policy model
 * (SPEC §4.1).
 *
 * The rules are containers/image's (signature/policy_config.go,
 * policy_config_sigstore.go, the transports' ValidatePolicyConfigurationScope):
 *  - the top level has `default` (required) and `transports`; unknown and
 *    duplicate fields are errors everywhere, as are wrong JSON types and an
 *    empty list of requirements;
 *  - transport names that containers/image does not know are accepted, as
 *    it accepts them (so that policies written for other tools still load);
 *    their scopes are not checked;
 *  - scopes are checked per transport: dir, oci, oci-archive, sif take
 *    absolute clean paths other than "/"; docker-archive and tarball only
 *    ""; docker-daemon no digest; containers-storage "[store]..." and atomic
 *    their own shapes; "" is every transport's default;
 *  - requirement types insecureAcceptAnything, reject, signedBy,
 *    sigstoreSigned, signedBaseLayer; signedIdentity types matchExact,
 *    matchRepoDigestOrExact (the default), matchRepository, exactReference,
 *    exactRepository, remapIdentity.
 * Only the docker, dir and oci scopes go into the model (signet reads no
 * other transport); the others are parsed and checked, then dropped.
 *
 * What parses but signet cannot check becomes SN_REQ_UNSUPPORTED, which
 * always denies: signedBy keyType signedByGPGKeys, X509Certificates or
 * signedByX509CAs (containers/image refuses them when evaluating, too),
 * sigstoreSigned with pki, or a Rekor public key alone (with keys), and
 * signedBaseLayer.  Their key files are not read.
 *
 * sigstoreSigned with fulcio is keyless: its CA (caPath or caData, PEM
 * certificates, each a trust anchor) and its Rekor key(s) make the trust
 * root (policy.h: sn_trusted_root_from_pem), oidcIssuer and subjectEmail
 * the pinned identity; verify/keyless.c checks bundles against them.
 *
 * Key files (keyPath, keyPaths) are read when the policy is loaded, not
 * when it is evaluated as containers/image does; a relative path is
 * relative to the current directory, which is what containers/image's
 * os.ReadFile does too.
 *
 * Stricter than containers/image, on purpose (each one a policy that could
 * never do what its author meant):
 *  - a missing, unreadable or empty key file fails the load of the whole
 *    policy (containers/image fails only the images that need it);
 *  - empty strings for keyPath, keyPaths entries, keyData (containers/image
 *    ignores an empty keyPath when another source is given), and an empty
 *    signedBy keyPaths list, are errors;
 *  - base64 (keyData, keyDatas, caData, ...) is decoded strictly: padded,
 *    no line breaks, unused bits zero (Go's decoder skips \r and \n);
 *  - docker scopes are checked (containers/image takes any string): a
 *    registry host[:port] first ('.' or ':' in it, or localhost), then the
 *    reference grammar; a tag or digest only on a fully expanded name; at
 *    most one of them; "*." wildcards only as a whole leading label, no port;
 *  - exactRepository's dockerRepository may not carry a tag or digest
 *    (containers/image ignores them, which reads as if they were pinned);
 *  - remapIdentity's prefix and signedPrefix must start with a registry
 *    host ("library/busybox" or "busybox" pass containers/image's check
 *    but can never match the fully expanded names it compares with).
 */
#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JPATH_MAX         1024 /* bytes of a JSON path in a message */
#define QUOTE_MAX         200  /* input bytes quoted in a message */
#define QBUF_MAX          (QUOTE_MAX * 4 + 8)
#define REASON_MAX        1400 /* the reason part of a message */
#define DIGEST_HEX_SHA256 64   /* an image ID, and a sha256 digest */

/* Where the parser is: for messages. */
struct pctx {
	const char *source;
	struct sn_err *e;
	char path[JPATH_MAX];
	size_t len;
	int load_keys; /* 0 while parsing a transport signet never reads */
};

/* ---- messages ------------------------------------------------------ */

/* s quoted for a message: at most QUOTE_MAX bytes, '"' and '\\' escaped,
 * control and non-ASCII bytes as \xHH. */
static const char *quote(char buf[QBUF_MAX], const char *s)
{
	static const char hexdig[] = "0123456789abcdef";
	size_t o = 0, i;

	buf[o++] = '"';
	for (i = 0; s[i] != '\0' && i < QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hexdig[ch >> 4];
			buf[o++] = hexdig[ch & 0xf];
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static void jp_append(struct pctx *c, const char *s)
{
	size_t n = strlen(s);

	if (c->len + n >= sizeof(c->path))
		n = sizeof(c->path) - 1 - c->len;
	memcpy(c->path + c->len, s, n);
	c->len += n;
	c->path[c->len] = '\0';
}

static int plain_key(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
		      *k == '_' || *k == '-'))
			return 0;
	return 1;
}

/* Appends .key (or ."key" when it is not a plain word, or always_quote);
 * returns the length to restore with jp_pop. */
static size_t jp_key(struct pctx *c, const char *key, int always_quote)
{
	size_t saved = c->len;
	char q[QBUF_MAX];

	if (c->len > 0)
		jp_append(c, ".");
	jp_append(c, always_quote || !plain_key(key) ? quote(q, key) : key);
	return saved;
}

static size_t jp_index(struct pctx *c, size_t i)
{
	size_t saved = c->len;
	char b[32];

	(void)snprintf(b, sizeof(b), "[%zu]", i);
	jp_append(c, b);
	return saved;
}

static void jp_pop(struct pctx *c, size_t saved)
{
	c->len = saved;
	c->path[saved] = '\0';
}

/* Records `policy SOURCE: PATH: REASON`. */
static int perr(struct pctx *c, int code, const char *fmt, ...) SN_PRINTF(3, 4);
static int perr(struct pctx *c, int code, const char *fmt, ...)
{
	char reason[REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (c->len == 0)
		return sn_seterr(c->e, code, "policy %s: %s", c->source, reason);
	return sn_seterr(c->e, code, "policy %s: %s: %s", c->source, c->path, reason);
}

/* ---- field helpers ------------------------------------------------- */

/* Every key of obj must be one of fields[0..n); the message lists them. */
static int check_fields(struct pctx *c, json_t *obj, const char *what, const char *const *fields, size_t n)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val)
	{
		char list[512];
		size_t i, o = 0;

		for (i = 0; i < n && strcmp(key, fields[i]) != 0; i++)
			;
		if (i < n)
			continue;
		list[0] = '\0';
		for (i = 0; i < n; i++) {
			int w = snprintf(list + o, sizeof(list) - o, "%s%s", i > 0 ? ", " : "", fields[i]);

			if (w < 0 || (size_t)w >= sizeof(list) - o)
				break;
			o += (size_t)w;
		}
		jp_key(c, key, 0);
		return perr(c, SIGNET_EBADINPUT, "unknown field (%s has %s)", what, list);
	}
	return 0;
}

/* A string field: *out NULL when absent and not required. */
static int get_string(struct pctx *c, json_t *obj, const char *name, int required, const char **out)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return 0;
		jp_key(c, name, 0);
		return perr(c, SIGNET_EBADINPUT, "missing");
	}
	if (!json_is_string(v)) {
		jp_key(c, name, 0);
		return perr(c, SIGNET_EBADINPUT, "must be a string, not %s", sn_json_kind(v));
	}
	*out = json_string_value(v);
	return 0;
}

/* A required, non-empty string field. */
static int get_nonempty(struct pctx *c, json_t *obj, const char *name, const char **out)
{
	int rc = get_string(c, obj, name, 1, out);

	if (rc == 0 && (*out)[0] == '\0') {
		jp_key(c, name, 0);
		return perr(c, SIGNET_EBADINPUT, "must not be empty");
	}
	return rc;
}

/* v at the current path is a non-empty array. */
static int check_nonempty_array(struct pctx *c, json_t *v, const char *what)
{
	if (!json_is_array(v))
		return perr(c, SIGNET_EBADINPUT, "must be an array (%s), not %s", what, sn_json_kind(v));
	if (json_array_size(v) == 0)
		return perr(c, SIGNET_EBADINPUT, "must not be empty (it is a list of %s)", what);
	return 0;
}

/* Decodes the base64 string v at the current path; *out NULL if not wanted. */
static int decode_base64(struct pctx *c, json_t *v, unsigned char **out, size_t *outlen)
{
	unsigned char *data = NULL;
	size_t n = 0;
	int rc;

	if (!json_is_string(v))
		return perr(c, SIGNET_EBADINPUT, "must be a string (base64), not %s", sn_json_kind(v));
	if (json_string_length(v) == 0)
		return perr(c, SIGNET_EBADINPUT, "must not be empty");
	rc = sn_base64_decode(&data, &n, json_string_value(v), json_string_length(v));
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(c->e);
	if (rc != 0)
		return perr(c, SIGNET_EBADINPUT,
		            "not valid base64 (standard alphabet, padded, no line breaks or spaces)");
	if (out != NULL) {
		*out = data;
		*outlen = n;
	} else {
		free(data);
	}
	return 0;
}

/* One key source value v at the current path: a non-empty string, or
 * base64 when b64. */
static int check_value(struct pctx *c, json_t *v, int b64)
{
	if (b64)
		return decode_base64(c, v, NULL, NULL);
	if (!json_is_string(v))
		return perr(c, SIGNET_EBADINPUT, "must be a string, not %s", sn_json_kind(v));
	if (json_string_length(v) == 0)
		return perr(c, SIGNET_EBADINPUT, "must not be empty");
	return 0;
}

/* The value of field name (present in obj) as check_value, or a non-empty
 * array of such values when list. */
static int check_source(struct pctx *c, json_t *obj, const char *name, int list, int b64)
{
	json_t *v = json_object_get(obj, name), *item;
	size_t saved = jp_key(c, name, 0), i;
	int rc;

	if (!list) {
		if ((rc = check_value(c, v, b64)) != 0)
			return rc;
		jp_pop(c, saved);
		return 0;
	}
	if ((rc = check_nonempty_array(c, v, b64 ? "base64 strings" : "paths")) != 0)
		return rc;
	json_array_foreach(v, i, item)
	{
		size_t s2 = jp_index(c, i);

		if ((rc = check_value(c, item, b64)) != 0)
			return rc;
		jp_pop(c, s2);
	}
	jp_pop(c, saved);
	return 0;
}

/* ---- host and digest grammar (the host grammar: registry/reference.c) */

/* Would a docker reference take this first component as its host? */
static int looks_like_host(const char *s, size_t n)
{
	return memchr(s, '.', n) != NULL || memchr(s, ':', n) != NULL ||
	       (n == 9 && memcmp(s, "localhost", 9) == 0);
}

/* NULL if the first component of s (up to '/') is a registry host that a
 * reference could have, else why not.  *hostlen gets its length. */
static const char *host_problem(const char *s, size_t *hostlen)
{
	size_t n = strcspn(s, "/");

	*hostlen = n;
	if (!sn_ref_domain_ok(s, n))
		return "does not start with a valid registry host[:port]";
	if (!looks_like_host(s, n))
		return "does not start with a registry host (one with a '.' or ':', or localhost): names are "
		       "written in the fully expanded form, e.g. \"docker.io/library/busybox\"";
	if (n == 15 && memcmp(s, "index.docker.io", 15) == 0)
		return "starts with \"index.docker.io\", which references call \"docker.io\"";
	return NULL;
}

/* go-digest's Parse: sha256, sha384 or sha512 and that many lowercase hex. */
static int go_digest_ok(const char *s)
{
	static const struct {
		const char *algo;
		size_t hex;
	} algos[] = {{"sha256:", 64}, {"sha384:", 96}, {"sha512:", 128}};
	size_t i;

	for (i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
		size_t al = strlen(algos[i].algo);

		if (strncmp(s, algos[i].algo, al) != 0)
			continue;
		return strlen(s + al) == algos[i].hex && sn_digest_hex_ok(s + al, algos[i].hex);
	}
	return 0;
}

static int image_id_ok(const char *s, size_t n)
{
	return n == DIGEST_HEX_SHA256 && sn_digest_hex_ok(s, n);
}

/* ---- scopes -------------------------------------------------------- */

/* docker (and signet's reading of docker-daemon names): see the top. */
static int check_docker_scope(struct pctx *c, const char *scope)
{
	struct sn_ref *ref = NULL;
	struct sn_err rerr;
	const char *why;
	size_t hl, nl;
	int rc = 0, has_tag;

	if (scope[0] == '*') {
		if (strncmp(scope, "*.", 2) != 0 || scope[2] == '\0')
			return perr(c, SIGNET_EBADINPUT,
			            "not a valid scope: a wildcard is \"*.\" followed by a domain, as in "
			            "\"*.example.com\" (\"*\" alone is not a scope)");
		if (!sn_ref_host_name_ok(scope + 2, strlen(scope + 2)))
			return perr(
			    c, SIGNET_EBADINPUT,
			    "not a valid scope: a wildcard is \"*.\" followed by a domain name, without a "
			    "port or more wildcards, as in \"*.example.com\"");
		return 0;
	}
	if (strchr(scope, '*') != NULL)
		return perr(c, SIGNET_EBADINPUT,
		            "not a valid scope: '*' is only valid as a leading \"*.\" wildcard, as in "
		            "\"*.example.com\"");
	if ((why = host_problem(scope, &hl)) != NULL)
		return perr(c, SIGNET_EBADINPUT, "not a valid scope: %s", why);
	if (scope[hl] == '\0')
		return 0; /* host[:port] */
	rc = sn_ref_parse_docker(&ref, scope, &rerr);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(c->e);
	if (rc != 0)
		return perr(c, SIGNET_EBADINPUT, "not a valid scope: %s", rerr.msg);
	nl = strlen(ref->name);
	has_tag = ref->tag != NULL && !ref->tag_implied;
	if (has_tag && ref->digest != NULL)
		rc = perr(c, SIGNET_EBADINPUT,
		          "not a valid scope: it names both a tag and a digest; a scope names one of them");
	else if ((has_tag || ref->digest != NULL) &&
	         (strncmp(scope, ref->name, nl) != 0 || (scope[nl] != ':' && scope[nl] != '@')))
		rc = perr(
		    c, SIGNET_EBADINPUT,
		    "not a valid scope: not in the fully expanded form (\"%s\"), so no image can match it",
		    ref->string);
	sn_ref_free(ref);
	return rc;
}

/* dir, oci, oci-archive, sif: an absolute, clean path, not "/". */
static int check_path_scope(struct pctx *c, const char *scope)
{
	const char *p;

	if (scope[0] != '/')
		return perr(c, SIGNET_EBADINPUT, "not a valid scope: must be an absolute path");
	if (scope[1] == '\0')
		return perr(c, SIGNET_EBADINPUT,
		            "not a valid scope: use the transport default \"\" instead of \"/\"");
	for (p = scope; *p != '\0';) {
		size_t n;

		p++; /* the '/' */
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return perr(c, SIGNET_EBADINPUT,
			            "not a valid scope: not a canonical path (no empty, \".\" or \"..\" "
			            "components, no trailing '/')");
		p += n;
	}
	return 0;
}

/* containers-storage: "[driver@/root]" or "[/root]", then optionally
 * name[:tag][@digest][@ID] (storage_transport.go). */
static int check_storage_scope(struct pctx *c, const char *scope)
{
	const char *close = strchr(scope, ']'), *at, *rest, *f1, *f2;
	size_t speclen;

	if (scope[0] != '[' || close == NULL || close == scope + 1)
		return perr(
		    c, SIGNET_EBADINPUT,
		    "not a valid scope: containers-storage scopes start with \"[driver@/graph/root]\" or "
		    "\"[/graph/root]\"");
	speclen = (size_t)(close - scope - 1);
	at = memchr(scope + 1, '@', speclen);
	if (at != NULL ? (at == scope + 1 || at + 1 == close || at[1] != '/') : scope[1] != '/')
		return perr(c, SIGNET_EBADINPUT,
		            "not a valid scope: the storage specifier must be \"driver@/absolute/root\" or "
		            "\"/absolute/root\"");
	rest = close + 1;
	if ((f1 = strchr(rest, '@')) == NULL)
		return 0;
	f1++;
	f2 = strchr(f1, '@');
	if (f2 == NULL) {
		if (image_id_ok(f1, strlen(f1)) || go_digest_ok(f1))
			return 0;
		return perr(c, SIGNET_EBADINPUT,
		            "not a valid scope: what follows '@' is neither a digest nor an image ID");
	}
	{
		char *d = strndup(f1, (size_t)(f2 - f1));
		int ok;

		if (d == NULL)
			return sn_enomem(c->e);
		ok = go_digest_ok(d) && image_id_ok(f2 + 1, strlen(f2 + 1));
		free(d);
		if (!ok)
			return perr(c, SIGNET_EBADINPUT, "not a valid scope: expected name@digest@image-ID");
	}
	return 0;
}

/* atomic: ^[^/]*(/[^:/]*(/[^:/]*(:[^:/]*)?)?)?$ (openshift_transport.go) */
static int check_atomic_scope(struct pctx *c, const char *scope)
{
	const char *s1 = strchr(scope, '/'), *s2 = NULL, *colon;

	if (s1 != NULL) {
		s2 = strchr(s1 + 1, '/');
		if (memchr(s1 + 1, ':', (size_t)((s2 != NULL ? s2 : s1 + 1 + strlen(s1 + 1)) - (s1 + 1))) !=
		    NULL)
			goto bad;
	}
	if (s2 != NULL) {
		if (strchr(s2 + 1, '/') != NULL)
			goto bad;
		colon = strchr(s2 + 1, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			goto bad;
	}
	return 0;
bad:
	return perr(c, SIGNET_EBADINPUT,
	            "not a valid scope: atomic scopes are host[:port][/namespace[/stream[:tag]]]");
}

/* Checks scope (not "") of transport; *keep says whether signet reads
 * images of that transport (then the scope goes into the model). */
static int check_scope(struct pctx *c, const char *transport, const char *scope)
{
	if (strcmp(transport, "docker") == 0)
		return check_docker_scope(c, scope);
	if (strcmp(transport, "dir") == 0 || strcmp(transport, "oci") == 0 ||
	    strcmp(transport, "oci-archive") == 0 || strcmp(transport, "sif") == 0)
		return check_path_scope(c, scope);
	if (strcmp(transport, "docker-archive") == 0 || strcmp(transport, "tarball") == 0)
		return perr(c, SIGNET_EBADINPUT, "not a valid scope: %s supports only the default \"\" scope",
		            transport);
	if (strcmp(transport, "docker-daemon") == 0) {
		if (go_digest_ok(scope))
			return perr(c, SIGNET_EBADINPUT,
			            "not a valid scope: an image ID (algo:digest) is not a namespace");
		return 0;
	}
	if (strcmp(transport, "containers-storage") == 0)
		return check_storage_scope(c, scope);
	if (strcmp(transport, "atomic") == 0)
		return check_atomic_scope(c, scope);
	return 0; /* ostree (a stub in containers/image) and unknown transports */
}

/* ---- signedIdentity ------------------------------------------------ */

static const char *const fields_type_only[] = {"type"};

/* remapIdentity's prefix and signedPrefix (validateIdentityRemappingPrefix):
 * host[:port], or host[:port]/path with no tag or digest. */
static int check_remap_prefix(struct pctx *c, json_t *obj, const char *name, char **out)
{
	struct sn_ref *ref = NULL;
	struct sn_err rerr;
	const char *s, *why;
	size_t hl, saved;
	int rc;

	if ((rc = get_nonempty(c, obj, name, &s)) != 0)
		return rc;
	saved = jp_key(c, name, 0);
	if ((why = host_problem(s, &hl)) != NULL)
		return perr(c, SIGNET_EBADINPUT, "not a valid prefix: %s", why);
	if (s[hl] != '\0') {
		if (strchr(s + hl, ':') != NULL || strchr(s + hl, '@') != NULL)
			return perr(
			    c, SIGNET_EBADINPUT,
			    "not a valid prefix: a prefix is host[:port][/namespace...], without a tag or "
			    "digest");
		rc = sn_ref_parse_docker(&ref, s, &rerr);
		if (rc == SIGNET_ENOMEM)
			return sn_enomem(c->e);
		if (rc != 0)
			return perr(c, SIGNET_EBADINPUT, "not a valid prefix: %s", rerr.msg);
		sn_ref_free(ref);
	}
	jp_pop(c, saved);
	if ((*out = sn_strdup(s, c->e)) == NULL)
		return SIGNET_ENOMEM;
	return 0;
}

/* A docker reference field of a signedIdentity; *ref is the parsed value. */
static int get_reference(struct pctx *c, json_t *obj, const char *name, struct sn_ref **ref, char **copy)
{
	struct sn_err rerr;
	const char *s;
	int rc;

	if ((rc = get_nonempty(c, obj, name, &s)) != 0)
		return rc;
	rc = sn_ref_parse_docker(ref, s, &rerr);
	if (rc == SIGNET_ENOMEM)
		return sn_enomem(c->e);
	if (rc != 0) {
		jp_key(c, name, 0);
		return perr(c, SIGNET_EBADINPUT, "%s", rerr.msg);
	}
	if ((*copy = sn_strdup(s, c->e)) == NULL) {
		sn_ref_free(*ref);
		*ref = NULL;
		return SIGNET_ENOMEM;
	}
	return 0;
}

/* Parses the signedIdentity (or baseLayerIdentity) object v at the current
 * path into s; s is cleared first and on failure. */
static int parse_identity(struct pctx *c, json_t *v, struct sn_identity_spec *s)
{
	static const char *const f_ref[] = {"type", "dockerReference"};
	static const char *const f_repo[] = {"type", "dockerRepository"};
	static const char *const f_remap[] = {"type", "prefix", "signedPrefix"};
	struct sn_ref *ref = NULL;
	const char *type;
	char q[QBUF_MAX];
	int rc;

	sn_identity_spec_clear(s);
	if (!json_is_object(v))
		return perr(c, SIGNET_EBADINPUT, "must be an object (a signedIdentity), not %s", sn_json_kind(v));
	if ((rc = get_string(c, v, "type", 1, &type)) != 0)
		return rc;
	if (strcmp(type, "matchExact") == 0 || strcmp(type, "matchRepoDigestOrExact") == 0 ||
	    strcmp(type, "matchRepository") == 0) {
		if ((rc = check_fields(c, v, type, fields_type_only, 1)) != 0)
			return rc;
		if (strcmp(type, "matchExact") == 0)
			s->rule = SN_IDENTITY_MATCH_EXACT;
		else if (strcmp(type, "matchRepository") == 0)
			s->rule = SN_IDENTITY_MATCH_REPOSITORY;
		else
			s->rule = SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT;
		return 0;
	}
	if (strcmp(type, "exactReference") == 0) {
		if ((rc = check_fields(c, v, type, f_ref, 2)) != 0 ||
		    (rc = get_reference(c, v, "dockerReference", &ref, &s->docker_reference)) != 0)
			goto fail;
		if (ref->tag_implied && ref->digest == NULL) {
			jp_key(c, "dockerReference", 0);
			rc = perr(
			    c, SIGNET_EBADINPUT,
			    "%s names neither a tag nor a digest (exactReference needs one; exactRepository "
			    "matches a whole repository)",
			    quote(q, s->docker_reference));
			goto fail;
		}
		s->rule = SN_IDENTITY_EXACT_REFERENCE;
		sn_ref_free(ref);
		return 0;
	}
	if (strcmp(type, "exactRepository") == 0) {
		if ((rc = check_fields(c, v, type, f_repo, 2)) != 0 ||
		    (rc = get_reference(c, v, "dockerRepository", &ref, &s->docker_repository)) != 0)
			goto fail;
		if (!ref->tag_implied || ref->digest != NULL) {
			/* Stricter than containers/image, which ignores them. */
			jp_key(c, "dockerRepository", 0);
			rc = perr(c, SIGNET_EBADINPUT,
			          "%s names a tag or digest, which exactRepository would ignore (give the "
			          "repository alone, or use exactReference)",
			          quote(q, s->docker_repository));
			goto fail;
		}
		s->rule = SN_IDENTITY_EXACT_REPOSITORY;
		sn_ref_free(ref);
		return 0;
	}
	if (strcmp(type, "remapIdentity") == 0) {
		if ((rc = check_fields(c, v, type, f_remap, 3)) != 0 ||
		    (rc = check_remap_prefix(c, v, "prefix", &s->prefix)) != 0 ||
		    (rc = check_remap_prefix(c, v, "signedPrefix", &s->signed_prefix)) != 0)
			goto fail;
		s->rule = SN_IDENTITY_REMAP_IDENTITY;
		return 0;
	}
	jp_key(c, "type", 0);
	return perr(c, SIGNET_EBADINPUT,
	            "unknown signedIdentity type %s (matchExact, matchRepoDigestOrExact, matchRepository, "
	            "exactReference, exactRepository or remapIdentity)",
	            quote(q, type));
fail:
	sn_ref_free(ref);
	sn_identity_spec_clear(s);
	return rc;
}

/* The optional signedIdentity field of requirement obj. */
static int parse_signed_identity(struct pctx *c, json_t *obj, struct sn_identity_spec *s)
{
	json_t *v = json_object_get(obj, "signedIdentity");
	size_t saved;
	int rc;

	sn_identity_spec_clear(s); /* matchRepoDigestOrExact when absent */
	if (v == NULL)
		return 0;
	saved = jp_key(c, "signedIdentity", 0);
	if ((rc = parse_identity(c, v, s)) != 0)
		return rc;
	jp_pop(c, saved);
	return 0;
}

/* ---- keys ---------------------------------------------------------- */

/* Stores key number i of r: the file at path (named "FIELD PATH") or the
 * decoded bytes data (named field; data is taken over). */
static int add_key(struct pctx *c, struct sn_requirement *r, size_t i, const char *field, const char *path,
                   unsigned char *data, size_t len)
{
	struct sn_buf *b = &r->keys[i];
	int rc;

	if (path != NULL) {
		free(data);
		rc = sn_file_read(b, path, SIGNET_MAX_POLICY_FILE_SIZE, "key file", 0, c->e);
		if (rc != 0) {
			if (c->e != NULL && c->e->code == rc)
				sn_errctx(c->e, "policy %s: %s: ", c->source, c->path);
			return rc;
		}
		if (b->len == 0)
			return perr(c, SIGNET_EBADINPUT, "key file %s is empty", path);
		r->key_names[i] = sn_aprintf(c->e, "%s %s", field, path);
	} else {
		sn_buf_init(b, SIGNET_MAX_POLICY_FILE_SIZE, "key");
		rc = sn_buf_append(b, data, len, c->e);
		free(data);
		if (rc != 0)
			return rc;
		r->key_names[i] = sn_strdup(field, c->e);
	}
	return r->key_names[i] == NULL ? SIGNET_ENOMEM : 0;
}

/* Reads the one key source `name` (keyPath, keyPaths, keyData, keyDatas;
 * already checked with check_source) into r->keys. */
static int load_keys(struct pctx *c, json_t *obj, const char *name, struct sn_requirement *r)
{
	json_t *v = json_object_get(obj, name), *item;
	int list = json_is_array(v), b64 = strstr(name, "Data") != NULL;
	size_t n = list ? json_array_size(v) : 1, i, saved = jp_key(c, name, 0), s2;
	int rc;

	r->keys = calloc(n, sizeof(*r->keys));
	r->key_names = calloc(n, sizeof(*r->key_names));
	if (r->keys == NULL || r->key_names == NULL)
		return sn_enomem(c->e);
	r->n_keys = n;
	for (i = 0; i < n; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		char field[64];

		item = list ? json_array_get(v, i) : v;
		s2 = list ? jp_index(c, i) : c->len;
		if (list)
			(void)snprintf(field, sizeof(field), "%s[%zu]", name, i);
		else
			(void)snprintf(field, sizeof(field), "%s", name);
		if (b64 && (rc = decode_base64(c, item, &data, &len)) != 0)
			return rc;
		rc = add_key(c, r, i, field, b64 ? NULL : json_string_value(item), data, len);
		if (rc != 0)
			return rc;
		jp_pop(c, s2);
	}
	jp_pop(c, saved);
	return 0;
}

/* Which of names[0..n) are present: the count, and the last one found. */
static size_t count_present(json_t *obj, const char *const *names, size_t n, const char **which)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (json_object_get(obj, names[i]) != NULL) {
			k++;
			*which = names[i];
		}
	return k;
}

/* ---- requirements -------------------------------------------------- */

static int set_unsupported(struct pctx *c, struct sn_requirement *r, const char *reason)
{
	r->type = SN_REQ_UNSUPPORTED;
	r->unsupported = sn_strdup(reason, c->e);
	return r->unsupported == NULL ? SIGNET_ENOMEM : 0;
}

static int parse_signed_by(struct pctx *c, json_t *obj, struct sn_requirement *r)
{
	static const char *const fields[] = {"type",     "keyType", "keyPath",
	                                     "keyPaths", "keyData", "signedIdentity"};
	static const char *const sources[] = {"keyPath", "keyPaths", "keyData"};
	const char *key_type, *src = NULL;
	char q[QBUF_MAX], reason[QBUF_MAX + 128];
	size_t k;
	int rc;

	if ((rc = check_fields(c, obj, "signedBy", fields, sizeof(fields) / sizeof(fields[0]))) != 0)
		return rc;
	if ((rc = get_string(c, obj, "keyType", 1, &key_type)) != 0)
		return rc;
	if (strcmp(key_type, "GPGKeys") == 0) {
		r->type = SN_REQ_SIGNED_BY;
	} else if (strcmp(key_type, "signedByGPGKeys") == 0 || strcmp(key_type, "X509Certificates") == 0 ||
	           strcmp(key_type, "signedByX509CAs") == 0) {
		(void)snprintf(reason, sizeof(reason),
		               "signedBy keyType %s is not supported (only GPGKeys is)", quote(q, key_type));
		if ((rc = set_unsupported(c, r, reason)) != 0)
			return rc;
	} else {
		jp_key(c, "keyType", 0);
		return perr(
		    c, SIGNET_EBADINPUT,
		    "unknown keyType %s (GPGKeys; signedByGPGKeys, X509Certificates and signedByX509CAs "
		    "parse but are not supported)",
		    quote(q, key_type));
	}
	k = count_present(obj, sources, 3, &src);
	if (k != 1)
		return perr(c, SIGNET_EBADINPUT,
		            "exactly one of keyPath, keyPaths and keyData must be given, %s",
		            k == 0 ? "none is" : "more than one is");
	if ((rc = check_source(c, obj, src, strcmp(src, "keyPaths") == 0, strcmp(src, "keyData") == 0)) != 0)
		return rc;
	if ((rc = parse_signed_identity(c, obj, &r->identity)) != 0)
		return rc;
	if (r->type == SN_REQ_SIGNED_BY && c->load_keys)
		return load_keys(c, obj, src, r);
	return 0;
}

/* fulcio: caPath | caData (one), oidcIssuer, subjectEmail. */
static int check_fulcio(struct pctx *c, json_t *obj)
{
	static const char *const fields[] = {"caPath", "caData", "oidcIssuer", "subjectEmail"};
	static const char *const ca[] = {"caPath", "caData"};
	json_t *v = json_object_get(obj, "fulcio");
	size_t saved = jp_key(c, "fulcio", 0), k;
	const char *src = NULL, *s;
	int rc;

	if (!json_is_object(v))
		return perr(c, SIGNET_EBADINPUT, "must be an object, not %s", sn_json_kind(v));
	if ((rc = check_fields(c, v, "fulcio", fields, 4)) != 0)
		return rc;
	if ((k = count_present(v, ca, 2, &src)) != 1)
		return perr(c, SIGNET_EBADINPUT, "exactly one of caPath and caData must be given, %s",
		            k == 0 ? "none is" : "both are");
	if ((rc = check_source(c, v, src, 0, strcmp(src, "caData") == 0)) != 0 ||
	    (rc = get_nonempty(c, v, "oidcIssuer", &s)) != 0 ||
	    (rc = get_nonempty(c, v, "subjectEmail", &s)) != 0)
		return rc;
	jp_pop(c, saved);
	return 0;
}

/* pki: caRootsPath | caRootsData (one), at most one of the intermediates,
 * at least one of subjectEmail and subjectHostname. */
static int check_pki(struct pctx *c, json_t *obj)
{
	static const char *const fields[] = {"caRootsPath",         "caRootsData",  "caIntermediatesPath",
	                                     "caIntermediatesData", "subjectEmail", "subjectHostname"};
	static const char *const roots[] = {"caRootsPath", "caRootsData"};
	static const char *const inter[] = {"caIntermediatesPath", "caIntermediatesData"};
	static const char *const subj[] = {"subjectEmail", "subjectHostname"};
	json_t *v = json_object_get(obj, "pki");
	size_t saved = jp_key(c, "pki", 0), k, i;
	const char *src = NULL;
	int rc;

	if (!json_is_object(v))
		return perr(c, SIGNET_EBADINPUT, "must be an object, not %s", sn_json_kind(v));
	if ((rc = check_fields(c, v, "pki", fields, 6)) != 0)
		return rc;
	if ((k = count_present(v, roots, 2, &src)) != 1)
		return perr(c, SIGNET_EBADINPUT,
		            "exactly one of caRootsPath and caRootsData must be given, %s",
		            k == 0 ? "none is" : "both are");
	if ((rc = check_source(c, v, src, 0, strcmp(src, "caRootsData") == 0)) != 0)
		return rc;
	if ((k = count_present(v, inter, 2, &src)) > 1)
		return perr(c, SIGNET_EBADINPUT,
		            "caIntermediatesPath and caIntermediatesData cannot both be given");
	if (k == 1 && (rc = check_source(c, v, src, 0, strcmp(src, "caIntermediatesData") == 0)) != 0)
		return rc;
	if (count_present(v, subj, 2, &src) == 0)
		return perr(c, SIGNET_EBADINPUT,
		            "at least one of subjectEmail and subjectHostname must be given");
	for (i = 0; i < 2; i++)
		if (json_object_get(v, subj[i]) != NULL && (rc = get_nonempty(c, v, subj[i], &src)) != 0)
			return rc;
	jp_pop(c, saved);
	return 0;
}

/* The keyless trust of a fulcio requirement: its CA certificates and the
 * Rekor keys (rsrc) as a trusted root, its oidcIssuer and subjectEmail as
 * the pinned identity. */
static int load_fulcio(struct pctx *c, json_t *obj, const char *rsrc, struct sn_requirement *r)
{
	static const char *const ca[] = {"caPath", "caData"};
	json_t *f = json_object_get(obj, "fulcio");
	struct sn_requirement cas, logs;
	const char *src = NULL;
	struct sn_keyless *k;
	size_t saved;
	int rc;

	memset(&cas, 0, sizeof(cas));
	memset(&logs, 0, sizeof(logs));
	if ((k = r->keyless = calloc(1, sizeof(*k))) == NULL)
		return sn_enomem(c->e);
	if ((k->subject = sn_strdup(json_string_value(json_object_get(f, "subjectEmail")), c->e)) == NULL ||
	    (k->issuer = sn_strdup(json_string_value(json_object_get(f, "oidcIssuer")), c->e)) == NULL)
		return SIGNET_ENOMEM;
	(void)count_present(f, ca, 2, &src);
	saved = jp_key(c, "fulcio", 0);
	if ((rc = load_keys(c, f, src, &cas)) != 0)
		goto out;
	jp_pop(c, saved);
	if ((rc = load_keys(c, obj, rsrc, &logs)) != 0)
		goto out;
	saved = jp_key(c, "fulcio", 0);
	if ((k->source = sn_aprintf(c->e, "policy %s: %s", c->source, c->path)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	jp_pop(c, saved);
	rc = sn_trusted_root_from_pem(&k->root, &cas.keys[0], cas.key_names[0], logs.keys,
	                              (const char *const *)logs.key_names, logs.n_keys, c->e);
	if (rc != 0 && rc != SIGNET_ENOMEM)
		sn_errctx(c->e, "policy %s: %s: ", c->source, c->path);
out:
	sn_requirement_clear(&cas);
	sn_requirement_clear(&logs);
	return rc;
}

static int parse_sigstore_signed(struct pctx *c, json_t *obj, struct sn_requirement *r)
{
	static const char *const fields[] = {"type",
	                                     "keyPath",
	                                     "keyPaths",
	                                     "keyData",
	                                     "keyDatas",
	                                     "fulcio",
	                                     "pki",
	                                     "rekorPublicKeyPath",
	                                     "rekorPublicKeyPaths",
	                                     "rekorPublicKeyData",
	                                     "rekorPublicKeyDatas",
	                                     "signedIdentity"};
	static const char *const sources[] = {"keyPath", "keyPaths", "keyData", "keyDatas", "fulcio", "pki"};
	static const char *const rekor[] = {"rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData",
	                                    "rekorPublicKeyDatas"};
	const char *src = NULL, *rsrc = NULL;
	size_t k, nrekor;
	int rc;

	if ((rc = check_fields(c, obj, "sigstoreSigned", fields, sizeof(fields) / sizeof(fields[0]))) != 0)
		return rc;
	k = count_present(obj, sources, 6, &src);
	if (k != 1)
		return perr(
		    c, SIGNET_EBADINPUT,
		    "exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio and pki must be given, %s",
		    k == 0 ? "none is" : "more than one is");
	nrekor = count_present(obj, rekor, 4, &rsrc);
	if (nrekor > 1)
		return perr(c, SIGNET_EBADINPUT,
		            "at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and "
		            "rekorPublicKeyDatas can be given");
	if (strcmp(src, "fulcio") == 0 && nrekor == 0)
		return perr(
		    c, SIGNET_EBADINPUT,
		    "fulcio needs one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and "
		    "rekorPublicKeyDatas");
	if (strcmp(src, "pki") == 0 && nrekor > 0)
		return perr(c, SIGNET_EBADINPUT, "pki cannot be combined with a Rekor public key");
	if (strcmp(src, "fulcio") == 0)
		rc = check_fulcio(c, obj);
	else if (strcmp(src, "pki") == 0)
		rc = check_pki(c, obj);
	else
		rc = check_source(c, obj, src, src[strlen(src) - 1] == 's', strstr(src, "Data") != NULL);
	if (rc != 0)
		return rc;
	if (nrekor == 1 && (rc = check_source(c, obj, rsrc, rsrc[strlen(rsrc) - 1] == 's',
	                                      strstr(rsrc, "Data") != NULL)) != 0)
		return rc;
	if ((rc = parse_signed_identity(c, obj, &r->identity)) != 0)
		return rc;
	if (strcmp(src, "fulcio") == 0) {
		r->type = SN_REQ_SIGSTORE_SIGNED;
		return c->load_keys ? load_fulcio(c, obj, rsrc, r) : 0;
	}
	if (strcmp(src, "pki") == 0)
		return set_unsupported(c, r, "sigstoreSigned: X.509 PKI (pki) is not supported yet");
	if (nrekor > 0)
		return set_unsupported(c, r,
		                       "sigstoreSigned: Rekor (rekorPublicKey...) is not supported yet");
	r->type = SN_REQ_SIGSTORE_SIGNED;
	return c->load_keys ? load_keys(c, obj, src, r) : 0;
}

static int parse_signed_base_layer(struct pctx *c, json_t *obj, struct sn_requirement *r)
{
	static const char *const fields[] = {"type", "baseLayerIdentity"};
	struct sn_identity_spec base = {0};
	json_t *v;
	size_t saved;
	int rc;

	if ((rc = check_fields(c, obj, "signedBaseLayer", fields, 2)) != 0)
		return rc;
	if ((v = json_object_get(obj, "baseLayerIdentity")) == NULL) {
		jp_key(c, "baseLayerIdentity", 0);
		return perr(c, SIGNET_EBADINPUT, "missing");
	}
	saved = jp_key(c, "baseLayerIdentity", 0);
	rc = parse_identity(c, v, &base);
	sn_identity_spec_clear(&base);
	if (rc != 0)
		return rc;
	jp_pop(c, saved);
	return set_unsupported(c, r, "signedBaseLayer is not supported");
}

/* One requirement object v at the current path. */
static int parse_requirement(struct pctx *c, json_t *v, struct sn_requirement *r)
{
	const char *type;
	char q[QBUF_MAX];
	int rc;

	sn_requirement_clear(r);
	if (!json_is_object(v))
		return perr(c, SIGNET_EBADINPUT, "must be an object (a requirement), not %s", sn_json_kind(v));
	if ((rc = get_string(c, v, "type", 1, &type)) != 0)
		return rc;
	if ((r->where = sn_aprintf(c->e, "policy %s: %s", c->source, c->path)) == NULL)
		return SIGNET_ENOMEM;
	if (strcmp(type, "insecureAcceptAnything") == 0 || strcmp(type, "reject") == 0) {
		r->type = type[0] == 'r' ? SN_REQ_REJECT : SN_REQ_INSECURE_ACCEPT_ANYTHING;
		return check_fields(c, v, type, fields_type_only, 1);
	}
	if (strcmp(type, "signedBy") == 0)
		return parse_signed_by(c, v, r);
	if (strcmp(type, "sigstoreSigned") == 0)
		return parse_sigstore_signed(c, v, r);
	if (strcmp(type, "signedBaseLayer") == 0)
		return parse_signed_base_layer(c, v, r);
	jp_key(c, "type", 0);
	return perr(
	    c, SIGNET_EBADINPUT,
	    "unknown requirement type %s (insecureAcceptAnything, reject, signedBy, sigstoreSigned or "
	    "signedBaseLayer)",
	    quote(q, type));
}

/* A list of requirements v at the current path. */
static int parse_requirements(struct pctx *c, json_t *v, struct sn_requirement **out, size_t *n_out)
{
	struct sn_requirement *reqs;
	size_t n, i;
	int rc;

	if ((rc = check_nonempty_array(c, v, "requirements")) != 0)
		return rc;
	n = json_array_size(v);
	if ((reqs = calloc(n, sizeof(*reqs))) == NULL)
		return sn_enomem(c->e);
	/* Owned by the caller from here (cleared entries are safe to free). */
	*out = reqs;
	*n_out = n;
	for (i = 0; i < n; i++) {
		size_t saved = jp_index(c, i);

		if ((rc = parse_requirement(c, json_array_get(v, i), &reqs[i])) != 0)
			return rc;
		jp_pop(c, saved);
	}
	return 0;
}

/* ---- the document -------------------------------------------------- */

/* Appends an empty scope entry to p. */
static struct sn_scope_reqs *add_scope(struct pctx *c, struct sn_policy *p, size_t *cap,
                                       const char *transport, const char *scope)
{
	struct sn_scope_reqs *sr;

	if (p->n_scopes == *cap) {
		size_t ncap = *cap == 0 ? 8 : *cap * 2;
		struct sn_scope_reqs *ns;

		if (ncap > SIZE_MAX / sizeof(*ns) || (ns = realloc(p->scopes, ncap * sizeof(*ns))) == NULL) {
			sn_enomem(c->e);
			return NULL;
		}
		p->scopes = ns;
		*cap = ncap;
	}
	sr = &p->scopes[p->n_scopes];
	memset(sr, 0, sizeof(*sr));
	p->n_scopes++;
	sr->transport = sn_strdup(transport, c->e);
	sr->scope = sn_strdup(scope, c->e);
	return sr->transport != NULL && sr->scope != NULL ? sr : NULL;
}

static int signet_reads(const char *transport)
{
	return strcmp(transport, "docker") == 0 || strcmp(transport, "dir") == 0 ||
	       strcmp(transport, "oci") == 0;
}

static int parse_transports(struct pctx *c, json_t *v, struct sn_policy *p)
{
	const char *tname, *scope;
	json_t *scopes, *reqs;
	size_t cap = 0;
	int rc;

	if (!json_is_object(v))
		return perr(c, SIGNET_EBADINPUT, "must be an object (transport name -> scopes), not %s",
		            sn_json_kind(v));
	json_object_foreach(v, tname, scopes)
	{
		size_t saved = jp_key(c, tname, 0);
		int keep = signet_reads(tname);

		if (!json_is_object(scopes))
			return perr(c, SIGNET_EBADINPUT, "must be an object (scope -> requirements), not %s",
			            sn_json_kind(scopes));
		c->load_keys = keep;
		json_object_foreach(scopes, scope, reqs)
		{
			size_t s2 = jp_key(c, scope, 1);
			struct sn_requirement *list = NULL;
			size_t n = 0;

			if (scope[0] != '\0' && (rc = check_scope(c, tname, scope)) != 0)
				return rc;
			if (keep) {
				struct sn_scope_reqs *sr = add_scope(c, p, &cap, tname, scope);

				if (sr == NULL)
					return SIGNET_ENOMEM;
				rc = parse_requirements(c, reqs, &sr->reqs, &sr->n_reqs);
			} else {
				rc = parse_requirements(c, reqs, &list, &n);
				for (size_t i = 0; list != NULL && i < n; i++)
					sn_requirement_clear(&list[i]);
				free(list);
			}
			if (rc != 0)
				return rc;
			jp_pop(c, s2);
		}
		c->load_keys = 1;
		jp_pop(c, saved);
	}
	return 0;
}

static int parse_document(struct pctx *c, json_t *root, struct sn_policy *p)
{
	static const char *const fields[] = {"default", "transports"};
	json_t *v;
	size_t saved;
	int rc;

	if (!json_is_object(root))
		return perr(c, SIGNET_EBADINPUT, "the top level must be a JSON object, not %s", sn_json_kind(root));
	if ((rc = check_fields(c, root, "the top level", fields, 2)) != 0)
		return rc;
	if ((v = json_object_get(root, "default")) == NULL) {
		jp_key(c, "default", 0);
		return perr(c, SIGNET_EBADINPUT, "missing (the global default requirements are required)");
	}
	saved = jp_key(c, "default", 0);
	if ((rc = parse_requirements(c, v, &p->default_reqs, &p->n_default)) != 0)
		return rc;
	jp_pop(c, saved);
	if ((v = json_object_get(root, "transports")) != NULL) {
		saved = jp_key(c, "transports", 0);
		if ((rc = parse_transports(c, v, p)) != 0)
			return rc;
		jp_pop(c, saved);
	}
	return 0;
}

int sn_policy_parse_json(struct sn_policy **out, const void *data, size_t len, const char *source,
                         struct sn_err *e)
{
	struct sn_policy *p = NULL;
	struct pctx c;
	json_t *root = NULL;
	char *what = NULL;
	int rc;

	if (out == NULL || (data == NULL && len > 0))
		return sn_seterr(e, SIGNET_EINVAL, "policy: no document given");
	if (source == NULL)
		source = "(memory)";
	if (len > SIGNET_MAX_POLICY_FILE_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "policy %s: larger than the limit of %u bytes (SIGNET_MAX_POLICY_FILE_SIZE)",
		                 source, SIGNET_MAX_POLICY_FILE_SIZE);
	memset(&c, 0, sizeof(c));
	c.source = source;
	c.e = e;
	c.load_keys = 1;
	if ((what = sn_aprintf(e, "policy %s", source)) == NULL)
		return SIGNET_ENOMEM;
	if ((rc = sn_json_parse(&root, data != NULL ? data : "", len, what, e)) != 0)
		goto out;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	p->index_signature_covers_instances = 1; /* SPEC §4.1; policy.json has no field for it */
	p->allow_digest_refs_unsigned = 0;
	if ((p->source = sn_strdup(source, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = parse_document(&c, root, p)) != 0)
		goto out;
	*out = p;
	p = NULL;
out:
	sn_policy_free(p);
	json_decref(root);
	free(what);
	return rc;
}

int sn_policy_load_json(struct sn_policy **out, const char *path, struct sn_err *e)
{
	struct sn_buf b;
	int rc;

	if (out == NULL || path == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "policy: no file given");
	rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, "policy", 0, e);
	if (rc == SIGNET_ELIMIT)
		return sn_seterr(e, rc,
		                 "policy %s: larger than the limit of %u bytes (SIGNET_MAX_POLICY_FILE_SIZE)",
		                 path, SIGNET_MAX_POLICY_FILE_SIZE);
	if (rc != 0)
		return rc;
	rc = sn_policy_parse_json(out, b.data, b.len, path, e);
	sn_buf_free(&b);
	return rc;
}
