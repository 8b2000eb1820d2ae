/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy/policy.h: what the policy module offers (internal): what is
 * trusted.  containers-policy.json, the HPCR contract, identity rules,
 * scopes, pinned keys, and the export back to containers-policy.json.
 * Where signatures are stored (registries.d) is registry/registries_d.h.
 */
#ifndef SN_POLICY_H
#define SN_POLICY_H

#include <stdint.h>

#include "base/pgp.h"
#include "registry/registries_d.h"
#include "registry/registry.h"
#include <openssl/types.h>

#include <openssl/types.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* ---- identity matching (identity.c) -------------------------------- */

/* containers-policy.json signedIdentity rules (SPEC §4.1). */
enum sn_identity_rule {
	SN_IDENTITY_MATCH_EXACT = 0,
	SN_IDENTITY_MATCH_REPO_DIGEST_OR_EXACT = 1,
	SN_IDENTITY_MATCH_REPOSITORY = 2,
	SN_IDENTITY_EXACT_REFERENCE = 3,  /* compare with spec.docker_reference */
	SN_IDENTITY_EXACT_REPOSITORY = 4, /* compare with spec.docker_repository */
	SN_IDENTITY_REMAP_IDENTITY = 5,	  /* rewrite prefix -> signed_prefix, then matchRepoDigestOrExact */
};

/* A signedIdentity as written in a policy. */
struct sn_identity_spec {
	enum sn_identity_rule rule;
	char *docker_reference;	 /* exactReference */
	char *docker_repository; /* exactRepository */
	char *prefix;		 /* remapIdentity */
	char *signed_prefix;	 /* remapIdentity */
};

/* The rule's name as policy.json spells it ("matchRepoDigestOrExact"). */
const char *sn_identity_rule_name(enum sn_identity_rule rule);

/*
 * Does a signature claiming the docker reference signed_ref (verbatim from
 * its payload) identify the image `image` under rule?  signed_ref is parsed
 * as containers/image does (normalized, no implicit tag: a claim without a
 * tag or digest names only a repository).  image is the docker reference
 * being checked; its tag counts as given even when it was implied.
 * Returns 0 (match), SIGNET_EDENIED with a message saying what was claimed,
 * what was expected and under which rule, or SIGNET_ENOMEM.
 */
int sn_identity_match(enum sn_identity_rule rule, const struct sn_ref *image, const char *signed_ref,
		      struct sn_err *e);

/* The full rule, including the exactReference, exactRepository and
 * remapIdentity forms; a spec of the first three rules behaves as
 * sn_identity_match.  Same returns. */
int sn_identity_spec_match(const struct sn_identity_spec *spec, const struct sn_ref *image, const char *signed_ref,
			   struct sn_err *e);
void sn_identity_spec_clear(struct sn_identity_spec *spec);

/* As skopeo standalone-verify: the claim and the expected reference
 * (both text) must be the same reference after normalization, tag for tag
 * (neither gets an implicit "latest").  0 or SIGNET_EDENIED; an expected
 * reference that does not parse is SIGNET_EBADINPUT. */
int sn_identity_match_exact_text(const char *expected, const char *signed_ref, struct sn_err *e);

/* ---- keyless trust: trusted_root.json (trusted_root.c) ------------- */

/* A certificate authority or timestamp authority of a trusted root. */
struct sn_trusted_ca {
	STACK_OF(X509) * chain;          /* certChain as written: issuing CA first, root last */
	int64_t valid_from, valid_until; /* validFor, unix seconds; valid_until 0: open */
};

/* A transparency log of a trusted root. */
struct sn_trusted_log {
	unsigned char log_id[32]; /* SHA-256 of the key's DER SubjectPublicKeyInfo (checked) */
	EVP_PKEY *key;
	int64_t valid_from, valid_until; /* as above */
};

