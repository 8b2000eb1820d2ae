# SPDX-License-Identifier: Apache-2.0
# tests/integration/bundles.sh: cosign v3's signatures, Sigstore bundles
# stored as OCI 1.1 referrers of the image manifest, against a real
# docker-registry 2.8 (no referrers API: the referrers tag schema).  The
# independent implementation is sigstore-js (tests/sigstore-js, installed
# by .ci/setup from the npm registry at pinned versions):
#   - `signet sign --key --format bundle` stores a referrer and updates the
#     tag schema's index, and sigstore-js verifies the bundle it wrote;
#   - signing again with the same key and annotations writes nothing (a
#     bundle by another key, or one that does not verify, counts for
#     nothing);
#   - bundles sigstore-js builds with local keys (ECDSA P-256, Ed25519),
#     pushed here as referrers by hand, verify in signet through
#     policy keyPath and keyData (and signet's own through verify --key
#     and a contract-pinned cosign key);
#   - every refusal: a bundle for another digest, a wrong key, a tampered
#     signature or payload, an oversized bundle, too many referrers,
#     malformed bundle JSON (its JSON path named), an attestation, a
#     keyless bundle; each with its exit code and message;
#   - the audit sees bundles and counts them per format.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo jq curl sha256sum openssl base64 node

ORACLE_DIR="$SRCDIR/tests/sigstore-js"
[[ -d $ORACLE_DIR/node_modules/@sigstore/verify ]] ||
	die "sigstore-js is not installed in $ORACLE_DIR (run .ci/setup)"
oracle() { node "$ORACLE_DIR/oracle.js" "$@"; }

MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_INDEX=application/vnd.oci.image.index.v1+json
MT_BUNDLE=application/vnd.dev.sigstore.bundle.v0.3+json
MT_EMPTY=application/vnd.oci.empty.v1+json
SIGN_PREDICATE=https://sigstore.dev/cosign/sign/v1

start_registry http
mkdir -p "$T/regd" "$T/k"
K="$T/k"
digest_of() {
	skopeo inspect --tls-verify=false "docker://$REG/$1" | jq -r .Digest
}

# policy FILE REPO REQUIREMENT-JSON: reject by default, REPO on $REG gets it.
policy() {
	jq -n --arg s "$REG/$2" --argjson r "$3" \
		'{default: [{type: "reject"}], transports: {docker: {($s): [$r]}}}' >"$1"
}
# kreq PUB: sigstoreSigned with keyPath PUB, matchRepository.
kreq() {
	jq -nc --arg k "$1" '{type: "sigstoreSigned", keyPath: $k, signedIdentity: {type: "matchRepository"}}'
}
verify() {
	local code=$1 pol=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --policy "$pol" "$@"
}

echo "# keys: signet's (ECDSA P-256), openssl's ECDSA P-256 and Ed25519"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k1"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/o.key" 2>/dev/null
openssl pkey -in "$K/o.key" -pubout -out "$K/o.pub"
openssl genpkey -algorithm ED25519 -out "$K/ed.key" 2>/dev/null
openssl pkey -in "$K/ed.key" -pubout -out "$K/ed.pub"
policy "$T/k1.json" test/b "$(kreq "$K/k1.pub")"

push_image v1 test/b:v1
push_image v2 test/b:v2
D1=$(digest_of test/b:v1)
D2=$(digest_of test/b:v2)
[[ $D1 != "$D2" ]] || die "v1 and v2 have one digest"

echo "# unsigned: denied"
verify 1 "$T/k1.json" "docker://$REG/test/b:v1"
expect_match "denied" "$ERR"

echo "# signet sign --format bundle: a referrer and the tag schema's index"
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k1.key" \
	--format bundle "docker://$REG/test/b:v1"
expect_match "^Signature stored at docker://$REG/test/b@sha256:[0-9a-f]{64}$" "$OUT"
REF1=$(sed -n 's/^Signature stored at .*@//p' "$OUT")
reg_manifest test/b "${D1/:/-}" "$MT_INDEX" >"$T/index1.json" || die "no referrers tag ${D1/:/-}"
expect_eq "$(jq -r '.mediaType' "$T/index1.json")" "$MT_INDEX" "the referrers tag holds an OCI index"
expect_eq "$(jq -r '[.manifests[] | .digest + " " + .artifactType] | join(",")' "$T/index1.json")" \
	"$REF1 $MT_BUNDLE" "the index lists the referrer with the bundle artifactType"
