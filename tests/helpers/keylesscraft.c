/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/helpers/keylesscraft.c: keyless Sigstore bundles (v0.3) as
 * cosign v3 writes them for an image, built offline from the test
 * material of fixtures/make-keyless.sh: a Fulcio-like leaf signs the
 * DSSE in-toto statement, a test transparency log "integrates" it.
 *
 *   keylesscraft statement --image-digest sha256:HEX -o STATEMENT.json
 *       the statement alone (the message of --message-signature)
 *   keylesscraft sign --leaf-key K --image-digest sha256:HEX
 *       [--message-signature] -o SIG.bin
 *       the raw signature (DER ECDSA) of the statement's DSSE encoding (or
 *       of the statement itself), for `openssl ts -query -data SIG.bin`
 *       before building the bundle
 *   keylesscraft bundle --leaf-key K --leaf-cert C --log-key L
 *       --image-digest sha256:HEX [--repo R] [--integrated-time T]
 *       [--sig SIG.bin] [--no-set] [--no-proof] [--message-signature]
 *       [--tamper proof|set|checkpoint|body] [--tsr TSR] -o BUNDLE.json
 *
 * The statement is exactly the one `signet sign --format bundle` signs
 * (sign/bundle_sign.c): in-toto Statement v1, the digest as its one
 * subject with empty annotations, predicate type
 * https://sigstore.dev/cosign/sign/v1, empty predicate.  --repo names the
 * image for the caller's scripts only: cosign v3 signs the digest alone,
 * so it is recorded nowhere.  --sig reuses a signature made by `sign`
 * (ECDSA signatures are randomised, so a timestamp over it needs it
 * first); without it the leaf signs afresh.
 * --message-signature makes a messageSignature bundle instead (the leaf
 * signs the statement bytes themselves; messageDigest = their SHA-256)
 * whose log entry is a Rekor hashedrekord 0.0.1 body (data.hash = the
 * SHA-256, signature.content, signature.publicKey.content = the leaf
 * certificate's PEM in base64).
 *
 * The log entry is a Rekor dsse 0.0.1 body (what Rekor and sigstore-js
 * record for a DSSE bundle): payloadHash = SHA-256 of the payload, the one
 * signature with the leaf certificate (PEM, base64) as verifier, and
 * envelopeHash over the envelope JSON.  It is leaf 5 of a 7-leaf RFC 6962
 * tree (the other leaves are made-up entries), so the audit path has an
 * inner and a border part.  integratedTime is T (unix seconds, default
 * now).  The inclusion promise (SET) signs the canonical JSON
 * {body,integratedTime,logID,logIndex} with the log key; the inclusion
 * proof carries the audit path and a checkpoint: a C2SP signed note
 * "ORIGIN\nSIZE\nBASE64ROOT\n" signed by the log key, its signature line
 * "— ORIGIN-NAME base64(logID[0..3] || signature)".
 *
 * Tampering (each leaves everything else consistent):
 *   proof       a byte of the first audit path hash flipped
 *   set         a byte of the SET flipped
 *   checkpoint  a byte of the checkpoint's signature flipped
 *   body        the entry is about another signature: body, SET, tree
 *               and checkpoint are all valid, for a signature that is not
 *               the bundle's
 * --tsr adds the RFC 3161 TimeStampResp (DER file) as
 * timestampVerificationData.rfc3161Timestamps[0].signedTimestamp.
 *
 *   keylesscraft sig --leaf-key K --leaf-cert C --log-key L
 *       --image-digest sha256:HEX --repo R [--chain CHAIN.pem]
 *       [--integrated-time T] [--no-set] [--tamper set|body|sig] -o DIR
 *       the parts of a cosign v2 keyless .sig layer, in DIR: payload.json
 *       (the simple signing payload cosign writes: docker-reference R,
 *       docker-manifest-digest HEX), sig.b64 (the leaf's ECDSA signature of
 *       it, for the dev.cosignproject.cosign/signature annotation),
 *       cert.pem (the leaf, dev.sigstore.cosign/certificate), chain.pem
 *       (a copy of CHAIN.pem, or empty: dev.sigstore.cosign/chain) and,
 *       unless --no-set, bundle.json (dev.sigstore.cosign/bundle: the
 *       SignedEntryTimestamp and Payload {body, integratedTime, logIndex,
 *       logID} of a Rekor hashedrekord 0.0.1 entry as in --message-signature
 *       bundles).  Tampering: set and body as for bundles; sig flips a byte
 *       of the signature in sig.b64 and in the entry alike (the log
 *       vouches for it, the leaf's key does not).
 * Exit 0, or 1 with a message on stderr; 2 for a usage error.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TREE_SIZE   7
#define LEAF_INDEX  5
#define LOG_ORIGIN  "rekor.signet.test - 4242"
#define LOG_NAME    "rekor.signet.test"
#define INTOTO_TYPE "application/vnd.in-toto+json"
#define MAX_FILE    (1u << 20)
#define MAX_PROOF   64

/* A one-shot helper: it exits without freeing what it built (LeakSanitizer
 * in the sanitizer CI run would call that a failure). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

struct blob {
	unsigned char *d;
	size_t n;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("keylesscraft: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static struct blob read_file(const char *path)
{
	struct blob b = {xmalloc(MAX_FILE), 0};
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die("cannot open %s", path);
	b.n = fread(b.d, 1, MAX_FILE, f);
	if (ferror(f) || !feof(f))
		die("cannot read %s (or larger than %u bytes)", path, MAX_FILE);
	fclose(f);
	return b;
}

static void write_file(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(d, 1, n, f) != n || fclose(f) != 0)
		die("cannot write %s", path);
}

static char *b64(const unsigned char *d, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, d, (int)n);
	return out;
}

static void hex(char *out, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void sha256(unsigned char md[32], const void *d, size_t n)
{
	if (EVP_Digest(d, n, md, NULL, EVP_sha256(), NULL) != 1)
		die("SHA-256 failed");
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = f != NULL ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

	if (f != NULL)
		fclose(f);
	if (k == NULL)
		die("cannot read the private key %s", path);
	return k;
}

static struct blob sign(EVP_PKEY *k, const void *d, size_t n)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct blob s = {NULL, 0};

	if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, NULL, &s.n, d, n) != 1)
		die("cannot sign");
	s.d = xmalloc(s.n);
	if (EVP_DigestSign(ctx, s.d, &s.n, d, n) != 1)
		die("cannot sign");
	EVP_MD_CTX_free(ctx);
	return s;
}

/* The statement signet's sign/bundle_sign.c writes, compact. */
static char *statement(const char *digest)
{
	json_t *st;
	char *text;

	if (strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 7 + 64)
		die("--image-digest must be sha256:<64 hex>");
	st = json_pack("{s:s, s:[{s:{s:s}, s:{}}], s:s, s:{}}", "_type", "https://in-toto.io/Statement/v1",
	               "subject", "digest", "sha256", digest + 7, "annotations", "predicateType",
	               "https://sigstore.dev/cosign/sign/v1", "predicate");
	if (st == NULL || (text = json_dumps(st, JSON_COMPACT)) == NULL)
		die("cannot build the statement");
	json_decref(st);
	return text;
}

static struct blob pae(const char *payload)
{
	size_t n = strlen(payload), cap = n + 128;
	struct blob b = {xmalloc(cap), 0};
	int h = snprintf((char *)b.d, cap, "DSSEv1 %zu %s %zu ", strlen(INTOTO_TYPE), INTOTO_TYPE, n);

	memcpy(b.d + h, payload, n);
	b.n = (size_t)h + n;
	return b;
}

/* RFC 6962 hashes. */
static void leaf_hash(unsigned char out[32], const void *d, size_t n)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned char zero = 0;

	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(c, &zero, 1) != 1 || EVP_DigestUpdate(c, d, n) != 1 ||
	    EVP_DigestFinal_ex(c, out, NULL) != 1)
		die("SHA-256 failed");
	EVP_MD_CTX_free(c);
}

