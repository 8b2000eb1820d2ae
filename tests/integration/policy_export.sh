# SPDX-License-Identifier: Apache-2.0
# tests/integration/policy_export.sh: `signet policy export --format
# containers` writes a containers-policy.json and a registries.d under which
# skopeo 1.9.3 (`skopeo copy --policy DIR/policy.json --registries.d
# DIR/registries.d`) allows and denies exactly what `signet verify` does,
# against a real docker-registry.
#
# Images (simple signing signatures by `signet sign --gpg-key` in a file://
# lookaside that a registries.d names; cosign-format ones by `signet sign
# --key` as .sig attachments):
#   app/web:good      signed by A (the key the contract pins for app/web)
#   app/web:wrong     signed by B
#   app/web:unsigned  no signature
#   other/app:v1      signed by A, but no key is pinned for other/app
#   each of the above by digest
#   cos/app:good      cosign signature by the contract's cosign key
#   cos/app:wrong     cosign signature by another cosign key
#   cos/app:unsigned  no signature
# For every image both tools decide; they must agree, except for the one
# documented difference: without --strict a contract lets signet pull
# unsigned the images its own workload names by digest (and any image named
# by digest with --allow-digest-pinned), which policy.json cannot say, so
# the export is stricter there (and says so on stderr).  This contract's
# workload runs nothing: without --allow-digest-pinned both agree.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum base64 openssl

make_gpg_keys
start_registry http
LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
C="$T/contracts"
K="$T/cosign"
mkdir -p "$C" "$K"

push_image v1 app/web:good
push_image v2 app/web:wrong
push_image amd64 app/web:unsigned
push_image arm64 other/app:v1
push_image v1 cos/app:good
push_image v2 cos/app:wrong
push_image amd64 cos/app:unsigned

# sign IMAGE ARGS...: `signet sign ARGS` of docker://$REG/IMAGE.
sign() {
	local image=$1
	shift
	"$SIGNET" sign -q "$@" --registries.d "$RD" --tls-verify=false "docker://$REG/$image" \
		>"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign $* of $image failed"; }
}
sign app/web:good --gpg-key "$FPR_A"
sign app/web:wrong --gpg-key "$FPR_B"
sign other/app:v1 --gpg-key "$FPR_A"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/pinned.key" 2>/dev/null
openssl pkey -in "$K/pinned.key" -pubout -out "$K/pinned.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/other.key" 2>/dev/null
sign cos/app:good --key "$K/pinned.key"
sign cos/app:wrong --key "$K/other.key"

digest_of() {
	skopeo_raw "$1" >"$T/raw.json" || die "skopeo cannot read $1"
	sha256_of "$T/raw.json"
}
D_GOOD=$(digest_of app/web:good)
D_WRONG=$(digest_of app/web:wrong)
D_UNSIGNED=$(digest_of app/web:unsigned)
D_OTHER=$(digest_of other/app:v1)

# contract FILE ARGS...: a contract whose workload.images is `signet
# contract images ARGS`.
contract() {
	local file=$1
	shift
	"$SIGNET" contract images "$@" >"$file.images" 2>"$file.err" ||
		{ cat "$file.err"; die "signet contract images $* failed"; }
	{
		echo "workload:"
		echo "  type: workload"
		sed 's/^/  /' "$file.images"
		echo "env:"
		echo "  type: env"
	} >"$file"
}
contract "$C/c.yaml" --rhs "$REG/app/web=$KEYS/A.asc" --cosign "$REG/cos/app=$K/pinned.pub"

# skopeo_decides EXPORT-DIR IMAGE: 0 if skopeo copies docker://$REG/IMAGE
# under the exported policy, else 1 (its message in $T/skopeo.err).
skopeo_decides() {
	rm -rf "$T/copy"
	if skopeo copy -q --policy "$1/policy.json" --registries.d "$1/registries.d" --src-tls-verify=false \
		"docker://$REG/$2" "dir:$T/copy" >"$T/skopeo.out" 2>"$T/skopeo.err"; then
		echo 0
	else
		echo 1
	fi
}

# signet_decides IMAGE ARGS...: the exit code of signet verify ARGS IMAGE.
signet_decides() {
	local image=$1 rc=0
	shift
	"$SIGNET" verify -q --tls-verify=false "$@" "docker://$REG/$image" >"$T/signet.out" 2>"$T/signet.err" ||
		rc=$?
	echo "$rc"
}

