/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/test_attachments.c: cosign signature attachments against a
 * real docker-registry that the test starts itself (fork/exec on a free
 * loopback port, temporary storage, killed when the group ends).  Every
 * blob and manifest is pushed through signet's own registry client.
 *
 * Reading: no .sig tag, one signature read back exactly, other layers
 * skipped, blobs that do not match their descriptors (size, tampered
 * storage), the layer and size limits, a tag that is not an OCI manifest.
 * Writing: appending keeps earlier layers and other fields, the same
 * signature twice writes nothing, two processes writing 10 signatures each
 * at the same time keep all 20, a tag that never stops moving.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "registry/registry.h"
#include "verify/verify.h"

#define H256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define D256 "sha256:" H256
#define SIG_TAG "sha256-" H256 ".sig"
#define MT_TAR "application/vnd.oci.image.layer.v1.tar"
#define PREFIX "\0sigstore-json\n"
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* ---- the registry ------------------------------------------------------- */

static struct {
	pid_t pid;
	int port;
	char dir[64];
	char host[32];
} reg;

/* A process started by a test (concurrent writers, the tag mover); killed
 * by the teardown when an assertion ends the test early. */
static pid_t helper_pids[4];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int port_open(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void registry_stop(void)
{
	if (reg.pid > 0) {
		kill(reg.pid, SIGTERM);
		(void)waitpid(reg.pid, NULL, 0);
		reg.pid = 0;
	}
	if (reg.dir[0] != '\0') {
		(void)nftw(reg.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		reg.dir[0] = '\0';
	}
}

static int registry_start(void **state)
{
	char cfg[128], log[128];
	FILE *f;
	int status;

	(void)state;
	snprintf(reg.dir, sizeof(reg.dir), "/tmp/signet-attach-XXXXXX");
	if (mkdtemp(reg.dir) == NULL) {
		fprintf(stderr, "attachments: mkdtemp: %s\n", strerror(errno));
		reg.dir[0] = '\0';
		return -1;
	}
	if ((reg.port = free_port()) < 0) {
		fprintf(stderr, "attachments: no free port on 127.0.0.1\n");
		goto fail;
	}
	snprintf(reg.host, sizeof(reg.host), "127.0.0.1:%d", reg.port);
	snprintf(cfg, sizeof(cfg), "%s/config.yml", reg.dir);
	snprintf(log, sizeof(log), "%s/registry.log", reg.dir);
	if ((f = fopen(cfg, "we")) == NULL)
		goto fail;
	fprintf(f,
	        "version: 0.1\n"
	        "log:\n  level: warn\n"
	        "storage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: true\n"
	        "http:\n  addr: %s\n",
	        reg.dir, reg.host);
	fclose(f);
	reg.pid = fork();
	if (reg.pid < 0)
		goto fail;
	if (reg.pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		/* never outlive the test */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("docker-registry", "docker-registry", "serve", cfg, (char *)NULL);
		dprintf(fd >= 0 ? fd : 2, "exec docker-registry: %s\n", strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 300; i++) {
		if (waitpid(reg.pid, &status, WNOHANG) == reg.pid) {
			reg.pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
				fprintf(stderr, "attachments: docker-registry is not installed: these tests need "
				                "the docker-registry package (CNCF distribution) in PATH\n");
			} else {
				char line[512];

				fprintf(stderr, "attachments: docker-registry exited at start:\n");
				if ((f = fopen(log, "re")) != NULL) {
					while (fgets(line, sizeof(line), f) != NULL)
						fputs(line, stderr);
					fclose(f);
				}
			}
			goto fail;
		}
		if (port_open(reg.port))
			return 0;
		sleep_ms(50);
	}
	fprintf(stderr, "attachments: docker-registry did not listen on %s within 15 s\n", reg.host);
fail:
	registry_stop();
	return -1;
}

static int registry_teardown(void **state)
{
	(void)state;
	registry_stop();
	return 0;
}

static int kill_helpers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(helper_pids) / sizeof(helper_pids[0]); i++) {
		if (helper_pids[i] > 0) {
			kill(helper_pids[i], SIGKILL);
			(void)waitpid(helper_pids[i], NULL, 0);
			helper_pids[i] = 0;
		}
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

static struct sn_ref mkref(const char *path)
{
	struct sn_ref r;

	memset(&r, 0, sizeof(r));
	r.transport = SIGNET_TRANSPORT_DOCKER;
	r.domain = reg.host;
	r.path = (char *)path;
	r.tag = (char *)"latest";
	return r;
}

static signet_ctx *new_ctx(void)
{
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL;

	o.tls_verify = 0; /* plain HTTP on loopback */
	if (signet_ctx_new(&ctx, &o) != 0)
		return NULL;
	return ctx;
}

static struct sn_registry *registry(signet_ctx *ctx)
{
	struct sn_registry *r = NULL;
	struct sn_err e = {0};

	assert_int_equal(sn_registry_get(&r, ctx, reg.host, &e), 0);
	return r;
}

#define assert_msg(e, needle)                                                                 \
	do {                                                                                  \
		if (strstr((e)->msg, (needle)) == NULL)                                       \
			fail_msg("message \"%s\" lacks \"%s\"", (e)->msg, (needle));          \
	} while (0)

/* Pushes a blob; *digest receives its digest. */
static void push_blob(signet_ctx *ctx, const char *repo, const void *data, size_t len,
                      char digest[SN_DIGEST_MAX])
{
	struct sn_err e = {0};

	assert_int_equal(sn_digest_compute(digest, "sha256", data, len, &e), 0);
	if (sn_registry_put_blob(registry(ctx), repo, digest, data, len, &e) != 0)
		fail_msg("put blob: %s", e.msg);
}

/* Pushes doc (taken) under tag. */
static void push_manifest(signet_ctx *ctx, const char *repo, const char *tag, json_t *doc, const char *mt)
{
	struct sn_err e = {0};
	char *text = json_dumps(doc, JSON_COMPACT);

	assert_non_null(text);
	if (sn_registry_put_manifest(registry(ctx), repo, tag, text, strlen(text), mt, &e) != 0)
		fail_msg("put manifest %s:%s: %s", repo, tag, e.msg);
	free(text);
	json_decref(doc);
}

/* A config blob for hand-made manifests. */
static void push_config(signet_ctx *ctx, const char *repo, char digest[SN_DIGEST_MAX], size_t *len)
{
	static const char cfg[] = "{\"architecture\":\"\",\"os\":\"\",\"config\":{},"
	                          "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

	push_blob(ctx, repo, cfg, strlen(cfg), digest);
	*len = strlen(cfg);
}

/* An OCI manifest with the layers given (each already a descriptor). */
static json_t *oci_manifest(signet_ctx *ctx, const char *repo, json_t *layers)
{
	char cdigest[SN_DIGEST_MAX];
	size_t clen;

	push_config(ctx, repo, cdigest, &clen);
	return json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:o}", "schemaVersion", 2, "mediaType", SN_MT_OCI_MANIFEST,
	                 "config", "mediaType", SN_MT_OCI_CONFIG, "digest", cdigest, "size", (json_int_t)clen,
	                 "layers", layers);
}