/* What keyless signatures are checked against: sigstore's TrustedRoot. */
struct sn_trusted_root {
	struct sn_trusted_ca *cas; /* certificateAuthorities */
	size_t n_cas;
	struct sn_trusted_log *logs; /* tlogs (Rekor) */
	size_t n_logs;
	struct sn_trusted_ca *tsas; /* timestampAuthorities */
	size_t n_tsas;
};

/*
 * Parses a trusted_root.json (sigstore protobuf-specs TrustedRoot as JSON,
 * mediaType application/vnd.dev.sigstore.trustedroot+json;version=0.1)
 * strictly: every member known (ctlogs are parsed as tlogs and not used:
 * signet checks no SCT), of the right JSON type; base64 standard and
 * padded; times RFC 3339 UTC ("2023-01-01T00:00:00[.frac]Z"); DER
 * certificates and keys without trailing bytes; each tlog's logId.keyId
 * the SHA-256 of its publicKey.rawBytes; at most
 * SIGNET_MAX_TRUSTED_ROOT_ENTRIES of each list and SIGNET_MAX_CERT_CHAIN
 * certificates per chain; at least one certificate authority and one tlog.
 * source names the data in messages ("trusted root FILE: tlogs[0].logId
 * .keyId: ...").  Returns 0 (*out filled, the caller clears it),
 * SIGNET_EBADINPUT, SIGNET_EUNSUPPORTED (a key signet cannot use),
 * SIGNET_ELIMIT or SIGNET_ENOMEM.
 */
int sn_trusted_root_parse(struct sn_trusted_root *out, const void *data, size_t len, const char *source,
                          struct sn_err *e);
/* The same from the file path (at most SIGNET_MAX_TRUSTED_ROOT_SIZE);
 * also SIGNET_ENOTFOUND / SIGNET_EIO. */
int sn_trusted_root_load(struct sn_trusted_root *out, const char *path, struct sn_err *e);
/*
 * The trusted root of containers-policy.json's fulcio form: the CA
 * certificates of ca_pem (one or more PEM CERTIFICATE blocks, each a
 * trust anchor, as containers/image takes them) and the Rekor public keys
 * log_keys[0..n_logs) (PEM PUBLIC KEY each), all valid forever.  Names
 * for messages: ca_name, log_names[i].  Returns as sn_trusted_root_parse.
 */
int sn_trusted_root_from_pem(struct sn_trusted_root *out, const struct sn_buf *ca_pem, const char *ca_name,
                             const struct sn_buf *log_keys, const char *const *log_names, size_t n_logs,
                             struct sn_err *e);
void sn_trusted_root_clear(struct sn_trusted_root *r);
/* Appends each PEM CERTIFICATE block of data[len] (whitespace between
 * them only; at least one, at most SIGNET_MAX_CERT_CHAIN in chain) to
 * chain, DER without trailing bytes.  Messages start with what.  0,
 * SIGNET_EBADINPUT, SIGNET_ELIMIT or SIGNET_ENOMEM; on failure chain may
 * hold the certificates read before the error (the caller frees it). */
int sn_certs_from_pem(STACK_OF(X509) * chain, const void *data, size_t len, const char *what,
                      struct sn_err *e);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" into unix seconds (the
 * fraction is dropped).  0 or -1. */
int sn_rfc3339_parse(int64_t *out, const char *s);

/* A keyless requirement: what signs (a certificate chaining to root) and
 * who (the pinned identity, compared exactly). */
struct sn_keyless {
	struct sn_trusted_root root;
	char *subject; /* the certificate's SAN, an email address or a URI */
	char *issuer;  /* the OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8 or .1.1) */
	char *source;  /* where the trust root came from, for messages */
};
void sn_keyless_free(struct sn_keyless *k);

/*
 * The policy of `--trusted-root FILE --certificate-identity SUBJECT
 * --certificate-oidc-issuer ISSUER`: every image sigstoreSigned keyless,
 * a Sigstore bundle whose certificate chains to the trusted root and names
 * exactly subject and issuer, matchRepository (a bundle names only the
 * digest).  All three needed (SIGNET_EINVAL otherwise: nothing keyless
 * is accepted without a pinned identity); else as sn_trusted_root_load.
 */
