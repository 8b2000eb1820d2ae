# SPDX-License-Identifier: Apache-2.0
# tests/integration/keyless.sh: keyless (Fulcio) Sigstore bundles, offline,
# against a docker-registry 2.8 (referrers through the tag schema).  The
# material is tlog's: fixtures/make-keyless.sh (a Fulcio-like CA, a wrong
# CA, a log key, a TSA, trusted_root.json) and tests/helpers/keylesscraft
# (bundles with transparency log entries, tampered on demand).
#   - signet verify --trusted-root --certificate-identity
#     --certificate-oidc-issuer allows a good bundle (the digest printed),
#     and refuses, exit 1 with its message: a certificate of another CA, a
#     certificate expired at the signing time, another SAN, another issuer,
#     no log proof, a tampered inclusion proof, a tampered SET, a bundle
#     for another digest, an inclusion proof without SET (no verified
#     signing time);
#   - containers-policy.json's sigstoreSigned fulcio form allows and
#     refuses the same way;
#   - without a pinned identity: a usage error (exit 2);
#   - gate and audit see keyless bundles;
#   - DIFFERENTIAL: every bundle is also judged by sigstore-js (oracle.js
#     verify-keyless); signet never allows what sigstore-js refuses, and
#     where it refuses what sigstore-js allows, docs/differences.md says why.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo jq curl sha256sum openssl base64 node
: "${KEYLESSCRAFT:?KEYLESSCRAFT must name tests/helpers/keylesscraft}"

ORACLE_DIR="$SRCDIR/tests/sigstore-js"
[[ -d $ORACLE_DIR/node_modules/@sigstore/verify ]] ||
	die "sigstore-js is not installed in $ORACLE_DIR (run .ci/setup)"

start_registry http
mkdir -p "$T/regd"
K="$T/keyless"
"$SRCDIR/fixtures/make-keyless.sh" "$K" >/dev/null || die "make-keyless.sh failed"
ROOT="$K/trusted_root.json"
NOW=$(date +%s)
EMAIL=alice@example.com
ISSUER=https://accounts.example.com
mk() { "$SRCDIR/fixtures/make-keyless.sh" "$K" "$@" >/dev/null || die "make-keyless.sh $*: failed"; }
mk leaf alice "$EMAIL" "$ISSUER" $((NOW - 60)) $((NOW + 540))
mk leaf old "$EMAIL" "$ISSUER" $((NOW - 7200)) $((NOW - 6600))
mk leaf mallory "$EMAIL" "$ISSUER" $((NOW - 60)) $((NOW + 540)) wrong

push_image v1 test/keyless:v1
push_image v2 test/keyless:v2
D1=$(skopeo inspect --tls-verify=false "docker://$REG/test/keyless:v1" | jq -r .Digest)
D2=$(skopeo inspect --tls-verify=false "docker://$REG/test/keyless:v2" | jq -r .Digest)
[[ $D1 != "$D2" ]] || die "v1 and v2 have one digest"

