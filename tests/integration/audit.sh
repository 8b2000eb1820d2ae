# SPDX-License-Identifier: Apache-2.0
# tests/integration/audit.sh: `signet audit` over a real docker-registry
# filled with 202 images in 24 repositories whose truth is planted here, its
# skopeo-sync'd dir: copy, shards merged back, and the HTML report rendered
# by headless Chromium.
#
# Policy: reject by default; the registry's scope requires signedBy GPGKeys
# with keys A and B both pinned and signedIdentity matchRepository (one
# lookaside signature per repository@digest then covers all its tags).
# Planted (images are tags; repositories share few distinct manifests):
#
#   repository          tags         signature (lookaside, file://)        verdict  signer
#   signed-a/r00..r09   t00..t09     A, claims REG/signed-a/rNN:t00         allowed  A  (100)
#   signed-b/r00..r04   t00..t09     B, claims REG/signed-b/rNN:t00         allowed  B  (50)
#   unsigned/r00..r03   t00..t09     none                                   denied      (40)
#   tampered            t0..t7       A, last byte of the signature flipped  denied      (8)
#   foreign/r0, r1      v1           A, claims REG/elsewhere/rN:v1          denied      (2, foreign)
#   multi               v1 (index)   A over the index digest and over each  allowed  A  (1)
#                                    instance's (named by the index: no orphans)
#   orphan              t1           A                                      allowed  A  (1)
#
#   orphans: orphan@D2 (v2, pushed by digest, no tag names it) has a
#   lookaside signature-1 and a cosign .sig tag: 2 orphan records.
#
# Truth: images 202, allowed 152, denied 50, errors 0, orphans 2,
# foreignIdentity 2, bySigner {A: 105, B: 50}.  bySigner counts the valid
# signatures (a pinned key's, cryptographically good) in the image records,
# whatever the verdict ("Valid signatures by signer" in the text report):
# A = 100 signed-a + 1 orphan:t1 + 2 foreign (good, but for another
# identity) + 2 multi (the index's and this machine's instance's, both
# listed in its record); the tampered ones are nobody's.
#
# dir: copy: `skopeo sync --scoped --all` per repository copies every tag and
# its lookaside signatures into signature-N files.  Orphans cannot exist
# there (sync copies tags only), so the orphan repository is synced by its
# one named tag (its .sig tag left out) and the dir: audit expects the same
# counts with orphans 0.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum cmp chromium

make_gpg_keys
make_images
start_registry http
LA="$T/lookaside"
registries_d "$T/regd" "$REG" "file://$LA"

# ---- filling the registry ---------------------------------------------------

TRUTH="$T/truth.tsv"	# repository TAB tag TAB verdict, one line per image
: >"$TRUTH"

# fill REPO SRC-TAG VERDICT TAG...: pushes oci:$IMAGES:SRC-TAG as REPO:TAG1,
# retags it as the other TAGs, and records the planted verdict of each.
fill() {
	local repo=$1 src=$2 verdict=$3 first=$4 tag
	shift 3
	if [[ $src == multi ]]; then
		push_image "$src" "$repo:$first" --all
	else
		push_image "$src" "$repo:$first"
	fi
	shift
	[[ $# == 0 ]] || reg_retag "$repo" "$first" "$@"
	for tag in "$first" "$@"; do
		printf '%s\t%s\t%s\n' "$repo" "$tag" "$verdict" >>"$TRUTH"
	done
}

# sign_repo REPO DIGEST FPR IDENTITY [GPG-ARGS...]: signature-1 of REPO@DIGEST
# in the lookaside, by FPR, claiming IDENTITY.
sign_repo() {
	local dir
	dir=$(lookaside_dir "$LA" "$1" "$2")
	mkdir -p "$dir"
	gpg_simple_sign "$dir/signature-1" "$3" "$4" "$2" "${@:5}"
}

TAGS10=(t00 t01 t02 t03 t04 t05 t06 t07 t08 t09)
echo "# filling $REG"
for i in 00 01 02 03 04 05 06 07 08 09; do
	fill "signed-a/r$i" v1 allowed "${TAGS10[@]}"
done
D1=$(skopeo_digest signed-a/r00:t00)
for i in 00 01 02 03 04 05 06 07 08 09; do
	sign_repo "signed-a/r$i" "$D1" "$FPR_A" "$REG/signed-a/r$i:t00"
done
for i in 00 01 02 03 04; do
	fill "signed-b/r$i" v1 allowed "${TAGS10[@]}"
	sign_repo "signed-b/r$i" "$D1" "$FPR_B" "$REG/signed-b/r$i:t00"
done
for i in 00 01 02 03; do
	fill "unsigned/r$i" v1 denied "${TAGS10[@]}"
done
fill tampered v1 denied t0 t1 t2 t3 t4 t5 t6 t7
sign_repo tampered "$D1" "$FPR_A" "$REG/tampered:t0" --compress-algo none
flip_last_byte "$(lookaside_dir "$LA" tampered "$D1")/signature-1"
for i in 0 1; do
	fill "foreign/r$i" v1 denied v1
	sign_repo "foreign/r$i" "$D1" "$FPR_A" "$REG/elsewhere/r$i:v1"
done
fill multi multi allowed v1
DM=$(skopeo_digest multi:v1)
sign_repo multi "$DM" "$FPR_A" "$REG/multi:v1"
# Its instances signed too (as `cosign sign --recursive` does; skopeo copy
# --all checks each): named by the tagged index, they are no orphans.
for d in $(skopeo_raw multi:v1 | jq -r '.manifests[].digest'); do
	sign_repo multi "$d" "$FPR_A" "$REG/multi:v1"
done
DI=$(instance_digest multi:v1)	# this machine's platform's
fill orphan v1 allowed t1
sign_repo orphan "$D1" "$FPR_A" "$REG/orphan:t1"

# The orphan: v2 pushed by digest alone (its blobs uploaded by hand), with a
# lookaside signature and a cosign .sig attachment naming it.
D2=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v2") | .digest' \
	"$IMAGES/index.json")
BLOB="$IMAGES/blobs/sha256/${D2#sha256:}"
for d in $(jq -r '.config.digest, .layers[].digest' "$BLOB"); do
	reg_put_blob orphan "$IMAGES/blobs/sha256/${d#sha256:}" >/dev/null
done
reg_put_manifest orphan "$D2" "$BLOB"
sign_repo orphan "$D2" "$FPR_A" "$REG/orphan:gone"
jq -cn --arg d "$D2" --arg id "$REG/orphan" \
	'{critical: {identity: {"docker-reference": $id}, image: {"docker-manifest-digest": $d},
	             type: "cosign container image signature"}, optional: null}' | tr -d '\n' >"$T/cosign-payload"