static json_t *descriptor(const char *mt, const char *digest, size_t size, json_t *annotations)
{
	json_t *d = json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest, "size", (json_int_t)size);

	if (annotations != NULL)
		json_object_set_new(d, "annotations", annotations);
	return d;
}

static json_t *sig_annotations(const char *sig)
{
	return json_pack("{s:s}", SN_COSIGN_SIGNATURE_ANNOTATION, sig);
}

static void payload_of(char *buf, size_t size, const char *who, int n)
{
	snprintf(buf, size,
	         "{\"critical\":{\"identity\":{\"docker-reference\":\"%s/x\"},\"image\":{\"docker-manifest-digest\":"
	         "\"" D256 "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"n\":\"%s-%d\"}}",
	         reg.host, who, n);
}

static void sig_of(char *buf, size_t size, const char *who, int n)
{
	snprintf(buf, size, "MEUCIQ%s%03dAAAA==", who, n);
}

/* Splits one read blob into its parts; checks the container format. */
static void parse_blob(const struct sn_sig_blob *b, json_t **doc, unsigned char **payload, size_t *plen)
{
	enum sn_sig_format fmt;
	const unsigned char *chunk;
	size_t chunk_len;
	struct sn_err e = {0};
	json_t *p;

	assert_true(b->len > PREFIX_LEN);
	assert_memory_equal(b->data, PREFIX, PREFIX_LEN);
	assert_int_equal(b->data[b->len], '\0');
	assert_int_equal(sn_sig_detect(&fmt, &chunk, &chunk_len, b->data, b->len, &e), 0);
	assert_int_equal(fmt, SN_SIG_SIGSTORE_JSON);
	assert_ptr_equal(chunk, b->data + PREFIX_LEN);
	if (sn_json_parse(doc, chunk, chunk_len, "sigstore-json", &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(json_object_size(*doc), 3);
	assert_string_equal(json_string_value(json_object_get(*doc, "mimeType")), SN_MT_COSIGN_SIMPLESIGNING);
	assert_true(json_is_object(json_object_get(*doc, "annotations")));
	p = json_object_get(*doc, "payload");
	assert_true(json_is_string(p));
	assert_int_equal(sn_base64_decode(payload, plen, json_string_value(p), json_string_length(p)), 0);
}

static int read_sigs(struct sn_sig_list *l, signet_ctx *ctx, const char *repo, struct sn_err *e)
{
	struct sn_ref r = mkref(repo);

	return sn_attachments_read(l, ctx, &r, D256, e);
}

static int write_sig(char **loc, signet_ctx *ctx, const char *repo, const char *payload, const char *sig,
                     struct sn_err *e)
{
	struct sn_ref r = mkref(repo);
	json_t *ann = sig_annotations(sig);
	int rc = sn_attachments_write(loc, ctx, &r, D256, payload, strlen(payload), ann, e);

	json_decref(ann);
	return rc;
}

/* The .sig manifest as stored, parsed. */
static struct sn_manifest *get_sig_manifest(signet_ctx *ctx, const char *repo, char digest[SN_DIGEST_MAX])
{
	struct sn_manifest *m = NULL;
	struct sn_err e = {0};
	struct sn_buf b;
	char *ct = NULL;

	if (sn_registry_get_manifest(registry(ctx), repo, SIG_TAG, &b, &ct, digest, &e) != 0)
		fail_msg("get manifest: %s", e.msg);
	assert_string_equal(ct, SN_MT_OCI_MANIFEST);
	if (sn_manifest_parse(&m, b.data, b.len, ct, &e) != 0)
		fail_msg("parse: %s", e.msg);
	sn_buf_free(&b);
	free(ct);
	return m;
}

static char *want_loc(const char *repo, int layer)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "docker://%s/%s:" SIG_TAG " layer %d", reg.host, repo, layer);
	return buf;
}

