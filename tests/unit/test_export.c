/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_export.c: signet policy export (policy/export.c): the
 * policy model rendered as containers-policy.json and registries.d, read
 * back with signet's own parsers (the same decisions must come out), the
 * warnings where the export is stricter, and the files written by
 * signet_policy_export (atomically, never over existing ones without
 * force, nothing left behind on failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "policy/policy.h"

#include <signet/export.h>

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* An armored block of the right form (the contract checks only the form). */
static const char armored_a[] = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZAAAAA==\n=abcd\n"
                                "-----END PGP PUBLIC KEY BLOCK-----\n";
static const unsigned char binary_b[] = {0x99, 0x00, 0x03, 0x04, 0x05, 0x06};

static char dir[64];           /* the test's temporary directory */
static char *cosign_pem;       /* a P-256 PEM PUBLIC KEY */
static char *cosign_pem_other; /* another one */

/* ---- helpers -------------------------------------------------------- */

static char *b64(const void *d, size_t n)
{
	char *s = malloc(4 * ((n + 2) / 3) + 1);

	assert_non_null(s);
	EVP_EncodeBlock((unsigned char *)s, d, (int)n);
	return s;
}

static char *pem_public_key(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *s;
	long n;

	assert_non_null(k);
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PUBKEY(bio, k), 1);
	n = BIO_get_mem_data(bio, &data);
	assert_true(n > 0);
	s = strndup(data, (size_t)n);
	assert_non_null(s);
	BIO_free(bio);
	EVP_PKEY_free(k);
	return s;
}