PDIG=$(reg_put_blob orphan "$T/cosign-payload")
printf '{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$PDIG" \
	>"$T/cosign-config"
CDIG=$(reg_put_blob orphan "$T/cosign-config")
jq -cn --arg pd "$PDIG" --argjson ps "$(stat -c %s "$T/cosign-payload")" \
	--arg cd "$CDIG" --argjson cs "$(stat -c %s "$T/cosign-config")" \
	'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
	  layers: [{mediaType: "application/vnd.dev.cosign.simplesigning.v1+json", digest: $pd, size: $ps,
	            annotations: {"dev.cosignproject.cosign/signature": "bm90IGEgc2lnbmF0dXJl"}}]}' |
	tr -d '\n' >"$T/cosign-manifest"
reg_put_manifest orphan "$(cosign_tag "$D2")" "$T/cosign-manifest"

[[ $D1 != "$D2" && $D1 != "$DM" ]] || die "unexpected fixture digests: $D1 $D2 $DM"
# The registry's own view agrees with the plan (24 repositories).
REPOS=$(cut -f1 "$TRUTH" | sort -u)
expect_eq "$(wc -l <"$TRUTH") $(echo "$REPOS" | wc -l)" "202 24" "planted images and repositories"
expect_eq "$(curl -sf "http://$REG/v2/_catalog?n=1000" | jq -r '.repositories | length')" 24 \
	"repositories in the registry's catalog"

cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG": [{"type": "signedBy", "keyType": "GPGKeys",
   "keyPaths": ["$KEYS/A.asc", "$KEYS/B.asc"], "signedIdentity": {"type": "matchRepository"}}]}}}
EOF
# skopeo, with the same policy and registries.d, agrees with the plan on a
# few images: the truth is not signet's opinion.
for img_code in signed-a/r00:t03=0 signed-b/r02:t07=0 multi:v1=0 orphan:t1=0 unsigned/r01:t04=1 \
	tampered:t1=1 foreign/r0:v1=1; do
	rm -rf "$T/skopeo-dir"
	expect_exit "${img_code#*=}" -- skopeo --policy "$T/policy.json" --registries.d "$T/regd" copy -q --all \
		--src-tls-verify=false "docker://$REG/${img_code%=*}" "dir:$T/skopeo-dir"
done

# ---- checking one audit's output ----------------------------------------------

# same_run A B: the two outputs are byte for byte the same audit, apart from
# the summary's "started" (when each run began).
same_run() {
	cmp -s <(sed -E 's/"started":"[^"]*"/"started":"-"/' "$1") <(sed -E 's/"started":"[^"]*"/"started":"-"/' "$2")
}

# images FILE: "repository TAB tag TAB verdict" of each image record, the
# repository without "$REG/" (dir: and docker: records compare), sorted.
images() {
	jq -r --arg reg "$REG/" 'select(.type == "image") | [(.repository | ltrimstr($reg)), .tag, .verdict] | @tsv' \
		"$1" | LC_ALL=C sort
}

# expect_same_lines ACTUAL-FILE EXPECTED-FILE WHAT: equal, or the diff shown.
expect_same_lines() {
	if cmp -s "$1" "$2"; then
		pass "$3 ($(wc -l <"$2") lines)"
	else
		fail "$3 differ (< got, > expected)"
		diff "$1" "$2" | cut -c1-240 | sed -n '1,30s/^/  | /p' || true
	fi
}

# record FILE REPO TAG: the image record of REPO:TAG, compact.
record() {
	jq -c --arg reg "$REG/" --arg r "$2" --arg t "$3" \
		'select(.type == "image" and (.repository | ltrimstr($reg)) == $r and .tag == $t)' "$1"
}