struct sn_policy;
int sn_policy_from_keyless(struct sn_policy **out, const char *trusted_root, const char *subject,
                           const char *issuer, struct sn_err *e);

/* ---- the policy model (policy.c; sources: policy_json.c, contract.c) -
 *
 * Every policy source (containers-policy.json, the HPCR contract) is turned
 * into this one model; verify/ evaluates it.  Requirements hold key
 * material as bytes, read when the policy is loaded, so evaluation never
 * touches the file system for keys.
 */

enum sn_req_type {
	SN_REQ_INSECURE_ACCEPT_ANYTHING = 0,
	SN_REQ_REJECT = 1,
	SN_REQ_SIGNED_BY = 2,	     /* OpenPGP simple signing, keyType GPGKeys */
	SN_REQ_SIGSTORE_SIGNED = 3,  /* cosign-format signatures (public keys) */
	SN_REQ_UNSUPPORTED = 4,	     /* parses, always denies: signedBaseLayer, X.509 key types, ... */
};

struct sn_requirement {
	enum sn_req_type type;
	/* SIGNED_BY / SIGSTORE_SIGNED: the pinned keys, one buffer per key
	 * file or keyData entry, named for messages ("keyPath /etc/k.gpg",
	 * "keyData", "contract workload.images.rhs.\"r/a\".publicKey"). */
	struct sn_buf *keys;
	char **key_names;
	size_t n_keys;
	struct sn_identity_spec identity; /* default matchRepoDigestOrExact */
	/* SIGSTORE_SIGNED keyless (n_keys 0): the trust root and the pinned
	 * identity (owned), else NULL. */
	struct sn_keyless *keyless;
	char *unsupported;		  /* UNSUPPORTED: why, for the denial */
	char *where;			  /* where it was written: file + JSON path or contract path */
};

struct sn_scope_reqs {
	char *transport; /* "docker", "dir", "oci" */
	char *scope;	 /* "" for the transport default */
	struct sn_requirement *reqs;
	size_t n_reqs;
};

struct sn_policy {
	char *source; /* the file it was read from, for messages */
	struct sn_requirement *default_reqs;
	size_t n_default;
	struct sn_scope_reqs *scopes;
	size_t n_scopes;
	/* Contract rules that policy.json cannot say: */
	int allow_digest_refs_unsigned; /* images named by digest need no signature */
	/* Multi-arch: a valid signature on the index counts for its instances
	 * (cosign style); default 1, SPEC §4.1. */
	int index_signature_covers_instances;
	/* Credentials the policy source carries (contract workload.auths),
	 * host -> "user:pass"; secrets, wiped on free. */
	char **auth_hosts;
	char **auth_creds;
	size_t n_auths;
	/* The contract's workload section as YAML text (a mapping written in
	 * the contract is taken as its lines, re-indented; a string as its
	 * value; an encrypted one decrypted), when it has a compose or play
	 * key: the images the contract itself runs, whose digests it vouches
	 * for (verify/verifier.c reads them, then wipes the text).  A secret:
	 * it may hold workload.auths passwords; wiped by sn_policy_free.
	 * workload_what names it in messages; workload_problem says why a
	 * section with compose or play could not be taken (NULL if it was). */
	struct sn_buf workload_text;
	char *workload_what;
	char *workload_problem;
};

/* Which requirements apply to a reference, and why (for explain). */
struct sn_scope_choice {
	const struct sn_requirement *reqs; /* borrowed from the policy */
	size_t n_reqs;
	const char *transport;		   /* "docker" ... or NULL for the global default */
	const char *scope;		   /* the scope key that matched, "" or NULL */
	const char *kind;		   /* "exact", "repository", "namespace", "host", "wildcard",
					    * "transport default", "global default" */
};