/* path = dir + "/" + name */
static const char *path_of(char out[512], const char *name)
{
	(void)snprintf(out, 512, "%s/%s", dir, name);
	return out;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

/* JSON text of v, compact, in a static buffer. */
static const char *compact(const json_t *v)
{
	static char buf[4096];
	char *s = json_dumps(v, JSON_COMPACT);

	assert_non_null(s);
	(void)snprintf(buf, sizeof(buf), "%s", s);
	free(s);
	return buf;
}

static int sh(const char *fmt, ...) SN_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static struct sn_policy *contract_policy(const char *text, int strict)
{
	struct sn_policy *p = NULL;
	struct sn_err e = {0};

	if (sn_policy_parse_contract(&p, text, strlen(text), "c.yaml", NULL, strict, 0, &e) != 0)
		fail_msg("contract: %s", e.msg);
	return p;
}

static struct sn_policy *json_policy(const char *text)
{
	struct sn_policy *p = NULL;
	struct sn_err e = {0};

	if (sn_policy_parse_json(&p, text, strlen(text), "p.json", &e) != 0)
		fail_msg("policy.json: %s\n%s", e.msg, text);
	return p;
}

static void render_ok(struct sn_export *x, const struct sn_policy *p, const struct sn_registries_d *rd,
                      const char *lookaside)
{
	struct sn_err e = {0};

	if (sn_export_render(x, p, rd, lookaside, &e) != 0)
		fail_msg("render: %s", e.msg);
	assert_non_null(x->policy_json.data);
	assert_non_null(x->registries_yaml.data);
}

static const char *warnings(const struct sn_export *x)
{
	return x->warnings.data != NULL ? (const char *)x->warnings.data : "";
}

static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not in:\n%s", needle, hay);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static const struct sn_scope_reqs *find_scope(const struct sn_policy *p, const char *transport,
                                              const char *scope)
{
	for (size_t i = 0; i < p->n_scopes; i++)
		if (strcmp(p->scopes[i].transport, transport) == 0 && strcmp(p->scopes[i].scope, scope) == 0)
			return &p->scopes[i];
	fail_msg("no scope %s %s", transport, scope);
	return NULL;
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Requirement b (read back from the export) decides as a does.  Several
 * signedBy keys come back as one keyring. */
static void assert_same_req(const struct sn_requirement *a, const struct sn_requirement *b)
{
	if (a->type == SN_REQ_UNSUPPORTED) {
		assert_int_equal(b->type, SN_REQ_REJECT);
		return;
	}
	assert_int_equal(b->type, a->type);
	if (a->type != SN_REQ_SIGNED_BY && a->type != SN_REQ_SIGSTORE_SIGNED)
		return;
	assert_int_equal(b->identity.rule, a->identity.rule);
	assert_true(same_str(a->identity.docker_reference, b->identity.docker_reference));
	assert_true(same_str(a->identity.docker_repository, b->identity.docker_repository));
	assert_true(same_str(a->identity.prefix, b->identity.prefix));
	assert_true(same_str(a->identity.signed_prefix, b->identity.signed_prefix));
	if (a->type == SN_REQ_SIGNED_BY && a->n_keys > 1) {
		assert_int_equal(b->n_keys, 1);
		return;
	}
	assert_int_equal(b->n_keys, a->n_keys);
	for (size_t i = 0; i < a->n_keys; i++) {
		assert_int_equal(b->keys[i].len, a->keys[i].len);
		assert_memory_equal(b->keys[i].data, a->keys[i].data, a->keys[i].len);
	}
}

/* The exported policy.json, parsed by signet, holds the same scopes and
 * requirements as p (each scope's first entry). */
static struct sn_policy *assert_round_trip(const struct sn_policy *p, const struct sn_export *x)
{
	struct sn_policy *q = json_policy((const char *)x->policy_json.data);

	assert_int_equal(q->n_default, p->n_default);
	for (size_t i = 0; i < p->n_default; i++)
		assert_same_req(&p->default_reqs[i], &q->default_reqs[i]);
	assert_int_equal(q->n_scopes, p->n_scopes);
	for (size_t i = 0; i < p->n_scopes; i++) {
		const struct sn_scope_reqs *s = &p->scopes[i];
		const struct sn_scope_reqs *t = find_scope(q, s->transport, s->scope);

		assert_int_equal(t->n_reqs, s->n_reqs);
		for (size_t j = 0; j < s->n_reqs; j++)
			assert_same_req(&s->reqs[j], &t->reqs[j]);
	}
	/* What policy.json cannot say is gone: digests need signatures. */
	assert_int_equal(q->allow_digest_refs_unsigned, 0);
	return q;
}

/* Loads the exported registries.d file from a fresh directory. */
static struct sn_registries_d *load_exported_rd(const struct sn_export *x, const char *name)
{
	struct sn_registries_d *rd = NULL;
	struct sn_err e = {0};
	char d[512], f[600];

	path_of(d, name);
	assert_int_equal(mkdir(d, 0700), 0);
	(void)snprintf(f, sizeof(f), "%s/signet.yaml", d);
	write_file(f, x->registries_yaml.data, x->registries_yaml.len);
	if (sn_registries_d_load(&rd, d, &e) != 0)
		fail_msg("exported registries.d: %s\n%s", e.msg, (const char *)x->registries_yaml.data);
	return rd;
}

static struct sn_registries_d *load_rd(const char *name, const char *yaml)
{
	struct sn_registries_d *rd = NULL;
	struct sn_err e = {0};
	char d[512], f[600];

	path_of(d, name);
	assert_int_equal(mkdir(d, 0700), 0);
	(void)snprintf(f, sizeof(f), "%s/a.yaml", d);
	write_file(f, yaml, strlen(yaml));
	if (sn_registries_d_load(&rd, d, &e) != 0)
		fail_msg("registries.d: %s", e.msg);
	return rd;
}

/* For image, the exported registries.d (and no --lookaside) resolves to
 * lookaside and attachments. */
static void assert_resolves(const struct sn_registries_d *rd, const char *image, const char *lookaside,
                            int attachments)
{
	struct sn_lookaside_config c = {NULL, NULL, -1};
	struct sn_ref *ref = NULL;
	struct sn_err e = {0};

	if (sn_ref_parse_docker(&ref, image, &e) != 0)
		fail_msg("%s: %s", image, e.msg);
	assert_int_equal(sn_registries_d_resolve(&c, rd, ref, &e), 0);
	if (!same_str(c.lookaside, lookaside))
		fail_msg("%s: lookaside %s, expected %s", image, c.lookaside != NULL ? c.lookaside : "(none)",
		         lookaside != NULL ? lookaside : "(none)");
	assert_int_equal(c.use_sigstore_attachments, attachments);
	sn_lookaside_config_clear(&c);
	sn_ref_free(ref);
}

/* ---- fixtures ------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof(dir), "/tmp/signet-test-export.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cosign_pem = pem_public_key();
	cosign_pem_other = pem_public_key();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(cosign_pem);
	free(cosign_pem_other);
	return sh("rm -rf '%s'", dir) == 0 ? 0 : -1;
}

/* A contract pinning: rhs for r.example.com/app, cosign for
 * r.example.com/app (both: AND) and r.example.com/cos, dct for
 * r.example.com/dct; workload.auths for r.example.com. */
static char *contract_text(void)
{
	char *ka = b64(armored_a, strlen(armored_a)), *kc = b64(cosign_pem, strlen(cosign_pem)), *text = NULL;

	assert_true(asprintf(&text,
	                     "workload:\n"
	                     "  type: workload\n"
	                     "  auths:\n"
	                     "    r.example.com: {username: u, password: p}\n"
	                     "  images:\n"
	                     "    rhs:\n"
	                     "      r.example.com/app:\n"
	                     "        publicKey: %s\n"
	                     "    cosign:\n"
	                     "      r.example.com/app:\n"
	                     "        publicKey: %s\n"
	                     "      r.example.com/cos:v1:\n"
	                     "        publicKey: %s\n"
	                     "    dct:\n"
	                     "      r.example.com/dct:\n"
	                     "        notary: https://notary.example.com\n"
	                     "        publicKey: %s\n"
	                     "env:\n"
	                     "  type: env\n",
	                     ka, kc, kc, ka) > 0);
	free(ka);
	free(kc);
	return text;
}

/* ---- the contract ----------------------------------------------------- */

static void test_contract(void **state)
{
	struct sn_registries_d *rd;
	struct sn_policy *p, *q;
	struct sn_export x;
	json_t *root = NULL, *app;
	struct sn_err e = {0};
	char *text = contract_text(), *ka = b64(armored_a, strlen(armored_a)), *kc;

	(void)state;
	kc = b64(cosign_pem, strlen(cosign_pem));
	p = contract_policy(text, 0);
	render_ok(&x, p, NULL, "file:///var/lib/signet/la");

	/* The JSON, exactly. */
	assert_int_equal(sn_json_parse(&root, x.policy_json.data, x.policy_json.len, "export", &e), 0);
	assert_string_equal(compact(json_object_get(root, "default")), "[{\"type\":\"reject\"}]");
	app = json_object_get(json_object_get(json_object_get(root, "transports"), "docker"),
	                      "r.example.com/app");
	assert_int_equal(json_array_size(app), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(app, 0), "type")), "signedBy");
	assert_string_equal(json_string_value(json_object_get(json_array_get(app, 0), "keyType")), "GPGKeys");
	assert_string_equal(json_string_value(json_object_get(json_array_get(app, 0), "keyData")), ka);
	assert_string_equal(compact(json_object_get(json_array_get(app, 0), "signedIdentity")),
	                    "{\"type\":\"matchRepoDigestOrExact\"}");
	assert_string_equal(json_string_value(json_object_get(json_array_get(app, 1), "type")),
	                    "sigstoreSigned");
	assert_string_equal(json_string_value(json_object_get(json_array_get(app, 1), "keyData")), kc);
	assert_string_equal(compact(json_object_get(json_array_get(app, 1), "signedIdentity")),
	                    "{\"type\":\"matchRepository\"}");
	assert_string_equal(
	    compact(json_object_get(json_object_get(json_object_get(root, "transports"), "docker"),
	                            "r.example.com/dct")),
	    "[{\"type\":\"reject\"}]");
	json_decref(root);

	/* Read back by signet: the same requirements, scope by scope. */
	q = assert_round_trip(p, &x);
	sn_policy_free(q);

	/* Where the export is stricter, or leaves something out. */
	assert_contains(warnings(&x), "images named by digest: the contract lets signet pull unsigned the "
	                              "digests its own workload names");
	assert_contains(warnings(&x), "registry credentials (workload.auths) are not exported");
	assert_contains(warnings(&x),
	                "transports.docker.\"r.example.com/dct\": Docker Content Trust is not "
	                "supported yet (contract c.yaml: workload.images.dct.\"r.example.com/dct\"): "
	                "exported as reject");
	assert_null(strstr(warnings(&x), "no default-docker lookaside"));
	assert_int_equal(count_of(warnings(&x), "\n"), 3);
	/* No secret in anything written. */
	assert_null(strstr((const char *)x.policy_json.data, "\"p\""));
	assert_null(strstr((const char *)x.registries_yaml.data, "u:p"));

	/* registries.d: the lookaside, and .sig attachments for cosign. */
	assert_non_null(strstr((const char *)x.registries_yaml.data,
	                       "\ndefault-docker:\n  lookaside: \"file:///var/lib/signet/la\"\n"
	                       "  use-sigstore-attachments: true\n"));
	rd = load_exported_rd(&x, "contract-rd");
	assert_resolves(rd, "r.example.com/app:v1", "file:///var/lib/signet/la", 1);
	assert_resolves(rd, "quay.io/x/y@" DIGEST, "file:///var/lib/signet/la", 1);
	sn_registries_d_free(rd);
	sn_export_clear(&x);
	sn_policy_free(p);

	/* strict: nothing to warn about digests. */
	p = contract_policy(text, 1);
	render_ok(&x, p, NULL, NULL);
	assert_null(strstr(warnings(&x), "images named by digest"));
	assert_contains(warnings(&x), "registries.d: no default-docker lookaside");
	sn_export_clear(&x);
	sn_policy_free(p);
	free(text);
	free(ka);
	free(kc);
}