reg_manifest test/b "$REF1" >"$T/ref1.json" || die "no referrer manifest $REF1"
expect_eq "$(jq -r '[.artifactType, .config.mediaType, .config.size, .subject.digest, (.layers | length),
	.layers[0].mediaType, .annotations["dev.sigstore.bundle.predicateType"]] | join(" ")' "$T/ref1.json")" \
	"$MT_BUNDLE $MT_EMPTY 2 $D1 1 $MT_BUNDLE $SIGN_PREDICATE" "the referrer manifest as cosign v3 writes it"
expect_exit 22 -- curl -sf "http://$REG/v2/test/b/manifests/${D1/:/-}.sig"
reg_blob test/b "$(jq -r '.layers[0].digest' "$T/ref1.json")" >"$T/bundle1.json"
expect_eq "$(jq -r '.dsseEnvelope.payloadType' "$T/bundle1.json")" application/vnd.in-toto+json "payloadType"
jq -r '.dsseEnvelope.payload' "$T/bundle1.json" | base64 -d >"$T/stmt1.json"
expect_eq "$(jq -c '[._type, .predicateType, .subject[0].digest.sha256]' "$T/stmt1.json")" \
	"[\"https://in-toto.io/Statement/v1\",\"$SIGN_PREDICATE\",\"${D1#sha256:}\"]" "the statement"

echo "# sigstore-js verifies what signet wrote"
expect_exit 0 -- oracle verify "$K/k1.pub" "${D1#sha256:}" "$T/bundle1.json"
expect_match "^verified: application/vnd\.dev\.sigstore\.bundle\.v0\.3\+json, $D1$" "$OUT"
expect_exit 1 -- oracle verify "$K/o.pub" "${D1#sha256:}" "$T/bundle1.json"
expect_exit 1 -- oracle verify "$K/k1.pub" "${D2#sha256:}" "$T/bundle1.json"

echo "# signet verifies it through policy keyPath"
verify 0 "$T/k1.json" "docker://$REG/test/b:v1"
# verify --key PUB.pem: a sigstoreSigned requirement with matchRepository.
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$K/k1.pub" \
	"docker://$REG/test/b:v1"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$K/o.pub" \
	"docker://$REG/test/b:v1"
expect_match "not signed by any pinned key" "$ERR"
policy "$T/o.json" test/b "$(kreq "$K/o.pub")"
verify 1 "$T/o.json" "docker://$REG/test/b:v1"
expect_match "not signed by any pinned key" "$ERR"
verify 1 "$T/k1.json" "docker://$REG/test/b:v2"

echo "# -a annotations go into the statement's subject; verify -a finds them"
push_image v1 test/ann:v1
policy "$T/ann.json" test/ann "$(kreq "$K/k1.pub")"
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k1.key" \
	--format bundle -a env=prod "docker://$REG/test/ann:v1"
verify 0 "$T/ann.json" -a env=prod "docker://$REG/test/ann:v1"
verify 1 "$T/ann.json" -a env=dev "docker://$REG/test/ann:v1"
expect_match "does not carry the annotation env=dev" "$ERR"
# A second signature is added to the referrers index, the first kept.
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k1.key" \
	--format bundle -a env=dev "docker://$REG/test/ann:v1"
expect_eq "$(reg_manifest test/ann "$(digest_of test/ann:v1 | tr : -)" "$MT_INDEX" | jq '.manifests | length')" \
	2 "referrers listed after a second signature"
verify 0 "$T/ann.json" -a env=dev "docker://$REG/test/ann:v1"
verify 0 "$T/ann.json" -a env=prod "docker://$REG/test/ann:v1"

echo "# two signers at once: both referrers end up in the tag schema's index"
push_image v1 test/race:v1
pids=()
for i in 1 2 3; do
	"$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k1.key" --format bundle \
		-a "signer=$i" "docker://$REG/test/race:v1" >"$T/race.$i.out" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
expect_eq "$(cat "$T"/race.*.out | grep -c '^Signature stored at ')" 3 "three signers reported success" ||
	sed 's/^/  | /' "$T"/race.*.out
expect_eq "$(reg_manifest test/race "$(digest_of test/race:v1 | tr : -)" "$MT_INDEX" | jq '.manifests | length')" \
	3 "referrers listed after three concurrent signers"

