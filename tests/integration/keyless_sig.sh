# SPDX-License-Identifier: Apache-2.0
# tests/integration/keyless_sig.sh: keyless signatures stored the cosign v2
# way, as a layer of the image's sha256-<hex>.sig tag (payload = simple
# signing JSON; annotations dev.cosignproject.cosign/signature,
# dev.sigstore.cosign/certificate, /chain and /bundle, the last one the
# Rekor SET of a hashedrekord entry), against a docker-registry 2.8.  The
# material: fixtures/make-keyless.sh and `keylesscraft sig`.
#   - each case through signet verify with --trusted-root
#     --certificate-identity --certificate-oidc-issuer AND with
#     containers-policy.json's sigstoreSigned fulcio form (caPath,
#     oidcIssuer, subjectEmail, rekorPublicKeyPath): the exit code and the
#     meaning of the message;
#   - THE ORACLE: skopeo 1.9.3 (Debian 12) does not know the fulcio form
#     ("Unknown key \"fulcio\"", asserted below), so sigstore-js judges
#     each layer instead (oracle.js verify-keyless-sig: the .sig manifest
#     and payload fetched from the registry, converted to the bundle v0.1
#     they stand for, verified offline with the same trusted root and
#     identity).  signet allows nothing the oracle refuses, but for the one
#     case docs/differences.md names `sig-chain-intermediates` (the chain
#     annotation's intermediates, which containers/image uses and
#     sigstore-js ignores; the test checks the row is there); where it
#     refuses what the oracle allows, the case names its row there too;
#   - the chain annotation's certificates are untrusted intermediates only;
#   - a key-based requirement refuses a certificate-carrying layer.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo jq curl sha256sum openssl base64 node
: "${KEYLESSCRAFT:?KEYLESSCRAFT must name tests/helpers/keylesscraft}"

ORACLE_DIR="$SRCDIR/tests/sigstore-js"
[[ -d $ORACLE_DIR/node_modules/@sigstore/verify ]] ||
	die "sigstore-js is not installed in $ORACLE_DIR (run .ci/setup)"
DOC=$SRCDIR/docs/differences.md
MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_CONFIG=application/vnd.oci.image.config.v1+json
MT_SIMPLESIGNING=application/vnd.dev.cosign.simplesigning.v1+json

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

push_image v1 test/ksig:v1
push_image v2 test/ksig:v2
D1=$(skopeo inspect --tls-verify=false "docker://$REG/test/ksig:v1" | jq -r .Digest)
D2=$(skopeo inspect --tls-verify=false "docker://$REG/test/ksig:v2" | jq -r .Digest)
[[ $D1 != "$D2" ]] || die "v1 and v2 have one digest"

# The fulcio policy form, as skopeo/podman users write it.
cat "$K/ca/root.crt" "$K/ca/inter.crt" >"$T/fulcio.pem"
fpolicy() { # fpolicy FILE EMAIL [CA-FILE]
	jq -n --arg s "$REG/test" --arg ca "${3:-$T/fulcio.pem}" --arg rk "$K/log.pub" --arg em "$2" \
		--arg is "$ISSUER" \
		'{default: [{type: "reject"}], transports: {docker: {($s): [{type: "sigstoreSigned",
		  fulcio: {caPath: $ca, oidcIssuer: $is, subjectEmail: $em}, rekorPublicKeyPath: $rk,
		  signedIdentity: {type: "matchRepository"}}]}}}' >"$1"
}
fpolicy "$T/fulcio.json" "$EMAIL"

echo "# the oracle: skopeo 1.9.3 does not support the fulcio form"
expect_exit 1 -- skopeo copy --policy "$T/fulcio.json" --src-tls-verify=false "docker://$REG/test/ksig:v1" \
	"dir:$T/skopeo-out"
expect_match 'Unknown key \\"fulcio\\"' "$ERR"

