/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/manifest.c: strict parsing of image manifests and indexes
 * (SPEC §3.2): OCI image manifest, OCI image index, Docker schema 2
 * manifest and Docker manifest list.  Schema 1 is refused, and so is any
 * document that could be read as more than one kind (CVE-2021-41190).
 */
#include "registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANNOTATION_REF_NAME "org.opencontainers.image.ref.name"

/* A media type is at most 127 + "/" + 127 characters (RFC 6838). */
#define MEDIA_TYPE_MAX 256

/* A JSON path in messages: "manifests[12].platform.architecture". */
#define JPATH_MAX 96

/* The "essential" top-level fields that tell the kinds apart; a document
 * carrying one its kind does not use is ambiguous. */
enum {
	F_CONFIG = 1 << 0,
	F_LAYERS = 1 << 1,
	F_MANIFESTS = 1 << 2,
	F_FSLAYERS = 1 << 3, /* schema 1 */
	F_HISTORY = 1 << 4,  /* schema 1 */
};

static const struct {
	const char *name;
	int flag;
} essential_fields[] = {
    {"config", F_CONFIG},     {"layers", F_LAYERS},   {"manifests", F_MANIFESTS},
    {"fsLayers", F_FSLAYERS}, {"history", F_HISTORY},
};

static const struct {
	const char *media_type;
	enum sn_manifest_kind kind;
	int docker;  /* Docker kinds must carry their mediaType */
	int allowed; /* essential fields this kind may have */
} kinds[] = {
    {SN_MT_OCI_MANIFEST, SN_MANIFEST_OCI, 0, F_CONFIG | F_LAYERS},
    {SN_MT_OCI_INDEX, SN_MANIFEST_OCI_INDEX, 0, F_MANIFESTS},
    {SN_MT_DOCKER_V2S2, SN_MANIFEST_DOCKER_V2S2, 1, F_CONFIG | F_LAYERS},
    {SN_MT_DOCKER_LIST, SN_MANIFEST_DOCKER_LIST, 1, F_MANIFESTS},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static int kind_index(const char *media_type)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].media_type, media_type) == 0)
			return (int)i;
	return -1;
}

static int is_schema1(const char *media_type)
{
	return media_type != NULL && (strcmp(media_type, SN_MT_DOCKER_V2S1) == 0 ||
	                              strcmp(media_type, SN_MT_DOCKER_V2S1_SIGNED) == 0);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies the media type of a Content-Type value into buf without its
 * parameters ("; charset=utf-8") and surrounding blanks.  An empty result
 * means "unknown". */
static int strip_content_type(char buf[MEDIA_TYPE_MAX], const char *ct, struct sn_err *e)
{
	const char *start, *end;

	buf[0] = '\0';
	if (ct == NULL)
		return 0;
	start = ct;
	while (is_space(*start))
		start++;
	end = strchr(start, ';');
	if (end == NULL)
		end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		end--;
	if ((size_t)(end - start) >= MEDIA_TYPE_MAX)
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: content type \"%.64s...\" is too long",
		                 start);
	memcpy(buf, start, (size_t)(end - start));
	buf[end - start] = '\0';
	return 0;
}

static char *jpath(char buf[JPATH_MAX], const char *fmt, ...) SN_PRINTF(2, 3);