/* ---- reading -------------------------------------------------------- */

static void test_read_none(void **state)
{
	struct sn_sig_list l = {(void *)1, 7, 0, SIGNET_MAX_SIGNATURES_TOTAL_SIZE};
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();

	(void)state;
	/* No such repository at all. */
	assert_int_equal(read_sigs(&l, ctx, "none/missing", &e), 0);
	assert_int_equal(l.n, 0);
	assert_string_equal(e.msg, "");
	/* The repository exists, the .sig tag does not. */
	l.n = 7;
	push_manifest(ctx, "none/other", "latest",
	              oci_manifest(ctx, "none/other", json_array()), SN_MT_OCI_MANIFEST);
	assert_int_equal(read_sigs(&l, ctx, "none/other", &e), 0);
	assert_int_equal(l.n, 0);
	signet_ctx_free(ctx);
}

static void test_write_read_one(void **state)
{
	static const char cert[] = "-----BEGIN CERTIFICATE-----\nMIIB\"x\\y\n-----END CERTIFICATE-----\n";
	static const char bundle[] = "{\"SignedEntryTimestamp\":\"abc=\",\"Payload\":{\"logIndex\":1}}";
	const char *repo = "one/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	struct sn_ref r = mkref(repo);
	char payload[512], *loc = NULL, d1[SN_DIGEST_MAX], d2[SN_DIGEST_MAX], pdigest[SN_DIGEST_MAX];
	json_t *ann, *doc = NULL, *cfg = NULL;
	unsigned char *got = NULL;
	struct sn_manifest *m;
	struct sn_buf cb;
	size_t glen;

	(void)state;
	payload_of(payload, sizeof(payload), "one", 1);
	ann = json_pack("{s:s, s:s, s:s, s:s, s:s}", SN_COSIGN_SIGNATURE_ANNOTATION, "MEUCIQabc/+==",
	                SN_COSIGN_CERTIFICATE_ANNOTATION, cert, SN_COSIGN_CHAIN_ANNOTATION, cert,
	                SN_COSIGN_BUNDLE_ANNOTATION, bundle, "org.example/\xc3\xa9t\xc3\xa9", "\xe2\x9c\x93");
	if (sn_attachments_write(&loc, ctx, &r, D256, payload, strlen(payload), ann, &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(loc, want_loc(repo, 1));
	free(loc);

	/* Read back: payload bytes and annotations exactly. */
	assert_int_equal(sn_attachments_read(&l, ctx, &r, D256, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].location, want_loc(repo, 1));
	parse_blob(&l.items[0], &doc, &got, &glen);
	assert_int_equal(glen, strlen(payload));
	assert_memory_equal(got, payload, glen);
	assert_true(json_equal(json_object_get(doc, "annotations"), ann));
	free(got);
	json_decref(doc);
	sn_sig_list_free(&l);

	/* What is stored: an OCI manifest, one cosign layer, a config whose
	 * rootfs lists the layer. */
	m = get_sig_manifest(ctx, repo, d1);
	assert_int_equal(m->kind, SN_MANIFEST_OCI);
	assert_string_equal(m->config.media_type, SN_MT_OCI_CONFIG);
	assert_int_equal(m->n_layers, 1);
	assert_string_equal(m->layers[0].media_type, SN_MT_COSIGN_SIMPLESIGNING);
	assert_int_equal(sn_digest_compute(pdigest, "sha256", payload, strlen(payload), &e), 0);
	assert_string_equal(m->layers[0].digest, pdigest);
	assert_int_equal(m->layers[0].size, (int64_t)strlen(payload));
	assert_true(json_equal(m->layers[0].annotations, ann));
	assert_int_equal(json_integer_value(json_object_get(m->root, "schemaVersion")), 2);
	assert_int_equal(sn_registry_get_blob(registry(ctx), repo, m->config.digest, 4096, "config", &cb, &e), 0);
	assert_int_equal(sn_json_parse(&cfg, cb.data, cb.len, "config", &e), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(cfg, "rootfs"), "type")), "layers");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(json_object_get(cfg, "rootfs"), "diff_ids"), 0)),
	                    pdigest);
	assert_string_equal(json_string_value(json_object_get(cfg, "os")), "");
	json_decref(cfg);
	sn_buf_free(&cb);
	sn_manifest_free(m);

	/* The same signature again: nothing written, the same location. */
	if (sn_attachments_write(&loc, ctx, &r, D256, payload, strlen(payload), ann, &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(loc, want_loc(repo, 1));
	free(loc);
	m = get_sig_manifest(ctx, repo, d2);
	assert_string_equal(d1, d2);
	sn_manifest_free(m);
	json_decref(ann);
	signet_ctx_free(ctx);
}

static void test_read_skips_other_layers(void **state)
{
	const char *repo = "mixed/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char tar_digest[SN_DIGEST_MAX], att_digest[SN_DIGEST_MAX], sig_digest[SN_DIGEST_MAX];
	char payload[512], *loc = NULL;
	static const char tar[] = "not a signature";
	static const char att[] = "{\"payloadType\":\"application/vnd.in-toto+json\"}";
	json_t *doc = NULL;
	unsigned char *got = NULL;
	struct sn_manifest *m;
	size_t glen;

	(void)state;
	payload_of(payload, sizeof(payload), "mixed", 1);
	push_blob(ctx, repo, tar, strlen(tar), tar_digest);
	push_blob(ctx, repo, att, strlen(att), att_digest);
	push_blob(ctx, repo, payload, strlen(payload), sig_digest);
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo,
	                           json_pack("[o, o, o]", descriptor(MT_TAR, tar_digest, strlen(tar), NULL),
	                                     descriptor("application/vnd.dsse.envelope.v1+json", att_digest,
	                                                strlen(att), sig_annotations("x")),
	                                     descriptor(SN_MT_COSIGN_SIMPLESIGNING, sig_digest,
	                                                strlen(payload), NULL))),
	              SN_MT_OCI_MANIFEST);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].location, want_loc(repo, 3));
	/* A layer without annotations: {} */
	parse_blob(&l.items[0], &doc, &got, &glen);
	assert_int_equal(json_object_size(json_object_get(doc, "annotations")), 0);
	assert_memory_equal(got, payload, glen);
	free(got);
	json_decref(doc);
	sn_sig_list_free(&l);

	/* Writing keeps the other layers where they were. */
	payload_of(payload, sizeof(payload), "mixed", 2);
	if (write_sig(&loc, ctx, repo, payload, "c2ln", &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(loc, want_loc(repo, 4));
	free(loc);
	m = get_sig_manifest(ctx, repo, NULL);
	assert_int_equal(m->n_layers, 4);
	assert_string_equal(m->layers[0].media_type, MT_TAR);
	assert_string_equal(m->layers[0].digest, tar_digest);
	assert_string_equal(m->layers[1].media_type, "application/vnd.dsse.envelope.v1+json");
	assert_string_equal(m->layers[2].digest, sig_digest);
	assert_string_equal(m->layers[3].media_type, SN_MT_COSIGN_SIMPLESIGNING);
	sn_manifest_free(m);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].location, want_loc(repo, 4));
	sn_sig_list_free(&l);
	signet_ctx_free(ctx);
}