# agree EXPORT-DIR IMAGE WANT SIGNET-ARGS...: signet verify SIGNET-ARGS and
# skopeo under EXPORT-DIR both decide WANT (0 allowed, 1 denied).
agree() {
	local dir=$1 image=$2 want=$3 s k
	shift 3
	s=$(signet_decides "$image" "$@")
	k=$(skopeo_decides "$dir" "$image")
	if [[ $s == "$want" && $k == "$want" ]]; then
		pass "$image: signet and skopeo both $([[ $want == 0 ]] && echo allow || echo deny)"
	else
		fail "$image: expected $want from both, signet $s, skopeo $k"
		sed -n '1,5s/^/  signet| /p' "$T/signet.err"
		sed -n '1,5s/^/  skopeo| /p' "$T/skopeo.err"
	fi
}

# stricter EXPORT-DIR IMAGE SIGNET-ARGS...: signet allows, skopeo denies
# (the documented difference: digest references under a non-strict contract
# that vouches for them, here with --allow-digest-pinned).
stricter() {
	local dir=$1 image=$2 s k
	shift 2
	s=$(signet_decides "$image" "$@")
	k=$(skopeo_decides "$dir" "$image")
	if [[ $s == 0 && $k == 1 ]]; then
		pass "$image: signet allows (a digest the contract or the caller vouches for), the exported policy denies"
	else
		fail "$image: expected signet 0 and skopeo 1, got signet $s, skopeo $k"
		sed -n '1,5s/^/  skopeo| /p' "$T/skopeo.err"
	fi
}

# Does this skopeo verify cosign signatures at all?  Debian's 1.9.3 is
# built without sigstore support; the cosign rows then check that the
# exported policy fails closed there.
COSIGN_PEER=0
printf '{"default":[{"type":"reject"}],"transports":{"docker":{"%s/cos/app":[{"type":"sigstoreSigned","keyPath":"%s","signedIdentity":{"type":"matchRepository"}}]}}}\n' \
	"$REG" "$K/pinned.pub" >"$T/probe-policy.json"
mkdir -p "$T/probe/registries.d"
printf 'default-docker:\n  use-sigstore-attachments: true\n' >"$T/probe/registries.d/a.yaml"
cp "$T/probe-policy.json" "$T/probe/policy.json"
if [[ $(skopeo_decides "$T/probe" cos/app:good) == 0 ]]; then
	COSIGN_PEER=1
	echo "# this skopeo verifies cosign signatures: cosign rows must agree"
else
	echo "# this skopeo does not verify cosign signatures ($(tail -n 1 "$T/skopeo.err" | cut -c1-120)):"
	echo "# cosign rows must be denied by skopeo (fail closed) and decided by signet as expected"
fi

# cosign_row EXPORT-DIR IMAGE WANT SIGNET-ARGS...
cosign_row() {
	local dir=$1 image=$2 want=$3 s k
	shift 3
	if [[ $COSIGN_PEER == 1 ]]; then
		agree "$dir" "$image" "$want" "$@"
		return
	fi
	s=$(signet_decides "$image" "$@")
	k=$(skopeo_decides "$dir" "$image")
	if [[ $s == "$want" && $k == 1 ]]; then
		pass "$image: signet decides $want; skopeo without sigstore denies"
	else
		fail "$image: expected signet $want and skopeo 1, got signet $s, skopeo $k"
		sed -n '1,5s/^/  signet| /p' "$T/signet.err"
	fi
}

V=(--contract "$C/c.yaml" --registries.d "$RD")

echo "# export of the contract (not strict)"
expect_exit 0 -- "$SIGNET" policy export --format containers --contract "$C/c.yaml" --registries.d "$RD" \
	-o "$T/exp"
expect_eq "$(cat "$OUT")" "$T/exp/policy.json"$'\n'"$T/exp/registries.d/signet.yaml" "stdout: the files written"
expect_match '^signet: warning: images named by digest: .*requires their signatures' "$ERR"
expect_match '^signet: warning: registries\.d: no default-docker lookaside' "$ERR"
P="$T/exp/policy.json"
expect_eq "$(jq -c .default "$P")" '[{"type":"reject"}]' "default"
expect_eq "$(jq -r --arg s "$REG/app/web" '.transports.docker[$s][0] | [.type, .keyType, .signedIdentity.type] | join(" ")' "$P")" \
	"signedBy GPGKeys matchRepoDigestOrExact" "app/web requirement"
expect_eq "$(jq -r --arg s "$REG/app/web" '.transports.docker[$s][0].keyData' "$P" | base64 -d | cmp - "$KEYS/A.asc" && echo same)" \
	same "app/web keyData = base64 of the pinned armored key"