/* Scope resolution (SPEC §4.1): for docker, the exact reference
 * (host/ns/repo:tag or @digest), then the repository, each parent
 * namespace, host[:port], *.domain wildcards from the most specific (never
 * the bare domain), then the transport's "" scope, then default.  For dir:
 * and oci: the path scopes of containers-policy.json(5).  First match wins. */
void sn_policy_choose(struct sn_scope_choice *out, const struct sn_policy *p, const struct sn_ref *ref);

void sn_policy_free(struct sn_policy *p);
void sn_requirement_clear(struct sn_requirement *r);
/* A policy of one default requirement of type and identity rule (for
 * trust given on the command line: --key, --trusted-root), its source and
 * the requirement's where set to the strings given; *req is that
 * requirement, to be filled in by the caller.  0 or SIGNET_ENOMEM. */
int sn_policy_one_requirement(struct sn_policy **out, struct sn_requirement **req, enum sn_req_type type,
                              enum sn_identity_rule rule, const char *source, const char *where,
                              struct sn_err *e);

/* policy_json.c: a containers-policy.json file, parsed strictly (SPEC §4.1):
 * unknown fields, duplicate fields, empty requirement lists, wrong types
 * and bad values are SIGNET_EBADINPUT naming the file and the JSON path;
 * key files are read (SIGNET_ENOTFOUND / SIGNET_EIO naming them); the file
 * at most SIGNET_MAX_POLICY_FILE_SIZE. */
int sn_policy_load_json(struct sn_policy **out, const char *path, struct sn_err *e);
int sn_policy_parse_json(struct sn_policy **out, const void *data, size_t len, const char *source,
			 struct sn_err *e);

/*
 * contract.c: the HPCR contract (SPEC §4.2) as a policy.  contract_key is a
 * PEM private key (RSA, unencrypted) to decrypt hyper-protect-basic
 * sections, or NULL; strict makes digest references need signatures too
 * (allow_digest_refs_unsigned = !strict).
 *
 * The file (at most SIGNET_MAX_POLICY_FILE_SIZE) is one YAML mapping with
 * exactly the sections workload and env (both required, as HPCR requires
 * them), attestationPublicKey (optional, not interpreted) and
 * envWorkloadSignature (optional, checked: see below); any other
 * top-level key is refused.  workload and env are each a mapping, a string
 * holding YAML (parsed again, same rules), or
 * "hyper-protect-basic.<b64 RSA PKCS#1 v1.5 password>.<b64 openssl enc
 * -aes-256-cbc -pbkdf2 output>" as IBM documents.  An encrypted workload
 * is decrypted with contract_key (SIGNET_EBADINPUT without one, or with the
 * wrong one); an encrypted env is only checked for form, never decrypted
 * (signet needs nothing from it).
 *
 * The model: for each workload.images.rhs.<identifier>.publicKey (base64
 * of one ASCII-armored OpenPGP public key block, checked for form here,
 * fully when the verifier loads it), the docker scope of the identifier
 * (sn_contract_scope) gets SN_REQ_SIGNED_BY with that key,
 * matchRepoDigestOrExact; each workload.images.dct.<repository>
 * {notary, publicKey} gives its scope SN_REQ_UNSUPPORTED ("Docker Content
 * Trust is not supported yet"); each workload.images.cosign.<identifier>
 * .publicKey (base64 of one PEM PUBLIC KEY block, nothing else, of a key
 * type the sigstore backend accepts: sn_contract_cosign_key_check) gives
 * its scope SN_REQ_SIGSTORE_SIGNED with that key, matchRepository (cosign
 * payloads name the repository only).  A scope named in several sections
 * gets each one's requirement (AND, as policy.json); one section naming
 * a scope twice is refused.  The
 * global default is SN_REQ_REJECT, unsupported = "no key is pinned for
 * this repository in the contract", where = "contract FILE".
 * workload.auths.<registry>.{username, password} become auth_hosts /
 * auth_creds ("user:pass"; https://index.docker.io/v1/ and
 * index.docker.io become docker.io).  Everything else in workload (type,
 * compose, play, volumes, env, ...) is parsed (duplicate keys, aliases,
 * tags, merge keys and depth are refused everywhere, as in
 * yaml_strict.h) and ignored, except that a `type` other than "workload"
 * (or "env" in env) is refused, and that a workload section with a compose
 * or play key is kept as workload_text (above) for the verifier.
 *
 * The contract signature (contract_sig.c): envWorkloadSignature is
 * base64 of RSA PKCS#1 v1.5 / SHA-256 over the workload value followed
 * by the env value, both as the strings written (a section written as a
 * mapping has no such string: refused when signed), checked with
 * env.signingKey (a PEM public key or certificate, or base64 of either;
 * a certificate must be within its notBefore/notAfter).  An encrypted env
 * holds signingKey: it is decrypted with contract_key for that, and
 * without contract_key a signed contract is refused (the signature would
 * go unchecked).  require_signed refuses a contract without signature.
 * Each refusal is SIGNET_EBADINPUT, as any bad contract.
 *
 * Errors: SIGNET_EBADINPUT with "contract FILE: ..." naming the YAML path
 * and line (e.g. `contract c.yaml: workload.images.rhs."r/a".publicKey:
 * not base64 (line 7)`); SIGNET_ELIMIT (size, depth); SIGNET_ENOTFOUND /
 * SIGNET_EIO for the contract or the key file; SIGNET_ENOMEM.  Secrets
 * (the file's bytes, decrypted text, passwords) are wiped after use.
 * *out is the caller's (sn_policy_free).
 */
