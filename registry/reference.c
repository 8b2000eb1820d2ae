/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/reference.c: image references (SPEC §3.1).
 *
 * Docker names follow the grammar and normalization of containers/image's
 * docker transport (its copy of distribution/reference: ParseNormalizedNamed
 * then TagNameOnly):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path            (domain + "/" + path <= 255)
 *   domain     := host [ ":" [0-9]+ ]
 *   host       := component ( "." component )* | "[" [a-fA-F0-9:]+ "]"
 *   component  := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   path       := pcomp ( "/" pcomp )*
 *   pcomp      := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest     := algo ":" hex   (grammar: algo components [A-Za-z][A-Za-z0-9]*
 *                 joined by [-_+.], hex [0-9a-fA-F]{32,}; then sn_digest_validate:
 *                 sha256 + 64 or sha512 + 128 lowercase hex digits)
 *
 * The first component is the domain when it contains '.' or ':' or is
 * "localhost"; otherwise the domain is docker.io.  "index.docker.io" becomes
 * "docker.io", and a single-component path on docker.io gets "library/".
 * A whole input of 64 lowercase hex digits is refused (it is an image ID).
 * The path must be lowercase.  With neither tag nor digest, the tag is
 * "latest".
 *
 * Where the two Go implementations differ, or where they are loose, we
 * chose (each is a conscious decision, tested in tests/unit/test_reference.c):
 *  - IPv6 hosts ("[::1]:5000") are accepted, as distribution/reference 0.6
 *    does (containers/image's copy does not know them yet).
 *  - An upper-case first component without '.' or ':' ("Foo/bar") is NOT a
 *    domain (SPEC §3.1, containers/image, skopeo): it is refused as an
 *    upper-case path.  distribution/reference 0.6 would take "Foo" as a host.
 *  - The 255 limit applies to domain + "/" + path, after normalization (SPEC,
 *    containers/image); distribution/reference 0.6 counts the path only.
 *  - A first component that was chosen as the domain but is not a valid host
 *    ("foo_bar.com/x") is refused.  The Go regexp falls back to reading the
 *    whole name as a path and yields an empty domain, which skopeo then
 *    tries to reach as "https:///v2/".
 *  - A tag and a digest together are accepted and both kept (containers/image
 *    refuses them); the digest decides what is pulled.
 *
 * Transports (sn_ref_parse): "docker://NAME", "oci:PATH[:REF]", "dir:PATH",
 * or a bare NAME.  skopeo requires a transport; podman (libimage) falls back
 * to a docker name when the text does not start with a known transport, so
 * "busybox:latest", "foo:bar" and "docker:latest" (the image named docker)
 * are docker names here, as in podman.  The other containers/image transports
 * ("containers-storage:", "docker-archive:", ...) are refused rather than
 * being misread as a docker name with a tag.
 *
 * oci: follows containers/image's oci transport: PATH ends at the FIRST ':'
 * (an OCI layout path cannot contain ':' there), and REF, when not empty,
 * must match the org.opencontainers.image.ref.name grammar
 *   component ( "/" component )*,  component := [A-Za-z0-9]+ ( sep [A-Za-z0-9]+ )*,
 *   sep := one of - . _ : @ +  or "--"
 * so "oci:/l:a:b" is layout "/l", REF "a:b", exactly as skopeo reads it.
 * The "@INDEX" form of newer containers/image is not supported.  An empty
 * REF ("oci:/l:") means no REF.  An empty PATH is an error (containers/image
 * would use the current directory).
 *
 * Paths of oci: and dir: are kept as written: parsing never touches the file
 * system.
 */
#include "registry.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_TAG_MAX        128  /* characters in a tag */
#define REF_DIGEST_HEX_MIN 32   /* the grammar's shortest digest hex */
#define REF_IMAGE_ID_LEN   64   /* a bare hex string this long is an image ID */
#define REF_QUOTE_MAX      300  /* input bytes quoted in a message */
#define REF_REASON_MAX     1024 /* the reason part of a message */

#define REF_DOCKER_PREFIX "docker://"
#define REF_OCI_PREFIX    "oci:"
#define REF_DIR_PREFIX    "dir:"
#define REF_DEFAULT_TAG   "latest"
#define REF_LEGACY_DOMAIN "index.docker.io"
#define REF_LOCALHOST     "localhost"

/* containers/image transports that signet does not read: refused so that
 * "tarball:foo" is never taken for the docker image "tarball", tag "foo". */
static const char *const unsupported_transports[] = {
    "containers-storage", "docker-archive", "docker-daemon", "oci-archive", "ostree", "sif", "tarball",
};

/* Does text start with a transport prefix other than docker's? */
static int names_transport(const char *text)
{
	size_t i;

	if (strncmp(text, REF_OCI_PREFIX, strlen(REF_OCI_PREFIX)) == 0 ||
	    strncmp(text, REF_DIR_PREFIX, strlen(REF_DIR_PREFIX)) == 0)
		return 1;
	for (i = 0; i < sizeof(unsupported_transports) / sizeof(unsupported_transports[0]); i++) {
		size_t n = strlen(unsupported_transports[i]);

		if (strncmp(text, unsupported_transports[i], n) == 0 && text[n] == ':')
			return 1;
	}
	return 0;
}

/* ---- messages ------------------------------------------------------ */

/* A quoted piece of input for a message. */
struct qbuf {
	char s[REF_QUOTE_MAX * 4 + 8];
};

/* Copies at most REF_QUOTE_MAX of the n bytes at s into b, escaping '"',
 * '\\' and anything not printable ASCII as \xHH, so that a message stays
 * readable and bounded whatever the input.  Returns b->s. */
static const char *qspan(struct qbuf *b, const char *s, size_t n)
{
	static const char hexdig[] = "0123456789abcdef";
	size_t o = 0, i;

	for (i = 0; i < n && i < REF_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			b->s[o++] = '\\';
			b->s[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			b->s[o++] = '\\';
			b->s[o++] = 'x';
			b->s[o++] = hexdig[c >> 4];
			b->s[o++] = hexdig[c & 0xf];
		} else {
			b->s[o++] = (char)c;
		}
	}
	if (i < n) {
		memcpy(b->s + o, "...", 3);
		o += 3;
	}
	b->s[o] = '\0';
	return b->s;
}

static const char *qstr(struct qbuf *b, const char *s)
{
	return qspan(b, s, strlen(s));
}

/* Records SIGNET_EBADINPUT: `image reference "TEXT": REASON`. */
static int ref_err(struct sn_err *e, const char *text, const char *fmt, ...) SN_PRINTF(3, 4);
static int ref_err(struct sn_err *e, const char *text, const char *fmt, ...)
{
	struct qbuf q;
	char reason[REF_REASON_MAX];
	va_list ap;

	if (e == NULL)
		return SIGNET_EBADINPUT;
	va_start(ap, fmt);
	(void)vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return sn_seterr(e, SIGNET_EBADINPUT, "image reference \"%s\": %s", qstr(&q, text), reason);
}

/* ---- character classes and grammar pieces ---------------------------- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_lower_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

static int is_alnum(int c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static int is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_word(int c)
{
	return is_alnum(c) || c == '_';
}

static int has_char(const char *s, size_t n, char c)
{
	return memchr(s, c, n) != NULL;
}

/* Docker path separators: ".", "_", "__" or one or more "-". */
static int docker_sep_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 1)
		return s[0] == '.' || s[0] == '_' || s[0] == '-';
	if (n == 2 && s[0] == '_' && s[1] == '_')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] != '-')
			return 0;
	return 1;
}