expect_eq "$(jq -r --arg s "$REG/cos/app" '.transports.docker[$s][0] | [.type, .signedIdentity.type] | join(" ")' "$P")" \
	"sigstoreSigned matchRepository" "cos/app requirement"
expect_eq "$(jq -r --arg s "$REG/cos/app" '.transports.docker[$s][0].keyData' "$P" | base64 -d | cmp - "$K/pinned.pub" && echo same)" \
	same "cos/app keyData = base64 of the cosign public key"
expect_eq "$(jq -r '.transports | keys | join(" ")' "$P")" docker "transports"
expect_eq "$(grep -v '^#' "$T/exp/registries.d/signet.yaml")" \
	"default-docker:"$'\n'"  use-sigstore-attachments: true"$'\n'"docker:"$'\n'"  \"$REG\":"$'\n'"    lookaside: \"file://$LA\"" \
	"registries.d/signet.yaml"

echo "# the same decisions, image by image"
agree "$T/exp" app/web:good 0 "${V[@]}"
agree "$T/exp" app/web:wrong 1 "${V[@]}"
agree "$T/exp" app/web:unsigned 1 "${V[@]}"
agree "$T/exp" other/app:v1 1 "${V[@]}"
agree "$T/exp" "app/web@$D_GOOD" 0 "${V[@]}"
echo "# digest references the contract does not vouch for (issue 12): both require signatures"
agree "$T/exp" "app/web@$D_WRONG" 1 "${V[@]}"
agree "$T/exp" "app/web@$D_UNSIGNED" 1 "${V[@]}"
agree "$T/exp" "other/app@$D_OTHER" 1 "${V[@]}"
echo "# with --allow-digest-pinned signet allows them unsigned, the export requires signatures"
stricter "$T/exp" "app/web@$D_WRONG" "${V[@]}" --allow-digest-pinned
stricter "$T/exp" "app/web@$D_UNSIGNED" "${V[@]}" --allow-digest-pinned
stricter "$T/exp" "other/app@$D_OTHER" "${V[@]}" --allow-digest-pinned
echo "# cosign signatures"
cosign_row "$T/exp" cos/app:good 0 "${V[@]}"
cosign_row "$T/exp" cos/app:wrong 1 "${V[@]}"
cosign_row "$T/exp" cos/app:unsigned 1 "${V[@]}"

echo "# export with --strict: digest references agree too"
expect_exit 0 -- "$SIGNET" policy export --contract "$C/c.yaml" --strict --registries.d "$RD" -o "$T/exp-strict"
expect_no_match 'images named by digest' "$ERR"
VS=("${V[@]}" --strict)
agree "$T/exp-strict" app/web:good 0 "${VS[@]}"
agree "$T/exp-strict" app/web:wrong 1 "${VS[@]}"
agree "$T/exp-strict" app/web:unsigned 1 "${VS[@]}"
agree "$T/exp-strict" other/app:v1 1 "${VS[@]}"
agree "$T/exp-strict" "app/web@$D_GOOD" 0 "${VS[@]}"
agree "$T/exp-strict" "app/web@$D_WRONG" 1 "${VS[@]}"
agree "$T/exp-strict" "app/web@$D_UNSIGNED" 1 "${VS[@]}"
agree "$T/exp-strict" "other/app@$D_OTHER" 1 "${VS[@]}"

echo "# --lookaside instead of registries.d: default-docker names it"
VL=(--contract "$C/c.yaml" --strict --lookaside "file://$LA")
expect_exit 0 -- "$SIGNET" policy export "${VL[@]}" -o "$T/exp-la"
expect_no_match 'no default-docker lookaside' "$ERR"
expect_eq "$(grep -v '^#' "$T/exp-la/registries.d/signet.yaml")" \
	"default-docker:"$'\n'"  lookaside: \"file://$LA\""$'\n'"  use-sigstore-attachments: true" \
	"registries.d/signet.yaml with --lookaside"
agree "$T/exp-la" app/web:good 0 "${VL[@]}"
agree "$T/exp-la" app/web:wrong 1 "${VL[@]}"
agree "$T/exp-la" "app/web@$D_UNSIGNED" 1 "${VL[@]}"
agree "$T/exp-la" other/app:v1 1 "${VL[@]}"

