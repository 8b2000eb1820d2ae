/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/export.c: the policy model written as containers-policy.json(5)
 * and containers-registries.d(5), so that podman, skopeo and CRI-O enforce
 * signet's decisions themselves (signet/export.h; the mapping is in
 * policy.h at sn_export_render).
 *
 * What containers/image cannot be told, and how the export stays on the
 * safe side of it:
 *  - a contract lets images named by digest through unsigned (without
 *    --strict) when its own workload names them (or any, with
 *    --allow-digest-pinned): policy.json has no such rule, so the export
 *    requires signatures for them too (stricter; a warning says so);
 *  - requirements signet cannot check (Docker Content Trust pins, X.509,
 *    signedBaseLayer, ...) deny in signet: exported as reject;
 *  - a valid signature on an index counts for its instances in signet
 *    (SPEC 4.1); containers/image checks the instance's own signatures
 *    (stricter; docs/policy.md);
 *  - payload annotations (cosign verify -a) cannot be required in
 *    policy.json: refused rather than exported looser;
 *  - with nothing configured, containers/image reads a built-in lookaside
 *    (/var/lib/containers/sigstore) where signet reads none: a warning
 *    when the export names no default-docker lookaside.
 */
#include "policy/policy.h"

#include "base/pgp.h"

#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <signet/export.h>

#define POLICY_FILE  "policy.json"
#define REGD_DIR     "registries.d"
#define REGD_FILE    "signet.yaml"
#define EXPORT_MAX   SIGNET_MAX_POLICY_FILE_SIZE /* what signet reads back */
#define WARNINGS_MAX (256u * 1024u)
#define LABEL_MAX    600 /* "transports.docker.\"<scope>\"" */

struct render {
	struct sn_export *x;
	struct sn_err *e;
	int any_sigstore;
};

void sn_export_clear(struct sn_export *x)
{
	if (x == NULL)
		return;
	sn_buf_free(&x->policy_json);
	sn_buf_free(&x->registries_yaml);
	sn_buf_free(&x->warnings);
}