static void test_read_size_mismatch(void **state)
{
	const char *repo = "size/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char digest[SN_DIGEST_MAX];

	(void)state;
	/* The registry does not check descriptor sizes: we must. */
	push_blob(ctx, repo, "hello", 5, digest);
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo, json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, 7,
	                                                                  sig_annotations("x")))),
	              SN_MT_OCI_MANIFEST);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_EINTEGRITY);
	assert_msg(&e, want_loc(repo, 1));
	assert_msg(&e, "has 5 bytes, its descriptor says 7");
	assert_int_equal(l.n, 0);

	/* Smaller than the blob: not read past the announced size. */
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo, json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, 3,
	                                                                  sig_annotations("x")))),
	              SN_MT_OCI_MANIFEST);
	e.code = 0;
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_EINTEGRITY);
	assert_int_equal(e.code, SIGNET_EINTEGRITY);
	assert_msg(&e, want_loc(repo, 1));
	assert_msg(&e, "larger than the 3 bytes its descriptor says");
	assert_int_equal(l.n, 0);
	signet_ctx_free(ctx);
}

static void test_read_tampered_blob(void **state)
{
	const char *repo = "tamper/img";
	static const char good[] = "{\"critical\":{}, \"optional\":null}";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char digest[SN_DIGEST_MAX], path[512], bad[sizeof(good)];
	int fd;

	(void)state;
	push_blob(ctx, repo, good, strlen(good), digest);
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo,
	                           json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, strlen(good),
	                                                       sig_annotations("x")))),
	              SN_MT_OCI_MANIFEST);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), 0);
	assert_int_equal(l.n, 1);
	sn_sig_list_free(&l);

	/* Change the stored bytes behind the registry's back (same length):
	 * it serves them under the old digest. */
	snprintf(path, sizeof(path), "%s/data/docker/registry/v2/blobs/sha256/%.2s/%s/data", reg.dir, digest + 7,
	         digest + 7);
	memcpy(bad, good, sizeof(good));
	bad[3] = 'C';
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_EINTEGRITY);
	assert_msg(&e, want_loc(repo, 1));
	assert_msg(&e, "digest mismatch");
	assert_msg(&e, digest);
	assert_int_equal(l.n, 0);
	signet_ctx_free(ctx);
}