# craft NAME [LEAF] [-- keylesscraft options]: $T/NAME.json, over D1 by default
craft() {
	local name=$1 leaf=alice
	shift
	if [[ $# -gt 0 && $1 != -- ]]; then leaf=$1; shift; fi
	[[ ${1-} == -- ]] && shift
	"$KEYLESSCRAFT" bundle --leaf-key "$K/$leaf.key" --leaf-cert "$K/$leaf.crt" --log-key "$K/log.key" \
		--image-digest "$D1" --repo test/keyless "$@" -o "$T/$name.json" || die "keylesscraft $name failed"
}
# attach NAME: test/kl-NAME:v1 (the v1 image) with $T/NAME.json as its one referrer
attach() {
	push_image v1 "test/kl-$1:v1"
	push_referrer "test/kl-$1" "$D1" "$T/$1.json" >/dev/null
}
verify() {
	local code=$1 name=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" "$@" \
		"docker://$REG/test/kl-$name:v1"
}
keyless() {
	local code=$1 name=$2 san=${3:-$EMAIL} iss=${4:-$ISSUER}
	verify "$code" "$name" --trusted-root "$ROOT" --certificate-identity "$san" --certificate-oidc-issuer "$iss"
}
# judge CODE NAME MESSAGE [ORACLE-CODE [SAN [ISSUER]]]: signet verify keyless
# on test/kl-NAME, then sigstore-js on the same bundle with the same trust
# and identity.  signet may refuse what sigstore-js allows (ORACLE-CODE 0
# with CODE 1: a difference docs/differences.md lists), never the other way.
judge() {
	local code=$1 name=$2 msg=$3 ocode=${4:-$1} san=${5:-$EMAIL} iss=${6:-$ISSUER}
	[[ $code != 0 || $ocode == 0 ]] || die "judge $name: signet would allow what sigstore-js refuses"
	keyless "$code" "$name" "$san" "$iss"
	if [[ $code == 0 ]]; then
		expect_match "$REG/test/kl-$name@$D1" "$OUT"
	else
		expect_match "$msg" "$ERR"
	fi
	expect_exit "$ocode" -- node "$ORACLE_DIR/oracle.js" verify-keyless "$T/$name.json" "$ROOT" \
		"${D1#sha256:}" "$san" "$iss"
}

echo "# allowed: SET and inclusion proof; a certificate expired now but valid at the signing time; a timestamp"
craft good
attach good
judge 0 good ""
craft backdated old -- --integrated-time $((NOW - 7000))
attach backdated
judge 0 backdated ""
"$KEYLESSCRAFT" sign --leaf-key "$K/alice.key" --image-digest "$D1" -o "$T/sig.bin" || die "keylesscraft sign failed"
mk tsr "$T/sig.bin" "$T/sig.tsr"
craft tsa -- --sig "$T/sig.bin" --tsr "$T/sig.tsr"
attach tsa
judge 0 tsa ""
# An inclusion proof alone proves no time; the RFC 3161 timestamp does.
craft tsa-proof -- --sig "$T/sig.bin" --tsr "$T/sig.tsr" --no-set
attach tsa-proof
judge 0 tsa-proof ""

echo "# refused: the certificate"
craft wrongca mallory
attach wrongca
judge 1 wrongca 'does not chain to the trusted root'
craft expired old
attach expired
judge 1 expired 'not valid at the signing time'

echo "# refused: the CA of the trusted root is not valid at the signing time (validFor)"
jq '.certificateAuthorities[].validFor = {start: "2020-01-01T00:00:00Z", end: "2021-01-01T00:00:00Z"}' "$ROOT" \
	>"$T/oldroot.json"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --trusted-root "$T/oldroot.json" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" "docker://$REG/test/kl-good:v1"
expect_match 'does not chain to the trusted root .*: no certificate authority of it is valid at that time' "$ERR"
expect_exit 1 -- node "$ORACLE_DIR/oracle.js" verify-keyless "$T/good.json" "$T/oldroot.json" "${D1#sha256:}" \
	"$EMAIL" "$ISSUER"

echo "# refused: the identity (SAN, then OIDC issuer), exact"
judge 1 good 'identity does not match: the certificate.s subject is "alice@example.com", the pinned one "bob@example.com"' \
	1 bob@example.com
judge 1 good 'identity does not match: the certificate.s subject is "alice@example.com", the pinned one "ALICE@example.com"' \
	1 ALICE@example.com
judge 1 good 'identity does not match: the certificate.s OIDC issuer is "https://accounts.example.com", the pinned one "https://other.example.com"' \
	1 "$EMAIL" https://other.example.com
judge 1 good 'identity does not match: the certificate.s OIDC issuer' 1 "$EMAIL" "$ISSUER/"

echo "# a URI SAN (a CI workflow identity)"
WF=https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main
GHA=https://token.actions.githubusercontent.com
mk leaf ci "$WF" "$GHA" $((NOW - 60)) $((NOW + 540))
craft ci ci
attach ci
judge 0 ci "" 0 "$WF" "$GHA"
judge 1 ci 'identity does not match: the certificate.s subject is "https://github.com/org/repo/' 1 "$WF-x" "$GHA"

echo "# leaves made here from the test CA's intermediate: the issuer in the deprecated extension only"
# xleaf NAME EXTENSION-LINES...: NAME.key, NAME.crt, valid for the next 10 minutes
xleaf() {
	local name=$1
	shift
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/$name.key" 2>/dev/null
	openssl req -new -key "$K/$name.key" -subj "/O=signet-test" -out "$K/$name.csr"
	{
		echo "[leaf]"
		echo "basicConstraints = critical,CA:FALSE"
		echo "keyUsage = critical,digitalSignature"
		printf '%s\n' "$@"
	} >"$K/$name.ext"
	openssl ca -batch -config "$K/ca/ca.cnf" -keyfile "$K/ca/inter.key" -cert "$K/ca/inter.crt" \
		-in "$K/$name.csr" -out "$K/$name.crt" -notext -extensions leaf -extfile "$K/$name.ext" \
		-startdate "$(date -u -d @$((NOW - 60)) +%Y%m%d%H%M%SZ)" \
		-enddate "$(date -u -d @$((NOW + 540)) +%Y%m%d%H%M%SZ)" 2>"$K/$name.log" || die "xleaf $name failed"
}
IHEX=$(printf %s "$ISSUER" | od -An -tx1 -v | tr -d ' \n' | sed 's/../&:/g; s/:$//')
xleaf v1iss "extendedKeyUsage = codeSigning" "subjectAltName = critical,email:$EMAIL" \
	"1.3.6.1.4.1.57264.1.1 = DER:$IHEX"
craft v1iss v1iss
attach v1iss
judge 0 v1iss ""
echo "# refused where sigstore-js allows (docs/differences.md): no codeSigning usage, two SANs"
xleaf noeku "extendedKeyUsage = serverAuth" "subjectAltName = critical,email:$EMAIL" \
	"1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:$ISSUER"
craft noeku noeku
attach noeku
judge 1 noeku 'not for code signing' 0
xleaf twosan "extendedKeyUsage = codeSigning" "subjectAltName = critical,email:$EMAIL,email:bob@example.com" \
	"1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:$ISSUER"
craft twosan twosan
attach twosan
judge 1 twosan 'identity does not match: the certificate has 2 subject alternative names' 0

echo "# refused: the transparency log evidence"
craft none -- --no-set --no-proof
attach none
judge 1 none 'no transparency log proof'
craft t-proof -- --tamper proof
attach t-proof
judge 1 t-proof 'inclusion proof does not verify'
craft t-set -- --tamper set
attach t-set
judge 1 t-set 'signed entry timestamp does not verify'
craft t-body -- --tamper body
attach t-body
judge 1 t-body 'transparency log entry is about another signature'
# Where signet refuses more than sigstore-js: integratedTime is covered by
# nothing the log signed without the SET (docs/differences.md).
craft proof-only -- --no-set
attach proof-only
judge 1 proof-only 'no verified signing time' 0

echo "# refused: a bundle for another digest"
craft other -- --image-digest "$D2"
attach other
keyless 1 other
expect_match "sha256:${D2#sha256:}" "$ERR"
expect_exit 1 -- node "$ORACLE_DIR/oracle.js" verify-keyless "$T/other.json" "$ROOT" "${D1#sha256:}" "$EMAIL" "$ISSUER"

echo "# bundle v0.2 with an x509CertificateChain (leaf, intermediate): allowed; v0.3 carries the leaf alone"
LEAF=$(jq -r '.verificationMaterial.certificate.rawBytes' "$T/good.json")
INTER=$(openssl x509 -in "$K/ca/inter.crt" -outform DER | base64 -w0)
jq --arg l "$LEAF" --arg i "$INTER" '.mediaType = "application/vnd.dev.sigstore.bundle+json;version=0.2" |
	.verificationMaterial |= (del(.certificate) | .x509CertificateChain = {certificates: [{rawBytes: $l}, {rawBytes: $i}]})' \
	"$T/good.json" >"$T/chain02.json"
attach chain02
judge 0 chain02 ""
jq '.mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"' "$T/chain02.json" >"$T/chain03.json"
attach chain03
judge 1 chain03 'an x509CertificateChain in a v0.3 bundle'

jq '.verificationMaterial.x509CertificateChain.certificates[1].rawBytes = "AAAA"' "$T/chain02.json" >"$T/chainbad.json"
attach chainbad
keyless 1 chainbad
expect_match 'x509CertificateChain.certificates\[1\].rawBytes: not a DER X.509 certificate' "$ERR"

echo "# limits crossed: SIGNET_MAX_CERT_CHAIN, SIGNET_MAX_CERT_SIZE, SIGNET_MAX_TIMESTAMPS"
jq '.verificationMaterial.x509CertificateChain.certificates |= [range(9) as $i | .[0]]' "$T/chain02.json" >"$T/chain9.json"
attach chain9
keyless 1 chain9
expect_match 'x509CertificateChain.certificates: 9, more than the limit of 8 \(SIGNET_MAX_CERT_CHAIN\)' "$ERR"
jq --arg b "$(head -c 65540 /dev/zero | base64 -w0)" '.verificationMaterial.certificate.rawBytes = $b' \
	"$T/good.json" >"$T/bigcert.json"
attach bigcert
keyless 1 bigcert
expect_match 'certificate.rawBytes: larger than the limit of 65536 bytes \(SIGNET_MAX_CERT_SIZE\)' "$ERR"
jq '.verificationMaterial.timestampVerificationData.rfc3161Timestamps |= (.[0] as $t | [range(9) | $t])' \
	"$T/tsa.json" >"$T/tsa9.json"
attach tsa9
keyless 1 tsa9
expect_match 'rfc3161Timestamps: 9, more than the limit of 8 \(SIGNET_MAX_TIMESTAMPS\)' "$ERR"
jq '.verificationMaterial.timestampVerificationData.rfc3161Timestamps |= (.[0] as $t | [range(8) | $t])' \
	"$T/tsa.json" >"$T/tsa8.json"
attach tsa8
keyless 0 tsa8

echo "# nothing keyless without a pinned identity: a usage error"
verify 2 good --trusted-root "$ROOT"
expect_match 'nothing keyless is accepted without a pinned identity' "$ERR"
verify 2 good --trusted-root "$ROOT" --certificate-identity "$EMAIL"
verify 2 good --certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER"
verify 2 good --trusted-root "$ROOT" --certificate-identity "" --certificate-oidc-issuer "$ISSUER"
verify 2 good --key "$K/log.pub" --trusted-root "$ROOT" --certificate-identity "$EMAIL" \
	--certificate-oidc-issuer "$ISSUER"

echo "# a key-based requirement refuses a keyless bundle"
verify 1 good --key "$K/log.pub"
expect_match 'a certificate \(keyless signing\), but this requirement pins public keys' "$ERR"

echo "# containers-policy.json: sigstoreSigned fulcio + rekorPublicKeyPath"
cat "$K/ca/root.crt" "$K/ca/inter.crt" >"$T/fulcio.pem"
# fpolicy FILE EMAIL: every test/kl-* repository needs the fulcio requirement
fpolicy() {
	jq -n --arg s "$REG/test" --arg ca "$T/fulcio.pem" --arg rk "$K/log.pub" --arg em "$2" --arg is "$ISSUER" \
		'{default: [{type: "reject"}], transports: {docker: {($s): [{type: "sigstoreSigned",
		  fulcio: {caPath: $ca, oidcIssuer: $is, subjectEmail: $em}, rekorPublicKeyPath: $rk,
		  signedIdentity: {type: "matchRepository"}}]}}}' >"$1"
}
fpolicy "$T/fulcio.json" "$EMAIL"
fpolicy "$T/fulcio-bob.json" bob@example.com
verify 0 good --policy "$T/fulcio.json"
expect_match "$D1" "$OUT"
verify 1 wrongca --policy "$T/fulcio.json"
expect_match 'does not chain to the trusted root' "$ERR"
verify 1 expired --policy "$T/fulcio.json"
expect_match 'not valid at the signing time' "$ERR"
verify 1 good --policy "$T/fulcio-bob.json"
expect_match 'identity does not match' "$ERR"
# caData and rekorPublicKeyData: the same trust, inline
jq --arg ca "$(base64 -w0 "$T/fulcio.pem")" --arg rk "$(base64 -w0 "$K/log.pub")" \
	'.transports.docker[][0] |= (del(.fulcio.caPath, .rekorPublicKeyPath) | .fulcio.caData = $ca |
	 .rekorPublicKeyData = $rk)' "$T/fulcio.json" >"$T/fulcio-data.json"