/* ---- containers-policy.json ----------------------------------------- */

static void test_policy_json(void **state)
{
	char kb[512], ka[512], *text = NULL, *c1 = b64(cosign_pem, strlen(cosign_pem)),
	                       *c2 = b64(cosign_pem_other, strlen(cosign_pem_other));
	struct sn_policy *p, *q;
	struct sn_export x;
	struct sn_buf want;
	struct sn_err e = {0};
	const struct sn_scope_reqs *s;

	(void)state;
	write_file(path_of(ka, "a.asc"), armored_a, strlen(armored_a));
	write_file(path_of(kb, "b.gpg"), binary_b, sizeof(binary_b));
	assert_true(
	    asprintf(
	        &text,
	        "{\"default\": [{\"type\": \"insecureAcceptAnything\"}],\n"
	        " \"transports\": {\n"
	        "  \"docker\": {\n"
	        "   \"r.example.com/mixed\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", "
	        "\"keyPaths\": [\"%s\", \"%s\"],\n"
	        "     \"signedIdentity\": {\"type\": \"remapIdentity\", \"prefix\": \"r.example.com\", "
	        "\"signedPrefix\": \"s.example.com/m\"}}],\n"
	        "   \"r.example.com/bin\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPaths\": "
	        "[\"%s\", \"%s\"],\n"
	        "     \"signedIdentity\": {\"type\": \"exactReference\", \"dockerReference\": "
	        "\"r.example.com/bin:1\"}}],\n"
	        "   \"r.example.com/one:v1\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", "
	        "\"keyPath\": \"%s\",\n"
	        "     \"signedIdentity\": {\"type\": \"matchExact\"}}, {\"type\": \"reject\"}],\n"
	        "   \"r.example.com/cos\": [{\"type\": \"sigstoreSigned\", \"keyDatas\": [\"%s\", \"%s\"],\n"
	        "     \"signedIdentity\": {\"type\": \"exactRepository\", \"dockerRepository\": "
	        "\"r.example.com/c\"}}],\n"
	        "   \"*.example.com\": [{\"type\": \"signedBaseLayer\", \"baseLayerIdentity\": {\"type\": "
	        "\"matchRepository\"}}],\n"
	        "   \"\": [{\"type\": \"reject\"}]},\n"
	        "  \"dir\": {\"/srv/images\": [{\"type\": \"insecureAcceptAnything\"}]},\n"
	        "  \"oci\": {\"\": [{\"type\": \"reject\"}]}}}\n",
	        ka, kb, kb, kb, ka, c1, c2) > 0);
	p = json_policy(text);
	render_ok(&x, p, NULL, NULL);
	q = assert_round_trip(p, &x);

	/* Armored and binary keys: one armored keyring, the binary key
	 * armored as contract images would armor it. */
	s = find_scope(q, "docker", "r.example.com/mixed");
	sn_buf_init(&want, 1 << 20, "want");
	assert_int_equal(sn_buf_append(&want, armored_a, strlen(armored_a), &e), 0);
	assert_int_equal(sn_openpgp_armor_public_key(&want, binary_b, sizeof(binary_b), &e), 0);
	assert_int_equal(s->reqs[0].keys[0].len, want.len);
	assert_memory_equal(s->reqs[0].keys[0].data, want.data, want.len);
	sn_buf_free(&want);
	/* Binary keys only: concatenated as they are. */
	s = find_scope(q, "docker", "r.example.com/bin");
	assert_int_equal(s->reqs[0].keys[0].len, 2 * sizeof(binary_b));
	assert_memory_equal(s->reqs[0].keys[0].data, binary_b, sizeof(binary_b));
	assert_memory_equal(s->reqs[0].keys[0].data + sizeof(binary_b), binary_b, sizeof(binary_b));
	/* Several sigstore keys stay several (keyDatas). */
	assert_non_null(strstr((const char *)x.policy_json.data, "\"keyDatas\": ["));
	assert_contains(warnings(&x),
	                "transports.docker.\"r.example.com/cos\": sigstoreSigned with 2 keys is "
	                "written as keyDatas");
	assert_contains(warnings(&x), "transports.docker.\"*.example.com\": signedBaseLayer");
	assert_contains(warnings(&x), "exported as reject");
	assert_null(strstr(warnings(&x), "images named by digest"));
	/* dir and oci scopes are kept. */
	assert_int_equal(find_scope(q, "dir", "/srv/images")->reqs[0].type, SN_REQ_INSECURE_ACCEPT_ANYTHING);
	assert_int_equal(find_scope(q, "oci", "")->reqs[0].type, SN_REQ_REJECT);
	/* No sigstoreSigned ... but there is one: attachments on. */
	assert_non_null(strstr((const char *)x.registries_yaml.data, "use-sigstore-attachments: true"));
	sn_policy_free(q);
	sn_export_clear(&x);
	sn_policy_free(p);
	free(text);

	/* No sigstoreSigned requirement: registries.d says nothing of
	 * attachments. */
	p = json_policy("{\"default\": [{\"type\": \"reject\"}]}");
	render_ok(&x, p, NULL, "https://sigs.example.com/la");
	assert_null(strstr((const char *)x.registries_yaml.data, "use-sigstore-attachments"));
	assert_string_equal((const char *)x.policy_json.data,
	                    "{\n  \"default\": [\n    {\n      \"type\": \"reject\"\n"
	                    "    }\n  ]\n}\n");
	assert_int_equal(x.warnings.len, 0);
	sn_export_clear(&x);
	sn_policy_free(p);
	free(c1);
	free(c2);
}