/* Appends one warning line. */
static int warn(struct render *r, const char *fmt, ...) SN_PRINTF(2, 3);
static int warn(struct render *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line each, whatever the names in it hold. */
	for (char *c = line; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	if ((rc = sn_buf_append_str(&r->x->warnings, line, r->e)) != 0)
		return rc;
	return sn_buf_append_str(&r->x->warnings, "\n", r->e);
}

/* ---- policy.json ----------------------------------------------------- */

/* *out = base64 of d as a JSON string. */
static int b64_json(json_t **out, const unsigned char *d, size_t n, struct sn_err *e)
{
	char *s;

	if (n == 0 || n > EXPORT_MAX)
		return sn_seterr(e, SIGNET_EINVAL, "a key of %zu bytes cannot be exported", n);
	if ((s = malloc(4 * ((n + 2) / 3) + 1)) == NULL)
		return sn_enomem(e);
	(void)EVP_EncodeBlock((unsigned char *)s, d, (int)n);
	*out = json_string(s);
	free(s);
	return *out != NULL ? 0 : sn_enomem(e);
}

static int is_binary(const struct sn_buf *k)
{
	return k->len > 0 && (k->data[0] & 0x80);
}

/* The keys of a signedBy requirement as one keyring gpg imports: binary
 * keys concatenated as they are, armored blocks one after the other; when
 * both forms are present the binary ones are armored (gpg reads a stream
 * of either form, not a mix). */
static int keyring(struct sn_buf *out, const struct sn_requirement *q, struct sn_err *e)
{
	int armored = 0, rc;

	sn_buf_init(out, EXPORT_MAX, "exported keyring");
	for (size_t i = 0; i < q->n_keys; i++)
		armored |= !is_binary(&q->keys[i]);
	for (size_t i = 0; i < q->n_keys; i++) {
		const struct sn_buf *k = &q->keys[i];

		if (armored && out->len > 0 && out->data[out->len - 1] != '\n' &&
		    (rc = sn_buf_append_str(out, "\n", e)) != 0)
			return rc;
		if (armored && is_binary(k))
			rc = sn_openpgp_armor_public_key(out, k->data, k->len, e);
		else
			rc = sn_buf_append(out, k->data, k->len, e);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Sets o[key] = v, taking v (NULL: out of memory). */
static int set(json_t *o, const char *key, json_t *v, struct sn_err *e)
{
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		return sn_enomem(e);
	return 0;
}

/* o[key] = base64 of d. */
static int set_b64(json_t *o, const char *key, const unsigned char *d, size_t n, struct sn_err *e)
{
	json_t *v;
	int rc;

	if ((rc = b64_json(&v, d, n, e)) != 0)
		return rc;
	return set(o, key, v, e);
}

/* A string member; jansson refuses invalid UTF-8. */
static int set_str(json_t *o, const char *key, const char *val, const char *label, struct sn_err *e)
{
	json_t *v;

	if (val == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: %s is missing", label, key);
	if ((v = json_string(val)) == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "%s: %s is not valid UTF-8", label, key);
	return set(o, key, v, e);
}

static int identity_json(json_t *req, const struct sn_identity_spec *id, const char *label, struct sn_err *e)
{
	json_t *o = json_object();
	int rc;

	if (o == NULL)
		return sn_enomem(e);
	if ((rc = set_str(o, "type", sn_identity_rule_name(id->rule), label, e)) != 0)
		goto fail;
	switch (id->rule) {
	case SN_IDENTITY_EXACT_REFERENCE:
		rc = set_str(o, "dockerReference", id->docker_reference, label, e);
		break;
	case SN_IDENTITY_EXACT_REPOSITORY:
		rc = set_str(o, "dockerRepository", id->docker_repository, label, e);
		break;
	case SN_IDENTITY_REMAP_IDENTITY:
		if ((rc = set_str(o, "prefix", id->prefix, label, e)) == 0)
			rc = set_str(o, "signedPrefix", id->signed_prefix, label, e);
		break;
	case SN_IDENTITY_MATCH_EXACT:
	case SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT:
	case SN_IDENTITY_MATCH_REPOSITORY: break;
	}
	if (rc != 0)
		goto fail;
	return set(req, "signedIdentity", o, e);
fail:
	json_decref(o);
	return rc;
}

static int signed_by_json(json_t *o, const struct sn_requirement *q, const char *label, struct sn_err *e)
{
	struct sn_buf ring;
	int rc;

	if ((rc = set_str(o, "type", "signedBy", label, e)) != 0 ||
	    (rc = set_str(o, "keyType", "GPGKeys", label, e)) != 0)
		return rc;
	if ((rc = keyring(&ring, q, e)) == 0)
		rc = set_b64(o, "keyData", ring.data, ring.len, e);
	sn_buf_free(&ring);
	return rc;
}

static int sigstore_json(json_t *o, struct render *r, const struct sn_requirement *q, const char *label)
{
	json_t *a;
	int rc;

	r->any_sigstore = 1;
	if ((rc = set_str(o, "type", "sigstoreSigned", label, r->e)) != 0)
		return rc;
	if (q->n_keys == 1)
		return set_b64(o, "keyData", q->keys[0].data, q->keys[0].len, r->e);
	if ((rc = warn(r,
	               "%s: sigstoreSigned with %zu keys is written as keyDatas, which containers/image "
	               "reads from 5.33 on (skopeo 1.9 refuses the file: fail-closed)",
	               label, q->n_keys)) != 0)
		return rc;
	if ((a = json_array()) == NULL)
		return sn_enomem(r->e);
	for (size_t i = 0; i < q->n_keys; i++) {
		json_t *k;

		if ((rc = b64_json(&k, q->keys[i].data, q->keys[i].len, r->e)) != 0 ||
		    (json_array_append_new(a, k) != 0 && (rc = sn_enomem(r->e)) != 0)) {
			json_decref(a);
			return rc;
		}
	}
	return set(o, "keyDatas", a, r->e);
}

static int requirement_json(json_t *list, struct render *r, const struct sn_requirement *q, const char *label)
{
	json_t *o = json_object();
	int rc = 0;

	if (o == NULL)
		return sn_enomem(r->e);
	switch (q->type) {
	case SN_REQ_INSECURE_ACCEPT_ANYTHING:
		rc = set_str(o, "type", "insecureAcceptAnything", label, r->e);
		break;
	case SN_REQ_REJECT: rc = set_str(o, "type", "reject", label, r->e); break;
	case SN_REQ_UNSUPPORTED:
		if ((rc = warn(r, "%s: %s (%s): exported as reject", label,
		               q->unsupported != NULL ? q->unsupported : "not supported",
		               q->where != NULL ? q->where : "the policy")) == 0)
			rc = set_str(o, "type", "reject", label, r->e);
		break;
	case SN_REQ_SIGNED_BY:
	case SN_REQ_SIGSTORE_SIGNED:
		if (q->keyless != NULL) {
			/* Not rendered as fulcio: a trusted root does not map
			 * to it one to one (several CAs, validity periods). */
			if ((rc = warn(r, "%s: keyless (%s): exported as reject", label,
			               q->keyless->source != NULL ? q->keyless->source : "a trusted root")) ==
			    0)
				rc = set_str(o, "type", "reject", label, r->e);
			break;
		}
		if (q->n_keys == 0 || q->keys == NULL) {
			rc =
			    sn_seterr(r->e, SIGNET_EINVAL, "%s: a signature requirement without keys", label);
			break;
		}
		rc = q->type == SN_REQ_SIGNED_BY ? signed_by_json(o, q, label, r->e)
		                                 : sigstore_json(o, r, q, label);
		if (rc == 0)
			rc = identity_json(o, &q->identity, label, r->e);
		break;
	default: rc = sn_seterr(r->e, SIGNET_EINVAL, "%s: unknown requirement type %d", label, (int)q->type);
	}
	if (rc != 0) {
		json_decref(o);
		return rc;
	}
	if (json_array_append_new(list, o) != 0)
		return sn_enomem(r->e);
	return 0;
}

static int reqs_json(json_t **out, struct render *r, const struct sn_requirement *reqs, size_t n,
                     const char *label)
{
	json_t *list;
	int rc;

	/* The model never holds an empty list (the sources refuse it);
	 * containers/image would refuse the file. */
	if (n == 0 || reqs == NULL)
		return sn_seterr(r->e, SIGNET_EINVAL, "%s: no requirements", label);
	if ((list = json_array()) == NULL)
		return sn_enomem(r->e);
	for (size_t i = 0; i < n; i++)
		if ((rc = requirement_json(list, r, &reqs[i], label)) != 0) {
			json_decref(list);
			return rc;
		}
	*out = list;
	return 0;
}

static int render_policy(struct render *r, const struct sn_policy *p)
{
	json_t *root = json_object(), *transports = json_object(), *list = NULL;
	char label[LABEL_MAX];
	char *text = NULL;
	int rc;

	if (root == NULL || transports == NULL) {
		rc = sn_enomem(r->e);
		goto out;
	}
	if ((rc = reqs_json(&list, r, p->default_reqs, p->n_default, "default")) != 0 ||
	    (rc = set(root, "default", list, r->e)) != 0)
		goto out;
	for (size_t i = 0; i < p->n_scopes; i++) {
		const struct sn_scope_reqs *s = &p->scopes[i];
		json_t *t;

		if (s->transport == NULL || s->scope == NULL) {
			rc = sn_seterr(r->e, SIGNET_EINVAL, "scope %zu of the policy has no name", i);
			goto out;
		}
		(void)snprintf(label, sizeof(label), "transports.%.40s.\"%.500s\"", s->transport, s->scope);
		if ((t = json_object_get(transports, s->transport)) == NULL) {
			if ((rc = set(transports, s->transport, json_object(), r->e)) != 0)
				goto out;
			t = json_object_get(transports, s->transport);
		}
		if (json_object_get(t, s->scope) != NULL)
			continue; /* the first entry of a scope is the one that applies */
		if ((rc = reqs_json(&list, r, s->reqs, s->n_reqs, label)) != 0)
			goto out;
		if (json_object_set_new(t, s->scope, list) != 0) {
			rc = sn_seterr(r->e, SIGNET_EINVAL, "%s: the scope is not valid UTF-8", label);
			goto out;
		}
	}
	if (json_object_size(transports) > 0) {
		rc = set(root, "transports", transports, r->e);
		transports = NULL;
		if (rc != 0)
			goto out;
	}
	if ((text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
		rc = sn_enomem(r->e);
		goto out;
	}
	if ((rc = sn_buf_append_str(&r->x->policy_json, text, r->e)) == 0)
		rc = sn_buf_append_str(&r->x->policy_json, "\n", r->e);
out:
	free(text);
	json_decref(transports);
	json_decref(root);
	return rc;
}

/* ---- registries.d ---------------------------------------------------- */

/* Appends s as a YAML double-quoted scalar. */
static int yaml_quoted(struct sn_buf *out, const char *s, struct sn_err *e)
{
	char esc[8];
	int rc;

	if ((rc = sn_buf_append_str(out, "\"", e)) != 0)
		return rc;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			rc = sn_buf_append(out, esc, 2, e);
		} else if (*p < 0x20 || *p == 0x7f) {
			(void)snprintf(esc, sizeof(esc), "\\x%02x", *p);
			rc = sn_buf_append_str(out, esc, e);
		} else {
			rc = sn_buf_append(out, p, 1, e);
		}
		if (rc != 0)
			return rc;
	}
	return sn_buf_append_str(out, "\"", e);
}

/* "<indent>lookaside: \"URL\"\n" and "<indent>use-sigstore-attachments: B\n". */
static int yaml_url(struct sn_buf *out, const char *indent, const char *url, struct sn_err *e)
{
	int rc;

	if ((rc = sn_buf_append_str(out, indent, e)) != 0 ||
	    (rc = sn_buf_append_str(out, "lookaside: ", e)) != 0 || (rc = yaml_quoted(out, url, e)) != 0)
		return rc;
	return sn_buf_append_str(out, "\n", e);
}

static int yaml_attachments(struct sn_buf *out, const char *indent, int on, struct sn_err *e)
{
	int rc;

	if ((rc = sn_buf_append_str(out, indent, e)) != 0)
		return rc;
	return sn_buf_append_str(
	    out, on ? "use-sigstore-attachments: true\n" : "use-sigstore-attachments: false\n", e);
}

static int render_registries_d(struct render *r, const struct sn_policy *p, const struct sn_registries_d *rd,
                               const char *lookaside)
{
	struct sn_buf *out = &r->x->registries_yaml;
	struct sn_registries_d_section sec;
	const char *def_url = lookaside;
	int def_att = -1, any_scope = 0, rc;
	size_t n = sn_registries_d_count(rd);

	/* The comment names the policy source, on one line. */
	if ((rc = sn_buf_append_str(
	         out,
	         "# containers-registries.d(5), written by signet policy export: where signet\n"
	         "# reads image signatures, for the policy ",
	         r->e)) != 0)
		return rc;
	for (const char *s = p->source != NULL ? p->source : "its policy"; *s != '\0'; s++) {
		char ch = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;

		if ((rc = sn_buf_append(out, &ch, 1, r->e)) != 0)
			return rc;
	}
	if ((rc = sn_buf_append_str(out, ".\n", r->e)) != 0)
		return rc;

	for (size_t i = 0; i < n; i++) {
		sn_registries_d_section(&sec, rd, i);
		if (sec.scope != NULL)
			continue;
		if (def_url == NULL)
			def_url = sec.lookaside != NULL ? sec.lookaside : sec.sigstore;
		def_att = sec.use_sigstore_attachments;
	}
	/* signet reads .sig attachments for sigstoreSigned requirements
	 * unless registries.d says otherwise; containers/image only when
	 * told to. */
	if (def_att < 0 && r->any_sigstore)
		def_att = 1;
	if (def_url != NULL || def_att >= 0) {
		if ((rc = sn_buf_append_str(out, "default-docker:\n", r->e)) != 0 ||
		    (def_url != NULL && (rc = yaml_url(out, "  ", def_url, r->e)) != 0) ||
		    (def_att >= 0 && (rc = yaml_attachments(out, "  ", def_att, r->e)) != 0))
			return rc;
	}
	if (def_url == NULL &&
	    (rc = warn(r,
	               "registries.d: no default-docker lookaside: for registries without one, podman and "
	               "skopeo read their built-in default (/var/lib/containers/sigstore) where signet reads "
	               "none (give --lookaside to name one)")) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const char *url;

		sn_registries_d_section(&sec, rd, i);
		if (sec.scope == NULL)
			continue;
		/* --lookaside overrides every scope's URL in the verifier. */
		url = lookaside != NULL ? NULL : sec.lookaside != NULL ? sec.lookaside : sec.sigstore;
		if (url == NULL && sec.use_sigstore_attachments < 0)
			continue;
		if ((!any_scope && (rc = sn_buf_append_str(out, "docker:\n", r->e)) != 0) ||
		    (rc = sn_buf_append_str(out, "  ", r->e)) != 0 ||
		    (rc = yaml_quoted(out, sec.scope, r->e)) != 0 ||
		    (rc = sn_buf_append_str(out, ":\n", r->e)) != 0 ||
		    (url != NULL && (rc = yaml_url(out, "    ", url, r->e)) != 0) ||
		    (sec.use_sigstore_attachments >= 0 &&
		     (rc = yaml_attachments(out, "    ", sec.use_sigstore_attachments, r->e)) != 0))
			return rc;
		any_scope = 1;
	}
	return 0;
}

int sn_export_render(struct sn_export *out, const struct sn_policy *p, const struct sn_registries_d *rd,
                     const char *lookaside, struct sn_err *e)
{
	struct sn_export x;
	struct render r = {&x, e, 0};
	int rc;

	if (out == NULL || p == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "export: no policy given");
	if (lookaside != NULL && sn_lookaside_base_problem(lookaside) != NULL)
		return sn_seterr(e, SIGNET_EINVAL, "lookaside \"%.300s\": %s", lookaside,
		                 sn_lookaside_base_problem(lookaside));
	sn_buf_init(&x.policy_json, EXPORT_MAX, "exported policy.json");
	sn_buf_init(&x.registries_yaml, EXPORT_MAX, "exported registries.d file");
	sn_buf_init(&x.warnings, WARNINGS_MAX, "export warnings");
	if ((rc = render_policy(&r, p)) != 0)
		goto fail;
	if (p->allow_digest_refs_unsigned &&
	    (rc = warn(&r,
	               "images named by digest: the contract lets signet pull unsigned the digests its own "
	               "workload names (all of them with --allow-digest-pinned; no --strict); policy.json "
	               "cannot say so, and the exported policy requires their signatures")) != 0)
		goto fail;
	if (p->n_auths > 0 &&
	    (rc = warn(&r, "registry credentials (workload.auths) are not exported: give podman and skopeo "
	                   "an auth file")) != 0)
		goto fail;
	if ((rc = render_registries_d(&r, p, rd, lookaside)) != 0)
		goto fail;
	*out = x;
	return 0;
fail:
	sn_export_clear(&x);
	return rc;
}

/* ---- loading the policy ---------------------------------------------- */

/* Transports of a containers-policy.json that signet's model leaves out:
 * one warning naming them. */
static int warn_dropped_transports(struct render *r, const char *path)
{
	static const char *const kept[] = {"docker", "dir", "oci"};
	json_t *root = NULL, *t, *v;
	struct sn_buf b, names;
	const char *name;
	int rc;

	if ((rc = sn_file_read(&b, path, SIGNET_MAX_POLICY_FILE_SIZE, "policy", 0, r->e)) != 0)
		return rc;
	rc = sn_json_parse(&root, b.data, b.len, path, r->e);
	sn_buf_free(&b);
	if (rc != 0)
		return rc;
	sn_buf_init(&names, 4096, "transport names");
	if ((t = json_object_get(root, "transports")) != NULL && json_is_object(t)) {
		json_object_foreach(t, name, v)
		{
			int keep = 0;

			for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
				keep |= strcmp(name, kept[i]) == 0;
			if (keep)
				continue;
			if ((names.len > 0 && (rc = sn_buf_append_str(&names, ", ", r->e)) != 0) ||
			    (rc = sn_buf_append_str(&names, name, r->e)) != 0) {
				if (rc == SIGNET_ELIMIT)
					break; /* enough names for a warning */
				goto out;
			}
		}
	}
	rc = 0;
	if (names.len > 0)
		rc = warn(
		    r,
		    "transports %.400s of %.300s: signet reads only docker, dir and oci images, so these "
		    "are not exported (podman and skopeo apply default to them)",
		    (char *)names.data, path);
out:
	sn_buf_free(&names);
	json_decref(root);
	return rc;
}

/* ---- writing --------------------------------------------------------- */

/* Writes data to a new temporary file next to path; *tmp is its name. */
static int write_temp(char **tmp, const char *path, const struct sn_buf *data, struct sn_err *e)
{
	char *t;
	int fd, rc = 0;

	if ((t = sn_aprintf(e, "%s.tmp-XXXXXX", path)) == NULL)
		return SIGNET_ENOMEM;
	if ((fd = mkostemp(t, O_CLOEXEC)) < 0) {
		rc =
		    sn_seterr(e, SIGNET_EIO, "%s: cannot create a temporary file: %s", path, strerror(errno));
		free(t);
		return rc;
	}
	if (fchmod(fd, 0644) != 0 || sn_write_all(fd, data->data, data->len) != 0 || fsync(fd) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: write failed: %s", path, strerror(errno));
		(void)close(fd);
	} else if (close(fd) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: write failed: %s", path, strerror(errno));
	}
	if (rc != 0) {
		(void)unlink(t);
		free(t);
		return rc;
	}
	*tmp = t;
	return 0;
}

/* mkdir dir (0755) unless it is a directory already; *made says whether
 * it was made here. */
static int ensure_dir(const char *dir, int *made, struct sn_err *e)
{
	struct stat st;

	*made = 0;
	if (mkdir(dir, 0755) == 0) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST)
		return sn_seterr(e, SIGNET_EIO, "%s: cannot create the directory: %s", dir, strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return sn_seterr(e, SIGNET_EIO, "%s: not a directory", dir);
	return 0;
}

/* 1 if path exists (as anything, a dangling link included). */
static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The containers tools merge every *.yaml of registries.d: refuses any
 * but ours. */
static int check_regd(const char *regd, struct sn_err *e)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if ((d = opendir(regd)) == NULL)
		return sn_seterr(e, SIGNET_EIO, "%s: %s", regd, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0 && strcmp(de->d_name, REGD_FILE) != 0) {
			rc = sn_seterr(e, SIGNET_EINVAL,
			               "%s/%s: podman and skopeo would merge it with %s: export into a "
			               "directory without other registries.d files",
			               regd, de->d_name, REGD_FILE);
			break;
		}
	}
	closedir(d);
	return rc;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		(void)close(fd);
	}
}