echo "# signing again: a bundle by the same key over the same statement is not stored twice"
push_image v1 test/dup:v1
DD=$(digest_of test/dup:v1)
# referrers DIGEST: the bundles listed in test/dup's referrers tag.
referrers() {
	curl -sf -H "Accept: $MT_INDEX" "http://$REG/v2/${2:-test/dup}/manifests/${1/:/-}" | jq '.manifests | length'
}
bsign() {
	expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --format bundle "$@"
}
bsign --key "$K/k1.key" "docker://$REG/test/dup:v1"
REFD=$(sed -n 's/^Signature stored at .*@//p' "$OUT")
expect_eq "$(referrers "$DD")" 1 "referrers after the first bundle"
bsign --key "$K/k1.key" "docker://$REG/test/dup:v1"
expect_match "^signet: docker://$REG/test/dup:v1 already has a signature by .*k1\.key for $DD: nothing written \(docker://$REG/test/dup@$REFD\)$" "$ERR"
expect_eq "$(cat "$OUT")" "Signature stored at docker://$REG/test/dup@$REFD" "stdout of the second run"
expect_eq "$(referrers "$DD")" 1 "referrers after signing twice with the same key"
# -q: nothing said, nothing written
bsign -q --key "$K/k1.key" "docker://$REG/test/dup:v1"
expect_eq "$(cat "$ERR")" "" "stderr of -q"
expect_eq "$(referrers "$DD")" 1 "referrers after -q"
# another key's bundle is not this key's
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k2"
bsign --key "$K/k2.key" "docker://$REG/test/dup:v1"
expect_no_match "already" "$ERR"
expect_eq "$(referrers "$DD")" 2 "referrers after a second key"
bsign --key "$K/k2.key" "docker://$REG/test/dup:v1"
expect_match "already has a signature by .*k2\.key" "$ERR"
expect_eq "$(referrers "$DD")" 2 "referrers after the second key again"
# other annotations are another statement; the same ones again are not
bsign --key "$K/k1.key" -a env=prod "docker://$REG/test/dup:v1"
expect_no_match "already" "$ERR"
expect_eq "$(referrers "$DD")" 3 "referrers after the same key with an annotation"
bsign --key "$K/k1.key" -a env=prod "docker://$REG/test/dup:v1"
expect_match "already has a signature by .*k1\.key" "$ERR"
expect_eq "$(referrers "$DD")" 3 "referrers after the same annotation again"
bsign --key "$K/k1.key" -a env=prod -a team=a "docker://$REG/test/dup:v1"
expect_eq "$(referrers "$DD")" 4 "referrers after one more annotation"
# the cosign .sig format is another store: not satisfied by a bundle
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k1.key" \
	"docker://$REG/test/dup:v1"
expect_no_match "already" "$ERR"

echo "# signing again: a bundle that does not verify with the key counts for nothing"
# The same image in another repository (one digest), holding k1's bundle
# with k2's signature in it.
push_image v1 test/forged:v1
expect_eq "$(digest_of test/forged:v1)" "$DD" "one image, one digest"
BD=$(reg_manifest test/dup "$REFD" | jq -r '.layers[0].digest')
reg_blob test/dup "$BD" >"$T/dup-k1.json"
K2REF=$(reg_manifest test/dup "${DD/:/-}" "$MT_INDEX" | jq -r '.manifests[1].digest')
reg_blob test/dup "$(reg_manifest test/dup "$K2REF" | jq -r '.layers[0].digest')" >"$T/dup-k2.json"
jq -c --slurpfile o "$T/dup-k2.json" '.dsseEnvelope.signatures[0].sig = $o[0].dsseEnvelope.signatures[0].sig' \
	"$T/dup-k1.json" | tr -d '\n' >"$T/forged.json"
push_referrer test/forged "$DD" "$T/forged.json" >/dev/null
expect_eq "$(referrers "$DD" test/forged)" 1 "the forged referrer is listed"
bsign --key "$K/k1.key" "docker://$REG/test/forged:v1"
expect_no_match "already" "$ERR"
expect_eq "$(referrers "$DD" test/forged)" 2 "referrers after signing over a forged bundle"
# k1's real bundle pushed by hand (as cosign v3 would) is found
push_image v1 test/copied:v1
push_referrer test/copied "$DD" "$T/dup-k1.json" >/dev/null
bsign --key "$K/k1.key" "docker://$REG/test/copied:v1"
expect_match "already has a signature by .*k1\.key for $DD: nothing written \(docker://$REG/test/copied@sha256:[0-9a-f]{64}\)$" "$ERR"
expect_eq "$(referrers "$DD" test/copied)" 1 "referrers after signing over a copied bundle"