/* A repeated scope keeps its first entry, as scope resolution does. */
static void test_repeated_scope(void **state)
{
	struct sn_policy *p =
	    json_policy("{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker\": "
	                "{\"r.example.com/a\": [{\"type\": \"insecureAcceptAnything\"}]}}}");
	struct sn_scope_reqs *ns;
	struct sn_export x;
	struct sn_policy *q;

	(void)state;
	ns = realloc(p->scopes, 2 * sizeof(*ns));
	assert_non_null(ns);
	p->scopes = ns;
	memset(&ns[1], 0, sizeof(ns[1]));
	ns[1].transport = strdup("docker");
	ns[1].scope = strdup("r.example.com/a");
	ns[1].reqs = calloc(1, sizeof(*ns[1].reqs));
	assert_non_null(ns[1].reqs);
	ns[1].reqs[0].type = SN_REQ_REJECT;
	ns[1].n_reqs = 1;
	p->n_scopes = 2;
	render_ok(&x, p, NULL, NULL);
	q = json_policy((const char *)x.policy_json.data);
	assert_int_equal(q->n_scopes, 1);
	assert_int_equal(q->scopes[0].reqs[0].type, SN_REQ_INSECURE_ACCEPT_ANYTHING);
	sn_policy_free(q);
	sn_export_clear(&x);
	sn_policy_free(p);
}