# check_audit FILE ORPHANS WHAT: the summary and every record of an audit.
check_audit() {
	local f=$1 orphans=$2 what=$3 r
	LC_ALL=C sort "$TRUTH" >"$T/truth.sorted"
	images "$f" >"$T/got.sorted"
	expect_same_lines "$T/got.sorted" "$T/truth.sorted" "$what: image records and verdicts"
	expect_eq "$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied, .errors, .orphans,
		.foreignIdentity]' "$f")" "[202,152,50,0,$orphans,2]" \
		"$what: summary [images, allowed, denied, errors, orphans, foreignIdentity]"
	expect_eq "$(jq -cS 'select(.type == "summary") | .bySigner' "$f")" \
		"$(jq -cnS --arg a "$FPR_A" --arg b "$FPR_B" '{($a): 105, ($b): 50}')" "$what: bySigner"
	expect_eq "$(jq -s '[.[] | select(.type == "summary")] | length' "$f") $(tail -n 1 "$f" | jq -r .type)" \
		"1 summary" "$what: one summary record, last"
	# Allowed images: a valid signature by the planted signer.
	expect_eq "$(jq -r --arg reg "$REG/" 'select(.type == "image" and .verdict == "allowed") |
		[(.repository | ltrimstr($reg) | split("/")[0]), ([.signatures[] | select(.valid) | .signer] |
		unique | join(","))] | @tsv' "$f" | sort | uniq -c | awk '{print $1, $2, $3}' | sort)" \
		"$(printf '%s\n' "100 signed-a $FPR_A" "1 multi $FPR_A" "1 orphan $FPR_A" "50 signed-b $FPR_B" | sort)" \
		"$what: signers of the allowed images"
	# Unsigned: no signature at all.
	expect_eq "$(jq -r --arg reg "$REG/" 'select(.type == "image" and (.repository | ltrimstr($reg) |
		startswith("unsigned/"))) | .signatures | length' "$f" | sort | uniq -c | awk '{print $1, $2}')" \
		"40 0" "$what: signatures of the unsigned images"
	# Tampered: one signature, not valid, with a problem.
	r=$(record "$f" tampered t3)
	expect_eq "$(jq -c '[.verdict, (.signatures | length), .signatures[0].valid,
		(.signatures[0].problem != null), .signatures[0].kind]' <<<"$r")" \
		'["denied",1,false,true,"simple-signing"]' "$what: tampered:t3 [verdict, signatures, valid, problem?, kind]"
	# Foreign identity: the claimed identity shown, not matching.
	r=$(record "$f" foreign/r1 v1)
	expect_eq "$(jq -c '[.verdict, (.signatures | length), .signatures[0].identity,
		.signatures[0].identityMatches]' <<<"$r")" \
		"$(jq -cn --arg i "$REG/elsewhere/r1:v1" '["denied", 1, $i, false]')" \
		"$what: foreign/r1:v1 [verdict, signatures, identity, identityMatches]"
	# Allowed, by A: digest, signer, identity.
	r=$(record "$f" signed-a/r07 t05)
	expect_eq "$(jq -c '[.verdict, .digest, (.signatures | length), .signatures[0].valid,
		.signatures[0].signer, .signatures[0].identity, .signatures[0].identityMatches]' <<<"$r")" \
		"$(jq -cn --arg d "$D1" --arg a "$FPR_A" --arg i "$REG/signed-a/r07:t00" \
			'["allowed", $d, 1, true, $a, $i, true]')" \
		"$what: signed-a/r07:t05 [verdict, digest, signatures, valid, signer, identity, identityMatches]"
	r=$(record "$f" signed-b/r04 t09)
	expect_eq "$(jq -c '[.verdict, .signatures[0].signer]' <<<"$r")" \
		"$(jq -cn --arg b "$FPR_B" '["allowed", $b]')" "$what: signed-b/r04:t09 [verdict, signer]"
	# The multi-arch image: one record for the index, its two platforms.
	r=$(record "$f" multi v1)
	expect_eq "$(jq -c '[.verdict, .digest, .mediaType, ([.platforms[] | .os + "/" + .architecture] | sort)]' \
		<<<"$r")" \
		"$(jq -cn --arg d "$DM" '["allowed", $d, "application/vnd.oci.image.index.v1+json",
			["linux/amd64", "linux/arm64"]]')" "$what: multi:v1 [verdict, digest, mediaType, platforms]"
	expect_eq "$(jq -c '[.signatures[] | [.manifest, .valid, .signer]] | sort' <<<"$r")" \
		"$(jq -cn --arg d "$DM" --arg i "$DI" --arg a "$FPR_A" '[[$d, true, $a], [$i, true, $a]] | sort')" \
		"$what: multi:v1 signatures [manifest, valid, signer]: the index's and this machine's instance's"
}

# ---- the registry --------------------------------------------------------------

audit() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" audit --policy "$T/policy.json" --registries.d "$T/regd" \
		--tls-verify=false "$@"
}

echo "# signet audit docker://$REG"
audit 1 --json "docker://$REG"
cp "$OUT" "$T/full.jsonl"
check_audit "$T/full.jsonl" 2 "docker"
# Records: images and orphans, each repository's together (in sorted order).
expect_eq "$(jq -r --arg reg "$REG/" 'select(.type != "summary") | .repository | ltrimstr($reg)' \
	"$T/full.jsonl" | uniq | sort | uniq -d | tr '\n' ' ')" "" \
	"repositories whose records are not contiguous"