static void node_hash(unsigned char out[32], const unsigned char l[32], const unsigned char r[32])
{
	unsigned char buf[65];

	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	sha256(out, buf, sizeof(buf));
}

static size_t split_point(size_t n)
{
	size_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/* MTH(D[0:n]) of leaf hashes. */
static void mth(unsigned char out[32], unsigned char (*leaves)[32], size_t n)
{
	unsigned char l[32], r[32];
	size_t k;

	if (n == 1) {
		memcpy(out, leaves[0], 32);
		return;
	}
	k = split_point(n);
	mth(l, leaves, k);
	mth(r, leaves + k, n - k);
	node_hash(out, l, r);
}

/* PATH(m, D[0:n]), appended to path[*len]. */
static void audit_path(unsigned char (*path)[32], size_t *len, size_t m, unsigned char (*leaves)[32],
                       size_t n)
{
	size_t k;

	if (n == 1)
		return;
	k = split_point(n);
	if (m < k) {
		audit_path(path, len, m, leaves, k);
		mth(path[(*len)++], leaves + k, n - k);
	} else {
		audit_path(path, len, m - k, leaves + k, n - k);
		mth(path[(*len)++], leaves, k);
	}
}

static char *pem_of_cert(X509 *cert)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;

	if (bio == NULL || PEM_write_bio_X509(bio, cert) != 1)
		die("cannot write PEM");
	n = BIO_get_mem_data(bio, &p);
	out = xmalloc((size_t)n + 1);
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	BIO_free(bio);
	return out;
}