/* Puts tmp in place as path: link (never replaces) or rename (force). */
static int commit(const char *tmp, const char *path, int force, struct sn_err *e)
{
	if (force ? rename(tmp, path) == 0 : link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST)
		return sn_seterr(e, SIGNET_EINVAL, "%s exists already: not replaced (--force replaces it)",
		                 path);
	return sn_seterr(e, SIGNET_EIO, "%s: cannot %s: %s", path, force ? "replace" : "create",
	                 strerror(errno));
}

static int write_out(const char *dir, const struct sn_export *x, int force, struct sn_err *e)
{
	char *json_path = NULL, *regd = NULL, *yaml_path = NULL, *tmp_json = NULL, *tmp_yaml = NULL;
	int made_dir = 0, made_regd = 0, yaml_existed, yaml_done = 0, rc;

	if ((json_path = sn_aprintf(e, "%s/%s", dir, POLICY_FILE)) == NULL ||
	    (regd = sn_aprintf(e, "%s/%s", dir, REGD_DIR)) == NULL ||
	    (yaml_path = sn_aprintf(e, "%s/%s", regd, REGD_FILE)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	if ((rc = ensure_dir(dir, &made_dir, e)) != 0 || (rc = ensure_dir(regd, &made_regd, e)) != 0)
		goto out;
	yaml_existed = exists(yaml_path);
	if (!force) {
		const char *p = exists(json_path) ? json_path : yaml_existed ? yaml_path : NULL;

		if (p != NULL) {
			rc = sn_seterr(e, SIGNET_EINVAL,
			               "%s exists already: not replaced (--force replaces it)", p);
			goto out;
		}
	}
	if ((rc = check_regd(regd, e)) != 0 ||
	    (rc = write_temp(&tmp_yaml, yaml_path, &x->registries_yaml, e)) != 0 ||
	    (rc = write_temp(&tmp_json, json_path, &x->policy_json, e)) != 0)
		goto out;
	/* registries.d first: policy.json appearing means the export is
	 * complete.  If policy.json cannot be put in place, a signet.yaml
	 * made here is taken back (one that --force replaced cannot be). */
	if ((rc = commit(tmp_yaml, yaml_path, force, e)) != 0)
		goto out;
	yaml_done = 1;
	if ((rc = commit(tmp_json, json_path, force, e)) != 0)
		goto out;
	sync_dir(regd);
	sync_dir(dir);
out:
	if (rc != 0 && yaml_done && !yaml_existed)
		(void)unlink(yaml_path);
	if (tmp_yaml != NULL)
		(void)unlink(tmp_yaml); /* after link(); after rename() it is gone */
	if (tmp_json != NULL)
		(void)unlink(tmp_json);
	if (rc != 0 && made_regd)
		(void)rmdir(regd);
	if (rc != 0 && made_dir)
		(void)rmdir(dir);
	free(tmp_yaml);
	free(tmp_json);
	free(yaml_path);
	free(regd);
	free(json_path);
	return rc;
}

/* ---- the public call ------------------------------------------------- */

int signet_policy_export(char **warnings, signet_ctx *ctx, const signet_verifier_options *trust,
                         const char *out_dir, unsigned int flags)
{
	static const signet_verifier_options init = SIGNET_VERIFIER_OPTIONS_INIT;
	signet_verifier_options current = init;
	struct sn_registries_d *rd = NULL;
	struct sn_policy *p = NULL;
	struct sn_export x;
	struct sn_err *e;
	int sources, rc, rendered = 0;

	if (ctx == NULL)
		return SIGNET_EINVAL;
	e = &ctx->err;
	sn_err_clear(e);
	if (trust == NULL || trust->version < 1 || trust->version > SIGNET_VERIFIER_OPTIONS_VERSION ||
	    out_dir == NULL || out_dir[0] == '\0' || (flags & ~SIGNET_EXPORT_FORCE) != 0)
		return sn_seterr(e, SIGNET_EINVAL,
		                 "signet_policy_export: invalid arguments or options version");
	/* Versions 1 to 3 end before key_files, 4 before
	 * require_signed_contract, 5 before trusted_root_file: read no
	 * further (export reads no other field added since version 1). */
	memcpy(&current, trust,
	       trust->version < 4    ? offsetof(signet_verifier_options, key_files)
	       : trust->version == 4 ? offsetof(signet_verifier_options, require_signed_contract)
	       : trust->version == 5 ? offsetof(signet_verifier_options, trusted_root_file)
	                             : sizeof(current));
	trust = &current;
	sources = (trust->policy_file != NULL) + (trust->contract_file != NULL) +
	          (trust->n_gpg_key_files != 0) + (trust->n_key_files != 0) +
	          (trust->trusted_root_file != NULL);
	if (sources != 1)
		return sn_seterr(
		    e, SIGNET_EINVAL,
		    "export needs exactly one source of trust: a policy, a contract, pinned keys, "
		    "or a trusted root");
	if (trust->n_gpg_key_files != 0 && trust->gpg_key_files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_policy_export: gpg_key_files is NULL");
	if (trust->n_key_files != 0 && trust->key_files == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "signet_policy_export: key_files is NULL");
	if (trust->n_annotations != 0)
		return sn_seterr(
		    e, SIGNET_EINVAL,
		    "required payload annotations cannot be expressed in containers-policy.json: "
		    "refusing to export a looser policy");
	if (trust->policy_file != NULL)
		rc = sn_policy_load_json(&p, trust->policy_file, e);
	else if (trust->contract_file != NULL)
		rc = sn_policy_load_contract(&p, trust->contract_file, trust->contract_key, trust->strict,
		                             trust->require_signed_contract, e);
	else if (trust->n_gpg_key_files != 0)
		rc = sn_policy_from_key_files(&p, trust->gpg_key_files, trust->n_gpg_key_files, 0, e);
	else if (trust->n_key_files != 0)
		rc = sn_policy_from_key_files(&p, trust->key_files, trust->n_key_files, 1, e);
	else
		rc = sn_policy_from_keyless(&p, trust->trusted_root_file, trust->certificate_identity,
		                            trust->certificate_oidc_issuer, e);
	if (rc != 0)
		goto out;
	if (trust->registries_d != NULL && (rc = sn_registries_d_load(&rd, trust->registries_d, e)) != 0)
		goto out;
	if ((rc = sn_export_render(&x, p, rd, trust->lookaside, e)) != 0)
		goto out;
	rendered = 1;
	if (trust->policy_file != NULL) {
		struct render r = {&x, e, 0};

		if ((rc = warn_dropped_transports(&r, trust->policy_file)) != 0)
			goto out;
	}
	if ((rc = write_out(out_dir, &x, (flags & SIGNET_EXPORT_FORCE) != 0, e)) != 0)
		goto out;
	if (warnings != NULL)
		*warnings = x.warnings.len > 0 ? (char *)sn_buf_steal(&x.warnings, NULL) : NULL;
out:
	if (rendered)
		sn_export_clear(&x);
	sn_registries_d_free(rd);
	sn_policy_free(p);
	return rc;
}