# craft NAME [LEAF] [-- keylesscraft options]: the parts in $T/NAME/, over
# D1 and for the repository test/ks-NAME by default
craft() {
	local name=$1 leaf=alice
	shift
	if [[ $# -gt 0 && $1 != -- ]]; then leaf=$1; shift; fi
	[[ ${1-} == -- ]] && shift
	mkdir -p "$T/$name"
	"$KEYLESSCRAFT" sig --leaf-key "$K/$leaf.key" --leaf-cert "$K/$leaf.crt" --log-key "$K/log.key" \
		--image-digest "$D1" --repo "$REG/test/ks-$name" "$@" -o "$T/$name" || die "keylesscraft sig $name failed"
}
# attach NAME: test/ks-NAME:v1 (the v1 image) with one .sig layer made of
# $T/NAME/'s parts (the certificate and chain annotations when their files
# are not empty, the bundle annotation when its file exists), as cosign v2
# writes it
attach() {
	local name=$1 repo=test/ks-$1 d ann f=$T/$1/manifest.json
	push_image v1 "$repo:v1"
	d=$(reg_put_blob "$repo" "$T/$name/payload.json")
	ann=$(jq -n --rawfile s "$T/$name/sig.b64" '{"dev.cosignproject.cosign/signature": $s}')
	[[ -s $T/$name/cert.pem ]] &&
		ann=$(jq --rawfile c "$T/$name/cert.pem" '. + {"dev.sigstore.cosign/certificate": $c}' <<<"$ann")
	[[ -s $T/$name/chain.pem ]] &&
		ann=$(jq --rawfile ch "$T/$name/chain.pem" '. + {"dev.sigstore.cosign/chain": $ch}' <<<"$ann")
	[[ -f $T/$name/bundle.json ]] &&
		ann=$(jq --rawfile b "$T/$name/bundle.json" '. + {"dev.sigstore.cosign/bundle": $b}' <<<"$ann")
	jq -cn --arg d "$d" '{architecture: "", os: "", config: {}, rootfs: {type: "layers", diff_ids: [$d]}}' |
		tr -d '\n' >"$f.config"
	jq -cn --arg mt "$MT_MANIFEST" --arg cmt "$MT_CONFIG" --arg lmt "$MT_SIMPLESIGNING" \
		--arg cd "$(reg_put_blob "$repo" "$f.config")" --argjson cs "$(stat -c %s "$f.config")" \
		--arg d "$d" --argjson s "$(stat -c %s "$T/$name/payload.json")" --argjson a "$ann" \
		'{schemaVersion: 2, mediaType: $mt, config: {mediaType: $cmt, digest: $cd, size: $cs},
		  layers: [{mediaType: $lmt, digest: $d, size: $s, annotations: $a}]}' | tr -d '\n' >"$f"
	reg_put_manifest "$repo" "$(cosign_tag "$D1")" "$f"
}
verify() {
	local code=$1 name=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" "$@" \
		"docker://$REG/test/ks-$name:v1"
}
# oracle CODE NAME [SAN [ISSUER [ROOT]]]: sigstore-js on the .sig layer as
# stored in the registry
oracle() {
	local code=$1 name=$2 san=${3:-$EMAIL} iss=${4:-$ISSUER} root=${5:-$ROOT}
	reg_manifest "test/ks-$name" "$(cosign_tag "$D1")" >"$T/$name.sigm.json" ||
		die "oracle $name: no .sig manifest"
	reg_blob "test/ks-$name" "$(jq -r '.layers[0].digest' "$T/$name.sigm.json")" >"$T/$name.sigp" ||
		die "oracle $name: no payload blob"
	expect_exit "$code" -- node "$ORACLE_DIR/oracle.js" verify-keyless-sig "$T/$name.sigm.json" "$T/$name.sigp" \
		"$root" "${D1#sha256:}" "$san" "$iss"
}
# judge CODE NAME MESSAGE [ORACLE-CODE [DIFF-ROW]] [-- SAN ISSUER]: signet
# (CLI keyless options, then the fulcio policy) and the oracle on
# test/ks-NAME.  signet allowing what the oracle refuses fails the case;
# signet refusing what the oracle allows needs DIFF-ROW in differences.md.
judge() {
	local code=$1 name=$2 msg=$3 ocode=${4:-$1} row=${5-} san=$EMAIL iss=$ISSUER
	shift $(($# < 5 ? $# : 5))
	if [[ ${1-} == -- ]]; then san=$2; iss=$3; fi
	[[ $code != 0 || $ocode == 0 ]] || die "judge $name: signet would allow what the oracle refuses"
	if [[ $code != 0 && $ocode == 0 ]]; then
		if grep -qF -- "$row" "$DOC" && [[ -n $row ]]; then
			pass "$name: signet refuses what sigstore-js allows; docs/differences.md says why ($row)"
		else
			fail "$name: signet refuses what sigstore-js allows, and docs/differences.md has no row \"$row\""
		fi
	fi
	verify "$code" "$name" --trusted-root "$ROOT" --certificate-identity "$san" --certificate-oidc-issuer "$iss"
	if [[ $code == 0 ]]; then expect_match "$REG/test/ks-$name@$D1" "$OUT"; else expect_match "$msg" "$ERR"; fi
	if [[ $san == "$EMAIL" && $iss == "$ISSUER" ]]; then
		verify "$code" "$name" --policy "$T/fulcio.json"
		if [[ $code == 0 ]]; then expect_match "$D1" "$OUT"; else expect_match "$msg" "$ERR"; fi
	fi
	oracle "$ocode" "$name" "$san" "$iss"
}

# variant NAME JQ-FILTER: the good layer's parts with the bundle annotation passed through JQ-FILTER
variant() {
	mkdir -p "$T/$1" && cp "$T/good/payload.json" "$T/good/sig.b64" "$T/good/cert.pem" "$T/good/chain.pem" "$T/$1/"
	jq -c "$2" "$T/good/bundle.json" >"$T/$1/bundle.json"
	attach "$1"
}

echo "# allowed: a good layer; a certificate expired now but valid at integratedTime"
craft good
attach good
judge 0 good ""
craft backdated old -- --integrated-time $((NOW - 7000))
attach backdated
judge 0 backdated ""

echo "# refused: the certificate (another CA, expired at the signing time)"
craft wrongca mallory
attach wrongca
judge 1 wrongca 'keyless: the certificate does not chain to the trusted root'
craft expired old
attach expired
judge 1 expired 'keyless: the certificate is not valid at the signing time'

echo "# refused: the identity (email, then OIDC issuer)"
judge 1 good 'identity does not match: the certificate.s subject is "alice@example.com", the pinned one "bob@example.com"' \
	1 "" -- bob@example.com "$ISSUER"
judge 1 good 'identity does not match: the certificate.s OIDC issuer is "https://accounts.example.com", the pinned one "https://other.example.com"' \
	1 "" -- "$EMAIL" https://other.example.com
fpolicy "$T/fulcio-bob.json" bob@example.com
verify 1 good --policy "$T/fulcio-bob.json"
expect_match 'identity does not match: the certificate.s subject is "alice@example.com", the pinned one "bob@example.com"' "$ERR"

echo "# refused: the Rekor evidence"
craft noset -- --no-set
attach noset
judge 1 noset 'cosign signature: no transparency log proof: no dev.sigstore.cosign/bundle annotation'
craft t-set -- --tamper set
attach t-set
judge 1 t-set 'dev.sigstore.cosign/bundle annotation: transparency log entry: signed entry timestamp does not verify'
craft t-body -- --tamper body
attach t-body
judge 1 t-body 'transparency log entry is about another signature: its signature is not the bundle.s'
variant t-time '.Payload.integratedTime -= 1'
judge 1 t-time 'signed entry timestamp does not verify'

echo "# refused: the payload names another digest; the signature is tampered with"
craft other -- --image-digest "$D2"
attach other
judge 1 other "sha256:${D2#sha256:}"
craft t-sig -- --tamper sig
attach t-sig
judge 1 t-sig 'signature: the signature does not verify with the certificate.s key'

echo "# the chain annotation: trusted for nothing, not even as intermediates"
# A trust of the root CA alone: the leaf would chain only through the
# annotation's intermediate.
jq '.certificateAuthorities[0].certChain.certificates |= [.[-1]]' "$ROOT" >"$T/rootonly.json"
cp "$K/ca/root.crt" "$T/rootonly.pem"
fpolicy "$T/fulcio-rootonly.json" "$EMAIL" "$T/rootonly.pem"
craft chained -- --chain "$K/ca/inter.crt"
attach chained
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --trusted-root "$T/rootonly.json" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" "docker://$REG/test/ks-chained:v1"
expect_match 'does not chain to the trusted root .*unable to get local issuer certificate' "$ERR"
verify 1 chained --policy "$T/fulcio-rootonly.json"
# sigstore-js refuses it too: it builds the chain from the trusted root
# alone and ignores certificates a signature offers.  containers/image's
# fulcio form uses the chain annotation as intermediates and would allow
# it (openssl agrees the chain is valid through that intermediate), so
# signet refuses more than containers/image here: docs/differences.md has
# the row, and the test checks it is there.  Pinning the intermediate too
# (as the good case above does) is what makes it pass.
oracle 1 chained "$EMAIL" "$ISSUER" "$T/rootonly.json"
expect_match 'Failed to verify certificate chain' "$ERR"
expect_exit 0 -- openssl verify -CAfile "$T/rootonly.pem" -untrusted "$K/ca/inter.crt" -purpose any "$K/alice.crt"
expect_exit 2 -- openssl verify -CAfile "$T/rootonly.pem" -purpose any "$K/alice.crt"
if grep -qF -- '`sig-chain-intermediates`' "$DOC"; then
	pass "chained: signet refuses (as sigstore-js) what containers/image allows; docs/differences.md says so"
else
	fail "chained: signet refuses what containers/image allows, and docs/differences.md has no \`sig-chain-intermediates\` row"
fi
# without the intermediate: nothing to chain through
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --trusted-root "$T/rootonly.json" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" "docker://$REG/test/ks-good:v1"
expect_match 'does not chain to the trusted root .*unable to get local issuer certificate' "$ERR"
oracle 1 good "$EMAIL" "$ISSUER" "$T/rootonly.json"
# another CA's root and intermediate offered in the chain are not trusted
cat "$K/wrongca/inter.crt" "$K/wrongca/root.crt" >"$T/wrongchain.pem"
craft wrongchain mallory -- --chain "$T/wrongchain.pem"
attach wrongchain
judge 1 wrongchain 'keyless: the certificate does not chain to the trusted root'
# a chain annotation that is not PEM certificates
jq -n '"not a certificate"' -r >"$T/junk.pem"
craft junkchain -- --chain "$T/junk.pem"
attach junkchain
verify 1 junkchain --policy "$T/fulcio.json"
expect_match 'the dev.sigstore.cosign/chain annotation: not PEM CERTIFICATE blocks' "$ERR"

echo "# a malformed bundle annotation: refused, naming it"
variant badann '.Payload.logID = "zz"'
verify 1 badann --policy "$T/fulcio.json"
expect_match 'dev.sigstore.cosign/bundle annotation: Payload: .*logID not 64 hexadecimal digits' "$ERR"
variant extraann '.Payload.kind = "hashedrekord"'
verify 1 extraann --policy "$T/fulcio.json"
expect_match 'dev.sigstore.cosign/bundle annotation: Payload: unknown member "kind"' "$ERR"
variant negtime '.Payload.integratedTime = -1'
verify 1 negtime --policy "$T/fulcio.json"
expect_match 'dev.sigstore.cosign/bundle annotation: Payload.integratedTime: missing or not a non-negative integer' "$ERR"
oracle 1 negtime
echo "# a limit crossed: 9 certificates in the chain annotation (SIGNET_MAX_CERT_CHAIN)"
for _ in 1 2 3 4 5 6 7 8 9; do cat "$K/ca/inter.crt"; done >"$T/chain9.pem"
craft chain9 -- --chain "$T/chain9.pem"
attach chain9
verify 1 chain9 --policy "$T/fulcio.json"
expect_match 'dev.sigstore.cosign/chain annotation: more than the limit of 8 certificates' "$ERR"

echo "# the audit counts a keyless .sig layer as sigstore, signed by the SAN"
expect_exit 0 -- "$SIGNET" audit --json --tls-verify=false --registries.d "$T/regd" --trusted-root "$ROOT" \
	--certificate-identity "$EMAIL" --certificate-oidc-issuer "$ISSUER" "docker://$REG/test/ks-good"
expect_eq "$(jq -sc '.[] | select(.tag == "v1") | [.verdict, (.signatures[] | .kind, .valid, .signer)]' "$OUT")" \
	"[\"allowed\",\"sigstore\",true,\"$EMAIL\"]" "v1: allowed by its keyless .sig layer"

echo "# a key-based requirement refuses a certificate-carrying layer (another key pinned)"
verify 1 good --key "$K/log.pub"
expect_match 'not signed by any pinned key' "$ERR"
echo "# a keyless requirement refuses a key-based layer"
mkdir -p "$T/keyed" && cp "$T/good/payload.json" "$T/good/sig.b64" "$T/keyed/" && : >"$T/keyed/chain.pem"
: >"$T/keyed/cert.pem"
attach keyed
verify 1 keyed --policy "$T/fulcio.json"
expect_match 'cosign signature: .*dev.sigstore.cosign/certificate annotation' "$ERR"

finish