static char *canonical(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

	if (s == NULL)
		die("cannot serialise JSON");
	return s;
}

struct opts {
	const char *leaf_key, *leaf_cert, *log_key, *digest, *repo, *sig, *tamper, *tsr, *chain, *out;
	long long itime;
	int no_set, no_proof, message;
};

static void usage(void)
{
	fprintf(stderr,
	        "usage: keylesscraft statement --image-digest sha256:HEX -o STATEMENT.json\n"
	        "       keylesscraft sign --leaf-key K --image-digest sha256:HEX [--message-signature] "
	        "-o SIG.bin\n"
	        "       keylesscraft bundle --leaf-key K --leaf-cert C --log-key L "
	        "--image-digest sha256:HEX [--repo R]\n"
	        "                [--integrated-time T] [--sig SIG.bin] [--no-set] [--no-proof] "
	        "[--message-signature]\n"
	        "                [--tamper proof|set|checkpoint|body] [--tsr TSR] -o BUNDLE.json\n"
	        "       keylesscraft sig --leaf-key K --leaf-cert C --log-key L --image-digest sha256:HEX "
	        "--repo R\n"
	        "                [--chain CHAIN.pem] [--integrated-time T] [--no-set] [--tamper "
	        "set|body|sig] -o DIR\n");
	exit(2);
}

static void parse(struct opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->itime = (long long)time(NULL);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = NULL;

		if (strcmp(a, "--no-set") == 0) {
			o->no_set = 1;
			continue;
		}
		if (strcmp(a, "--no-proof") == 0) {
			o->no_proof = 1;
			continue;
		}
		if (strcmp(a, "--message-signature") == 0) {
			o->message = 1;
			continue;
		}
		if (v == NULL)
			usage();
		if (strcmp(a, "--leaf-key") == 0)
			slot = &o->leaf_key;
		else if (strcmp(a, "--leaf-cert") == 0)
			slot = &o->leaf_cert;
		else if (strcmp(a, "--log-key") == 0)
			slot = &o->log_key;
		else if (strcmp(a, "--image-digest") == 0)
			slot = &o->digest;
		else if (strcmp(a, "--repo") == 0)
			slot = &o->repo;
		else if (strcmp(a, "--sig") == 0)
			slot = &o->sig;
		else if (strcmp(a, "--tamper") == 0)
			slot = &o->tamper;
		else if (strcmp(a, "--tsr") == 0)
			slot = &o->tsr;
		else if (strcmp(a, "--chain") == 0)
			slot = &o->chain;
		else if (strcmp(a, "-o") == 0)
			slot = &o->out;
		else if (strcmp(a, "--integrated-time") == 0) {
			char *end;

			o->itime = strtoll(v, &end, 10);
			if (*v == '\0' || *end != '\0' || o->itime < 0)
				die("--integrated-time takes unix seconds");
		} else
			usage();
		if (slot != NULL)
			*slot = v;
		i++;
	}
	if (o->tamper != NULL && strcmp(o->tamper, "proof") != 0 && strcmp(o->tamper, "set") != 0 &&
	    strcmp(o->tamper, "checkpoint") != 0 && strcmp(o->tamper, "body") != 0 &&
	    strcmp(o->tamper, "sig") != 0)
		usage();
}