/* A .sig manifest with n signature layers of the same small blob. */
static void push_n_layers(signet_ctx *ctx, const char *repo, int n)
{
	char digest[SN_DIGEST_MAX], payload[512];
	json_t *layers = json_array();

	payload_of(payload, sizeof(payload), "many", 0);
	push_blob(ctx, repo, payload, strlen(payload), digest);
	for (int i = 0; i < n; i++) {
		char sig[64];

		sig_of(sig, sizeof(sig), "many", i);
		json_array_append_new(layers, descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, strlen(payload),
		                                         sig_annotations(sig)));
	}
	push_manifest(ctx, repo, SIG_TAG, oci_manifest(ctx, repo, layers), SN_MT_OCI_MANIFEST);
}

static void test_layer_limit(void **state)
{
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char payload[512], *loc = (char *)"untouched";

	(void)state;
	/* 100: the limit itself is fine. */
	push_n_layers(ctx, "limit/hundred", SIGNET_MAX_SIG_MANIFEST_LAYERS);
	if (read_sigs(&l, ctx, "limit/hundred", &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(l.n, SIGNET_MAX_SIG_MANIFEST_LAYERS);
	assert_string_equal(l.items[99].location, want_loc("limit/hundred", 100));
	sn_sig_list_free(&l);
	/* ...but a 101st layer may not be added. */
	payload_of(payload, sizeof(payload), "limit", 1);
	assert_int_equal(write_sig(&loc, ctx, "limit/hundred", payload, "bmV3", &e), SIGNET_ELIMIT);
	assert_msg(&e, "SIGNET_MAX_SIG_MANIFEST_LAYERS");
	assert_msg(&e, "already 100 layers");
	assert_string_equal(loc, "untouched");

	/* 101 layers: refused before any blob is fetched. */
	push_n_layers(ctx, "limit/more", SIGNET_MAX_SIG_MANIFEST_LAYERS + 1);
	assert_int_equal(read_sigs(&l, ctx, "limit/more", &e), SIGNET_ELIMIT);
	assert_msg(&e, "101 layers, more than the limit of 100 (SIGNET_MAX_SIG_MANIFEST_LAYERS)");
	assert_msg(&e, "docker://");
	assert_int_equal(l.n, 0);
	/* and never rewritten */
	assert_int_equal(write_sig(&loc, ctx, "limit/more", payload, "bmV3", &e), SIGNET_ELIMIT);
	assert_msg(&e, "SIGNET_MAX_SIG_MANIFEST_LAYERS");
	signet_ctx_free(ctx);
}

static void test_size_limit(void **state)
{
	const char *repo = "big/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	struct sn_ref r = mkref(repo);
	size_t n = SIGNET_MAX_SIGNATURE_SIZE + 1u;
	char digest[SN_DIGEST_MAX], digest_max[SN_DIGEST_MAX], *loc = (char *)"untouched";
	unsigned char *big = malloc(n);
	json_t *ann = sig_annotations("c2ln");

	(void)state;
	assert_non_null(big);
	memset(big, 'a', n);
	/* Exactly the limit is read. */
	push_blob(ctx, repo, big, n - 1, digest_max);
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo, json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest_max,
	                                                                  n - 1, NULL))),
	              SN_MT_OCI_MANIFEST);
	if (read_sigs(&l, ctx, repo, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(l.n, 1);
	sn_sig_list_free(&l);

	/* One byte more is not. */
	push_blob(ctx, repo, big, n, digest);
	push_manifest(ctx, repo, SIG_TAG,
	              oci_manifest(ctx, repo,
	                           json_pack("[o, o]",
	                                     descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest_max, n - 1, NULL),
	                                     descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, n, NULL))),
	              SN_MT_OCI_MANIFEST);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_ELIMIT);
	assert_msg(&e, want_loc(repo, 2));
	assert_msg(&e, "4194305 bytes, larger than the limit of 4194304 bytes (SIGNET_MAX_SIGNATURE_SIZE)");
	assert_int_equal(l.n, 0);

	/* Nor written. */
	assert_int_equal(sn_attachments_write(&loc, ctx, &r, D256, big, n, ann, &e), SIGNET_ELIMIT);
	assert_msg(&e, "SIGNET_MAX_SIGNATURE_SIZE");
	assert_string_equal(loc, "untouched");
	json_decref(ann);
	free(big);
	signet_ctx_free(ctx);
}

/* SIGNET_MAX_SIGNATURES_TOTAL_SIZE: each layer is held base64-encoded, so
 * three layers of the per-signature limit cross the total; a layer that
 * cannot fit the room left is refused before it is fetched. */