expect_eq "$(jq -r 'select(.type != "image" and .type != "orphan" and .type != "summary") | .type' \
	"$T/full.jsonl" | sort -u | tr '\n' ' ')" "" "record types other than image, orphan, summary"
expect_eq "$(jq -c 'select(.type == "summary") | .shard' "$T/full.jsonl")" null "unsharded summary .shard"
expect_eq "$(jq -r --arg reg "$REG/" 'select(.type == "orphan") | [(.repository | ltrimstr($reg)), .digest,
	.store] | @tsv' "$T/full.jsonl" | sort)" \
	"$(printf 'orphan\t%s\t%s\n' "$D2" attachment "$D2" lookaside)" "orphan records [repository, digest, store]"
# Sorted, stable: repositories sorted, tags sorted.
expect_eq "$(jq -r --arg reg "$REG/" 'select(.type == "image") | (.repository | ltrimstr($reg)) + ":" + .tag' \
	"$T/full.jsonl" | LC_ALL=C sort -c 2>&1 && echo sorted)" sorted "image records in sorted order"
audit 1 --json -j 4 "docker://$REG"
same_run "$OUT" "$T/full.jsonl" && pass "-j 4 writes the same bytes as -j 1" || fail "-j 4 output differs from -j 1's"
# --repos: the catalog replaced by a list (two repositories).
printf '%s\n' signed-b/r01 unsigned/r02 >"$T/repos.txt"
audit 1 --json --repos "$T/repos.txt" "docker://$REG"
expect_eq "$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied]' "$OUT")" "[20,10,10]" \
	"--repos: summary [images, allowed, denied]"
printf '%s\n' signed-a/r03 >"$T/repos1.txt"
audit 0 --json --repos "$T/repos1.txt" "docker://$REG"
expect_eq "$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied]' "$OUT")" "[10,10,0]" \
	"--repos signed-a/r03: everything allowed, exit 0"

echo "# sources: a namespace, one repository, one image, nothing"
summary() { jq -c 'select(.type == "summary") | [.images, .allowed, .denied, .errors, .orphans]' "$1"; }
# tags of the image records, "REPOSITORY:TAG" without "$REG/", sorted
tagged() { jq -r --arg reg "$REG/" 'select(.type == "image") | (.repository | ltrimstr($reg)) + ":" + .tag' \
	"$1" | LC_ALL=C sort | tr '\n' ' '; }
audit 0 --json "docker://$REG/signed-b"	# a namespace: the 5 repositories under it
expect_eq "$(summary "$OUT")" "[50,50,0,0,0]" "docker://REG/signed-b: summary [images, allowed, denied, errors, orphans]"
audit 0 --json "docker://$REG/signed-a/r03"	# a repository: its tags
expect_eq "$(summary "$OUT")" "[10,10,0,0,0]" "docker://REG/signed-a/r03: summary"
expect_eq "$(tagged "$OUT")" "$(printf 'signed-a/r03:%s ' "${TAGS10[@]}")" "docker://REG/signed-a/r03: images"
audit 0 --json "docker://$REG/orphan/"	# a repository, a trailing slash: its image and orphans
expect_eq "$(summary "$OUT")" "[1,1,0,0,2]" "docker://REG/orphan/: summary"
audit 0 --json "docker://$REG/signed-a/r03:t05"	# one image: orphans not looked for (null, not 0)
expect_eq "$(summary "$OUT")" "[1,1,0,0,null]" "docker://REG/signed-a/r03:t05: summary"
expect_eq "$(tagged "$OUT")" "signed-a/r03:t05 " "docker://REG/signed-a/r03:t05: images"
audit 1 "docker://$REG/tampered:t3"		# one image, denied; the table
expect_match '^Images: 1 \(0 allowed, 1 denied, 0 errors\)$' "$OUT"
expect_match 'tampered' "$OUT"
echo "# -j: 4 for a registry elsewhere, 1 on this machine (measured: docs/audit.md)"
audit 0 -v "docker://$REG/signed-a/r03:t05"
expect_match '^signet: audit: 1 image at a time \(-j 1, the default for a local source\)$' "$ERR"
audit 0 -v -j 3 "docker://$REG/signed-a/r03:t05"
expect_match '^signet: audit: 3 images at a time \(-j 3\)$' "$ERR"
# 192.0.2.1 (TEST-NET-1) is nowhere: the line comes before any request
audit 3 -v --timeout 1s "docker://192.0.2.1:1/x:v1"
expect_match '^signet: audit: 4 images at a time \(-j 4, the default for a registry elsewhere\)$' "$ERR"
echo "# the terminal report: the summary first and last"
TAMPERED_LINE="signet audit: docker://$REG/tampered: 8 images: 0 allowed, 8 denied, 0 errors (policy: $T/policy.json)"
COLUMNS=100 audit 1 "docker://$REG/tampered"	# 8 images denied alike: one group
expect_eq "$(head -n 1 "$OUT")" "Audited: docker://$REG/tampered (a namespace or repository of a registry: every repository under it)" \
	"the report's first line"