/* What cannot be rendered. */
static void test_render_refusals(void **state)
{
	struct sn_policy *p = json_policy("{\"default\": [{\"type\": \"reject\"}]}");
	struct sn_err e = {0};
	struct sn_export x;
	size_t n;

	(void)state;
	assert_int_equal(sn_export_render(&x, p, NULL, "ftp://x/y", &e), SIGNET_EINVAL);
	assert_contains(e.msg, "lookaside \"ftp://x/y\": ");
	assert_int_equal(sn_export_render(&x, p, NULL, "file:///a b", &e), SIGNET_EINVAL);
	/* An empty requirement list (no source makes one): signet would
	 * allow everything, containers/image refuses the file. */
	n = p->n_default;
	p->n_default = 0;
	assert_int_equal(sn_export_render(&x, p, NULL, NULL, &e), SIGNET_EINVAL);
	assert_contains(e.msg, "default: no requirements");
	p->n_default = n;
	/* A signature requirement without keys. */
	p->default_reqs[0].type = SN_REQ_SIGNED_BY;
	assert_int_equal(sn_export_render(&x, p, NULL, NULL, &e), SIGNET_EINVAL);
	assert_contains(e.msg, "default: a signature requirement without keys");
	assert_int_equal(sn_export_render(&x, NULL, NULL, NULL, &e), SIGNET_EINVAL);
	sn_policy_free(p);
}

/* ---- registries.d ----------------------------------------------------- */

