# SPDX-License-Identifier: Apache-2.0
# tests/integration/inspect.sh: `signet inspect` against a real docker-registry
# in each set-up (plain HTTP, TLS, TLS + htpasswd, TLS + bearer tokens) agrees
# with skopeo on the digest of every pushed image, in human and --json output.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci openssl htpasswd jq curl sha256sum

# check_image REPO:TAG: signet's view of docker://$REG/REPO:TAG against the
# bytes skopeo reads.
check_image() {
	local image=$1 repo=${1%:*} raw="$T/raw.json" want mt what
	what="$REG_MODE $image"
	skopeo_raw "$image" >"$raw" || { fail "$what: skopeo cannot read it"; return 0; }
	want=$(sha256_of "$raw")
	# umoci's OCI manifests carry no mediaType: the registry then serves
	# them as what they are, an OCI image manifest.
	mt=$(jq -r '.mediaType // "application/vnd.oci.image.manifest.v1+json"' "$raw")

	expect_exit 0 -- "$SIGNET" inspect "${REG_FLAGS[@]}" "docker://$REG/$image"
	expect_eq "$(sed -n 's/^Name: //p' "$OUT")" "$REG/$image" "$what: Name"
	expect_eq "$(sed -n 's/^Digest: //p' "$OUT")" "$want" "$what: Digest"
	expect_eq "$(sed -n 's/^MediaType: //p' "$OUT")" "$mt" "$what: MediaType"
	expect_eq "$(sed -n 's/^Pinned: //p' "$OUT")" "$REG/$repo@$want" "$what: Pinned"
	if jq -e '.manifests' "$raw" >/dev/null; then
		expect_eq "$(sed -n '/^Platforms:$/,$p' "$OUT")" \
			"$(jq -r '"Platforms:", (.manifests[] | "  \(.platform.os)/\(.platform.architecture)" +
				(if .platform.variant then "/\(.platform.variant)" else "" end) + " \(.digest)")' "$raw")" \
			"$what: Platforms"
	else
		expect_eq "$(sed -n 's/^Layers: //p' "$OUT")" "$(jq '.layers | length' "$raw")" "$what: Layers"
	fi

	expect_exit 0 -- "$SIGNET" inspect --json "${REG_FLAGS[@]}" "docker://$REG/$image"
	if ! jq -e . "$OUT" >/dev/null 2>&1; then
		fail "$what: --json output does not parse"
		return 0
	fi
	expect_eq "$(jq -r .Name "$OUT")" "$REG/$image" "$what: .Name"
	expect_eq "$(jq -r .Digest "$OUT")" "$want" "$what: .Digest"
	expect_eq "$(jq -r .MediaType "$OUT")" "$mt" "$what: .MediaType"
	expect_eq "$(jq -r .Pinned "$OUT")" "$REG/$repo@$want" "$what: .Pinned"
	if jq -e '.manifests' "$raw" >/dev/null; then
		expect_eq "$(jq -c '[.Manifests[] | {digest, mediaType, platform: {os: .platform.os,
				architecture: .platform.architecture, variant: .platform.variant}}]' "$OUT")" \
			"$(jq -c '[.manifests[] | {digest, mediaType, platform: {os: .platform.os,
				architecture: .platform.architecture, variant: (.platform.variant // null)}}]' "$raw")" \
			"$what: .Manifests"
	else
		expect_eq "$(jq -r .Layers "$OUT")" "$(jq '.layers | length' "$raw")" "$what: .Layers"
		expect_eq "$(jq -r .Config "$OUT")" "$(jq -r .config.digest "$raw")" "$what: .Config"
	fi
}

# check_by_digest REPO DIGEST: inspect REPO@DIGEST names that digest.
check_by_digest() {
	local repo=$1 digest=$2
	expect_exit 0 -- "$SIGNET" inspect "${REG_FLAGS[@]}" "docker://$REG/$repo@$digest"
	expect_eq "$(sed -n 's/^Digest: //p' "$OUT")" "$digest" "$REG_MODE $repo@$digest: Digest"
	expect_eq "$(sed -n 's/^Pinned: //p' "$OUT")" "$REG/$repo@$digest" "$REG_MODE $repo@$digest: Pinned"
}

for mode in http tls htpasswd token; do
	start_registry "$mode"
	push_images
	for image in test/oci:v1 test/oci:v2 test/docker:v1 test/multi:v1; do
		check_image "$image"
	done
	# by digest: the index, and one of its instances (an image manifest)
	skopeo_raw test/multi:v1 >"$T/multi.json"
	check_by_digest test/multi "$(sha256_of "$T/multi.json")"
	check_by_digest test/multi "$(jq -r '.manifests[1].digest' "$T/multi.json")"
	expect_eq "$(sed -n 's/^Layers: //p' "$OUT")" 1 "$mode test/multi arm64 instance: Layers"
	# a tag that does not exist: cannot read (3), and the message says which
	expect_exit 3 -- "$SIGNET" inspect "${REG_FLAGS[@]}" "docker://$REG/test/oci:nope"
	expect_match "^signet: .*test/oci" "$ERR"
	stop_registry
done

finish