expect_match '^  \[1\] 8  requirement 1 of 1 \(signedBy, transports\.docker\."127\.0\.0\.1:[0-9]+"\[0\]\) not met: no' "$OUT"
expect_no_match "policy $T/policy.json: " "$OUT"	# named once, in the header
expect_eq "$(grep -c '^denied   tampered:t[0-7]  ' "$OUT")" 8 "rows of the denied images, without the host"
expect_eq "$(cat "$ERR")" "$TAMPERED_LINE" "the summary line on stderr"
audit 1 -q "docker://$REG/tampered"		# -q: the summary line alone, never nothing
expect_eq "$(wc -c <"$OUT")" 0 "-q: bytes on stdout"
expect_eq "$(cat "$ERR")" "$TAMPERED_LINE" "-q: stderr"
audit 1 --json --html "$T/tampered.html" "docker://$REG/tampered"	# --json > f: the summary still on the terminal
if jq -e -s 'length == 9 and .[-1].type == "summary"' "$OUT" >/dev/null; then pass "--json: stdout is JSON Lines only (8 images, the summary)"
else fail "--json: stdout is not 9 JSON records"; sed -n '1,5s/^/  | /p' "$OUT"; fi
expect_eq "$(cat "$ERR")" "$TAMPERED_LINE" "--json --html: the summary line on stderr"
COLUMNS=120 audit 1 "docker://$REG"	# the whole registry: signers by name, each key once
expect_match "^  105  signet test A <[^>]+> \\(${FPR_A:0:4}…${FPR_A: -16}\\)\$" "$OUT"
expect_match "^   50  signet test B <[^>]+> \\(${FPR_B:0:4}…${FPR_B: -16}\\)\$" "$OUT"
expect_match '^Signatures: [0-9]+ simple-signing \([0-9]+ valid\), 0 sigstore \(0 valid\); images without any: 40$' "$OUT"
expect_match '^  \[ ?1\] 40  .*no signatures for its digest in file://' "$OUT"
audit 0 --json "docker://$REG/orphan:t1"	# one image: no orphans claimed without the tag list
expect_eq "$(summary "$OUT")" "[1,1,0,0,null]" "docker://REG/orphan:t1: summary"
expect_eq "$(jq -c 'select(.type == "summary") | .orphansNotLookedFor' "$OUT")" \
	"$(jq -cn --arg r "$REG/orphan" '{repositories: 1, repository: $r,
		reason: "only its tag t1 was audited, and orphans need the repository'"'"'s tag list"}')" \
	"docker://REG/orphan:t1: orphansNotLookedFor"