static char *jpath(char buf[JPATH_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* Paths are short; a truncated one is still a usable message. */
	(void)vsnprintf(buf, JPATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

/* An optional string member: absent leaves *out NULL; present must be a
 * string (copied). */
static int get_string(char **out, json_t *obj, const char *key, const char *path, int required,
                      struct sn_err *e)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL) {
		if (required)
			return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.%s: missing", path, key);
		return 0;
	}
	if (!json_is_string(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.%s: not a string", path, key);
	*out = sn_strdup(json_string_value(v), e);
	return *out == NULL ? SIGNET_ENOMEM : 0;
}

/* An annotations object: string keys to string values. */
static int check_annotations(json_t *v, const char *path, struct sn_err *e)
{
	const char *key;
	json_t *val;

	if (!json_is_object(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %sannotations: not an object", path);
	for (void *it = json_object_iter(v); it != NULL; it = json_object_iter_next(v, it)) {
		key = json_object_iter_key(it);
		val = json_object_iter_value(it);
		if (!json_is_string(val))
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "manifest: %sannotations[\"%.128s\"]: not a string", path, key);
	}
	return 0;
}

static int parse_platform(struct sn_descriptor *d, json_t *v, const char *path, struct sn_err *e)
{
	char p[JPATH_MAX];
	int rc;

	if (!json_is_object(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.platform: not an object", path);
	jpath(p, "%s.platform", path);
	if ((rc = get_string(&d->arch, v, "architecture", p, 1, e)) != 0 ||
	    (rc = get_string(&d->os, v, "os", p, 1, e)) != 0 ||
	    (rc = get_string(&d->variant, v, "variant", p, 0, e)) != 0)
		return rc;
	return 0;
}

/* Parses one descriptor; with_platform for index entries. */
static int parse_descriptor(struct sn_descriptor *d, json_t *v, const char *path, int with_platform,
                            struct sn_err *e)
{
	json_t *size, *ann, *plat, *name;
	char p[JPATH_MAX];
	int rc;

	if (!json_is_object(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s: not an object", path);
	if ((rc = get_string(&d->media_type, v, "mediaType", path, 1, e)) != 0)
		return rc;
	if ((rc = get_string(&d->digest, v, "digest", path, 1, e)) != 0)
		return rc;
	if ((rc = sn_digest_validate(d->digest, e)) != 0) {
		sn_errctx(e, "manifest: %s.digest: ", path);
		return rc;
	}
	size = json_object_get(v, "size");
	if (size == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.size: missing", path);
	if (!json_is_integer(size))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.size: not an integer", path);
	if (json_integer_value(size) < 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s.size: negative (%lld)", path,
		                 (long long)json_integer_value(size));
	d->size = (int64_t)json_integer_value(size);
	ann = json_object_get(v, "annotations");
	if (ann != NULL) {
		if ((rc = check_annotations(ann, jpath(p, "%s.", path), e)) != 0)
			return rc;
		d->annotations = json_incref(ann);
		name = json_object_get(ann, ANNOTATION_REF_NAME);
		if (name != NULL && (d->ref_name = sn_strdup(json_string_value(name), e)) == NULL)
			return SIGNET_ENOMEM;
	}
	plat = json_object_get(v, "platform");
	if (with_platform && plat != NULL && (rc = parse_platform(d, plat, path, e)) != 0)
		return rc;
	return 0;
}

static void descriptor_clear(struct sn_descriptor *d)
{
	free(d->media_type);
	free(d->digest);
	free(d->os);
	free(d->arch);
	free(d->variant);
	free(d->ref_name);
	json_decref(d->annotations);
	memset(d, 0, sizeof(*d));
}

static int parse_descriptor_array(struct sn_descriptor **out, size_t *n_out, json_t *root, const char *key,
                                  int with_platform, struct sn_err *e)
{
	json_t *arr = json_object_get(root, key);
	struct sn_descriptor *ds;
	char p[JPATH_MAX];
	size_t n;
	int rc;

	if (arr == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s: missing", key);
	if (!json_is_array(arr))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: %s: not an array", key);
	n = json_array_size(arr);
	/* calloc(0) may return NULL; one spare entry keeps the pointer valid. */
	ds = calloc(n + 1, sizeof(*ds));
	if (ds == NULL)
		return sn_enomem(e);
	/* Owned by the caller from here on, even on failure (freed with the manifest). */
	*out = ds;
	for (size_t i = 0; i < n; i++) {
		*n_out = i + 1;
		if ((rc = parse_descriptor(&ds[i], json_array_get(arr, i), jpath(p, "%s[%zu]", key, i),
		                           with_platform, e)) != 0)
			return rc;
	}
	*n_out = n;
	return 0;
}

/* Which kind the document is, from its mediaType, the declared content
 * type and its structure.  Returns the index in kinds[]. */
static int detect_kind(int *out, json_t *root, const char *ct, struct sn_err *e)
{
	const char *doc_mt = NULL, *declared;
	char unexpected[128];
	json_t *v;
	int present = 0, k;

	v = json_object_get(root, "mediaType");
	if (v != NULL) {
		if (!json_is_string(v))
			return sn_seterr(e, SIGNET_EBADINPUT, "manifest: mediaType: not a string");
		doc_mt = json_string_value(v);
	}
	v = json_object_get(root, "schemaVersion");
	if (is_schema1(doc_mt) || is_schema1(ct) || (json_is_integer(v) && json_integer_value(v) == 1))
		return sn_seterr(e, SIGNET_EUNSUPPORTED,
		                 "manifest: Docker schema 1 manifests are not supported");
	if (v == NULL)
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: schemaVersion: missing");
	if (!json_is_integer(v))
		return sn_seterr(e, SIGNET_EBADINPUT, "manifest: schemaVersion: not an integer");
	if (json_integer_value(v) != 2)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "manifest: schemaVersion: %lld is not supported (2 expected)",
		                 (long long)json_integer_value(v));

	if (doc_mt != NULL && ct[0] != '\0' && strcmp(doc_mt, ct) != 0)
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "manifest: the declared content type %.256s does not match the document's "
		                 "mediaType %.256s",
		                 ct, doc_mt);
	for (size_t i = 0; i < sizeof(essential_fields) / sizeof(essential_fields[0]); i++)
		if (json_object_get(root, essential_fields[i].name) != NULL)
			present |= essential_fields[i].flag;

	declared = doc_mt != NULL ? doc_mt : (ct[0] != '\0' ? ct : NULL);
	if (declared != NULL) {
		k = kind_index(declared);
		if (k < 0)
			return sn_seterr(e, SIGNET_EUNSUPPORTED, "manifest: unsupported media type %.256s",
			                 declared);
		if (doc_mt == NULL && kinds[k].docker)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "manifest: content type %.256s, but the document has no mediaType field "
			    "(Docker manifests carry theirs)",
			    declared);
		/* Without a mediaType field the declared type must fit the structure. */
		if (doc_mt == NULL && (present & (F_CONFIG | F_LAYERS | F_MANIFESTS)) != 0 &&
		    (present & kinds[k].allowed) == 0)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "manifest: content type %.256s does not match the document's structure "
			    "(%s)",
			    declared, (present & F_MANIFESTS) ? "an index" : "an image manifest");
	} else if ((present & F_MANIFESTS) && (present & (F_CONFIG | F_LAYERS))) {
		k = kind_index(SN_MT_OCI_INDEX); /* reported as ambiguous below */
	} else if (present & (F_CONFIG | F_LAYERS)) {
		k = kind_index(SN_MT_OCI_MANIFEST);
	} else if (present & F_MANIFESTS) {
		k = kind_index(SN_MT_OCI_INDEX);
	} else {
		return sn_seterr(e, SIGNET_EBADINPUT,
		                 "manifest: cannot tell its type: no mediaType and none of config, layers, "
		                 "manifests");
	}

	/* As containers/image's validateUnambiguousManifestFormat. */
	if ((present & ~kinds[k].allowed) != 0) {
		size_t off = 0;
		unexpected[0] = '\0';
		for (size_t i = 0; i < sizeof(essential_fields) / sizeof(essential_fields[0]); i++) {
			int n;
			if ((present & essential_fields[i].flag & ~kinds[k].allowed) == 0)
				continue;
			n = snprintf(unexpected + off, sizeof(unexpected) - off, "%s%s", off ? ", " : "",
			             essential_fields[i].name);
			if (n > 0 && (size_t)n < sizeof(unexpected) - off)
				off += (size_t)n;
		}
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "manifest: ambiguous document (CVE-2021-41190): fields %s are not expected in %s",
		    unexpected, kinds[k].media_type);
	}
	*out = k;
	return 0;
}

int sn_manifest_parse(struct sn_manifest **out, const void *data, size_t len, const char *content_type,
                      struct sn_err *e)
{
	struct sn_manifest *m = NULL;
	char ct[MEDIA_TYPE_MAX];
	json_t *root = NULL, *ann;
	int rc, k = 0;

	if (len > SIGNET_MAX_MANIFEST_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "manifest: %zu bytes is larger than the manifest size limit of %u bytes",
		                 len, SIGNET_MAX_MANIFEST_SIZE);
	if ((rc = strip_content_type(ct, content_type, e)) != 0)
		return rc;
	if ((rc = sn_json_parse(&root, data, len, "manifest", e)) != 0)
		return rc;
	if (!json_is_object(root)) {
		rc = sn_seterr(e, SIGNET_EBADINPUT, "manifest: not a JSON object");
		goto out;
	}
	if ((rc = detect_kind(&k, root, ct, e)) != 0)
		goto out;
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		rc = sn_enomem(e);
		goto out;
	}
	m->kind = kinds[k].kind;
	m->media_type = kinds[k].media_type;
	m->root = root;
	root = NULL;
	if (sn_manifest_is_index(m)) {
		rc = parse_descriptor_array(&m->manifests, &m->n_manifests, m->root, "manifests", 1, e);
	} else {
		json_t *config = json_object_get(m->root, "config");
		if (config == NULL)
			rc = sn_seterr(e, SIGNET_EBADINPUT, "manifest: config: missing");
		else if ((rc = parse_descriptor(&m->config, config, "config", 0, e)) == 0)
			rc = parse_descriptor_array(&m->layers, &m->n_layers, m->root, "layers", 0, e);
	}
	if (rc != 0)
		goto out;
	ann = json_object_get(m->root, "annotations");
	if (ann != NULL) {
		if ((rc = check_annotations(ann, "", e)) != 0)
			goto out;
		m->annotations = json_incref(ann);
	}
	*out = m;
	m = NULL;
out:
	sn_manifest_free(m);
	json_decref(root);
	return rc;
}

void sn_manifest_free(struct sn_manifest *m)
{
	if (m == NULL)
		return;
	descriptor_clear(&m->config);
	for (size_t i = 0; i < m->n_layers; i++)
		descriptor_clear(&m->layers[i]);
	free(m->layers);
	for (size_t i = 0; i < m->n_manifests; i++)
		descriptor_clear(&m->manifests[i]);
	free(m->manifests);
	json_decref(m->annotations);
	json_decref(m->root);
	free(m);
}

int sn_manifest_is_index(const struct sn_manifest *m)
{
	return m != NULL && (m->kind == SN_MANIFEST_OCI_INDEX || m->kind == SN_MANIFEST_DOCKER_LIST);
}
