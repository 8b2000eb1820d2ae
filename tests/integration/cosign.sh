# SPDX-License-Identifier: Apache-2.0
# tests/integration/cosign.sh: cosign-format (sigstore, key-based) signatures
# end to end (SPEC §3.5) against a real docker-registry.  skopeo 1.9.3 in
# Debian is built without sigstore, so the independent implementation is
# the openssl command, and the registry is read and written with curl:
#   - `signet sign --key` writes exactly what cosign writes, and openssl
#     checks its signature over the payload fetched by hand;
#   - a .sig attachment built here (payload, openssl signature, manifest
#     PUT with curl) verifies with `signet verify --policy`, and each broken
#     variant is refused with the right exit code and reason;
#   - concurrent signers, cosign's encrypted keys, --recursive on an index,
#     and the identity rule cosign signatures need (matchRepository).
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci jq curl sha256sum openssl base64

MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_CONFIG=application/vnd.oci.image.config.v1+json
MT_SIMPLESIGNING=application/vnd.dev.cosign.simplesigning.v1+json
ANN_SIG=dev.cosignproject.cosign/signature
COSIGN_TYPE="cosign container image signature"

start_registry http
push_image v1 test/cosign:v1
push_image v1 test/ossl:v1
push_image v2 test/ossl:v2
mkdir -p "$T/regd" "$T/k"	# an empty registries.d: attachments by default
K="$T/k"

# digest_of REPO:TAG: the manifest digest skopeo reports.
digest_of() {
	skopeo inspect --tls-verify=false "docker://$REG/$1" | jq -r .Digest
}
D1=$(digest_of test/cosign:v1)
DO1=$(digest_of test/ossl:v1)
DO2=$(digest_of test/ossl:v2)
[[ $D1 == "$DO1" && $D1 != "$DO2" ]] || die "unexpected fixture digests: $D1 $DO1 $DO2"

# keyid PUB: "SHA256:" + sha256 of the SubjectPublicKeyInfo DER, by openssl.
keyid() {
	echo "SHA256:$(openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -d' ' -f1)"
}

# policy FILE SCOPE REQUIREMENT-JSON...: reject by default; SCOPE (a docker
# scope) gets the requirements.
policy() {
	local file=$1 scope=$2
	shift 2
	printf '%s\n' "$@" | jq -s --arg s "$scope" \
		'{default: [{type: "reject"}], transports: {docker: {($s): .}}}' >"$file"
}

# sreq KEYPATH [IDENTITY-JSON|none]: a sigstoreSigned requirement for the key
# file; the identity rule defaults to matchRepository, "none" leaves it out.
sreq() {
	local id=${2:-'{"type":"matchRepository"}'}
	if [[ $id == none ]]; then
		jq -nc --arg k "$1" '{type: "sigstoreSigned", keyPath: $k}'
	else
		jq -nc --arg k "$1" --argjson id "$id" \
			'{type: "sigstoreSigned", keyPath: $k, signedIdentity: $id}'
	fi
}

# verify CODE POLICY [ARGS...] IMAGE
verify() {
	local code=$1 pol=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" \
		--policy "$pol" "$@"
}

# sign CODE [ARGS...] IMAGE
sign() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" "$@"
}

# unreadable REPO PATTERN: the last command could not trust what the store
# holds for REPO (an integrity failure: exit 1, and not a mere denial), for
# the reason PATTERN.
unreadable() {
	expect_match "^signet: [^ ]*$1[^ ]*: cannot read the signatures of the image: cosign signatures " \
		"$ERR"
	expect_match "$2" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout"
}

# denied REPO PATTERN: the last command denied an image of REPO for the
# reason PATTERN, and printed nothing on stdout.
denied() {
	expect_match "^signet: .*$1.*denied" "$ERR"
	expect_match "$2" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout when denied"
}

# ---- building cosign attachments by hand ------------------------------------

