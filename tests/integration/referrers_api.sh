# SPDX-License-Identifier: Apache-2.0
# tests/integration/referrers_api.sh: the referrers API discovery path end
# to end.  No Debian 12 registry serves GET /v2/REPO/referrers/DIGEST, so
# an image and the Sigstore bundle `signet sign --format bundle` stored in
# a real docker-registry 2.8 (tag schema) are copied out with curl into a
# directory the hostile test server answers from (hostile --root DIR,
# repositories api/X), with a referrers index written here.  Then:
#   - api/good answers honestly: verify, gate and audit allow the image
#     through the API alone (the server's log: the referrers request
#     answered 200, the referrers tag never asked for); skopeo reads the
#     image served, sigstore-js (the oracle for bundles: skopeo 1.9 cannot
#     read them) accepts the bundle served;
#   - each lie, with its exit code and message: api/nofilter lists other
#     artifact types (signet filters itself: still allowed, the other
#     entries never fetched); api/othersubject, api/baddigest and
#     api/typelie are refused, the image never allowed on a lie, and
#     refused too with the real bundle listed before the lie (X-beside);
#     the gate writes nothing and the audit reports an error on a lie.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo jq curl node

ORACLE_DIR="$SRCDIR/tests/sigstore-js"
[[ -d $ORACLE_DIR/node_modules/@sigstore/verify ]] ||
	die "sigstore-js is not installed in $ORACLE_DIR (run .ci/setup)"
oracle() { node "$ORACLE_DIR/oracle.js" "$@"; }

MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_INDEX=application/vnd.oci.image.index.v1+json
MT_BUNDLE=application/vnd.dev.sigstore.bundle.v0.3+json
MT_SBOM=application/spdx+json
SBOM_REF=sha256:2222222222222222222222222222222222222222222222222222222222222222

start_registry http
mkdir -p "$T/regd" "$T/k"
K="$T/k"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/other"

echo "# an image in docker-registry, signed with a bundle (tag schema)"
push_image v1 test/api:v1
D=$(skopeo inspect --tls-verify=false "docker://$REG/test/api:v1" | jq -r .Digest)
[[ $D =~ ^sha256:[0-9a-f]{64}$ ]] || die "no digest for test/api:v1"
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" --key "$K/k.key" \
	--format bundle "docker://$REG/test/api:v1"
expect_match "^Signature stored at docker://$REG/test/api@sha256:[0-9a-f]{64}$" "$OUT"
REF=$(sed -n 's/^Signature stored at .*@//p' "$OUT")

echo "# copied out with curl into the test server's --root"
R="$T/root"
mkdir -p "$R/manifests" "$R/blobs" "$R/tags" "$R/referrers"
# copy_manifest DIGEST ACCEPT: the bytes and the Content-Type the registry sent.
copy_manifest() {
	curl -sf -D "$T/headers" -H "Accept: $2" -o "$R/manifests/$1" "http://$REG/v2/test/api/manifests/$1" ||
		die "the registry has no manifest $1"
	tr -d '\r' <"$T/headers" | sed -n 's/^[Cc]ontent-[Tt]ype: //p' >"$R/manifests/$1.type"
	expect_eq "$(sha256_of "$R/manifests/$1")" "$1" "the bytes copied hash to $1"
}
copy_manifest "$D" "$MT_MANIFEST"
copy_manifest "$REF" "$MT_MANIFEST"
expect_eq "$(cat "$R/manifests/$D.type") $(cat "$R/manifests/$REF.type")" "$MT_MANIFEST $MT_MANIFEST" \
	"the Content-Types copied"
for b in $(jq -r '.config.digest, .layers[].digest' "$R/manifests/$D" "$R/manifests/$REF" | sort -u); do
	reg_blob test/api "$b" >"$R/blobs/$b" || die "the registry has no blob $b"
	expect_eq "$(sha256_of "$R/blobs/$b")" "$b" "the blob copied hashes to its digest"
done
BUNDLE=$(jq -r '.layers[0].digest' "$R/manifests/$REF")
echo "$D" >"$R/tags/v1"
# The referrers index the API answers: the tag schema's (the bundle), and
# a referrer of another artifact type (an SBOM, never fetched).
reg_manifest test/api "${D/:/-}" "$MT_INDEX" >"$T/tagindex.json" || die "no referrers tag ${D/:/-}"
jq -c --arg d "$SBOM_REF" --arg t "$MT_SBOM" --arg m "$MT_MANIFEST" \
	'.manifests += [{mediaType: $m, digest: $d, size: 2, artifactType: $t}]' "$T/tagindex.json" \
	>"$R/referrers/$D.json"
expect_eq "$(jq -c '[.manifests[] | [.digest, .artifactType]]' "$R/referrers/$D.json")" \
	"[[\"$REF\",\"$MT_BUNDLE\"],[\"$SBOM_REF\",\"$MT_SBOM\"]]" "the referrers index written"