audit 0 "docker://$REG/orphan:t1"
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" \
	"Orphan signatures: not looked for in $REG/orphan (only its tag t1 was audited, and orphans need the repository's tag list)" \
	"docker://REG/orphan:t1: the orphans line"
# Nothing there: a typo, a prefix that is no path component, a shard of
# nothing, an empty tree.  Exit 2, nothing on stdout, and why.
for src in signed-c signed signed-a/r3 signed-a/r03/x; do
	audit 2 "docker://$REG/$src"
	expect_match "^signet: audit: no image found under docker://$REG/$src\$" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "docker://REG/$src: bytes on stdout"
done
audit 2 --json "docker://$REG/signed-c"
expect_eq "$(wc -c <"$OUT")" 0 "docker://REG/signed-c --json: bytes on stdout"
for k in 1 2; do
	audit 2 --json --shard "$k/2" "docker://$REG/signed-c"
	expect_match "^signet: audit: no image found under docker://$REG/signed-c\$" "$ERR"
done
mkdir -p "$T/empty-tree"
audit 2 "dir:$T/empty-tree"
expect_match "^signet: audit: no image found under dir:$T/empty-tree\$" "$ERR"
# A shard that happens to hold none of a namespace's repositories is no error.
for k in 1 2 3 4 5 6 7 8; do
	audit 0 --json --shard "$k/8" "docker://$REG/signed-a/r03"
done
expect_eq "$(grep -c . "$T"/out.$((N - 7)) "$T"/out.$((N - 6)) "$T"/out.$((N - 5)) "$T"/out.$((N - 4)) \
	"$T"/out.$((N - 3)) "$T"/out.$((N - 2)) "$T"/out.$((N - 1)) "$T/out.$N" | cut -d: -f2 | sort | tr '\n' ' ')" \
	"1 1 1 1 1 1 1 11 " "docker://REG/signed-a/r03 in 8 shards: lines per shard (7 summaries alone, 10 images + summary)"
# A tag the registry does not have (404 MANIFEST_UNKNOWN), in a repository
# that exists or not: nothing to audit either (exit 2), and the message says
# which tag; no report, not even a partial --html file.
for src in signed-a/r03:missing nothere/r0:v1; do
	audit 2 "docker://$REG/$src"
	expect_eq "$(cat "$ERR")" \
		"signet: audit: no image found under docker://$REG/$src: the registry has no tag \"${src#*:}\" in $REG/${src%:*} (HTTP 404)" \
		"docker://REG/$src: the message"
	expect_eq "$(wc -c <"$OUT")" 0 "docker://REG/$src: bytes on stdout"
done
audit 2 --json --html "$T/missing.html" "docker://$REG/signed-a/r03:missing"
expect_eq "$(wc -c <"$OUT")" 0 "docker://REG/signed-a/r03:missing --json: bytes on stdout"
expect_eq "$(ls "$T" | grep -c '^missing\.html' || true)" 0 "docker://REG/signed-a/r03:missing --html: files left"
for k in 1 2; do
	audit 2 --json --shard "$k/2" "docker://$REG/signed-a/r03:missing"
	expect_match "^signet: audit: no image found under docker://$REG/signed-a/r03:missing: the registry has no tag" "$ERR"
done
# A registry that fails otherwise is still a read failure (exit 3), no report.
start_files_server "$T/empty-tree" --fail-status 500	# every request: HTTP 500
audit 3 --html "$T/failing.html" "docker://${FILES_URL#http://}/signed-a/r03:t05"
expect_match '500' "$ERR"
expect_no_match 'no image found' "$ERR"
expect_eq "$(wc -c <"$OUT") $(ls "$T" | grep -c '^failing\.html' || true)" "0 0" \
	"a registry answering 500: bytes on stdout, --html files left"
stop_pid "$FILES_PID"
audit 3 --html "$T/failing.html" "docker://${FILES_URL#http://}/signed-a/r03:t05"	# nothing listens there now
expect_no_match 'no image found' "$ERR"
expect_eq "$(wc -c <"$OUT") $(ls "$T" | grep -c '^failing\.html' || true)" "0 0" \
	"an unreachable registry: bytes on stdout, --html files left"
audit 2 --repos "$T/repos1.txt" "docker://$REG/signed-a/r03:t05"	# one image takes no list
expect_match '^signet: audit: a repository list is for' "$ERR"
audit 2 "docker://$REG/signed-a/r03@$D1"
expect_match '^signet: audit: .*a digest is no audit source' "$ERR"

echo "# shards merged"
for k in 1 2 3; do
	audit 1 --json --shard "$k/3" "docker://$REG"
	cp "$OUT" "$T/shard$k.jsonl"
	expect_eq "$(jq -r 'select(.type == "summary") | .shard' "$OUT")" "$k/3" "shard $k summary .shard"
done
cat "$T/shard1.jsonl" "$T/shard2.jsonl" "$T/shard3.jsonl" | jq -r --arg reg "$REG/" \
	'select(.type == "image") | (.repository | ltrimstr($reg)) + ":" + .tag' | sort >"$T/shard-images"
expect_eq "$(uniq -d "$T/shard-images" | wc -l) $(wc -l <"$T/shard-images")" "0 202" \
	"images seen twice across shards, images in all shards"
expect_eq "$(for k in 1 2 3; do jq -r --arg reg "$REG/" 'select(.type == "image") | .repository' \
	"$T/shard$k.jsonl" | sort -u; done | sort | uniq -d | wc -l)" 0 "repositories split across shards"
expect_exit 1 -- "$SIGNET" audit merge --json "$T/shard1.jsonl" "$T/shard2.jsonl" "$T/shard3.jsonl"
if same_run "$OUT" "$T/full.jsonl"; then
	pass "merge of 3 shards = the unsharded --json output, byte for byte (but the time started)"
else
	fail "merge of 3 shards differs from the unsharded --json output"
	diff "$OUT" "$T/full.jsonl" | cut -c1-240 | sed -n '1,20s/^/  | /p' || true
fi
expect_exit 1 -- "$SIGNET" audit merge --json "$T/shard3.jsonl" "$T/shard1.jsonl" "$T/shard2.jsonl"
same_run "$OUT" "$T/full.jsonl" && pass "merge, shards in another order: the same" || fail "merge depends on the order of the shards"
expect_eq "$(tail -n 1 "$OUT" | jq -r .started)" "$(jq -rs '[.[] | select(.type == "summary") | .started] | min' \
	"$T"/shard[123].jsonl)" "merge: started is the earliest shard's"

echo "# orphans when the lookaside is http:// (it cannot be listed): not looked for, never 0"
# The same store as above, served over HTTP by signet-testserver files.
start_files_server "$LA"
registries_d "$T/regd-http" "$REG" "$FILES_URL"
audit_http() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" audit --policy "$T/policy.json" --registries.d "$T/regd-http" \
		--tls-verify=false "$@"
}
UNLISTABLE="the lookaside $FILES_URL cannot be listed"
expect_eq "$(jq -c 'select(.type == "summary") | [.orphans, .orphansNotLookedFor]' "$T/full.jsonl")" "[2,null]" \
	"file:// lookaside: [orphans, orphansNotLookedFor]"
audit_http 1 --json "docker://$REG"
cp "$OUT" "$T/http.jsonl"
check_audit "$T/http.jsonl" null "docker, http:// lookaside"	# same verdicts, orphans null
expect_eq "$(jq -c 'select(.type == "summary") | .orphansNotLookedFor' "$T/http.jsonl")" \
	"$(jq -cn --arg r "$REG/foreign/r0" --arg why "$UNLISTABLE" '{repositories: 24, repository: $r, reason: $why}')" \
	"http:// lookaside: orphansNotLookedFor (every repository; the first in audit order)"