# payload FILE IDENTITY DIGEST [TYPE] [OPTIONAL-JSON]: a simple signing
# payload as cosign writes it.
payload() {
	jq -cn --arg id "$2" --arg d "$3" --arg t "${4:-$COSIGN_TYPE}" --argjson o "${5:-null}" \
		'{critical: {identity: {"docker-reference": $id}, image: {"docker-manifest-digest": $d},
		             type: $t},
		  optional: $o}' | tr -d '\n' >"$1"
}

# ossl_sign KEY FILE: the base64 of openssl's ECDSA/SHA-256 signature of FILE.
ossl_sign() {
	openssl dgst -sha256 -sign "$1" -out "$2.der" "$2" || die "openssl could not sign $2"
	base64 -w0 <"$2.der"
}

# layer REPO FILE [ANNOTATIONS-JSON] [SIZE] [MEDIATYPE]: uploads FILE to REPO
# and prints its layer descriptor (default: simple signing, the true size).
layer() {
	local digest size
	digest=$(reg_put_blob "$1" "$2")
	size=${4:-$(stat -c %s "$2")}
	jq -cn --arg m "${5:-$MT_SIMPLESIGNING}" --arg d "$digest" --argjson s "$size" \
		--argjson a "${3:-null}" \
		'{mediaType: $m, digest: $d, size: $s} + if $a then {annotations: $a} else {} end'
}

# sig_layer REPO FILE KEY: the layer of FILE signed with KEY by openssl.
sig_layer() {
	layer "$1" "$2" "$(jq -cn --arg s "$(ossl_sign "$3" "$2")" --arg n "$ANN_SIG" '{($n): $s}')"
}

# push_sig REPO DIGEST LAYER-JSON...: the .sig attachment of DIGEST in REPO
# with these layers (and a config listing them, as cosign writes), replacing
# what the tag held.
push_sig() {
	local repo=$1 digest=$2 f
	shift 2
	f=$(mktemp "$T/sig.XXXXXX")
	printf '%s\n' "$@" | jq -cs '{architecture: "", os: "", config: {},
		rootfs: {type: "layers", diff_ids: [.[].digest]}}' | tr -d '\n' >"$f.config"
	printf '%s\n' "$@" | jq -cs --arg mt "$MT_MANIFEST" --arg cmt "$MT_CONFIG" \
		--arg cd "$(reg_put_blob "$repo" "$f.config")" --argjson cs "$(stat -c %s "$f.config")" \
		'{schemaVersion: 2, mediaType: $mt, config: {mediaType: $cmt, digest: $cd, size: $cs},
		  layers: .}' | tr -d '\n' >"$f"
	reg_put_manifest "$repo" "$(cosign_tag "$digest")" "$f"
}

echo "# signet key generate and signet sign --key, checked with openssl"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k1"
expect_eq "$(stat -c %a "$K/k1.key")" 600 "k1.key mode"
expect_eq "$(head -n 1 "$K/k1.pub")" "-----BEGIN PUBLIC KEY-----" "k1.pub first line"
expect_exit 0 -- openssl pkey -pubin -in "$K/k1.pub" -noout -text
expect_match 'ASN1 OID: prime256v1' "$OUT"
expect_exit 0 -- openssl pkey -in "$K/k1.key" -pubout -out "$K/k1.pub.openssl"
expect_eq "$(cat "$K/k1.pub.openssl")" "$(cat "$K/k1.pub")" "public key openssl derives from k1.key"
expect_exit 3 -- "$SIGNET" key generate --no-passphrase -o "$K/k1"
expect_match "^signet: .*k1\.key: exists already, not overwritten" "$ERR"

IMG="docker://$REG/test/cosign:v1"
TAG1=$(cosign_tag "$D1")
sign 0 --key "$K/k1.key" -a build=42 -a team=blue "$IMG"
expect_eq "$(cat "$OUT")" "Signature stored at docker://$REG/test/cosign:$TAG1 layer 1" "signet sign output"
curl -sf -D "$T/sig1.headers" -o "$T/sig1.json" -H "Accept: $MT_MANIFEST" \
	"http://$REG/v2/test/cosign/manifests/$TAG1" || die "curl could not fetch the .sig manifest"