static void test_registries_d(void **state)
{
	static const char yaml[] = "default-docker:\n"
	                           "  sigstore: file:///srv/default\n"
	                           "  lookaside-staging: file:///srv/staging\n"
	                           "docker:\n"
	                           "  r.example.com:\n"
	                           "    lookaside: https://sigs.example.com/r\n"
	                           "  r.example.com/noatt:\n"
	                           "    use-sigstore-attachments: false\n"
	                           "  r.example.com/both:\n"
	                           "    lookaside: http://127.0.0.1:9/b\n"
	                           "    use-sigstore-attachments: yes\n"
	                           "  '*.example.org':\n"
	                           "    sigstore: file:///srv/wild\n"
	                           "  empty.example.com: ~\n"
	                           "  'we\"ird.example.com/\\x':\n"
	                           "    lookaside: file:///srv/weird\n";
	static const char *const images[] = {
	    "r.example.com/app:v1",  "r.example.com/noatt:v1", "r.example.com/noatt/sub@" DIGEST,
	    "r.example.com/both:v1", "a.b.example.org/x:1",    "empty.example.com/x:1",
	    "quay.io/x:1",
	};
	struct sn_registries_d *rd = load_rd("rd-in", yaml), *back;
	struct sn_policy *p = json_policy("{\"default\": [{\"type\": \"reject\"}]}");
	struct sn_policy *ps;
	struct sn_export x;

	(void)state;
	/* No sigstoreSigned: every image resolves as before. */
	render_ok(&x, p, rd, NULL);
	back = load_exported_rd(&x, "rd-out");
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		struct sn_lookaside_config a = {NULL, NULL, -1};
		struct sn_ref *ref = NULL;
		struct sn_err e = {0};

		assert_int_equal(sn_ref_parse_docker(&ref, images[i], &e), 0);
		assert_int_equal(sn_registries_d_resolve(&a, rd, ref, &e), 0);
		assert_resolves(back, images[i], a.lookaside, a.use_sigstore_attachments);
		sn_lookaside_config_clear(&a);
		sn_ref_free(ref);
	}
	assert_resolves(back, "quay.io/x:1", "file:///srv/default", -1);
	assert_resolves(back, "a.b.example.org/x:1", "file:///srv/wild", -1);
	/* Staging (where signet writes) is not what a verifier needs. */
	assert_null(strstr((const char *)x.registries_yaml.data, "staging"));
	assert_null(strstr((const char *)x.registries_yaml.data, "empty.example.com"));
	assert_contains((const char *)x.registries_yaml.data, "  \"we\\\"ird.example.com/\\\\x\":\n");
	assert_null(strstr(warnings(&x), "no default-docker lookaside"));
	sn_registries_d_free(back);
	sn_export_clear(&x);

	/* With a sigstoreSigned requirement, attachments are read unless a
	 * scope says otherwise. */
	ps = contract_policy("workload:\n  type: workload\nenv:\n  type: env\n", 0);
	ps->default_reqs[0].type = SN_REQ_SIGSTORE_SIGNED;
	ps->default_reqs[0].keys = calloc(1, sizeof(struct sn_buf));
	ps->default_reqs[0].key_names = calloc(1, sizeof(char *));
	assert_non_null(ps->default_reqs[0].keys);
	sn_buf_init(&ps->default_reqs[0].keys[0], 1 << 20, "key");
	assert_int_equal(sn_buf_append_str(&ps->default_reqs[0].keys[0], cosign_pem, NULL), 0);
	ps->default_reqs[0].n_keys = 1;
	render_ok(&x, ps, rd, NULL);
	back = load_exported_rd(&x, "rd-out-sig");
	assert_resolves(back, "r.example.com/app:v1", "https://sigs.example.com/r", 1);
	assert_resolves(back, "r.example.com/noatt/sub@" DIGEST, "https://sigs.example.com/r", 0);
	assert_resolves(back, "quay.io/x:1", "file:///srv/default", 1);
	sn_registries_d_free(back);
	sn_export_clear(&x);

	/* --lookaside overrides every URL; attachment settings stay. */
	render_ok(&x, ps, rd, "file:///override");
	back = load_exported_rd(&x, "rd-out-la");
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
		assert_resolves(back, images[i], "file:///override",
		                strstr(images[i], "noatt") != NULL ? 0 : 1);
	sn_registries_d_free(back);
	sn_export_clear(&x);

	/* Nothing configured: a warning, and a file that still loads. */
	render_ok(&x, p, NULL, NULL);
	assert_contains(warnings(&x),
	                "registries.d: no default-docker lookaside: for registries without one, "
	                "podman and skopeo read their built-in default");
	back = load_exported_rd(&x, "rd-out-none");
	assert_resolves(back, "quay.io/x:1", NULL, -1);
	sn_registries_d_free(back);
	sn_export_clear(&x);

	sn_policy_free(ps);
	sn_policy_free(p);
	sn_registries_d_free(rd);
}

/* ---- signet_policy_export: the files ---------------------------------- */