expect_eq "$(jq -r --arg reg "$REG/" 'select(.type == "orphan") | [(.repository | ltrimstr($reg)), .digest,
	.store] | @tsv' "$T/http.jsonl")" "$(printf 'orphan\t%s\tattachment' "$D2")" \
	"http:// lookaside: orphan records (the .sig tag, still listed)"
# One repository, JSON: the whole summary line, exactly (but the time).
audit_http 0 --json "docker://$REG/signed-a/r03"
expect_eq "$(tail -n 1 "$OUT" | sed -E 's/"started":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"/"started":"T"/')" \
	"$(jq -cn --arg r "$REG/signed-a/r03" --arg why "$UNLISTABLE" --arg a "$FPR_A" --arg p "$T/policy.json" \
		--arg v "$("$SIGNET" --version | awk '{print $NF}')" \
		'{type: "summary", images: 10, allowed: 10, denied: 0, errors: 0, orphans: null,
		  orphansNotLookedFor: {repositories: 1, repository: $r, reason: $why}, foreignIdentity: 0,
		  bySigner: {($a): 10}, byFormat: {"simple-signing": 10, sigstore: 0, "sigstore-bundle": 0},
		  policy: {kind: "policy", files: [$p], named: true}, shard: null,
		  source: ("docker://" + $r), started: "T", signetVersion: $v}')" \
	"http:// lookaside, docker://REG/signed-a/r03: the summary line"
# The table and the HTML page say the same.
audit_http 0 --html "$T/http.html" "docker://$REG/signed-a/r03"
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" \
	"Orphan signatures: not looked for in $REG/signed-a/r03 ($UNLISTABLE)" "http:// lookaside: the orphans line"
expect_eq "$(grep -o '<td class="orphans">[^<]*</td>' "$T/http.html")" \
	"<td class=\"orphans\">not looked for in $REG/signed-a/r03 ($UNLISTABLE)</td>" "http:// lookaside: the HTML summary"
expect_match "<p class=\"not-looked-for\">Orphan signatures: not looked for in $REG/signed-a/r03 " "$T/http.html"
expect_no_match 'None: every signature belongs' "$T/http.html"
audit_http 0 "docker://$REG/orphan"	# the .sig orphan found, the lookaside not looked in
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" \
	"Orphan signatures: not looked for in $REG/orphan ($UNLISTABLE); 1 found where they could be looked for" \
	"http:// lookaside, docker://REG/orphan: the orphans line"
audit 0 "docker://$REG/orphan"	# file://: looked for, both found
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" "Orphan signatures: 2" "file:// lookaside, docker://REG/orphan: the orphans line"
# Shards: not looked for in any shard is not looked for in the merge, which
# is still the unsharded output byte for byte.
for k in 1 2 3; do
	audit_http 1 --json --shard "$k/3" "docker://$REG"
	cp "$OUT" "$T/http-shard$k.jsonl"
done
expect_eq "$(jq -c 'select(.type == "summary") | .orphans' "$T"/http-shard[123].jsonl | sort -u) $(jq -s \
	'[.[] | select(.type == "summary") | .orphansNotLookedFor.repositories] | add' "$T"/http-shard[123].jsonl)" \
	"null 24" "http:// shards: orphans in each, repositories not looked in, summed"
expect_exit 1 -- "$SIGNET" audit merge --json "$T/http-shard3.jsonl" "$T/http-shard1.jsonl" "$T/http-shard2.jsonl"
same_run "$OUT" "$T/http.jsonl" && pass "http:// shards merged = the unsharded run" || fail "http:// shards merged differ"
expect_exit 1 -- "$SIGNET" audit merge "$T/http-shard1.jsonl" "$T/http-shard2.jsonl" "$T/http-shard3.jsonl"
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" \
	"Orphan signatures: not looked for in 24 repositories (the first, $REG/foreign/r0: $UNLISTABLE); 1 found where they could be looked for" \
	"http:// shards merged: the orphans line"
# A shard that looked everywhere merged with one that could not: not looked for.
audit 1 --json --shard 1/3 "docker://$REG"
cp "$OUT" "$T/file-shard1.jsonl"
expect_exit 1 -- "$SIGNET" audit merge --json "$T/file-shard1.jsonl" "$T/http-shard2.jsonl" "$T/http-shard3.jsonl"
expect_eq "$(tail -n 1 "$OUT" | jq -c '[.orphans, .orphansNotLookedFor.repositories]')" \
	"[null,$(jq -s '[.[] | select(.type == "summary") | .orphansNotLookedFor.repositories] | add' \
		"$T/http-shard2.jsonl" "$T/http-shard3.jsonl")]" \
	"file:// shard 1 + http:// shards 2, 3 merged: [orphans, repositories not looked in]"
stop_pid "$FILES_PID"

echo "# the policy the report judged by"
audit 0 "docker://$REG/signed-a/r03:t05"
expect_eq "$(grep '^Policy: ' "$OUT")" "Policy: $T/policy.json" "--policy FILE: the policy line"
audit 0 --json "docker://$REG/signed-a/r03:t05"
expect_eq "$(tail -n 1 "$OUT" | jq -c .policy)" "$(jq -cn --arg p "$T/policy.json" '{kind: "policy", files: [$p], named: true}')" \
	"--policy FILE: .policy"