echo "# --format: usage errors"
expect_exit 2 -- "$SIGNET" sign --key "$K/k1.key" --format cms "docker://$REG/test/ann:v1"
expect_match '^signet: --format takes sig or bundle, not "cms"' "$ERR"
expect_exit 2 -- "$SIGNET" sign --key "$K/k1.key" --format bundle --store attach "docker://$REG/test/ann:v1"
expect_match '^signet: --format bundle needs --key and stores a referrer' "$ERR"
expect_exit 2 -- "$SIGNET" sign --gpg-key 0123456789ABCDEF0123456789ABCDEF01234567 --format bundle \
	"docker://$REG/test/ann:v1"
expect_match '^signet: --format bundle needs --key' "$ERR"

echo "# a cosign key pinned in a contract accepts the bundle"
expect_exit 0 -- "$SIGNET" contract images --cosign "$REG/test/b=$K/k1.pub" -o "$T/images.yaml"
{
	printf '%s\n' "workload:" "  type: workload" "  compose:" "    archive: H4sIAAAAAAAA/wAAAP//AQAA//8AAAAAAAAAAA=="
	sed 's/^/  /' "$T/images.yaml"
	printf '%s\n' "env:" "  type: env"
} >"$T/contract.yaml"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --contract "$T/contract.yaml" \
	"docker://$REG/test/b:v1"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --contract "$T/contract.yaml" \
	"docker://$REG/test/b:v2"

echo "# the gate sees the bundle: a compose file is pinned to the signed digest"
printf 'services:\n  app:\n    image: %s\n' "$REG/test/b:v1" >"$T/compose.yaml"
expect_exit 0 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --policy "$T/k1.json" \
	-o "$T/compose.pinned.yaml" "$T/compose.yaml"
expect_match "image: $REG/test/b:v1@$D1\$" "$T/compose.pinned.yaml"
printf 'services:\n  app:\n    image: %s\n' "$REG/test/b:v2" >"$T/compose2.yaml"
expect_exit 1 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --policy "$T/k1.json" \
	-o "$T/compose2.pinned.yaml" "$T/compose2.yaml"

echo "# the audit sees the bundle and counts signatures per format"
expect_exit 1 -- "$SIGNET" audit --json --tls-verify=false --registries.d "$T/regd" --policy "$T/k1.json" \
	"docker://$REG/test/b"
expect_eq "$(jq -sc '[.[] | select(.type == "image") | .tag] | sort' "$OUT")" '["v1","v2"]' \
	"audited tags (the referrers tag is storage, not an image)"
expect_eq "$(jq -sc '.[] | select(.tag == "v1") | [.verdict, (.signatures[] | .kind, .store, .valid)]' "$OUT")" \
	'["allowed","sigstore-bundle","referrer",true]' "v1: allowed by its bundle"
expect_eq "$(jq -sc '.[] | select(.type == "summary") | .byFormat' "$OUT")" \
	'{"simple-signing":0,"sigstore":0,"sigstore-bundle":1}' "the summary counts signatures per format"

echo "# sigstore-js builds bundles (ECDSA P-256, Ed25519); signet verifies them"
push_image v1 test/js:v1
DJ=$(digest_of test/js:v1)
oracle sign "$K/o.key" "${DJ#sha256:}" >"$T/bundle-ec.json" || die "sigstore-js could not sign"
oracle sign "$K/ed.key" "${DJ#sha256:}" >"$T/bundle-ed.json" || die "sigstore-js could not sign with Ed25519"
policy "$T/js-o.json" test/js "$(kreq "$K/o.pub")"
policy "$T/js-ed.json" test/js "$(kreq "$K/ed.pub")"
verify 1 "$T/js-o.json" "docker://$REG/test/js:v1"
push_referrer test/js "$DJ" "$T/bundle-ec.json" >/dev/null
verify 0 "$T/js-o.json" "docker://$REG/test/js:v1"
verify 1 "$T/js-ed.json" "docker://$REG/test/js:v1"
expect_match "not signed by any pinned key" "$ERR"
push_referrer test/js "$DJ" "$T/bundle-ed.json" >/dev/null
expect_eq "$(reg_manifest test/js "${DJ/:/-}" "$MT_INDEX" | jq '.manifests | length')" 2 "two referrers listed"
verify 0 "$T/js-ed.json" "docker://$REG/test/js:v1"
# sigstore-js's statements carry no annotations member: signing again with
# its keys and no -a finds them.
for k in o ed; do
	expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/$k.key" \
		--format bundle "docker://$REG/test/js:v1"
	expect_match "^signet: docker://$REG/test/js:v1 already has a signature by .*$k\.key for $DJ: nothing written" "$ERR"