expect_eq "$(tr -d '\r' <"$T/sig1.headers" | sed -n 's/^[Cc]ontent-[Tt]ype: //p')" "$MT_MANIFEST" \
	"Content-Type of the .sig manifest"
expect_eq "$(jq -c 'keys' "$T/sig1.json")" '["config","layers","mediaType","schemaVersion"]' \
	"manifest members"
expect_eq "$(jq -r '.schemaVersion' "$T/sig1.json")" 2 "schemaVersion"
expect_eq "$(jq -r '.mediaType' "$T/sig1.json")" "$MT_MANIFEST" "manifest mediaType"
expect_eq "$(jq -r '.config.mediaType' "$T/sig1.json")" "$MT_CONFIG" "config mediaType"
expect_eq "$(jq -r '[.layers[].mediaType] | join(" ")' "$T/sig1.json")" "$MT_SIMPLESIGNING" "layer mediaTypes"
expect_eq "$(jq -r '[.layers[].annotations | keys[]] | join(" ")' "$T/sig1.json")" "$ANN_SIG" \
	"layer annotation names"
PDIG=$(jq -r '.layers[0].digest' "$T/sig1.json")
reg_blob test/cosign "$PDIG" >"$T/payload1.json" || die "curl could not fetch the payload blob $PDIG"
expect_eq "$(sha256_of "$T/payload1.json") $(stat -c %s "$T/payload1.json")" \
	"$PDIG $(jq -r '.layers[0].size' "$T/sig1.json")" "payload digest and size (as the descriptor says)"
expect_eq "$(jq -c '[(.critical | keys), (.critical.identity | keys), (.critical.image | keys)]' \
	"$T/payload1.json")" '[["identity","image","type"],["docker-reference"],["docker-manifest-digest"]]' \
	"payload critical members"
expect_eq "$(jq -r .critical.type "$T/payload1.json")" "$COSIGN_TYPE" "payload type"
expect_eq "$(jq -r '.critical.identity["docker-reference"]' "$T/payload1.json")" "$REG/test/cosign" \
	"payload identity (the repository, as cosign writes)"
expect_eq "$(jq -r '.critical.image["docker-manifest-digest"]' "$T/payload1.json")" "$D1" \
	"payload digest (skopeo inspect's)"
expect_eq "$(jq -c '.optional | {build, team}' "$T/payload1.json")" '{"build":"42","team":"blue"}' \
	"payload optional annotations"
jq -r --arg n "$ANN_SIG" '.layers[0].annotations[$n]' "$T/sig1.json" | base64 -d >"$T/sig1.der" ||
	die "the signature annotation is not base64"
expect_exit 0 -- openssl dgst -sha256 -verify "$K/k1.pub" -signature "$T/sig1.der" "$T/payload1.json"
expect_eq "$(cat "$OUT")" "Verified OK" "openssl dgst -verify with k1.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/o.key" 2>/dev/null
openssl pkey -in "$K/o.key" -pubout -out "$K/o.pub"
expect_exit 1 -- openssl dgst -sha256 -verify "$K/o.pub" -signature "$T/sig1.der" "$T/payload1.json"
expect_eq "$(cat "$OUT")" "Verification failure" "openssl dgst -verify with another key"
# The config lists the layers, as cosign's does.
CDIG=$(jq -r '.config.digest' "$T/sig1.json")
reg_blob test/cosign "$CDIG" >"$T/config1.json" || die "curl could not fetch the config blob $CDIG"
expect_eq "$(sha256_of "$T/config1.json") $(stat -c %s "$T/config1.json")" \
	"$CDIG $(jq -r '.config.size' "$T/sig1.json")" "config digest and size"
expect_eq "$(jq -c '.rootfs' "$T/config1.json")" "{\"type\":\"layers\",\"diff_ids\":[\"$PDIG\"]}" \
	"config rootfs"