/* The bundle's log entry about signature sig (the real one, or another). */
static json_t *tlog_entry(const struct opts *o, X509 *cert, const char *payload, const struct blob *sig,
                          const char *env_text)
{
	unsigned char md[32], logid[32], leaves[TREE_SIZE][32], path[MAX_PROOF][32], root[32];
	char md_hex[65], env_hex[65], logid_hex[65], idx[32], itime[32], size[32];
	EVP_PKEY *log = load_key(o->log_key);
	unsigned char *spki = NULL;
	int spki_len = i2d_PUBKEY(log, &spki);
	char *cert_pem = pem_of_cert(cert), *sig_b64 = b64(sig->d, sig->n), *body_text, *body_b64;
	json_t *body, *entry, *hashes;
	size_t plen = 0;

	if (spki_len <= 0)
		die("cannot encode the log key");
	sha256(logid, spki, (size_t)spki_len);
	hex(logid_hex, logid, 32);
	sha256(md, payload, strlen(payload));
	hex(md_hex, md, 32);
	sha256(md, env_text, strlen(env_text));
	hex(env_hex, md, 32);
	if (o->message)
		body = json_pack("{s:s, s:s, s:{s:{s:{s:s, s:s}}, s:{s:s, s:{s:s}}}}", "apiVersion", "0.0.1",
		                 "kind", "hashedrekord", "spec", "data", "hash", "algorithm", "sha256",
		                 "value", md_hex, "signature", "content", sig_b64, "publicKey", "content",
		                 b64((const unsigned char *)cert_pem, strlen(cert_pem)));
	else
		body = json_pack("{s:s, s:s, s:{s:{s:s, s:s}, s:{s:s, s:s}, s:[{s:s, s:s}]}}", "apiVersion",
		                 "0.0.1", "kind", "dsse", "spec", "envelopeHash", "algorithm", "sha256",
		                 "value", env_hex, "payloadHash", "algorithm", "sha256", "value", md_hex,
		                 "signatures", "signature", sig_b64, "verifier",
		                 b64((const unsigned char *)cert_pem, strlen(cert_pem)));
	if (body == NULL)
		die("cannot build the Rekor body");
	body_text = canonical(body);
	body_b64 = b64((const unsigned char *)body_text, strlen(body_text));
	snprintf(idx, sizeof(idx), "%d", LEAF_INDEX);
	snprintf(itime, sizeof(itime), "%lld", o->itime);
	snprintf(size, sizeof(size), "%d", TREE_SIZE);
	entry = json_pack("{s:s, s:{s:s}, s:{s:s, s:s}, s:s}", "logIndex", idx, "logId", "keyId",
	                  b64(logid, 32), "kindVersion", "kind", o->message ? "hashedrekord" : "dsse",
	                  "version", "0.0.1", "integratedTime", itime);
	if (entry == NULL)
		die("cannot build the entry");

	if (!o->no_set) {
		json_t *p =
		    json_pack("{s:s, s:I, s:s, s:I}", "body", body_b64, "integratedTime",
		              (json_int_t)o->itime, "logID", logid_hex, "logIndex", (json_int_t)LEAF_INDEX);
		char *text = canonical(p);
		struct blob set = sign(log, text, strlen(text));

		if (o->tamper != NULL && strcmp(o->tamper, "set") == 0)
			set.d[set.n / 2] ^= 0x01;
		json_object_set_new(entry, "inclusionPromise",
		                    json_pack("{s:s}", "signedEntryTimestamp", b64(set.d, set.n)));
		json_decref(p);
	}
	if (!o->no_proof) {
		char note[512], line[1024];
		struct blob nsig, hinted;

		for (size_t i = 0; i < TREE_SIZE; i++) {
			char other[64];

			if (i == LEAF_INDEX) {
				leaf_hash(leaves[i], body_text, strlen(body_text));
				continue;
			}
			snprintf(other, sizeof(other), "another entry %zu", i);
			leaf_hash(leaves[i], other, strlen(other));
		}
		mth(root, leaves, TREE_SIZE);
		audit_path(path, &plen, LEAF_INDEX, leaves, TREE_SIZE);
		snprintf(note, sizeof(note), "%s\n%d\n%s\n", LOG_ORIGIN, TREE_SIZE, b64(root, 32));
		nsig = sign(log, note, strlen(note));
		hinted.n = 4 + nsig.n;
		hinted.d = xmalloc(hinted.n);
		memcpy(hinted.d, logid, 4);
		memcpy(hinted.d + 4, nsig.d, nsig.n);
		if (o->tamper != NULL && strcmp(o->tamper, "checkpoint") == 0)
			hinted.d[4 + nsig.n / 2] ^= 0x01;
		snprintf(line, sizeof(line), "%s\n\u2014 %s %s\n", note, LOG_NAME, b64(hinted.d, hinted.n));
		if (o->tamper != NULL && strcmp(o->tamper, "proof") == 0)
			path[0][0] ^= 0x01;
		hashes = json_array();
		for (size_t i = 0; i < plen; i++)
			json_array_append_new(hashes, json_string(b64(path[i], 32)));
		json_object_set_new(entry, "inclusionProof",
		                    json_pack("{s:s, s:s, s:s, s:o, s:{s:s}}", "logIndex", idx, "rootHash",
		                              b64(root, 32), "treeSize", size, "hashes", hashes, "checkpoint",
		                              "envelope", line));
	}
	json_object_set_new(entry, "canonicalizedBody", json_string(body_b64));
	EVP_PKEY_free(log);
	json_decref(body);
	return entry;
}