static void test_export_files(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	char cpath[512], out[512], f[600], g[600], *text = contract_text(), *w = NULL;
	const char *ann[] = {"a=b"};
	signet_ctx *ctx = NULL;
	struct sn_buf b;
	struct stat st;
	struct sn_err e = {0};

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	write_text(path_of(cpath, "c.yaml"), text);
	o.contract_file = cpath;
	path_of(out, "out/nested");

	/* A missing parent: SIGNET_EIO, nothing made. */
	assert_int_equal(signet_policy_export(&w, ctx, &o, out, 0), SIGNET_EIO);
	assert_contains(signet_ctx_errmsg(ctx), "out/nested: cannot create the directory");
	assert_null(w);
	path_of(out, "out");
	assert_int_equal(stat(out, &st), -1);

	assert_int_equal(signet_policy_export(&w, ctx, &o, out, 0), 0);
	assert_non_null(w);
	assert_contains(w, "images named by digest");
	free(w);
	w = NULL;
	(void)snprintf(f, sizeof(f), "%s/policy.json", out);
	(void)snprintf(g, sizeof(g), "%s/registries.d/signet.yaml", out);
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(g, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(sn_file_read(&b, f, 1 << 20, "policy", 0, &e), 0);
	assert_contains((const char *)b.data, "\"sigstoreSigned\"");
	sn_buf_free(&b);
	/* Only the two files (no temporary ones left). */
	assert_int_equal(sh("test \"$(cd '%s' && find . | sort | tr '\\n' ' ')\" = "
	                    "'. ./policy.json ./registries.d ./registries.d/signet.yaml '",
	                    out),
	                 0);

	/* Never replaced without force; warnings may be NULL. */
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EINVAL);
	assert_contains(signet_ctx_errmsg(ctx),
	                "/out/policy.json exists already: not replaced (--force replaces it)");
	assert_int_equal(unlink(f), 0);
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EINVAL);
	assert_contains(signet_ctx_errmsg(ctx), "/out/registries.d/signet.yaml exists already");
	assert_int_equal(stat(f, &st), -1);
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, SIGNET_EXPORT_FORCE), 0);
	assert_int_equal(stat(f, &st), 0);

	/* Another registries.d file would be merged in: refused. */
	(void)snprintf(g, sizeof(g), "%s/registries.d/other.yaml", out);
	write_file(g, "docker: {}\n", 11);
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, SIGNET_EXPORT_FORCE), SIGNET_EINVAL);
	assert_contains(signet_ctx_errmsg(ctx), "registries.d/other.yaml: podman and skopeo would merge it");
	assert_int_equal(unlink(g), 0);

	/* policy.json cannot be put in place: the signet.yaml made here is
	 * taken back, the directories made here removed. */
	path_of(out, "out2");
	(void)snprintf(f, sizeof(f), "%s/policy.json", out);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(f, 0755), 0);
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, SIGNET_EXPORT_FORCE), SIGNET_EIO);
	assert_contains(signet_ctx_errmsg(ctx), "/out2/policy.json: cannot replace");
	assert_int_equal(sh("test \"$(cd '%s' && find . | sort | tr '\\n' ' ')\" = '. ./policy.json '", out),
	                 0);

	/* Arguments. */
	path_of(out, "out3");
	o.annotations = ann;
	o.n_annotations = 1;
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EINVAL);
	assert_contains(signet_ctx_errmsg(ctx), "annotations cannot be expressed");
	o.n_annotations = 0;
	o.annotations = NULL;
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 2), SIGNET_EINVAL);
	assert_int_equal(signet_policy_export(NULL, ctx, &o, "", 0), SIGNET_EINVAL);
	assert_int_equal(signet_policy_export(NULL, ctx, NULL, out, 0), SIGNET_EINVAL);
	assert_int_equal(signet_policy_export(NULL, NULL, &o, out, 0), SIGNET_EINVAL);
	o.policy_file = cpath;
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EINVAL);
	assert_contains(signet_ctx_errmsg(ctx), "exactly one source of trust");
	o.policy_file = NULL;
	o.lookaside = "gopher://x/";
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EINVAL);
	o.lookaside = NULL;
	/* A contract that does not load: its error, nothing made. */
	write_text(path_of(cpath, "bad.yaml"),
	           "workload:\n  type: workload\n  images:\n    cosign:\n"
	           "      r.example.com/a:\n        publicKey: AAAA\nenv:\n  type: env\n");
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_EBADINPUT);
	assert_contains(signet_ctx_errmsg(ctx), "workload.images.cosign.\"r.example.com/a\".publicKey: ");
	assert_int_equal(stat(out, &st), -1);
	o.registries_d = "/nonexistent/registries.d";
	o.contract_file = path_of(cpath, "c.yaml");
	assert_int_equal(signet_policy_export(NULL, ctx, &o, out, 0), SIGNET_ENOTFOUND);
	assert_int_equal(stat(out, &st), -1);
	signet_ctx_free(ctx);
	free(text);
}