verify 0 good --policy "$T/fulcio-data.json"
verify 1 t-set --policy "$T/fulcio-data.json"
expect_match 'signed entry timestamp does not verify' "$ERR"
# the CA file is read when the policy is loaded
jq '.transports.docker[][0].fulcio.caPath = "/nonexistent/fulcio.pem"' "$T/fulcio.json" >"$T/fulcio-missing.json"
verify 3 good --policy "$T/fulcio-missing.json"
expect_match '/nonexistent/fulcio.pem' "$ERR"

echo "# a trusted root that does not parse: bad input naming the JSON path"
jq '.tlogs[0].logId.keyId = "AAAA"' "$ROOT" >"$T/badroot.json"
verify 2 good --trusted-root "$T/badroot.json" --certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER"
expect_match 'trusted root .*badroot.json: tlogs\[0\]\.logId\.keyId: is not the SHA-256 of publicKey\.rawBytes' "$ERR"

echo "# policy lint describes the keyless trust; export writes reject (containers/image reads no trusted root)"
expect_exit 0 -- "$SIGNET" policy lint --trusted-root "$ROOT" --certificate-identity "$EMAIL" \
	--certificate-oidc-issuer "$ISSUER"
expect_match "keyless: certificate identity $EMAIL, OIDC issuer $ISSUER, trusted root .*trusted_root.json \(1 CAs, 1 logs, 1 timestamp authorities\)" "$OUT"
expect_exit 0 -- "$SIGNET" policy export --trusted-root "$ROOT" --certificate-identity "$EMAIL" \
	--certificate-oidc-issuer "$ISSUER" -o "$T/exported"