echo "# --key: one keyring of an armored and a binary key (armored together)"
VK=(--key "$KEYS/A.asc" --key "$KEYS/B.gpg" --registries.d "$RD")
expect_exit 0 -- "$SIGNET" policy export "${VK[@]}" -o "$T/exp-keys"
expect_eq "$(jq -r '.default[0].keyData' "$T/exp-keys/policy.json" | base64 -d | grep -c 'BEGIN PGP PUBLIC KEY BLOCK')" \
	2 "armored blocks in the exported keyring"
agree "$T/exp-keys" app/web:good 0 "${VK[@]}"
agree "$T/exp-keys" app/web:wrong 0 "${VK[@]}"
agree "$T/exp-keys" app/web:unsigned 1 "${VK[@]}"
agree "$T/exp-keys" "app/web@$D_UNSIGNED" 1 "${VK[@]}"
VK1=(--key "$KEYS/B.gpg" --registries.d "$RD")
expect_exit 0 -- "$SIGNET" policy export "${VK1[@]}" -o "$T/exp-b"
agree "$T/exp-b" app/web:good 1 "${VK1[@]}"
agree "$T/exp-b" app/web:wrong 0 "${VK1[@]}"

echo "# --policy: a containers-policy.json round trip (keyPath inlined as keyData)"
jq -n --arg r "$REG/app/web" --arg o "$REG/other" --arg k "$KEYS/A.gpg" \
	'{default: [{type: "reject"}], transports: {
	   docker: {($r): [{type: "signedBy", keyType: "GPGKeys", keyPath: $k}],
	            ($o): [{type: "insecureAcceptAnything"}]},
	   "docker-daemon": {"": [{type: "insecureAcceptAnything"}]}}}' >"$T/p.json"
VP=(--policy "$T/p.json" --registries.d "$RD")
expect_exit 0 -- "$SIGNET" policy export "${VP[@]}" -o "$T/exp-p"
expect_match '^signet: warning: transports docker-daemon of .*not exported' "$ERR"
expect_no_match 'images named by digest' "$ERR"
agree "$T/exp-p" app/web:good 0 "${VP[@]}"
agree "$T/exp-p" app/web:wrong 1 "${VP[@]}"
agree "$T/exp-p" "app/web@$D_UNSIGNED" 1 "${VP[@]}"
agree "$T/exp-p" other/app:v1 0 "${VP[@]}"
agree "$T/exp-p" "other/app@$D_OTHER" 0 "${VP[@]}"

echo "# refusals: exit 2, nothing written"
expect_exit 2 -- "$SIGNET" policy export "${V[@]}" -o "$T/exp"
expect_match "^signet: $T/exp/policy\\.json exists already: not replaced \\(--force replaces it\\)" "$ERR"
cp "$T/exp/policy.json" "$T/before.json"
expect_exit 0 -- "$SIGNET" policy export "${VK[@]}" -o "$T/exp" --force
expect_exit 1 -- cmp -s "$T/before.json" "$T/exp/policy.json"
expect_exit 0 -- cmp "$T/exp-keys/policy.json" "$T/exp/policy.json"
expect_exit 2 -- "$SIGNET" policy export "${V[@]}" -a build=1 -o "$T/exp-a"
expect_match 'annotations' "$ERR"
expect_exit 1 -- test -e "$T/exp-a"
expect_exit 2 -- "$SIGNET" policy export "${V[@]}" --format docker -o "$T/exp-f"
expect_exit 2 -- "$SIGNET" policy export "${V[@]}"
expect_match 'needs -o DIR' "$ERR"
mkdir -p "$T/exp-other/registries.d"
echo "docker: {}" >"$T/exp-other/registries.d/mine.yaml"
expect_exit 2 -- "$SIGNET" policy export "${V[@]}" -o "$T/exp-other"
expect_match "registries\\.d/mine\\.yaml: podman and skopeo would merge it" "$ERR"
expect_eq "$(cd "$T/exp-other" && find . | sort | tr '\n' ' ')" ". ./registries.d ./registries.d/mine.yaml " \
	"nothing written next to mine.yaml"
# a contract that does not load: exit 2 naming it, no directory made
printf '%s\n' "workload:" "  type: workload" "  images:" "    cosign:" "      \"$REG/cos/app\":" \
	"        publicKey: $(base64 -w0 <"$K/pinned.key")" "env:" "  type: env" >"$C/bad.yaml"
expect_exit 2 -- "$SIGNET" policy export --contract "$C/bad.yaml" -o "$T/exp-bad"
expect_match "^signet: contract $C/bad\\.yaml: workload\\.images\\.cosign\\.\"${REG//./\\.}/cos/app\"\\.publicKey: a private key" "$ERR"
expect_exit 1 -- test -e "$T/exp-bad"

stop_registry
finish