int sn_policy_load_contract(struct sn_policy **out, const char *path, const char *contract_key, int strict,
                            int require_signed, struct sn_err *e);
/* The same over bytes already read; source names them ("contract SOURCE"). */
int sn_policy_parse_contract(struct sn_policy **out, const void *data, size_t len, const char *source,
                             const char *contract_key, int strict, int require_signed, struct sn_err *e);

/* ---- the contract signature (contract_sig.c) ----------------------- */

#define SN_CONTRACT_DATE_MAX 64  /* "YYYY-MM-DD HH:MM:SS UTC" */
#define SN_CONTRACT_WHO_MAX  512 /* "contract FILE: env.signingKey" */

/* Who signed a contract, as env.signingKey says. */
struct sn_contract_signer {
	int is_cert;                          /* a certificate (else a public key) */
	int bits;                             /* the RSA key's size */
	char not_after[SN_CONTRACT_DATE_MAX]; /* the certificate's notAfter: the contract's expiry */
	char subject[256];                    /* the certificate's subject (one line) */
};

/* Checks envWorkloadSignature sig (base64, sig_len bytes) over workload
 * then env with signing_key (PEM public key or certificate, or base64 of
 * either; a certificate within its dates).  name is "contract FILE".
 * who, if not NULL, is filled once the key is read.  Returns 0,
 * SIGNET_EDENIED (a refusal: the signature does not verify, the
 * certificate expired or is not yet valid), SIGNET_EBADINPUT (not base64,
 * no RSA key, ...; the message says which), SIGNET_ENOMEM.  This is the
 * one check: the guest (sn_policy_parse_contract) and `contract verify`
 * (sn_contract_inspect) both decide with it. */
int sn_contract_sig_check(const char *name, const char *sig, size_t sig_len, const char *workload,
                          size_t workload_len, const char *env, size_t env_len, const char *signing_key,
                          size_t signing_key_len, struct sn_contract_signer *who, struct sn_err *e);

/* The RSA public key of a signingKey value text (len bytes: PEM public
 * key or certificate, or base64 of either) into *key, and the certificate
 * into *cert when it is one and cert is not NULL (else *cert is NULL);
 * both the caller's.  Dates are not checked (sn_contract_cert_dates).
 * name prefixes the messages.  0, SIGNET_EBADINPUT, SIGNET_ENOMEM. */
int sn_contract_signing_key(EVP_PKEY **key, X509 **cert, const char *name, const char *text, size_t len,
                            struct sn_err *e);