# ... and signet accepts it.
policy "$T/k1.policy.json" "$REG/test/cosign" "$(sreq "$K/k1.pub")"
verify 0 "$T/k1.policy.json" "$IMG"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/cosign@$D1" "verify line 1 (pinned)"
expect_match "^Signed by: $(keyid "$K/k1.pub")( |$)" "$OUT"
expect_match "^Identity: $REG/test/cosign\$" "$OUT"
verify 0 "$T/k1.policy.json" -a build=42 -a team=blue "$IMG"
verify 1 "$T/k1.policy.json" -a build=43 "$IMG"
denied test/cosign 'does not carry the annotation build=43'

echo "# a cosign signature made with openssl, verified by signet"
OSSL="docker://$REG/test/ossl:v1"
ID_O="$REG/test/ossl"
policy "$T/o.policy.json" "$ID_O" "$(sreq "$K/o.pub")"
payload "$T/p-good.json" "$ID_O" "$DO1"
push_sig test/ossl "$DO1" "$(sig_layer test/ossl "$T/p-good.json" "$K/o.key")"
verify 0 "$T/o.policy.json" "$OSSL"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/ossl@$DO1" "verify line 1 (pinned)"
expect_match "^Signed by: $(keyid "$K/o.pub")( |$)" "$OUT"
verify 0 "$T/o.policy.json" "docker://$REG/test/ossl@$DO1"
# keyData, keyPaths, keyDatas
policy "$T/o-data.policy.json" "$ID_O" "$(jq -nc --arg d "$(base64 -w0 <"$K/o.pub")" \
	'{type: "sigstoreSigned", keyData: $d, signedIdentity: {type: "matchRepository"}}')"
verify 0 "$T/o-data.policy.json" "$OSSL"
policy "$T/o-paths.policy.json" "$ID_O" "$(jq -nc --arg a "$K/k1.pub" --arg b "$K/o.pub" \
	'{type: "sigstoreSigned", keyPaths: [$a, $b], signedIdentity: {type: "matchRepository"}}')"
verify 0 "$T/o-paths.policy.json" "$OSSL"
policy "$T/o-datas.policy.json" "$ID_O" "$(jq -nc --arg a "$(base64 -w0 <"$K/k1.pub")" \
	--arg b "$(base64 -w0 <"$K/o.pub")" \
	'{type: "sigstoreSigned", keyDatas: [$a, $b], signedIdentity: {type: "matchRepository"}}')"
verify 0 "$T/o-datas.policy.json" "$OSSL"
# A layer of another media type (an attestation) is no signature, and
# does not hide the one that is.
printf '{"payloadType":"application/vnd.in-toto+json"}' >"$T/attestation.json"
ATT=$(layer test/ossl "$T/attestation.json" '{}' '' application/vnd.dsse.envelope.v1+json)
push_sig test/ossl "$DO1" "$ATT" "$(sig_layer test/ossl "$T/p-good.json" "$K/o.key")"
verify 0 "$T/o.policy.json" "$OSSL"
push_sig test/ossl "$DO1" "$ATT"
verify 1 "$T/o.policy.json" "$OSSL"
denied test/ossl "no signatures for $DO1 in the registry's \\.sig attachments"