static void test_total_limit(void **state)
{
	const char *repo = "big/total";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	size_t n = SIGNET_MAX_SIGNATURE_SIZE, need;
	char digest[SN_DIGEST_MAX];
	unsigned char *big = malloc(n);
	json_t *layers = json_array();

	(void)state;
	assert_non_null(big);
	memset(big, 'b', n);
	push_blob(ctx, repo, big, n, digest);
	for (int i = 0; i < 2; i++)
		json_array_append_new(layers, descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, n, NULL));
	push_manifest(ctx, repo, SIG_TAG, oci_manifest(ctx, repo, json_incref(layers)), SN_MT_OCI_MANIFEST);
	if (read_sigs(&l, ctx, repo, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.bytes, l.items[0].len + l.items[1].len);
	assert_true(l.items[0].len > n / 3 * 4); /* base64 */
	/* The same two with a budget one byte short: the second is refused. */
	need = l.bytes;
	sn_sig_list_free(&l);
	l.max_bytes = need - 1;
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_ELIMIT);
	assert_msg(&e, "more than ");
	assert_msg(&e, "bytes in total (SIGNET_MAX_SIGNATURES_TOTAL_SIZE");
	assert_int_equal(l.n, 0);
	/* A budget smaller than one layer's announced size: refused as well. */
	l.max_bytes = 100;
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_ELIMIT);
	assert_msg(&e, "more than 100 bytes in total (SIGNET_MAX_SIGNATURES_TOTAL_SIZE");
	/* Three layers with the whole budget cross the total. */
	json_array_append_new(layers, descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest, n, NULL));
	push_manifest(ctx, repo, SIG_TAG, oci_manifest(ctx, repo, json_incref(layers)), SN_MT_OCI_MANIFEST);
	l = (struct sn_sig_list)SN_SIG_LIST_INIT;
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_ELIMIT);
	assert_msg(&e, "more than 16777216 bytes in total");
	assert_int_equal(l.n, 0);
	json_decref(layers);
	free(big);
	signet_ctx_free(ctx);
}

static void test_not_an_oci_manifest(void **state)
{
	const char *repo = "docker/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char cdigest[SN_DIGEST_MAX], before[SN_DIGEST_MAX], after[SN_DIGEST_MAX], payload[512];
	char *loc = (char *)"untouched";
	static const char cfg[] = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
	                          "\"diff_ids\":[]}}";
	struct sn_buf b;
	json_t *doc;

	(void)state;
	push_blob(ctx, repo, cfg, strlen(cfg), cdigest);
	doc = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:[]}", "schemaVersion", 2, "mediaType", SN_MT_DOCKER_V2S2,
	                "config", "mediaType", "application/vnd.docker.container.image.v1+json", "digest", cdigest,
	                "size", (json_int_t)strlen(cfg), "layers");
	push_manifest(ctx, repo, SIG_TAG, doc, SN_MT_DOCKER_V2S2);
	assert_int_equal(read_sigs(&l, ctx, repo, &e), SIGNET_EBADINPUT);
	assert_msg(&e, "not an OCI image manifest");
	assert_msg(&e, SN_MT_DOCKER_V2S2);
	assert_int_equal(l.n, 0);

	/* Never overwritten by a write. */
	assert_int_equal(sn_registry_get_manifest(registry(ctx), repo, SIG_TAG, &b, NULL, before, &e), 0);
	sn_buf_free(&b);
	payload_of(payload, sizeof(payload), "docker", 1);
	assert_int_equal(write_sig(&loc, ctx, repo, payload, "c2ln", &e), SIGNET_EBADINPUT);
	assert_msg(&e, "not an OCI image manifest");
	assert_string_equal(loc, "untouched");
	assert_int_equal(sn_registry_get_manifest(registry(ctx), repo, SIG_TAG, &b, NULL, after, &e), 0);
	sn_buf_free(&b);
	assert_string_equal(before, after);
	signet_ctx_free(ctx);
}

static void test_bad_arguments(void **state)
{
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	struct sn_ref r = mkref("args/img"), dir;
	char *loc = (char *)"untouched";
	json_t *ann;

	(void)state;
	memset(&dir, 0, sizeof(dir));
	dir.transport = SIGNET_TRANSPORT_DIR;
	dir.dir = (char *)"/tmp/x";
	dir.string = (char *)"dir:/tmp/x";
	assert_int_equal(sn_attachments_read(&l, ctx, &dir, D256, &e), SIGNET_EINVAL);
	assert_msg(&e, "dir:/tmp/x is not a docker reference");
	assert_int_equal(sn_attachments_read(&l, ctx, &r, "sha256:abc", &e), SIGNET_EBADINPUT);
	assert_msg(&e, "cosign signatures of args/img");
	assert_int_equal(sn_attachments_read(&l, ctx, &r,
	                                     "sha512:" H256 H256, &e),
	                 SIGNET_EUNSUPPORTED);
	assert_msg(&e, "longer than 128 characters");

	ann = json_pack("{s:s}", SN_COSIGN_CERTIFICATE_ANNOTATION, "x");
	assert_int_equal(sn_attachments_write(&loc, ctx, &r, D256, "p", 1, ann, &e), SIGNET_EINVAL);
	assert_msg(&e, "no " SN_COSIGN_SIGNATURE_ANNOTATION " annotation");
	json_decref(ann);
	ann = json_pack("{s:s, s:i}", SN_COSIGN_SIGNATURE_ANNOTATION, "x", "n", 1);
	assert_int_equal(sn_attachments_write(&loc, ctx, &r, D256, "p", 1, ann, &e), SIGNET_EINVAL);
	assert_msg(&e, "annotation \"n\" is not a string");
	assert_int_equal(sn_attachments_write(&loc, ctx, &r, D256, "p", 0, ann, &e), SIGNET_EINVAL);
	assert_msg(&e, "empty payload");
	json_decref(ann);
	assert_string_equal(loc, "untouched");
	assert_int_equal(l.n, 0);
	signet_ctx_free(ctx);
}

/* ---- writing -------------------------------------------------------- */