/* 0 when now is within cert's notBefore..notAfter, else SIGNET_EDENIED
 * "<who>: signing certificate expired on DATE ..." / "... is not valid
 * before DATE". */
int sn_contract_cert_dates(const X509 *cert, const char *who, struct sn_err *e);

/* ---- what a contract holds (contract.c) ----------------------------- */

enum sn_contract_section { SN_SECTION_WORKLOAD = 0, SN_SECTION_ENV = 1, SN_SECTIONS = 2 };
enum sn_contract_form {
	SN_FORM_ABSENT = 0,
	SN_FORM_MAPPING = 1,   /* a YAML mapping in the contract */
	SN_FORM_STRING = 2,    /* a string holding YAML */
	SN_FORM_ENCRYPTED = 3, /* hyper-protect-basic.<password>.<data> */
};

/* The facts sn_contract_inspect reads; every pointer is owned (clear with
 * sn_contract_facts_clear, which wipes the secrets). */
struct sn_contract_facts {
	int form[SN_SECTIONS];      /* enum sn_contract_form */
	int decrypted[SN_SECTIONS]; /* encrypted, and decrypted with the key given */
	/* A string section's value as written (the encrypted string when
	 * encrypted; NULL for a mapping): what envWorkloadSignature covers. */
	char *value[SN_SECTIONS];
	size_t value_len[SN_SECTIONS];
	/* A plain section's YAML as a document of its own: the string, or
	 * the mapping's lines in the file with their indentation removed
	 * (NULL when encrypted).  A secret (credentials). */
	char *text[SN_SECTIONS];
	size_t text_len[SN_SECTIONS];
	char *signing_key;     /* env.signingKey, when env could be read */
	char *attestation_key; /* attestationPublicKey as given, or NULL */
	size_t attestation_key_len;
	char *signature; /* envWorkloadSignature, or NULL */
	/* The decision on the signature, by the guest's check_signature: 0
	 * verified (or unsigned), SIGNET_EDENIED refused, SIGNET_EBADINPUT
	 * cannot be checked (sig_msg says why); signer when it was read. */
	int sig_rc;
	char *sig_msg;
	int have_signer;
	struct sn_contract_signer signer;
};

/*
 * Reads the contract data (len bytes; source names it) as
 * sn_policy_parse_contract does, with the same schema and the same
 * decision on the signature, but to report instead of enforce: an
 * encrypted section is decrypted (and its YAML checked) only when
 * contract_key is given, and the signature's verdict goes into
 * f->sig_rc / sig_msg instead of failing.  *f (zeroed here first) holds
 * the facts on success; cleared on failure.  Returns 0 or, for a contract
 * that cannot be read, as sn_policy_parse_contract.
 */
int sn_contract_inspect(struct sn_contract_facts *f, const void *data, size_t len, const char *source,
                        const char *contract_key, struct sn_err *e);
void sn_contract_facts_clear(struct sn_contract_facts *f);

/* ---- hyper-protect-basic decryption (hpb.c) ------------------------ */

/* The format of IBM's "Contract encryption", shared by the contract's
 * encrypted sections and the encrypted attestation record
 * (se-checksums.txt.enc): SN_HPB_PREFIX + base64(RSA PKCS#1 v1.5 of a
 * password) + "." + base64(openssl enc -aes-256-cbc -pbkdf2 -pass stdin). */
#define SN_HPB_PREFIX "hyper-protect-basic."

/* The two decoded parts (epw a secret: sn_hpb_clear wipes it). */
struct sn_hpb {
	unsigned char *epw; /* the RSA-encrypted password */
	size_t epw_len;
	unsigned char *ct; /* "Salted__", salt, AES-256-CBC blocks */
	size_t ct_len;
};

/* How a decryption failure names what was decrypted: "<what>: cannot
 * decrypt ... not the key the <subject> was encrypted for, or the <part>
 * is damaged" ("contract c.yaml: workload", "contract", "section"). */
struct sn_hpb_names {
	const char *what;
	const char *subject;
	const char *part;
};