static X509 *read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *cert = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f != NULL)
		fclose(f);
	if (cert == NULL)
		die("cannot read the certificate %s", path);
	return cert;
}

static char *dir_file(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	int w = snprintf(p, n, "%s/%s", dir, name);

	if (w < 0 || (size_t)w >= n)
		die("path %s/%s: cannot be formed", dir, name);
	return p;
}

/* The sig mode: a cosign v2 keyless .sig layer's parts in o->out. */
static void sig_layer(struct opts *o, EVP_PKEY *leaf)
{
	X509 *cert = read_cert(o->leaf_cert);
	char *payload, *cert_pem = pem_of_cert(cert), *sig_b64, logid_hex[65];
	unsigned char logid[32], *spki = NULL;
	EVP_PKEY *log = load_key(o->log_key);
	int spki_len = i2d_PUBKEY(log, &spki);
	struct blob sig, other, chain = {NULL, 0};
	json_t *pl, *entry, *ann;

	if (o->repo == NULL || spki_len <= 0)
		usage();
	sha256(logid, spki, (size_t)spki_len);
	hex(logid_hex, logid, 32);
	pl = json_pack("{s:{s:{s:s}, s:{s:s}, s:s}, s:n}", "critical", "identity", "docker-reference",
	               o->repo, "image", "docker-manifest-digest", o->digest, "type",
	               "cosign container image signature", "optional");
	if (pl == NULL || (payload = json_dumps(pl, JSON_COMPACT)) == NULL)
		die("cannot build the payload");
	sig = sign(leaf, payload, strlen(payload));
	if (o->tamper != NULL && strcmp(o->tamper, "sig") == 0)
		sig.d[sig.n / 2] ^= 0x01;
	other = sig;
	if (o->tamper != NULL && strcmp(o->tamper, "body") == 0) {
		other.d = xmalloc(sig.n);
		memcpy(other.d, sig.d, sig.n);
		other.d[sig.n - 1] ^= 0x01;
	}
	o->message = 1;
	o->no_proof = 1;
	entry = tlog_entry(o, cert, payload, &other, "");
	sig_b64 = b64(sig.d, sig.n);
	write_file(dir_file(o->out, "payload.json"), payload, strlen(payload));
	write_file(dir_file(o->out, "sig.b64"), sig_b64, strlen(sig_b64));
	write_file(dir_file(o->out, "cert.pem"), cert_pem, strlen(cert_pem));
	if (o->chain != NULL)
		chain = read_file(o->chain);
	write_file(dir_file(o->out, "chain.pem"), chain.d != NULL ? chain.d : (unsigned char *)"", chain.n);
	if (!o->no_set) {
		char *text;

		ann = json_pack(
		    "{s:O, s:{s:O, s:I, s:I, s:s}}", "SignedEntryTimestamp",
		    json_object_get(json_object_get(entry, "inclusionPromise"), "signedEntryTimestamp"),
		    "Payload", "body", json_object_get(entry, "canonicalizedBody"), "integratedTime",
		    (json_int_t)o->itime, "logIndex", (json_int_t)LEAF_INDEX, "logID", logid_hex);
		if (ann == NULL || (text = json_dumps(ann, JSON_COMPACT)) == NULL)
			die("cannot build the bundle annotation");
		write_file(dir_file(o->out, "bundle.json"), text, strlen(text));
	}
	EVP_PKEY_free(log);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct blob sig, p;
	char *payload;
	EVP_PKEY *leaf;

	if (argc < 2)
		usage();
	parse(&o, argc, argv);
	if (o.digest == NULL || o.out == NULL || (o.leaf_key == NULL && strcmp(argv[1], "statement") != 0))
		usage();
	if (strcmp(argv[1], "sig") == 0) {
		if (o.leaf_cert == NULL || o.log_key == NULL)
			usage();
		sig_layer(&o, load_key(o.leaf_key));
		return 0;
	}
	payload = statement(o.digest);
	if (strcmp(argv[1], "statement") == 0) {
		write_file(o.out, payload, strlen(payload));
		return 0;
	}
	if (o.message) {
		p.d = (unsigned char *)payload;
		p.n = strlen(payload);
	} else {
		p = pae(payload);
	}
	leaf = load_key(o.leaf_key);
	if (strcmp(argv[1], "sign") == 0) {
		sig = sign(leaf, p.d, p.n);
		write_file(o.out, sig.d, sig.n);
		return 0;
	}
	if (strcmp(argv[1], "bundle") != 0 || o.leaf_cert == NULL || o.log_key == NULL)
		usage();
	sig = o.sig != NULL ? read_file(o.sig) : sign(leaf, p.d, p.n);
	{
		FILE *f = fopen(o.leaf_cert, "r");
		X509 *cert = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
		unsigned char *der = NULL;
		int der_len;
		json_t *env, *vm, *bundle, *entry;
		char *env_text, *text;
		struct blob other = sig;

		if (f != NULL)
			fclose(f);
		if (cert == NULL || (der_len = i2d_X509(cert, &der)) <= 0)
			die("cannot read the certificate %s", o.leaf_cert);
		env = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payload",
		                b64((const unsigned char *)payload, strlen(payload)), "payloadType",
		                INTOTO_TYPE, "signatures", "sig", b64(sig.d, sig.n), "keyid", "");
		env_text = canonical(env);
		if (o.tamper != NULL && strcmp(o.tamper, "body") == 0) {
			other.d = xmalloc(sig.n);
			memcpy(other.d, sig.d, sig.n);
			other.d[sig.n - 1] ^= 0x01;
		}
		entry = tlog_entry(&o, cert, payload, &other, env_text);
		vm = json_pack("{s:{s:s}, s:[o]}", "certificate", "rawBytes", b64(der, (size_t)der_len),
		               "tlogEntries", entry);
		if (o.tsr != NULL) {
			struct blob t = read_file(o.tsr);

			json_object_set_new(
			    vm, "timestampVerificationData",
			    json_pack("{s:[{s:s}]}", "rfc3161Timestamps", "signedTimestamp", b64(t.d, t.n)));
		}
		if (o.message) {
			unsigned char md[32];

			sha256(md, payload, strlen(payload));
			json_decref(env);
			env = json_pack("{s:{s:s, s:s}, s:s}", "messageDigest", "algorithm", "SHA2_256",
			                "digest", b64(md, 32), "signature", b64(sig.d, sig.n));
		}
		bundle = json_pack("{s:s, s:o, s:o}", "mediaType",
		                   "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial",
		                   vm, o.message ? "messageSignature" : "dsseEnvelope", env);
		if (bundle == NULL || (text = json_dumps(bundle, JSON_COMPACT)) == NULL)
			die("cannot build the bundle");
		write_file(o.out, text, strlen(text));
	}
	return 0;
}