port=$(free_port)
port2=$(free_port)
start_testserver "$T/hostile.out" hostile --port "$port" --port2 "$port2" --root "$R" --log "$T/hostile.log"
H="127.0.0.1:$port"
hverify() {
	local code=$1 x=$2
	shift 2
	: >"$T/hostile.log"
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" "$@" \
		"docker://$H/api/$x:v1"
}

echo "# api/good: the server answers honestly, the filter as the spec says"
expect_exit 0 -- curl -sf -D "$T/h1" -o "$T/all.json" "http://$H/v2/api/good/referrers/$D"
expect_eq "$(jq -c '[.manifests[].artifactType]' "$T/all.json")" "[\"$MT_BUNDLE\",\"$MT_SBOM\"]" \
	"no filter: every referrer"
expect_no_match '^OCI-Filters-Applied' "$T/h1"
expect_exit 0 -- curl -sf -D "$T/h2" -o "$T/sbom.json" \
	"http://$H/v2/api/good/referrers/$D?artifactType=application%2Fspdx%2Bjson"
expect_eq "$(jq -c '[.manifests[].digest]' "$T/sbom.json")" "[\"$SBOM_REF\"]" "filtered by artifactType"
expect_match '^OCI-Filters-Applied: artifactType' "$T/h2"
expect_exit 0 -- curl -sf -D "$T/h3" -o "$T/nf.json" \
	"http://$H/v2/api/nofilter/referrers/$D?artifactType=application%2Fspdx%2Bjson"
expect_eq "$(jq '.manifests | length' "$T/nf.json")" 2 "api/nofilter ignores the filter"
expect_no_match '^OCI-Filters-Applied' "$T/h3"

echo "# skopeo reads the image the server answers"
expect_eq "$(skopeo inspect --no-tags --tls-verify=false "docker://$H/api/good:v1" | jq -r .Digest)" "$D" \
	"skopeo's digest of api/good:v1"

echo "# sigstore-js accepts the bundle the server answers (and no other key or digest)"
curl -sf -o "$T/bundle.json" "http://$H/v2/api/good/blobs/$BUNDLE" || die "no bundle served"
expect_exit 0 -- oracle verify "$K/k.pub" "${D#sha256:}" "$T/bundle.json"
expect_match "^verified: application/vnd\.dev\.sigstore\.bundle\.v0\.3\+json, $D$" "$OUT"
expect_exit 1 -- oracle verify "$K/other.pub" "${D#sha256:}" "$T/bundle.json"
expect_exit 1 -- oracle verify "$K/k.pub" "${SBOM_REF#sha256:}" "$T/bundle.json"

echo "# api/good: signet verify allows, through the referrers API alone"
hverify 0 good --key "$K/k.pub"
expect_match "$D" "$OUT"
expect_match "GET /v2/api/good/referrers/$D auth=0 200" "$T/hostile.log"
expect_match "GET /v2/api/good/manifests/$REF auth=0 200" "$T/hostile.log"
expect_match "GET /v2/api/good/blobs/$BUNDLE auth=0 200" "$T/hostile.log"
expect_no_match "/manifests/sha256-[0-9a-f]{64} " "$T/hostile.log"
expect_no_match "$SBOM_REF" "$T/hostile.log"
hverify 1 good --key "$K/other.pub"
expect_match "not signed by any pinned key" "$ERR"

echo "# api/nofilter: other artifact types listed; signet filters itself (allowed: the one bundle is real)"
hverify 0 nofilter --key "$K/k.pub"
expect_match "GET /v2/api/nofilter/referrers/$D auth=0 200" "$T/hostile.log"
expect_no_match "$SBOM_REF" "$T/hostile.log"
expect_no_match "/manifests/sha256-[0-9a-f]{64} " "$T/hostile.log"

echo "# api/good through the gate: the compose file pinned to the digest verified"
printf 'services:\n  app:\n    image: %s\n' "$H/api/good:v1" >"$T/compose.yaml"
: >"$T/hostile.log"
expect_exit 0 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --key "$K/k.pub" \
	-o "$T/compose.pinned.yaml" "$T/compose.yaml"
expect_match "image: $H/api/good:v1@$D\$" "$T/compose.pinned.yaml"
expect_match "GET /v2/api/good/referrers/$D auth=0 200" "$T/hostile.log"
expect_no_match "/manifests/sha256-[0-9a-f]{64} " "$T/hostile.log"
expect_exit 1 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --key "$K/other.pub" \
	-o "$T/compose.other.yaml" "$T/compose.yaml"
[[ ! -e $T/compose.other.yaml ]] && pass "a denied gate writes nothing" || fail "a denied gate wrote"