done
expect_eq "$(reg_manifest test/js "${DJ/:/-}" "$MT_INDEX" | jq '.manifests | length')" 2 \
	"referrers after signing again with sigstore-js's keys"
# keyData: the PEM inline, base64 (containers-policy.json(5)).
policy "$T/js-data.json" test/js "$(jq -nc --arg d "$(base64 -w0 <"$K/ed.pub")" \
	'{type: "sigstoreSigned", keyData: $d, signedIdentity: {type: "matchRepository"}}')"
verify 0 "$T/js-data.json" "docker://$REG/test/js:v1"
# A bundle names only a digest: it stands for the repository it is found
# in, as a cosign .sig payload names only a repository; an exact-reference
# rule is not met by it.
policy "$T/js-exact.json" test/js "$(jq -nc --arg k "$K/o.pub" '{type: "sigstoreSigned", keyPath: $k}')"
verify 1 "$T/js-exact.json" "docker://$REG/test/js:v1"
expect_match "matchRepository" "$ERR"

# ---- refusals: each in a repository holding only the bad bundle ----------

# bad NAME BUNDLE-FILE [DIGEST]: a fresh repository test/bad-NAME with v1,
# BUNDLE pushed as a referrer of DIGEST (default: v1's own); the policy
# pins o.pub.  Sets BAD (the image) and BADPOL.
bad() {
	push_image v1 "test/bad-$1:v1"
	push_referrer "test/bad-$1" "${3:-$DJ}" "$2" >/dev/null
	BAD="docker://$REG/test/bad-$1:v1"
	BADPOL="$T/bad-$1.policy"
	policy "$BADPOL" "test/bad-$1" "$(kreq "$K/o.pub")"
}

echo "# refused: a bundle signing another digest"
oracle sign "$K/o.key" "${D2#sha256:}" >"$T/other.json"
bad other "$T/other.json"
verify 1 "$BADPOL" "$BAD"
expect_match "it signs manifest $D2, not this image \\($DJ\\)" "$ERR"

echo "# refused: a wrong key"
bad wrongkey "$T/bundle-ed.json"
verify 1 "$BADPOL" "$BAD"
expect_match "not signed by any pinned key \\(the pinned key is SHA256:" "$ERR"

echo "# refused: a tampered signature (another bundle's)"
jq -c --arg s "$(jq -r '.dsseEnvelope.signatures[0].sig' "$T/other.json")" \
	'.dsseEnvelope.signatures[0].sig = $s' "$T/bundle-ec.json" >"$T/tsig.json"
bad tsig "$T/tsig.json"
verify 1 "$BADPOL" "$BAD"
expect_match "not signed by any pinned key" "$ERR"

echo "# refused: a tampered payload (an annotation added, the signature kept)"
jq -r '.dsseEnvelope.payload' "$T/bundle-ec.json" | base64 -d |
	jq -c '.subject[0].annotations = {"approved": "yes"}' >"$T/tstmt.json"
jq -c --arg p "$(base64 -w0 <"$T/tstmt.json")" '.dsseEnvelope.payload = $p' "$T/bundle-ec.json" >"$T/tpl.json"
bad tpl "$T/tpl.json"
verify 1 "$BADPOL" "$BAD"
expect_match "not signed by any pinned key" "$ERR"

echo "# refused: an attestation (another predicate type) is not a signature"
oracle sign "$K/o.key" "${DJ#sha256:}" https://slsa.dev/provenance/v1 >"$T/att.json"
bad att "$T/att.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'predicateType "https://slsa.dev/provenance/v1": an attestation, not a cosign image signature' "$ERR"

echo "# refused: malformed bundles, the JSON path named"
jq -c '.dsseEnvelope.signatures[0].sig = 5' "$T/bundle-ec.json" >"$T/m1.json"
bad m1 "$T/m1.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'bundle: dsseEnvelope\.signatures\[0\]\.sig: not a string \(a number\)' "$ERR"
jq -c '.verificationMaterial.publicKey.extra = "x"' "$T/bundle-ec.json" >"$T/m2.json"
bad m2 "$T/m2.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'bundle: verificationMaterial\.publicKey: unknown member "extra"' "$ERR"
jq -c 'del(.dsseEnvelope.payloadType)' "$T/bundle-ec.json" >"$T/m3.json"
bad m3 "$T/m3.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'bundle: dsseEnvelope\.payloadType: missing' "$ERR"
printf '{"mediaType": "%s", "mediaType": "x"}' "$MT_BUNDLE" >"$T/m4.json"
bad m4 "$T/m4.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'bundle: .*duplicate' "$ERR"
jq -c '.verificationMaterial = {certificate: {rawBytes: "AAAA"}}' "$T/bundle-ec.json" >"$T/m5.json"
bad m5 "$T/m5.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'a certificate \(keyless signing\), but this requirement pins public keys' "$ERR"