static void test_append_keeps_layers(void **state)
{
	const char *repo = "append/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx = new_ctx();
	char payload[512], sig[64], *loc = NULL, digest[SN_DIGEST_MAX];
	struct sn_manifest *m;
	json_t *doc;

	(void)state;
	/* Someone else's manifest, with top-level annotations: kept. */
	payload_of(payload, sizeof(payload), "append", 0);
	push_blob(ctx, repo, payload, strlen(payload), digest);
	doc = oci_manifest(ctx, repo, json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest,
	                                                           strlen(payload), sig_annotations("c2lnMA=="))));
	json_object_set_new(doc, "annotations", json_pack("{s:s}", "org.example.who", "cosign"));
	push_manifest(ctx, repo, SIG_TAG, doc, SN_MT_OCI_MANIFEST);

	for (int i = 1; i <= 3; i++) {
		payload_of(payload, sizeof(payload), "append", i);
		sig_of(sig, sizeof(sig), "append", i);
		if (write_sig(&loc, ctx, repo, payload, sig, &e) != 0)
			fail_msg("%s", e.msg);
		assert_string_equal(loc, want_loc(repo, i + 1));
		free(loc);
	}
	/* The same payload with another signature is another layer. */
	if (write_sig(&loc, ctx, repo, payload, "b3RoZXI=", &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(loc, want_loc(repo, 5));
	free(loc);

	m = get_sig_manifest(ctx, repo, NULL);
	assert_int_equal(m->n_layers, 5);
	assert_string_equal(json_string_value(json_object_get(m->annotations, "org.example.who")), "cosign");
	assert_string_equal(m->layers[0].digest, digest);
	sn_manifest_free(m);

	assert_int_equal(read_sigs(&l, ctx, repo, &e), 0);
	assert_int_equal(l.n, 5);
	for (int i = 0; i < 5; i++) {
		json_t *d = NULL;
		unsigned char *got = NULL;
		size_t glen;
		char want_sig[64];

		payload_of(payload, sizeof(payload), "append", i == 4 ? 3 : i);
		if (i == 0)
			snprintf(want_sig, sizeof(want_sig), "c2lnMA==");
		else if (i == 4)
			snprintf(want_sig, sizeof(want_sig), "b3RoZXI=");
		else
			sig_of(want_sig, sizeof(want_sig), "append", i);
		parse_blob(&l.items[i], &d, &got, &glen);
		assert_int_equal(glen, strlen(payload));
		assert_memory_equal(got, payload, glen);
		assert_string_equal(json_string_value(json_object_get(json_object_get(d, "annotations"),
		                                                      SN_COSIGN_SIGNATURE_ANNOTATION)),
		                    want_sig);
		assert_string_equal(l.items[i].location, want_loc(repo, i + 1));
		free(got);
		json_decref(d);
	}
	sn_sig_list_free(&l);
	signet_ctx_free(ctx);
}

static void test_concurrent_writers(void **state)
{
	const char *repo = "race/img";
	struct sn_sig_list l = SN_SIG_LIST_INIT;
	struct sn_err e = {0};
	signet_ctx *ctx;
	int seen[2][10] = {{0}};

	(void)state;
	for (int k = 0; k < 2; k++) {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			signet_ctx *cctx = new_ctx(); /* never share connections across fork */

			(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (int i = 0; i < 10; i++) {
				char payload[512], sig[64], who[8], *loc = NULL;
				struct sn_err ce = {0};

				snprintf(who, sizeof(who), "w%d", k);
				payload_of(payload, sizeof(payload), who, i);
				sig_of(sig, sizeof(sig), who, i);
				if (cctx == NULL || write_sig(&loc, cctx, repo, payload, sig, &ce) != 0) {
					fprintf(stderr, "writer %d, signature %d: %s\n", k, i, ce.msg);
					_exit(1);
				}
				free(loc);
			}
			signet_ctx_free(cctx);
			_exit(0);
		}
		helper_pids[k] = pid;
	}
	for (int k = 0; k < 2; k++) {
		int status;

		assert_int_equal(waitpid(helper_pids[k], &status, 0), helper_pids[k]);
		helper_pids[k] = 0;
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	ctx = new_ctx();
	assert_int_equal(read_sigs(&l, ctx, repo, &e), 0);
	assert_int_equal(l.n, 20);
	for (size_t i = 0; i < l.n; i++) {
		json_t *d = NULL;
		unsigned char *got = NULL;
		size_t glen;
		int k, n;
		char sig[64];

		parse_blob(&l.items[i], &d, &got, &glen);
		assert_non_null(strstr((char *)got, "\"n\":\"w"));
		assert_int_equal(sscanf(strstr((char *)got, "\"n\":\"w") + 6, "%d-%d", &k, &n), 2);
		assert_true(k >= 0 && k < 2 && n >= 0 && n < 10);
		assert_int_equal(seen[k][n], 0);
		seen[k][n] = 1;
		snprintf(sig, sizeof(sig), "MEUCIQw%d%03dAAAA==", k, n);
		assert_string_equal(json_string_value(json_object_get(json_object_get(d, "annotations"),
		                                                      SN_COSIGN_SIGNATURE_ANNOTATION)),
		                    sig);
		free(got);
		json_decref(d);
	}
	sn_sig_list_free(&l);
	signet_ctx_free(ctx);
}

/* Another "signer" that rewrites the .sig tag, in lock step with the
 * writer: each time the writer has read the tag (its debug log reports the
 * GET's answer), the mover puts a manifest never seen before, so the tag's
 * digest has changed before the writer checks it.  Deterministic: no race
 * with a busy machine's scheduler decides whether the tag moved. */
static struct {
	int on;
	unsigned moves;
	const char *repo;
	json_t *doc;
	struct sn_registry *r;
} mover;

static void mover_log(void *userdata, int level, const char *message)
{
	json_t *ann;
	char sig[64], *text;

	(void)userdata;
	(void)level;
	if (!mover.on || strncmp(message, "GET ", 4) != 0 || strstr(message, "/manifests/" SIG_TAG) == NULL ||
	    strstr(message, ": HTTP 200") == NULL)
		return;
	ann = json_object_get(json_array_get(json_object_get(mover.doc, "layers"), 0), "annotations");
	snprintf(sig, sizeof(sig), "mover-%u", mover.moves++);
	json_object_set_new(ann, SN_COSIGN_SIGNATURE_ANNOTATION, json_string(sig));
	text = json_dumps(mover.doc, JSON_COMPACT);
	assert_non_null(text);
	assert_int_equal(sn_registry_put_manifest(mover.r, mover.repo, SIG_TAG, text, strlen(text),
	                                          SN_MT_OCI_MANIFEST, NULL),
	                 0);
	free(text);
}

static void test_tag_keeps_moving(void **state)
{
	const char *repo = "moving/img";
	struct sn_err e = {0};
	signet_ctx_options o = SIGNET_CTX_OPTIONS_INIT;
	signet_ctx *ctx = NULL, *mctx = new_ctx();
	char payload[512], *loc = (char *)"untouched", digest[SN_DIGEST_MAX];
	struct sn_manifest *m;

	(void)state;
	o.tls_verify = 0;
	o.log = mover_log;
	assert_int_equal(signet_ctx_new(&ctx, &o), 0);
	payload_of(payload, sizeof(payload), "mover", 0);
	push_blob(ctx, repo, payload, strlen(payload), digest);
	mover.doc = oci_manifest(ctx, repo,
	                         json_pack("[o]", descriptor(SN_MT_COSIGN_SIMPLESIGNING, digest,
	                                                     strlen(payload), sig_annotations("start"))));
	push_manifest(ctx, repo, SIG_TAG, json_deep_copy(mover.doc), SN_MT_OCI_MANIFEST);
	mover.repo = repo;
	mover.r = registry(mctx);
	mover.moves = 0;
	mover.on = 1;
	payload_of(payload, sizeof(payload), "mover", 1);
	assert_int_equal(write_sig(&loc, ctx, repo, payload, "bXluZQ==", &e), SIGNET_EREGISTRY);
	mover.on = 0;
	assert_msg(&e, "the .sig tag kept moving (10 attempts");
	assert_msg(&e, "docker://");
	assert_msg(&e, SIG_TAG);
	assert_string_equal(loc, "untouched");
	/* The tag moved once after each of the writer's reads, and it gave up
	 * after its last attempt: nothing was put over another's update. */
	assert_int_equal(mover.moves, 10);
	m = get_sig_manifest(ctx, repo, NULL);
	assert_int_equal(m->n_layers, 1);
	assert_string_equal(
	    json_string_value(json_object_get(m->layers[0].annotations, SN_COSIGN_SIGNATURE_ANNOTATION)),
	    "mover-9");
	sn_manifest_free(m);
	/* Once it stops, the write goes through, keeping the mover's layer. */
	if (write_sig(&loc, ctx, repo, payload, "bXluZQ==", &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(loc, want_loc(repo, 2));
	free(loc);
	m = get_sig_manifest(ctx, repo, NULL);
	assert_int_equal(m->n_layers, 2);
	assert_string_equal(
	    json_string_value(json_object_get(m->layers[0].annotations, SN_COSIGN_SIGNATURE_ANNOTATION)),
	    "mover-9");
	assert_string_equal(json_string_value(json_object_get(m->layers[1].annotations,
	                                                      SN_COSIGN_SIGNATURE_ANNOTATION)),
	                    "bXluZQ==");
	sn_manifest_free(m);
	json_decref(mover.doc);
	signet_ctx_free(ctx);
	signet_ctx_free(mctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_none),
	    cmocka_unit_test(test_write_read_one),
	    cmocka_unit_test(test_read_skips_other_layers),
	    cmocka_unit_test(test_read_size_mismatch),
	    cmocka_unit_test(test_read_tampered_blob),
	    cmocka_unit_test(test_layer_limit),
	    cmocka_unit_test(test_size_limit),
	    cmocka_unit_test(test_total_limit),
	    cmocka_unit_test(test_not_an_oci_manifest),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_append_keeps_layers),
	    cmocka_unit_test_teardown(test_concurrent_writers, kill_helpers),
	    cmocka_unit_test(test_tag_keeps_moving),
	};

	return cmocka_run_group_tests(tests, registry_start, registry_teardown);
}