echo "# hand-made signatures signet refuses"
# the wrong key
push_sig test/ossl "$DO1" "$(sig_layer test/ossl "$T/p-good.json" "$K/o.key")"
policy "$T/o-k1.policy.json" "$ID_O" "$(sreq "$K/k1.pub")"
verify 1 "$T/o-k1.policy.json" "$OSSL"
denied test/ossl "not signed by any pinned key \\(the pinned key is $(keyid "$K/k1.pub")"
# a payload naming the digest of another manifest (v2's), stored for v1
payload "$T/p-other.json" "$ID_O" "$DO2"
push_sig test/ossl "$DO1" "$(sig_layer test/ossl "$T/p-other.json" "$K/o.key")"
verify 1 "$T/o.policy.json" "$OSSL"
denied test/ossl "signs manifest $DO2, not .*$DO1"
# layer blobs that do not match their descriptors: one byte more, one
# byte fewer, and the right size with other bytes (damaged in storage)
payload "$T/p-size.json" "$ID_O" "$DO1" "$COSIGN_TYPE" '{"case":"size"}'
SIZE=$(stat -c %s "$T/p-size.json")
SIGB64=$(ossl_sign "$K/o.key" "$T/p-size.json")
push_sig test/ossl "$DO1" "$(layer test/ossl "$T/p-size.json" "{\"$ANN_SIG\":\"$SIGB64\"}" $((SIZE + 1)))"
verify 1 "$T/o.policy.json" "$OSSL"
unreadable test/ossl "layer 1: blob sha256:[0-9a-f]{64} has $SIZE bytes, its descriptor says $((SIZE + 1))"
push_sig test/ossl "$DO1" "$(layer test/ossl "$T/p-size.json" "{\"$ANN_SIG\":\"$SIGB64\"}" $((SIZE - 1)))"
verify 1 "$T/o.policy.json" "$OSSL"
unreadable test/ossl "layer 1: the blob is larger than the $((SIZE - 1)) bytes its descriptor says"
payload "$T/p-damaged.json" "$ID_O" "$DO1" "$COSIGN_TYPE" '{"case":"damaged"}'
L=$(sig_layer test/ossl "$T/p-damaged.json" "$K/o.key")
push_sig test/ossl "$DO1" "$L"
verify 0 "$T/o.policy.json" "$OSSL"	# intact: allowed
BLOB=$(reg_blob_file "$(jq -r .digest <<<"$L")")
[[ -f $BLOB ]] || die "no blob file $BLOB in the registry's storage"
sed 's/"damaged"/"DAMAGED"/' "$T/p-damaged.json" >"$BLOB"
expect_eq "$(stat -c %s "$BLOB")" "$(stat -c %s "$T/p-damaged.json")" "size of the damaged blob"
verify 1 "$T/o.policy.json" "$OSSL"
unreadable test/ossl "layer 1: .*digest mismatch: expected $(jq -r .digest <<<"$L"), content hashes to \
$(sha256_of "$BLOB")"
# type "atomic container signature" in a sigstore signature
payload "$T/p-atomic.json" "$ID_O" "$DO1" "atomic container signature"
push_sig test/ossl "$DO1" "$(sig_layer test/ossl "$T/p-atomic.json" "$K/o.key")"
verify 1 "$T/o.policy.json" "$OSSL"
denied test/ossl 'critical\.type.*"?atomic container signature"?.*cosign container image signature'
# no signature annotation, and one that is not base64
push_sig test/ossl "$DO1" "$(layer test/ossl "$T/p-good.json" '{}')"
verify 1 "$T/o.policy.json" "$OSSL"
denied test/ossl "no $ANN_SIG annotation"
push_sig test/ossl "$DO1" "$(layer test/ossl "$T/p-good.json" "{\"$ANN_SIG\":\"MEUC!!not*base64\"}")"
verify 1 "$T/o.policy.json" "$OSSL"
denied test/ossl "the $ANN_SIG annotation is not valid base64"
# limits: 101 layers; a layer of 4 MiB + 1 byte (a store holding more than
# signet reads is a denial)
L=$(sig_layer test/ossl "$T/p-good.json" "$K/o.key")
LAYERS=()
for i in $(seq 1 101); do LAYERS+=("$L"); done
push_sig test/ossl "$DO1" "${LAYERS[@]}"
verify 1 "$T/o.policy.json" "$OSSL"
expect_match "^signet: .*test/ossl.*101 layers, more than the limit of 100" "$ERR"
push_sig test/ossl "$DO1" "${LAYERS[@]:0:100}"
verify 0 "$T/o.policy.json" "$OSSL"	# 100 layers: allowed
head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T/big.json"
push_sig test/ossl "$DO1" "$(layer test/ossl "$T/big.json" "{\"$ANN_SIG\":\"$SIGB64\"}")"
verify 1 "$T/o.policy.json" "$OSSL"
expect_match "^signet: .*test/ossl.*4194305 bytes, larger than the limit of 4194304 bytes" "$ERR"