echo "# refused: an oversized bundle (SIGNET_MAX_SIGNATURE_SIZE + 1 bytes)"
{ jq -c . "$T/bundle-ec.json" | tr -d '\n'; head -c $((4 * 1024 * 1024 + 1 - $(jq -c . "$T/bundle-ec.json" | tr -d '\n' | wc -c))) /dev/zero | tr '\0' ' '; } >"$T/big.json"
expect_eq "$(stat -c %s "$T/big.json")" $((4 * 1024 * 1024 + 1)) "the oversized bundle's size"
bad big "$T/big.json"
verify 1 "$BADPOL" "$BAD"
expect_match 'larger than the limit of 4194304 bytes \(SIGNET_MAX_SIGNATURE_SIZE\)' "$ERR"

echo "# refused: too many referrers"
push_image v1 test/many:v1
REFJ=$(push_referrer test/many "$DJ" "$T/bundle-ec.json")
policy "$T/many.json" test/many "$(kreq "$K/o.pub")"
verify 0 "$T/many.json" "docker://$REG/test/many:v1"
# many N: the referrers index lists the referrer N times.
many() {
	reg_manifest test/many "${DJ/:/-}" "$MT_INDEX" |
		jq -c --argjson n "$1" '.manifests = [range($n) as $i | .manifests[0]]' >"$T/many-index.json"
	reg_put_manifest test/many "${DJ/:/-}" "$T/many-index.json" "$MT_INDEX"
}
many 100
verify 0 "$T/many.json" "docker://$REG/test/many:v1"
many 101
verify 1 "$T/many.json" "docker://$REG/test/many:v1"
expect_match 'more than 100 Sigstore bundles \(SIGNET_MAX_REFERRER_BUNDLES\)' "$ERR"
many 1001
verify 1 "$T/many.json" "docker://$REG/test/many:v1"
expect_match '1001 referrers, more than the limit of 1000 \(SIGNET_MAX_REFERRERS\)' "$ERR"

echo "# the referrers API, against the hostile test server (no Debian registry has the API)"
port=$(free_port)
port2=$(free_port)
start_testserver "$T/hostile.out" hostile --port "$port" --port2 "$port2" --log "$T/hostile.log"
H="127.0.0.1:$port"
jq -n --arg s "$H/ref" --argjson r "$(kreq "$K/o.pub")" \
	'{default: [{type: "reject"}], transports: {docker: {($s): [$r]}}}' >"$T/h.json"
hverify() {
	expect_exit "$1" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --policy "$T/h.json" \
		"docker://$H/ref/$2:v1"
}
# 404 from the API: the tag schema is asked (404 too): no signatures.
hverify 1 none
expect_match "denied" "$ERR"
expect_match "GET /v2/ref/none/referrers/sha256:[0-9a-f]{64} auth=0 404" "$T/hostile.log"
expect_match "GET /v2/ref/none/manifests/sha256-[0-9a-f]{64} auth=0 404" "$T/hostile.log"
# 405 (how some registries without the API answer): the tag schema too.
hverify 1 notallowed
expect_match "GET /v2/ref/notallowed/referrers/sha256:[0-9a-f]{64} auth=0 405" "$T/hostile.log"
expect_match "GET /v2/ref/notallowed/manifests/sha256-[0-9a-f]{64} auth=0 404" "$T/hostile.log"
hverify 3 wrongtype
expect_match 'referrers of .*ref/wrongtype@sha256:[0-9a-f]{64}: Content-Type "application/json" is not application/vnd\.oci\.image\.index\.v1\+json' "$ERR"
expect_no_match "GET /v2/ref/wrongtype/manifests/sha256-[0-9a-f]{64} " "$T/hostile.log"
hverify 3 error
expect_match "unexpected HTTP status 500" "$ERR"
hverify 2 manifest
expect_match "referrers of .*ref/manifest@sha256:[0-9a-f]{64}: " "$ERR"
hverify 1 many
expect_match '1001 referrers, more than the limit of 1000 \(SIGNET_MAX_REFERRERS\)' "$ERR"

finish