/* OCI ref name separators: one of "-._:@+" or "--". */
static int oci_sep_ok(const char *s, size_t n)
{
	if (n == 1)
		return s[0] != '\0' && strchr("-._:@+", s[0]) != NULL;
	return n == 2 && s[0] == '-' && s[1] == '-';
}

/* A run of alphanumerics, then (separator, alphanumerics)*: the shape
 * shared by docker path components and OCI ref name components. */
static int component_ok(const char *s, size_t n, int (*alnum)(int), int (*sep_ok)(const char *, size_t))
{
	size_t i = 0, start;

	if (n == 0 || !alnum((unsigned char)s[0]) || !alnum((unsigned char)s[n - 1]))
		return 0;
	while (i < n) {
		if (alnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < n && !alnum((unsigned char)s[i]))
			i++;
		if (!sep_ok(s + start, i - start))
			return 0;
	}
	return 1;
}

/* A host name label: [a-zA-Z0-9] or [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]. */
static int label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_alnum((unsigned char)s[0]) || !is_alnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int sn_ref_host_name_ok(const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!label_ok(s + start, i - start))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

/* domain := (labels | "[" ipv6 "]") [":" digits] */
int sn_ref_domain_ok(const char *s, size_t n)
{
	size_t i, hostlen;

	if (n == 0)
		return 0;
	if (s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			if (!is_xdigit((unsigned char)s[i]) && s[i] != ':')
				return 0;
		if (i == n || i == 1)
			return 0;
		hostlen = i + 1;
	} else {
		hostlen = 0;
		while (hostlen < n && s[hostlen] != ':')
			hostlen++;
		if (!sn_ref_host_name_ok(s, hostlen))
			return 0;
	}
	if (hostlen == n)
		return 1;
	if (s[hostlen] != ':' || hostlen + 1 == n)
		return 0;
	for (i = hostlen + 1; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* tag := [\w][\w.-]{0,127}; the length is checked by the caller. */
static int tag_chars_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_word((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!is_word((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

int sn_ref_path_component_ok(const char *s, size_t n)
{
	return component_ok(s, n, is_lower_alnum, docker_sep_ok);
}

int sn_ref_tag_ok(const char *s, size_t n)
{
	return n <= REF_TAG_MAX && tag_chars_ok(s, n);
}

/* The reference grammar's digest: [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*
 * ":" [0-9a-fA-F]{32,}.  What algorithms and lengths are accepted is
 * sn_digest_validate's business. */
static int digest_grammar_ok(const char *s)
{
	size_t i = 0, hex = 0;

	for (;;) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
		i++;
		while (is_alnum((unsigned char)s[i]))
			i++;
		if (s[i] == ':')
			break;
		if (s[i] == '\0' || strchr("-_+.", s[i]) == NULL)
			return 0;
		i++;
	}
	for (i++; s[i] != '\0'; i++, hex++)
		if (!is_xdigit((unsigned char)s[i]))
			return 0;
	return hex >= REF_DIGEST_HEX_MIN;
}

/* ---- construction -------------------------------------------------- */

void sn_ref_free(struct sn_ref *ref)
{
	if (ref == NULL)
		return;
	free(ref->domain);
	free(ref->path);
	free(ref->tag);
	free(ref->digest);
	free(ref->dir);
	free(ref->string);
	free(ref->name);
	free(ref);
}

static struct sn_ref *ref_new(enum signet_transport t, struct sn_err *e)
{
	struct sn_ref *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		sn_enomem(e);
		return NULL;
	}
	r->transport = t;
	return r;
}

/* ---- docker -------------------------------------------------------- */

/* Parses a docker name; text is the whole input, quoted in messages. */
static int parse_docker(struct sn_ref **out, const char *name, const char *text, struct sn_err *e)
{
	const char *domain = SN_DOCKER_DOMAIN, *rem = name, *slash, *p, *tag = NULL, *digest = NULL;
	size_t dlen = strlen(SN_DOCKER_DOMAIN), plen, tlen = 0, i, start, namelen;
	const char *prefix = "";
	struct sn_ref *r = NULL;
	struct qbuf q;
	int rc;

	if (name[0] == '\0')
		return ref_err(e, text, "repository name must have at least one component");

	/* An image ID is not a name (distribution: ParseNormalizedNamed). */
	if (strlen(name) == REF_IMAGE_ID_LEN && sn_digest_hex_ok(name, REF_IMAGE_ID_LEN))
		return ref_err(e, text,
		               "invalid repository name, cannot specify 64-byte hexadecimal strings");

	/* The domain: the first component if it looks like a host. */
	slash = strchr(name, '/');
	if (slash != NULL) {
		size_t flen = (size_t)(slash - name);

		if (has_char(name, flen, '.') || has_char(name, flen, ':') ||
		    (flen == strlen(REF_LOCALHOST) && memcmp(name, REF_LOCALHOST, flen) == 0)) {
			domain = name;
			dlen = flen;
			rem = slash + 1;
		}
	}
	if (dlen == strlen(REF_LEGACY_DOMAIN) && memcmp(domain, REF_LEGACY_DOMAIN, dlen) == 0) {
		domain = SN_DOCKER_DOMAIN;
		dlen = strlen(SN_DOCKER_DOMAIN);
	}
	if (dlen == strlen(SN_DOCKER_DOMAIN) && memcmp(domain, SN_DOCKER_DOMAIN, dlen) == 0 &&
	    strchr(rem, '/') == NULL)
		prefix = SN_DOCKER_OFFICIAL_PREFIX;

	/* The path runs up to the tag or digest. */
	plen = strcspn(rem, ":@");
	for (i = 0; i < plen; i++)
		if (rem[i] >= 'A' && rem[i] <= 'Z')
			return ref_err(e, text,
			               "invalid reference format: repository name must be lowercase "
			               "(\"%s\")",
			               qspan(&q, rem, plen));

	if (!sn_ref_domain_ok(domain, dlen))
		return ref_err(e, text,
		               "invalid reference format: \"%s\" is not a valid registry host[:port]",
		               qspan(&q, domain, dlen));
	if (plen == 0)
		return ref_err(e, text, "invalid reference format: the repository path is empty");
	for (start = 0, i = 0; i <= plen; i++) {
		if (i < plen && rem[i] != '/')
			continue;
		if (i == start)
			return ref_err(e, text,
			               "invalid reference format: empty path component (a '/' at the "
			               "start or end, or two in a row)");
		if (!component_ok(rem + start, i - start, is_lower_alnum, docker_sep_ok))
			return ref_err(e, text,
			               "invalid reference format: path component \"%s\" is not valid "
			               "(lowercase letters and digits, separated by '.', '_', '__' or '-')",
			               qspan(&q, rem + start, i - start));
		start = i + 1;
	}

	p = rem + plen;
	if (*p == ':') {
		tag = p + 1;
		tlen = strcspn(tag, "@");
		if (tlen == 0)
			return ref_err(e, text, "invalid reference format: ':' is not followed by a tag");
		if (!tag_chars_ok(tag, tlen))
			return ref_err(e, text,
			               "invalid reference format: tag \"%s\" is not valid (letters, "
			               "digits and '_', then also '.' and '-')",
			               qspan(&q, tag, tlen));
		if (tlen > REF_TAG_MAX)
			return ref_err(e, text,
			               "invalid reference format: the tag has %zu characters, more "
			               "than %d",
			               tlen, REF_TAG_MAX);
		p = tag + tlen;
	}
	if (*p == '@') {
		digest = p + 1;
		if (*digest == '\0')
			return ref_err(e, text, "invalid reference format: '@' is not followed by a digest");
		if (!digest_grammar_ok(digest))
			return ref_err(e, text,
			               "invalid reference format: digest \"%s\" is not ALGORITHM:HEX "
			               "(with at least %d hex digits)",
			               qstr(&q, digest), REF_DIGEST_HEX_MIN);
	}

	namelen = dlen + 1 + strlen(prefix) + plen;
	if (namelen > SIGNET_MAX_NAME_LENGTH)
		return ref_err(e, text,
		               "repository name must not be more than %d characters (the normalized "
		               "name has %zu)",
		               SIGNET_MAX_NAME_LENGTH, namelen);

	if (digest != NULL) {
		struct sn_err derr;

		sn_err_clear(&derr);
		if ((rc = sn_digest_validate(digest, &derr)) != 0)
			return rc == SIGNET_EBADINPUT ? ref_err(e, text, "%s", derr.msg)
			                              : sn_seterr(e, rc, "%s", derr.msg);
	}

	if ((r = ref_new(SIGNET_TRANSPORT_DOCKER, e)) == NULL)
		return SIGNET_ENOMEM;
	r->domain = sn_strndup(domain, dlen, e);
	r->path = sn_aprintf(e, "%s%.*s", prefix, (int)plen, rem);
	if (tag != NULL)
		r->tag = sn_strndup(tag, tlen, e);
	else if (digest == NULL) {
		r->tag = sn_strdup(REF_DEFAULT_TAG, e);
		r->tag_implied = 1;
	}
	if (digest != NULL)
		r->digest = sn_strdup(digest, e);
	if (r->domain == NULL || r->path == NULL || (r->tag == NULL && (tag != NULL || digest == NULL)) ||
	    (r->digest == NULL && digest != NULL))
		goto nomem;
	r->name = sn_aprintf(e, "%s/%s", r->domain, r->path);
	if (r->name == NULL)
		goto nomem;
	/* "docker://oci:5/d" would be written "oci:5/d:latest", which names an
	 * oci: layout: a host named like a transport is refused, so that a
	 * normalized reference always reads back as itself. */
	if (names_transport(r->name)) {
		sn_ref_free(r);
		return ref_err(e, text, "registry host \"%.*s\" is named like a transport; the reference would be "
				     "ambiguous", (int)dlen, domain);
	}
	r->string =
	    sn_aprintf(e, "%s%s%s%s%s", r->name, r->tag != NULL ? ":" : "", r->tag != NULL ? r->tag : "",
	               r->digest != NULL ? "@" : "", r->digest != NULL ? r->digest : "");
	if (r->string == NULL)
		goto nomem;
	*out = r;
	return 0;
nomem:
	sn_ref_free(r);
	return sn_enomem(e);
}

int sn_ref_parse_docker(struct sn_ref **out, const char *name, struct sn_err *e)
{
	if (out == NULL || name == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "image reference: none given");
	return parse_docker(out, name, name, e);
}

/* ---- oci: and dir: --------------------------------------------------- */

/* A layout directory: not empty, and short enough to be opened. */
static int check_path(size_t len, const char *transport, const char *text, struct sn_err *e)
{
	if (len == 0)
		return ref_err(e, text, "%s needs a directory path", transport);
	if (len >= PATH_MAX)
		return ref_err(e, text, "the %s path is longer than %d bytes", transport, PATH_MAX - 1);
	return 0;
}

/* org.opencontainers.image.ref.name: component ("/" component)*. */
static int oci_refname_ok(const char *s)
{
	size_t n = strlen(s), start, i;

	for (start = 0, i = 0; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		if (!component_ok(s + start, i - start, is_alnum, oci_sep_ok))
			return 0;
		start = i + 1;
	}
	return 1;
}

static int parse_oci(struct sn_ref **out, const char *spec, const char *text, struct sn_err *e)
{
	const char *colon = strchr(spec, ':');
	const char *refname = colon != NULL ? colon + 1 : "";
	size_t dlen = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	struct sn_ref *r = NULL;
	struct qbuf q;
	int rc;

	if ((rc = check_path(dlen, REF_OCI_PREFIX, text, e)) != 0)
		return rc;
	if (refname[0] == '@')
		return ref_err(e, text,
		               "the \"@INDEX\" form of an oci: reference is not supported; name the "
		               "image by its org.opencontainers.image.ref.name");
	if (refname[0] != '\0' && !oci_refname_ok(refname))
		return ref_err(e, text,
		               "\"%s\" is not a valid OCI reference name (letters and digits, "
		               "separated by one of - . _ : @ + or --, components joined by /)",
		               qstr(&q, refname));

	if ((r = ref_new(SIGNET_TRANSPORT_OCI, e)) == NULL)
		return SIGNET_ENOMEM;
	r->dir = sn_strndup(spec, dlen, e);
	if (r->dir == NULL)
		goto nomem;
	if (refname[0] != '\0' && (r->tag = sn_strdup(refname, e)) == NULL)
		goto nomem;
	r->name = sn_strdup(r->dir, e);
	r->string = sn_aprintf(e, "%s%s%s%s", REF_OCI_PREFIX, r->dir, r->tag != NULL ? ":" : "",
	                       r->tag != NULL ? r->tag : "");
	if (r->name == NULL || r->string == NULL)
		goto nomem;
	*out = r;
	return 0;
nomem:
	sn_ref_free(r);
	return sn_enomem(e);
}

static int parse_dir(struct sn_ref **out, const char *path, const char *text, struct sn_err *e)
{
	struct sn_ref *r = NULL;
	int rc;

	if ((rc = check_path(strlen(path), REF_DIR_PREFIX, text, e)) != 0)
		return rc;
	if ((r = ref_new(SIGNET_TRANSPORT_DIR, e)) == NULL)
		return SIGNET_ENOMEM;
	r->dir = sn_strdup(path, e);
	r->name = sn_strdup(path, e);
	r->string = sn_aprintf(e, "%s%s", REF_DIR_PREFIX, path);
	if (r->dir == NULL || r->name == NULL || r->string == NULL) {
		sn_ref_free(r);
		return sn_enomem(e);
	}
	*out = r;
	return 0;
}

/* ---- the entry point ------------------------------------------------- */

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int sn_ref_parse(struct sn_ref **out, const char *text, struct sn_err *e)
{
	size_t i;

	if (out == NULL || text == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "image reference: none given");
	if (text[0] == '\0')
		return ref_err(e, text, "empty");
	if (has_prefix(text, REF_DOCKER_PREFIX))
		return parse_docker(out, text + strlen(REF_DOCKER_PREFIX), text, e);
	if (has_prefix(text, REF_OCI_PREFIX))
		return parse_oci(out, text + strlen(REF_OCI_PREFIX), text, e);
	if (has_prefix(text, REF_DIR_PREFIX))
		return parse_dir(out, text + strlen(REF_DIR_PREFIX), text, e);
	/* "docker:/x" is a mistyped transport, never a docker name ("docker:"
	 * is no host); "docker:latest" is the image named docker (podman). */
	if (has_prefix(text, "docker:/"))
		return ref_err(e, text, "the docker transport is written \"docker://NAME\"");
	for (i = 0; i < sizeof(unsupported_transports) / sizeof(unsupported_transports[0]); i++) {
		size_t n = strlen(unsupported_transports[i]);

		if (strncmp(text, unsupported_transports[i], n) == 0 && text[n] == ':')
			return ref_err(e, text,
			               "transport \"%s\" is not supported (use docker://, oci: or dir:)",
			               unsupported_transports[i]);
	}
	return parse_docker(out, text, text, e);
}

/* ---- copies -------------------------------------------------------- */

static int dup_field(char **dst, const char *src, struct sn_err *e)
{
	if (src == NULL)
		return 0;
	*dst = sn_strdup(src, e);
	return *dst == NULL ? SIGNET_ENOMEM : 0;
}

int sn_ref_dup(struct sn_ref **out, const struct sn_ref *ref, struct sn_err *e)
{
	struct sn_ref *r;

	if (out == NULL || ref == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "image reference: none given to copy");
	if ((r = ref_new(ref->transport, e)) == NULL)
		return SIGNET_ENOMEM;
	if (dup_field(&r->domain, ref->domain, e) != 0 || dup_field(&r->path, ref->path, e) != 0 ||
	    dup_field(&r->tag, ref->tag, e) != 0 || dup_field(&r->digest, ref->digest, e) != 0 ||
	    dup_field(&r->dir, ref->dir, e) != 0 || dup_field(&r->string, ref->string, e) != 0 ||
	    dup_field(&r->name, ref->name, e) != 0) {
		sn_ref_free(r);
		return SIGNET_ENOMEM;
	}
	r->tag_implied = ref->tag_implied;
	*out = r;
	return 0;
}