expect_exit 0 -- "$SIGNET" audit --key "$KEYS/A.asc" --key "$KEYS/B.asc" --registries.d "$T/regd" --tls-verify=false \
	--html "$T/keys.html" "docker://$REG/signed-a/r03:t00"	# keys: matchRepoDigestOrExact
expect_eq "$(grep '^Policy: ' "$OUT")" "Policy: keys $KEYS/A.asc, $KEYS/B.asc" "--key A --key B: the policy line"
expect_eq "$(grep -o '<dd class="policy">[^<]*</dd>' "$T/keys.html")" \
	"<dd class=\"policy\">keys $KEYS/A.asc, $KEYS/B.asc</dd>" "--key A --key B: the HTML policy row"
# Debian's default policy.json, found and not named: its insecureAcceptAnything
# denies, and the report says which file judged and that nobody named it.
debian_default_policy
expect_exit 1 -- "$SIGNET" audit --registries.d "$T/regd" --tls-verify=false "docker://$REG/signed-a/r03:t05"
expect_eq "$(grep '^Policy: ' "$OUT")" "Policy: $DEF (a default location, not named with --policy)" \
	"default policy.json: the policy line"
expect_exit 1 -- "$SIGNET" audit --json --registries.d "$T/regd" --tls-verify=false "docker://$REG/signed-a/r03:t05"
expect_eq "$(tail -n 1 "$OUT" | jq -c .policy)" "$(jq -cn --arg p "$DEF" '{kind: "policy", files: [$p], named: false}')" \
	"default policy.json: .policy"
rm -f "$DEF"

echo "# the dir: copy (skopeo sync --scoped)"
DIRS="$T/mirror"
mkdir -p "$DIRS"
for repo in $REPOS; do
	src="$REG/$repo"
	[[ $repo == orphan ]] && src="$REG/orphan:t1"	# not the .sig tag: see the top
	skopeo --policy "$T/skopeo-policy.json" --registries.d "$T/regd" sync --all --scoped \
		--src docker --dest dir --src-tls-verify=false "$src" "$DIRS" >"$T/sync.log" 2>&1 ||
		{ cat "$T/sync.log"; die "skopeo sync $src failed"; }
done
expect_eq "$(find "$DIRS" -name manifest.json | grep -c ':[^/]*/manifest.json$')" 202 "tag directories skopeo sync wrote"
expect_eq "$(find "$DIRS" -name 'signature-*' | wc -l)" \
	"$(( (10 * 10) + (5 * 10) + 8 + 2 + 1 + 1 ))" "signature-N files skopeo sync wrote"
audit 1 --json "dir:$DIRS"
cp "$OUT" "$T/dir.jsonl"
check_audit "$T/dir.jsonl" 0 "dir"
expect_eq "$(jq -c 'select(.type == "image" and .signatures != []) | .signatures[0].store' "$T/dir.jsonl" |
	sort -u)" '"dir"' "dir: signatures' store"

echo "# the HTML report, rendered by headless Chromium"
audit 1 --html "$T/report.html" "docker://$REG"
if [[ ! -s $T/report.html ]]; then
	fail "--html $T/report.html wrote no file (or an empty one)"
else
	pass "report.html written"
	expect_match '<html' "$T/report.html"
	expect_match 'signed-a/r09' "$T/report.html"
	expect_match "$FPR_B" "$T/report.html"
	# No external references: nothing loaded from elsewhere (signature locations
	# may appear as text).
	# Every src=, href=, data=, srcset= and url() value is a fragment or data:.
	grep -Eio '(src|href|data|srcset|action|poster)[[:space:]]*=[[:space:]]*("[^"]*"|'"'"'[^'"'"']*'"'"'|[^[:space:]>]+)|url\([^)]*\)' \
		"$T/report.html" | grep -Eiv '=[[:space:]]*["'"'"']?(#|data:)|url\([[:space:]]*["'"'"']?(#|data:)' \
		>"$T/external.txt" || true
	expect_eq "$(wc -l <"$T/external.txt")" 0 "references out of report.html ($(head -c 200 "$T/external.txt"))"
	expect_no_match '<link[[:space:]]|@import|<base[[:space:]]' "$T/report.html"
	# A laptop's window: the page fits it (no horizontal scrolling).
	read -r WIDTH VIEWPORT < <(chromium_width "$T/report.html") || true
	if [[ -n ${WIDTH-} && -n ${VIEWPORT-} ]] && ((VIEWPORT > 1300 && WIDTH <= VIEWPORT)); then
		pass "Chromium at 1400x900: the report is $WIDTH px wide, the viewport $VIEWPORT px"
	else
		fail "Chromium at 1400x900: the report is '${WIDTH-}' px wide, the viewport '${VIEWPORT-}' px"
	fi
	expect_exit 0 -- chromium_run --screenshot="$T/shot.png" "file://$T/report.html"
	expect_eq "$(head -c 8 "$T/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "PNG signature"
	SIZE=$(stat -c %s "$T/shot.png" 2>/dev/null || echo 0)
	if ((SIZE > 30000)); then
		pass "screenshot is $SIZE bytes (> 30000)"
	else
		fail "screenshot is $SIZE bytes: a blank page is a few KB, expected > 30000"
	fi
fi
finish