echo "# two signers at the same time"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/ka"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/kb.key" 2>/dev/null
openssl pkey -in "$K/kb.key" -pubout -out "$K/kb.pub"
policy "$T/ab.policy.json" "$REG/test/conc" "$(sreq "$K/ka.pub")" "$(sreq "$K/kb.pub")"
policy "$T/a.policy.json" "$REG/test/conc" "$(sreq "$K/ka.pub")"
policy "$T/b.policy.json" "$REG/test/conc" "$(sreq "$K/kb.pub")"
for tag in v1 v2 amd64; do
	push_image "$tag" "test/conc:$tag"
	dig=$(digest_of "test/conc:$tag")
	"$SIGNET" sign -v --tls-verify=false --registries.d "$T/regd" --key "$K/ka.key" \
		"docker://$REG/test/conc:$tag" >"$T/conc-a.out" 2>&1 </dev/null &
	pa=$!
	"$SIGNET" sign -v --tls-verify=false --registries.d "$T/regd" --key "$K/kb.key" \
		"docker://$REG/test/conc:$tag" >"$T/conc-b.out" 2>&1 </dev/null &
	pb=$!
	PIDS+=("$pa" "$pb")
	ra=0 rb=0
	wait "$pa" || ra=$?
	wait "$pb" || rb=$?
	expect_eq "$ra $rb" "0 0" "exit codes of the two signers of test/conc:$tag"
	[[ "$ra $rb" == "0 0" ]] || grep -hv '^signet: debug: ' "$T/conc-a.out" "$T/conc-b.out" |
		sed -n '1,40s/^/  | /p'
	# Not asserted (timing decides): whether the two writes did collide.
	echo "# test/conc:$tag: $(cat "$T/conc-a.out" "$T/conc-b.out" | grep -c 'attempt [0-9]') retries" \
		"after the other signer's write"
	expect_eq "$(reg_manifest test/conc "$(cosign_tag "$dig")" | jq '[.layers[].mediaType] | length')" 2 \
		"layers of the .sig manifest of test/conc:$tag"
	verify 0 "$T/ab.policy.json" "docker://$REG/test/conc:$tag"
	verify 0 "$T/a.policy.json" "docker://$REG/test/conc:$tag"
	verify 0 "$T/b.policy.json" "docker://$REG/test/conc:$tag"
done

echo "# cosign's encrypted private keys"
printf 'correct horse battery staple\n' >"$K/pass.txt"
printf 'not the passphrase\n' >"$K/wrong-pass.txt"
expect_exit 0 -- "$SIGNET" key generate --passphrase-file "$K/pass.txt" -o "$K/enc"
expect_eq "$(head -n 1 "$K/enc.key")" "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----" "enc.key first line"
expect_eq "$(stat -c %a "$K/enc.key")" 600 "enc.key mode"
sed '1d;$d' "$K/enc.key" | base64 -d >"$T/enc.json" || die "enc.key: the PEM body is not base64"
expect_eq "$(jq -c '[.kdf.name, .kdf.params, .cipher.name]' "$T/enc.json")" \
	'["scrypt",{"N":32768,"r":8,"p":1},"nacl/secretbox"]' "enc.key kdf and cipher"
push_image v2 test/enc:v1
policy "$T/enc.policy.json" "$REG/test/enc" "$(sreq "$K/enc.pub")"
sign 0 --key "$K/enc.key" --passphrase-file "$K/pass.txt" "docker://$REG/test/enc:v1"
verify 0 "$T/enc.policy.json" "docker://$REG/test/enc:v1"
expect_match "^Signed by: $(keyid "$K/enc.pub")( |$)" "$OUT"
sign 2 --key "$K/enc.key" --passphrase-file "$K/wrong-pass.txt" "docker://$REG/test/enc:v1"
expect_match "^signet: wrong passphrase for .*enc\.key" "$ERR"
sign 2 --key "$K/enc.key" "docker://$REG/test/enc:v1"
expect_match "^signet: wrong passphrase for .*enc\.key.*no passphrase was given" "$ERR"
expect_eq "$(reg_manifest test/enc "$(cosign_tag "$(digest_of test/enc:v1)")" | jq '.layers | length')" 1 \
	"layers after the refused signers"