expect_eq "$(jq -c . "$T/exported/policy.json")" '{"default":[{"type":"reject"}]}' "the exported policy"
expect_match 'warning: default: keyless \(trusted root .*\): exported as reject' "$ERR"

echo "# gate pins a keyless-signed image, refuses a tampered one"
printf 'services:\n  app:\n    image: %s\n' "$REG/test/kl-good:v1" >"$T/compose.yaml"
expect_exit 0 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --trusted-root "$ROOT" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" -o "$T/compose.pinned.yaml" "$T/compose.yaml"
expect_match "$REG/test/kl-good:v1@$D1" "$T/compose.pinned.yaml"
printf 'services:\n  app:\n    image: %s\n' "$REG/test/kl-t-proof:v1" >"$T/compose2.yaml"
expect_exit 1 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --trusted-root "$ROOT" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" -o "$T/compose2.pinned.yaml" "$T/compose2.yaml"
expect_match 'inclusion proof does not verify' "$ERR"

echo "# the audit counts keyless bundles as bundles, signed by the SAN"
expect_exit 0 -- "$SIGNET" audit --json --tls-verify=false --registries.d "$T/regd" --trusted-root "$ROOT" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" "docker://$REG/test/kl-good"
expect_eq "$(jq -sc '.[] | select(.tag == "v1") | [.verdict, (.signatures[] | .kind, .store, .valid, .signer)]' "$OUT")" \
	"[\"allowed\",\"sigstore-bundle\",\"referrer\",true,\"$EMAIL\"]" "v1: allowed by its keyless bundle"
expect_eq "$(jq -sc '.[] | select(.type == "summary") | [.byFormat["sigstore-bundle"], .policy.kind]' "$OUT")" \
	'[1,"trusted-root"]' "the summary counts the bundle and names the trust"

finish