/* text (len bytes) starts with SN_HPB_PREFIX. */
int sn_hpb_is_encrypted(const char *text, size_t len);
/* Splits and decodes text into *out (cleared with sn_hpb_clear): exactly
 * three dot-separated parts, standard base64.  0, SIGNET_EBADINPUT ("<what>:
 * ...", " (line N)" added when line is not 0) or SIGNET_ENOMEM. */
int sn_hpb_split(struct sn_hpb *out, const char *text, size_t len, const char *what, size_t line,
                 struct sn_err *e);
void sn_hpb_clear(struct sn_hpb *h);
/* Loads an unencrypted PEM RSA private key from path into *out (the
 * caller's, EVP_PKEY_free); what names it in messages ("contract private
 * key").  0, SIGNET_ENOTFOUND / SIGNET_EIO / SIGNET_ELIMIT (reading),
 * SIGNET_EBADINPUT (not a PEM private key, protected, not RSA), ENOMEM. */
int sn_hpb_load_key(EVP_PKEY **out, const char *path, const char *what, struct sn_err *e);
/* An RSA private key from the PEM file path (at most max bytes, read and
 * wiped; never a passphrase prompt: a protected key is refused).  what
 * names the file in messages, why_rsa says why only RSA will do. */
int sn_rsa_key_load(EVP_PKEY **out, const char *path, size_t max, const char *what, const char *why_rsa,
                    struct sn_err *e);
/* Decrypts h with key (read from key_path, named in messages): *plain
 * receives the text, NUL-terminated, *plain_len its length without the
 * NUL (a secret: OPENSSL_cleanse and free).  The password is cut at its
 * first newline or NUL, as `openssl enc -pass stdin` reads it.  line, if
 * not 0, is added to messages as " (line N)".  0, SIGNET_EBADINPUT (not
 * openssl enc output, wrong key or damaged data) or SIGNET_ENOMEM. */
int sn_hpb_decrypt(unsigned char **plain, size_t *plain_len, EVP_PKEY *key, const char *key_path,
                   const struct sn_hpb *h, const struct sn_hpb_names *n, size_t line, struct sn_err *e);

/* NULL when data (len bytes) is exactly one ASCII-armored OpenPGP public
 * key block: the BEGIN PGP PUBLIC KEY BLOCK line first, the END line, then
 * nothing but whitespace; else a static phrase saying what it is instead
 * (a secret key block, binary OpenPGP, trailing data, ...). */
const char *sn_contract_key_problem(const unsigned char *data, size_t len);

/* Checks that data (len bytes) is one PEM "PUBLIC KEY" block and nothing
 * else (whitespace around it aside), holding a key the sigstore backend
 * accepts (base/cosign_key.h: sn_sigstore_key_check).  key_id, if not NULL
 * (at least SN_SIGSTORE_KEY_ID_MAX bytes), receives its key id.  Returns 0,
 * SIGNET_EBADINPUT (the message says what the data is instead, without
 * context), SIGNET_EUNSUPPORTED (a key of another type, curve or size),
 * SIGNET_ELIMIT (over SN_PEM_MAX_SIZE) or SIGNET_ENOMEM. */
int sn_contract_cosign_key_check(const unsigned char *data, size_t len, char *key_id, struct sn_err *e);

/* The policy scope of a workload.images identifier, normalized as a docker
 * reference: "host/path" for a repository, "host/path:tag" or
 * "host/path@digest" (an exact-reference scope) when it names one; with
 * repository_only, a tag or digest is refused.  *out is the caller's.
 * SIGNET_EBADINPUT (message says why, without context) or ENOMEM. */
int sn_contract_scope(char **out, const char *ident, int repository_only, struct sn_err *e);

/* ---- keys given as files (key_files.c) ------------------------------ */