# scrypt N=1024: not one of cosign's parameters
{
	echo "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"
	jq -c '.kdf.params.N = 1024' "$T/enc.json" | tr -d '\n' | base64 -w 64
	echo "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----"
} >"$K/n1024.key"
sign 2 --key "$K/n1024.key" --passphrase-file "$K/pass.txt" "docker://$REG/test/enc:v1"
expect_match "^signet: .*n1024\.key.*unsupported scrypt parameters N=1024" "$ERR"

echo "# signet sign --recursive on a multi-platform index"
push_image multi test/multi:v1 --all
skopeo_raw test/multi:v1 >"$T/multi.json"
DI=$(sha256_of "$T/multi.json")
DAMD=$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' "$T/multi.json")
DARM=$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' "$T/multi.json")
sign 0 --key "$K/k1.key" --recursive "docker://$REG/test/multi:v1"
expect_eq "$(grep -c '^Signature stored at ' "$OUT")" 3 "signatures stored"
SIGTAGS=$(curl -sf "http://$REG/v2/test/multi/tags/list" |
	jq -r '[.tags[] | select(endswith(".sig"))] | sort | join(" ")')
WANT=$(for d in "$DI" "$DAMD" "$DARM"; do cosign_tag "$d"; done | sort | paste -sd' ')
expect_eq "$SIGTAGS" "$WANT" ".sig tags of test/multi (the index's and both instances')"
for d in "$DI" "$DAMD" "$DARM"; do
	reg_manifest test/multi "$(cosign_tag "$d")" >"$T/multi-sig.json"
	reg_blob test/multi "$(jq -r '.layers[0].digest' "$T/multi-sig.json")" >"$T/multi-payload.json"
	expect_eq "$(jq -r '.critical.image["docker-manifest-digest"]' "$T/multi-payload.json")" "$d" \
		"digest signed in $(cosign_tag "$d")"
done
policy "$T/multi.policy.json" "$REG/test/multi" "$(sreq "$K/k1.pub")"
verify 0 "$T/multi.policy.json" --platform linux/arm64 "docker://$REG/test/multi:v1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/multi@$DARM" "verify --platform linux/arm64: line 1"
verify 0 "$T/multi.policy.json" --platform linux/amd64 "docker://$REG/test/multi:v1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/multi@$DAMD" "verify --platform linux/amd64: line 1"

echo "# cosign signatures name only the repository: matchRepository"
policy "$T/exact.policy.json" "$REG/test/cosign" "$(sreq "$K/k1.pub" none)"
verify 1 "$T/exact.policy.json" "$IMG"
denied test/cosign 'names only a repository.*\{"type": "matchRepository"\} accepts such signatures'
expect_exit 1 -- "$SIGNET" policy explain --tls-verify=false --registries.d "$T/regd" \
	--policy "$T/exact.policy.json" "$IMG"
expect_match 'matchRepoDigestOrExact' "$OUT"
expect_match 'names only a repository.*matchRepository' "$OUT"
policy "$T/exact2.policy.json" "$REG/test/cosign" "$(sreq "$K/k1.pub" '{"type":"matchExact"}')"
verify 1 "$T/exact2.policy.json" "$IMG"
denied test/cosign 'names only a repository.*matchRepository'
# by digest, matchRepoDigestOrExact needs the repository only
verify 0 "$T/exact.policy.json" "docker://$REG/test/cosign@$D1"
verify 0 "$T/k1.policy.json" "$IMG"

finish