/* --key and --policy sources. */
static void test_export_sources(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	char ka[512], kb[512], pj[512], out[512], f[600], *w = NULL;
	const char *keys[2];
	struct sn_policy *q;
	struct sn_buf b;
	struct sn_err e = {0};
	signet_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	keys[0] = path_of(ka, "k-a.asc");
	keys[1] = path_of(kb, "k-b.gpg");
	write_text(ka, armored_a);
	write_file(kb, binary_b, sizeof(binary_b));
	o.gpg_key_files = keys;
	o.n_gpg_key_files = 2;
	o.lookaside = "file:///srv/la";
	assert_int_equal(signet_policy_export(&w, ctx, &o, path_of(out, "keys"), 0), 0);
	assert_null(w); /* nothing to warn about */
	(void)snprintf(f, sizeof(f), "%s/policy.json", out);
	assert_int_equal(sn_file_read(&b, f, 1 << 20, "policy", 0, &e), 0);
	q = json_policy((const char *)b.data);
	assert_int_equal(q->n_scopes, 0);
	assert_int_equal(q->default_reqs[0].type, SN_REQ_SIGNED_BY);
	assert_int_equal(q->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	assert_int_equal(
	    count_of((const char *)q->default_reqs[0].keys[0].data, "BEGIN PGP PUBLIC KEY BLOCK"), 2);
	sn_policy_free(q);
	sn_buf_free(&b);

	/* policy.json: transports signet does not read are named. */
	write_text(path_of(pj, "p.json"),
	           "{\"default\": [{\"type\": \"reject\"}], \"transports\": {\"docker-daemon\": "
	           "{\"\": [{\"type\": \"insecureAcceptAnything\"}]}, \"containers-storage\": {\"\": "
	           "[{\"type\": \"reject\"}]}, \"docker\": {\"\": [{\"type\": \"reject\"}]}}}");
	o.gpg_key_files = NULL;
	o.n_gpg_key_files = 0;
	o.policy_file = pj;
	assert_int_equal(signet_policy_export(&w, ctx, &o, path_of(out, "pj"), 0), 0);
	assert_non_null(w);
	assert_contains(w, "transports docker-daemon, containers-storage of ");
	assert_contains(w, "are not exported (podman and skopeo apply default to them)\n");
	free(w);
	signet_ctx_free(ctx);
}

/* key_files (version 4): the kind is read from each file; version 3
 * callers, whose struct ends before key_files, are read as before. */
static void test_key_files(void **state)
{
	signet_verifier_options o = SIGNET_VERIFIER_OPTIONS_INIT;
	char ka[512], kp[512], kx[512], kj[512], out[512], f[600], *w = NULL, *pem = pem_public_key();
	const char *keys[2];
	enum sn_req_type kind;
	struct sn_policy *q;
	struct sn_buf b;
	struct sn_err e = {0};
	signet_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(signet_ctx_new(&ctx, NULL), 0);
	write_text(path_of(ka, "kf-a.asc"), armored_a);
	write_text(path_of(kp, "kf.pub"), pem);
	write_text(path_of(kx, "kf.key"), "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n"
	                                  "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
	write_text(path_of(kj, "kf.txt"), "hello\n");

	/* A PEM public key: sigstoreSigned, matchRepository, the key inlined. */
	keys[0] = kp;
	o.key_files = keys;
	o.n_key_files = 1;
	assert_int_equal(signet_policy_export(&w, ctx, &o, path_of(out, "kf-pem"), 0), 0);
	free(w);
	w = NULL;
	(void)snprintf(f, sizeof(f), "%s/policy.json", out);
	assert_int_equal(sn_file_read(&b, f, 1 << 20, "policy", 0, &e), 0);
	q = json_policy((const char *)b.data);
	assert_int_equal(q->default_reqs[0].type, SN_REQ_SIGSTORE_SIGNED);
	assert_int_equal(q->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_REPOSITORY);
	assert_int_equal(q->default_reqs[0].keys[0].len, strlen(pem));
	assert_memory_equal(q->default_reqs[0].keys[0].data, pem, strlen(pem));
	sn_policy_free(q);
	sn_buf_free(&b);

	/* An OpenPGP key through key_files: signedBy, as gpg_key_files. */
	assert_int_equal(sn_policy_from_key_files(&q, (const char *const[]){ka}, 1, 1, &e), 0);
	assert_int_equal(q->default_reqs[0].type, SN_REQ_SIGNED_BY);
	assert_int_equal(q->default_reqs[0].identity.rule, SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT);
	sn_policy_free(q);

	/* Mixed kinds, a private key, neither kind: refused naming the file. */
	keys[1] = ka;
	assert_int_equal(sn_policy_from_key_files(&q, keys, 2, 1, &e), SIGNET_EBADINPUT);
	assert_contains(e.msg, " is an OpenPGP key but ");
	assert_int_equal(sn_policy_from_key_files(&q, (const char *const[]){kx}, 1, 1, &e), SIGNET_EBADINPUT);
	assert_contains(e.msg, "kf.key: a private key; give the public key");
	assert_int_equal(sn_policy_from_key_files(&q, (const char *const[]){kj}, 1, 1, &e), SIGNET_EBADINPUT);
	assert_contains(e.msg, "kf.txt: neither an OpenPGP public key");
	sn_buf_init(&b, 64, "key");
	assert_int_equal(sn_buf_append(&b, "\xc5\x01\x04", 3, &e), 0);
	assert_int_equal(sn_key_file_kind(&kind, &b, "sec.gpg", &e), SIGNET_EBADINPUT);
	assert_contains(e.msg, "sec.gpg: an OpenPGP secret key");
	sn_buf_free(&b);

	/* A version 3 caller: key_files lies beyond its struct and is not read
	 * (were it read, two sources would be refused). */
	keys[0] = ka;
	o.version = 3;
	o.gpg_key_files = keys;
	o.n_gpg_key_files = 1;
	o.key_files = keys;
	o.n_key_files = 1;
	assert_int_equal(signet_policy_export(&w, ctx, &o, path_of(out, "kf-v3"), 0), 0);
	free(w);
	o.version = SIGNET_VERIFIER_OPTIONS_VERSION;
	assert_int_equal(signet_policy_export(&w, ctx, &o, path_of(out, "kf-v4"), 0), SIGNET_EINVAL);
	free(pem);
	signet_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_contract),       cmocka_unit_test(test_policy_json),
	    cmocka_unit_test(test_repeated_scope), cmocka_unit_test(test_render_refusals),
	    cmocka_unit_test(test_registries_d),   cmocka_unit_test(test_export_files),
	    cmocka_unit_test(test_export_sources), cmocka_unit_test(test_key_files),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