/*
 * What the key file whose bytes are key is, by its first bytes: an OpenPGP
 * public key, armored or binary (SN_REQ_SIGNED_BY), or a PEM public key
 * that the sigstore backend accepts (SN_REQ_SIGSTORE_SIGNED; checked with
 * sn_contract_cosign_key_check).  Returns 0, or SIGNET_EBADINPUT naming
 * file: a private key (PEM or OpenPGP; the message says it is one and
 * which public key to give), or neither kind; SIGNET_EUNSUPPORTED (a PEM
 * key of another type, curve or size), SIGNET_ELIMIT, SIGNET_ENOMEM.
 */
int sn_key_file_kind(enum sn_req_type *kind, const struct sn_buf *key, const char *file, struct sn_err *e);

/*
 * The policy of keys given as files (files[0..n)): every image signed by
 * one of them, index signatures covering their instances.  detect 0:
 * every file is OpenPGP (signedBy, matchRepoDigestOrExact; a file of
 * another kind fails when its backend reads it); detect 1: each file's
 * kind is found with sn_key_file_kind, and PEM public keys make a
 * sigstoreSigned requirement with matchRepository (cosign's payloads name
 * only the repository; the digest is checked as always); files of both kinds together are refused
 * (SIGNET_EBADINPUT: one requirement is met by any of its keys, two would
 * both be required).  Returns 0 with *out the caller's (sn_policy_free),
 * SIGNET_EINVAL (no files, a NULL path), SIGNET_ENOTFOUND / SIGNET_EIO
 * (a file that cannot be read), SIGNET_EBADINPUT (empty, or as above),
 * SIGNET_EUNSUPPORTED, SIGNET_ELIMIT, SIGNET_ENOMEM.
 */
int sn_policy_from_key_files(struct sn_policy **out, const char *const *files, size_t n, int detect,
                             struct sn_err *e);

/* ---- export (export.c) --------------------------------------------- */

/* What signet_policy_export writes, rendered in memory. */
struct sn_export {
	struct sn_buf policy_json;     /* containers-policy.json(5) */
	struct sn_buf registries_yaml; /* containers-registries.d(5) */
	struct sn_buf warnings;        /* "...\n" lines: where the export is stricter than signet */
};
/* Frees the three buffers. */
void sn_export_clear(struct sn_export *x);

/*
 * Renders the policy p, with the signature stores a verifier made from rd
 * (may be NULL) and lookaside (may be NULL; it overrides rd's lookaside
 * URLs, as in the verifier) would read, as containers-policy.json and a
 * registries.d file that make containers/image decide as signet does, or
 * more strictly where it cannot say what signet says (each such place is a
 * warning line).  The mapping:
 *  - default -> default, each scope -> transports.<transport>.<scope>
 *    (model order; a repeated scope keeps its first entry, as
 *    sn_policy_choose does);
 *  - insecureAcceptAnything, reject as they are; SN_REQ_UNSUPPORTED ->
 *    reject (with a warning);
 *  - signedBy -> keyType GPGKeys, keyData = base64 of the key bytes as
 *    stored (several keys: one keyring, binary keys armored when armored
 *    ones are among them, since gpg reads either form but not a mix);
 *  - sigstoreSigned -> keyData (one key) or keyDatas (several: newer
 *    containers/image only; warning);
 *  - signedIdentity always written, with the rule's fields.
 * registries.d: default-docker takes lookaside (else rd's default-docker
 * lookaside) and use-sigstore-attachments: rd's default-docker value, else
 * true when any sigstoreSigned requirement exists (signet reads .sig
 * attachments for those unless told not to); each rd docker scope is
 * copied with its lookaside (not when lookaside overrides) and
 * use-sigstore-attachments.
 * Returns 0, SIGNET_EINVAL (a key, scope or URL that JSON or YAML cannot
 * carry), SIGNET_ELIMIT or SIGNET_ENOMEM.  *out is initialized here and the
 * caller's (sn_export_clear) on success.
 */
int sn_export_render(struct sn_export *out, const struct sn_policy *p, const struct sn_registries_d *rd,
                     const char *lookaside, struct sn_err *e);

#endif