echo "# api/good through the audit: allowed by its bundle, found through the API"
: >"$T/hostile.log"
expect_exit 0 -- "$SIGNET" audit --json --tls-verify=false --registries.d "$T/regd" --key "$K/k.pub" \
	"docker://$H/api/good:v1"
expect_eq "$(jq -sc '.[] | select(.type == "image") | [.digest, .verdict, (.signatures[] | .kind, .store, .valid)]' "$OUT")" \
	"[\"$D\",\"allowed\",\"sigstore-bundle\",\"referrer\",true]" "the audit's verdict on api/good:v1"
expect_eq "$(jq -sc '.[] | select(.type == "summary") | .byFormat' "$OUT")" \
	'{"simple-signing":0,"sigstore":0,"sigstore-bundle":1}' "the summary counts the bundle"
expect_match "GET /v2/api/good/referrers/$D auth=0 200" "$T/hostile.log"
expect_no_match "/manifests/sha256-[0-9a-f]{64} " "$T/hostile.log"

# Every lie below is refused, the referrer's URL named; the image is never
# allowed on it.  A referrer that contradicts what the API listed it for
# (another subject, other bytes, no bundle in it) fails the whole lookup,
# even listed after the real bundle (X-beside): the registry's answer
# cannot be trusted, so it is not worked around.

echo "# api/othersubject: a referrer whose subject is another image"
hverify 2 othersubject --key "$K/k.pub"
expect_match "referrer docker://$H/api/othersubject@sha256:[0-9a-f]{64}: its subject is not this image's manifest" "$ERR"
expect_match "GET /v2/api/othersubject/referrers/$D auth=0 200" "$T/hostile.log"
expect_no_match "/blobs/$BUNDLE" "$T/hostile.log"

echo "# api/baddigest: the referrer's bytes do not hash to the digest listed"
hverify 1 baddigest --key "$K/k.pub"
expect_match "referrer docker://$H/api/baddigest@$REF: manifest $H/api/baddigest@$REF: digest mismatch: expected $REF, content hashes to sha256:[0-9a-f]{64}" "$ERR"
expect_no_match "/blobs/$BUNDLE" "$T/hostile.log"

echo "# api/typelie: artifactType bundle, but the one layer is not a bundle"
hverify 2 typelie --key "$K/k.pub"
expect_match "referrer docker://$H/api/typelie@sha256:[0-9a-f]{64}: its one layer is application/vnd\.oci\.image\.layer\.v1\.tar[^ ]*, not a Sigstore bundle" "$ERR"
# The layer the lie points at is never fetched.
expect_no_match "/blobs/" "$T/hostile.log"

echo "# the lies listed after the real bundle: still refused, the valid bundle does not rescue them"
hverify 2 othersubject-beside --key "$K/k.pub"
expect_match "referrer docker://$H/api/othersubject-beside@sha256:[0-9a-f]{64}: its subject is not this image's manifest" "$ERR"
expect_match "GET /v2/api/othersubject-beside/manifests/$REF auth=0 200" "$T/hostile.log"
expect_match "GET /v2/api/othersubject-beside/blobs/$BUNDLE auth=0 200" "$T/hostile.log"
hverify 2 typelie-beside --key "$K/k.pub"
expect_match "referrer docker://$H/api/typelie-beside@sha256:[0-9a-f]{64}: its one layer is application/vnd\.oci\.image\.layer\.v1\.tar[^ ]*, not a Sigstore bundle" "$ERR"
expect_match "GET /v2/api/typelie-beside/blobs/$BUNDLE auth=0 200" "$T/hostile.log"
expect_eq "$(grep -c '/blobs/' "$T/hostile.log")" 1 "only the real bundle's blob fetched"

echo "# a lie through the gate and the audit: not allowed, nothing written"
printf 'services:\n  app:\n    image: %s\n' "$H/api/typelie:v1" >"$T/compose-lie.yaml"
expect_exit 2 -- "$SIGNET" gate --tls-verify=false --registries.d "$T/regd" --key "$K/k.pub" \
	-o "$T/compose-lie.pinned.yaml" "$T/compose-lie.yaml"
[[ ! -e $T/compose-lie.pinned.yaml ]] && pass "the gate wrote nothing on a lie" || fail "the gate wrote on a lie"
expect_match "not a Sigstore bundle" "$OUT"
expect_exit 2 -- "$SIGNET" audit --json --tls-verify=false --registries.d "$T/regd" --key "$K/k.pub" \
	"docker://$H/api/typelie:v1"
expect_eq "$(jq -sc '.[] | select(.type == "image") | [.verdict, .pinned, (.signatures | length)]' "$OUT")" \
	'["error",null,0]' "the audit's verdict on api/typelie:v1"
jq -sr '.[] | select(.type == "image") | .reason' "$OUT" >"$T/reason"
expect_match "referrer docker://$H/api/typelie@sha256:[0-9a-f]{64}: its one layer is .*, not a Sigstore bundle" "$T/reason"

finish
