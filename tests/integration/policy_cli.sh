# SPDX-License-Identifier: Apache-2.0
# tests/integration/policy_cli.sh: `signet policy lint` and `signet policy
# explain` (docs/policy.md).
#
# lint: a valid policy lists its scopes and the fingerprints of the keys it
# pins; broken ones fail with exit 2 (3 for a key file that cannot be
# read) and a message naming the file and the JSON path.
# explain: one image per kind of scope (exact, repository, namespace,
# host:port, wildcard, the transport's "", the global default) and one per
# reason for a denial, against a real docker-registry with a file://
# lookaside written by `signet sign`; each time the "Scope:" and "Verdict:"
# lines, and the exit code and the verdict of `signet verify` for the same
# policy and image.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum base64 openssl

make_gpg_keys
start_registry http
make_images
PORT=${REG##*:}
LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
printf '%s\n' "docker:" "  localhost:$PORT:" "    lookaside: file://$LA" >"$RD/localhost.yaml"
P="$T/policies"
mkdir -p "$P"

reg_re() { echo "${REG//./\\.}"; }

# sign IMAGE FPR [IDENTITY]: `signet sign` of docker://$REG/IMAGE into the lookaside.
sign() {
	local -a id=()
	[[ -z ${3-} ]] || id=(--sign-identity "$3")
	"$SIGNET" sign -q --gpg-key "$2" "${id[@]}" --registries.d "$RD" --tls-verify=false \
		"docker://$REG/$1" >"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign of $1 by $2 failed"; }
}

digest_of() {
	skopeo_raw "$1" >"$T/raw.json" || die "skopeo cannot read $1"
	sha256_of "$T/raw.json"
}

# The images (all signatures by `signet sign`):
#   exact/app:v1      v1     A
#   repo/app:v1       v1     A
#   repo/app:unsigned arm64  none
#   repo/app:renamed  v2     A, claiming $REG/elsewhere/app:v9
#   repo/app:copied   amd64  the signature of repo/app:v1, copied next to this digest
#   ns/sub/app:v1     v1     A
#   other/app:v1      v1     A (the host scope pins B)
#   unsup/base:v1, unsup/x509:v1, sig/app:v1   v1 unsigned
for img in exact/app:v1 repo/app:v1 ns/sub/app:v1 other/app:v1 unsup/base:v1 unsup/x509:v1 sig/app:v1; do
	push_image v1 "$img"
done
push_image arm64 repo/app:unsigned
push_image v2 repo/app:renamed
push_image amd64 repo/app:copied
for img in exact/app:v1 repo/app:v1 ns/sub/app:v1 other/app:v1; do
	sign "$img" "$FPR_A"
done
sign repo/app:renamed "$FPR_A" "$REG/elsewhere/app:v9"
D1=$(digest_of repo/app:v1)
D_COPIED=$(digest_of repo/app:copied)
put_signatures "$(lookaside_dir "$LA" repo/app "$D_COPIED")" "$(lookaside_dir "$LA" repo/app "$D1")/signature-1"

# A sigstore public key (sigstoreSigned parses, then denies).
{ openssl ecparam -name prime256v1 -genkey -noout -out "$T/cosign.key" &&
	openssl ec -in "$T/cosign.key" -pubout -out "$T/cosign.pub"; } >"$T/openssl.log" 2>&1 ||
	{ cat "$T/openssl.log"; die "openssl could not make an EC key"; }

SB_A="{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$KEYS/A.gpg\"}"
SB_B="{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyData\":\"$(base64 -w0 <"$KEYS/B.asc")\"}"
cat >"$P/main.json" <<EOF
{
  "default": [{"type": "reject"}],
  "transports": {
    "docker": {
      "$REG/exact/app:v1": [$SB_A],
      "$REG/repo/app": [$SB_A],
      "$REG/ns": [$SB_A],
      "$REG/unsup/base": [{"type": "signedBaseLayer", "baseLayerIdentity": {"type": "matchRepository"}}],
      "$REG/unsup/x509": [{"type": "signedBy", "keyType": "X509Certificates", "keyPath": "$T/no-such.crt"}],
      "$REG": [$SB_B],
      "": [{"type": "insecureAcceptAnything"}]
    }
  }
}
EOF
jq -e . "$P/main.json" >/dev/null || die "main.json is not JSON"
# sigstoreSigned, alone in its policy: while signet cannot check sigstore
# signatures, it parses and always denies.
cat >"$P/sigstore.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG/sig/app": [{"type": "sigstoreSigned", "keyPath": "$T/cosign.pub"}]}}}
EOF
# Without a host scope: 127.0.0.1 falls to its wildcard *.0.0.1.
cat >"$P/wildcard.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"*.0.0.1": [$SB_A], "$REG/other": [{"type": "reject"}]}}}
EOF

echo "# policy lint: a valid policy"
expect_exit 0 -- "$SIGNET" policy lint "$P/main.json"
expect_match '^default\[0\]: reject$' "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)/exact/app:v1\"\[0\]: signedBy$" "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)/repo/app\"\[0\]: signedBy$" "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)/ns\"\[0\]: signedBy$" "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)/unsup/base\"\[0\]: unsupported" "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)/unsup/x509\"\[0\]: unsupported" "$OUT"
expect_match "^transports\.docker\.\"$(reg_re)\"\[0\]: signedBy$" "$OUT"
expect_match '^transports\.docker\.""\[0\]: insecureAcceptAnything$' "$OUT"
expect_eq "$(grep -c "^  keys: $FPR_A (signet test A <a@signet.test>)\$" "$OUT")" 3 "lines naming key A"
expect_eq "$(grep -c "^  keys: $FPR_B (signet test B <b@signet.test>)\$" "$OUT")" 1 "lines naming key B"
expect_eq "$(tail -n 1 "$OUT")" "$P/main.json: valid: 7 scopes besides the default, 4 key files or key data" \
	"summary line"
expect_eq "$(wc -c <"$ERR")" 0 "stderr bytes of a valid lint"
expect_exit 0 -- "$SIGNET" policy lint --policy "$P/main.json"
expect_exit 0 -- "$SIGNET" policy lint "$P/sigstore.json"
expect_match "^transports\.docker\.\"$(reg_re)/sig/app\"\[0\]: sigstoreSigned" "$OUT"
expect_exit 0 -- "$SIGNET" policy lint -q "$P/main.json"
expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes of lint -q"
expect_exit 0 -- "$SIGNET" policy lint --key "$KEYS/A.asc" --key "$KEYS/B.gpg"
expect_match "^  keys: .*$FPR_A.*$FPR_B|^  keys: .*$FPR_B.*$FPR_A" "$OUT"

echo "# policy lint: broken policies"
# lint_bad NAME CODE JSON-PATH-REGEX REASON-REGEX POLICY: POLICY in $P/NAME.json
# fails lint with CODE, naming the file, the path and the reason.
lint_bad() {
	printf '%s\n' "$5" >"$P/$1.json"
	expect_exit "$2" -- "$SIGNET" policy lint "$P/$1.json"
	expect_match "^signet: policy $P/$1\.json: $3: .*$4" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes of lint $1.json"
}
lint_bad unknown-field 2 'transports\.docker\."[^"]*/repo/app"\[0\]\.keyPaht' 'unknown field' \
	"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"$REG/repo/app\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPaht\":\"$KEYS/A.gpg\"}]}}}"
lint_bad unknown-top 2 'transport' 'unknown field' '{"default":[{"type":"reject"}],"transport":{}}'
# jansson finds a duplicate while parsing: the line and the key, no JSON path.
lint_bad duplicate-field 2 'invalid JSON at line 3, column [0-9]+' 'duplicate object key near .*"keyType"' \
	"{\"default\":[{\"type\":\"reject\"}],
\"transports\":{\"docker\":{\"$REG/repo/app\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",
\"keyType\":\"GPGKeys\",\"keyPath\":\"$KEYS/A.gpg\"}]}}}"
lint_bad empty-default 2 'default' 'must not be empty' '{"default":[]}'
lint_bad empty-scope 2 "transports\.docker\.\"$(reg_re)/repo/app\"" 'must not be empty' \
	"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"$REG/repo/app\":[]}}}"
lint_bad keypath-empty 2 'default\[0\]\.keyPath' 'must not be empty' \
	'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":""}]}'
lint_bad keypath-number 2 'default\[0\]\.keyPath' 'must be a string' \
	'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":5}]}'
lint_bad keypaths-not-key 2 'default\[0\]' "keyPaths\[1\] $KEYS/payload\.json.*not an OpenPGP key" \
	"{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPaths\":[\"$KEYS/A.gpg\",\"$KEYS/payload.json\"]}]}"
lint_bad keydata-not-base64 2 'default\[0\]\.keyData' 'not valid base64' \
	'{"default":[{"type":"signedBy","keyType":"GPGKeys","keyData":"not base64!"}]}'
lint_bad keydata-not-key 2 'default\[0\]' 'pinned key "keyData".*not an OpenPGP key' \
	"{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyData\":\"$(base64 -w0 <"$KEYS/payload.json")\"}]}"
lint_bad keypath-not-key 2 "transports\.docker\.\"$(reg_re)\"\[0\]" \
	"pinned key \"keyPath $KEYS/payload\.json\".*not an OpenPGP key" \
	"{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"$REG\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$KEYS/payload.json\"}]}}}"
lint_bad keypath-secret 2 'default\[0\]' "keyPath $KEYS/A\.secret\.gpg.*secret key" \
	"{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$KEYS/A.secret.gpg\"}]}"
# a key file that cannot be read is exit 3, as every unreadable file
lint_bad keypath-missing 3 'default\[0\]\.keyPath' "$T/missing\.gpg: no such file" \
	"{\"default\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$T/missing.gpg\"}]}"
lint_bad bad-scope 2 'transports\.docker\."Not A Scope"' 'not a valid scope' \
	'{"default":[{"type":"reject"}],"transports":{"docker":{"Not A Scope":[{"type":"reject"}]}}}'
printf '{"default":[{"type":"reject"}]' >"$P/truncated.json"
expect_exit 2 -- "$SIGNET" policy lint "$P/truncated.json"
expect_match "^signet: policy $P/truncated\.json: invalid JSON" "$ERR"
expect_exit 3 -- "$SIGNET" policy lint "$P/none.json"
expect_match "^signet: .*$P/none\.json" "$ERR"

echo "# policy explain: one image per kind of scope"
# explain CODE POLICY IMAGE SCOPE KIND: policy explain of IMAGE prints
# "Scope: SCOPE (KIND)" and exits CODE; signet verify exits CODE too, with
# the verdict explain printed.  Sets EXPL (explain's stdout).
explain() {
	local code=$1 policy=$2 image=$3 scope=$4 kind=$5 verdict vout verr
	expect_exit "$code" -- "$SIGNET" policy explain --policy "$policy" --registries.d "$RD" --tls-verify=false \
		"$image"
	EXPL=$OUT
	expect_eq "$(grep '^Scope: ' "$EXPL")" "Scope: $scope ($kind)" "${image##*/}: Scope line"
	expect_eq "$(grep -c '^Verdict: ' "$EXPL")" 1 "${image##*/}: Verdict lines"
	verdict=$(sed -n 's/^Verdict: //p' "$EXPL")
	expect_exit "$code" -- "$SIGNET" verify --policy "$policy" --registries.d "$RD" --tls-verify=false "$image"
	vout=$OUT verr=$ERR
	if [[ $code == 0 ]]; then
		expect_eq "$verdict" "allowed: pull $(sed -n 1p "$vout")" "${image##*/}: explain's verdict = verify's"
	else
		expect_eq "$verdict" "denied: $(sed -n 's/^signet: //p' "$verr")" "${image##*/}: explain's verdict = verify's"
	fi
}
# denied_because REGEX: the last explain's "not met:" line and Verdict match REGEX.
denied_because() {
	expect_match "^    not met: .*$1" "$EXPL"
	expect_match "^Verdict: denied: .*$1" "$EXPL"
}

explain 0 "$P/main.json" "docker://$REG/exact/app:v1" "transports.docker.\"$REG/exact/app:v1\"" exact
expect_eq "$(sed -n 1p "$EXPL")" "Image: $REG/exact/app:v1" "exact: line 1"
expect_eq "$(sed -n 2p "$EXPL")" "Policy: $P/main.json" "exact: line 2"
expect_match "^Digest: $D1 \(application/vnd\.oci\.image\.manifest\.v1\+json\)$" "$EXPL"
expect_match "^  1\. signedBy \(.*\), identity matchRepoDigestOrExact$" "$EXPL"
expect_match "^    keys: $FPR_A \(signet test A <a@signet\.test>\)$" "$EXPL"
expect_match "^    satisfied by signature-1 \(image\): file://$(lookaside_dir "$LA" exact/app "$(digest_of exact/app:v1)")/signature-1\$" \
	"$EXPL"
expect_match '^    met$' "$EXPL"
expect_eq "$(tail -n 1 "$EXPL")" "Verdict: allowed: pull $REG/exact/app@$D1" "exact: the Verdict line"
explain 0 "$P/main.json" "docker://$REG/repo/app:v1" "transports.docker.\"$REG/repo/app\"" repository
explain 0 "$P/main.json" "docker://$REG/ns/sub/app:v1" "transports.docker.\"$REG/ns\"" namespace
explain 1 "$P/main.json" "docker://$REG/other/app:v1" "transports.docker.\"$REG\"" host
explain 0 "$P/main.json" "docker://localhost:$PORT/repo/app:v1" 'transports.docker.""' "transport default"
expect_match "^  1\\. insecureAcceptAnything \\(policy $P/main\\.json: transports\\.docker\\.\"\"\\[0\\]\\)\$" "$EXPL"
explain 0 "$P/wildcard.json" "docker://$REG/repo/app:v1" 'transports.docker."*.0.0.1"' wildcard
# the exact scope wins over its repository's; the digest form over the tag
explain 1 "$P/wildcard.json" "docker://$REG/other/app:v1" "transports.docker.\"$REG/other\"" namespace
cat >"$P/exact-digest.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG/repo/app@$D1": [$SB_A], "$REG/repo/app": [{"type": "reject"}]}}}
EOF
explain 0 "$P/exact-digest.json" "docker://$REG/repo/app@$D1" "transports.docker.\"$REG/repo/app@$D1\"" exact
explain 1 "$P/exact-digest.json" "docker://$REG/repo/app:v1" "transports.docker.\"$REG/repo/app\"" repository

echo "# policy explain: one image per reason for a denial"
# reject, in the global default
explain 1 "$P/main.json" "oci:$IMAGES:v1" default "global default"
expect_match "^  1\\. reject \\(policy $P/main\\.json: default\\[0\\]\\)\$" "$EXPL"
denied_because 'rejected by the policy'
# unsupported requirements
explain 1 "$P/main.json" "docker://$REG/unsup/base:v1" "transports.docker.\"$REG/unsup/base\"" repository
denied_because 'signedBaseLayer is not supported'
explain 1 "$P/main.json" "docker://$REG/unsup/x509:v1" "transports.docker.\"$REG/unsup/x509\"" repository
denied_because 'signedBy keyType "?X509Certificates"? is not supported'
# no signatures
explain 1 "$P/main.json" "docker://$REG/repo/app:unsigned" "transports.docker.\"$REG/repo/app\"" repository
denied_because "no signatures for $(digest_of repo/app:unsigned) in file://$LA"
# the wrong key: A signed, the host scope pins B
explain 1 "$P/main.json" "docker://$REG/other/app:v1" "transports.docker.\"$REG\"" host
expect_match "^    keys: $FPR_B \(signet test B <b@signet\.test>\)$" "$EXPL"
expect_match "^    signature-1 \(image\): .*$FPR_A.*not one of the pinned keys" "$EXPL"
denied_because "signature-1: .*$FPR_A.*not one of the pinned keys"
# the identity: signed for $REG/elsewhere/app:v9
explain 1 "$P/main.json" "docker://$REG/repo/app:renamed" "transports.docker.\"$REG/repo/app\"" repository
expect_match "^    signature-1 \(image\): the signature claims identity \"$(reg_re)/elsewhere/app:v9\", which does not match $(reg_re)/repo/app:renamed \(matchRepoDigestOrExact\)\$" \
	"$EXPL"
denied_because "signature-1: the signature claims identity \"$(reg_re)/elsewhere/app:v9\""
# the digest: repo/app:v1's signature stored next to repo/app:copied
explain 1 "$P/main.json" "docker://$REG/repo/app:copied" "transports.docker.\"$REG/repo/app\"" repository
expect_match "^    signature-1 \(image\): .*$D1" "$EXPL"
expect_match "^    signature-1 \(image\): .*this image \($D_COPIED\)" "$EXPL"
denied_because "signature-1: .*signs (manifest|digest) $D1"
# sigstoreSigned: this image has no cosign signature (no .sig attachment)
explain 1 "$P/sigstore.json" "docker://$REG/sig/app:v1" "transports.docker.\"$REG/sig/app\"" repository
denied_because 'no signatures for sha256:[0-9a-f]{64} in .*the registry.s \.sig attachments'
# explain reads a contract too
"$SIGNET" contract images --rhs "$REG/repo/app=$KEYS/A.asc" >"$T/images.yaml" || die "contract images failed"
{
	echo "workload:"
	echo "  type: workload"
	sed 's/^/  /' "$T/images.yaml"
	echo "env:"
	echo "  type: env"
} >"$T/contract.yaml"
expect_exit 0 -- "$SIGNET" policy explain --contract "$T/contract.yaml" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:v1"
expect_match "^Scope: transports\.docker\.\"$(reg_re)/repo/app\" \(repository\)$" "$OUT"
expect_match "^Verdict: allowed: pull $(reg_re)/repo/app@$D1$" "$OUT"
expect_exit 1 -- "$SIGNET" policy explain --contract "$T/contract.yaml" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/other/app:v1"
expect_match '^Scope: default \(global default\)$' "$OUT"
expect_match '^Verdict: denied: .*no key is pinned for this repository in the contract' "$OUT"

echo "# a default policy (not named on the command line) does not accept anything (issue 12)"
# Debian's /etc/containers/policy.json as skopeo installs it, found in $HOME.
debian_default_policy
for img in repo/app:unsigned repo/app:v1; do
	expect_exit 1 -- "$SIGNET" verify --registries.d "$RD" --tls-verify=false "docker://$REG/$img"
	expect_match "denied: requirement 1 of 1 \(insecureAcceptAnything, policy $DEF_RE: default\[0\]\) not met: $DEF_RE is a default policy, not named on the command line.*: pass --policy $DEF_RE to accept images without signatures" \
		"$ERR"
	expect_match "^Policy: $DEF_RE \(a default location, not named with --policy\)\$" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes of a denied verify"
done
expect_exit 1 -- "$SIGNET" verify --json --registries.d "$RD" --tls-verify=false "docker://$REG/repo/app:unsigned"
expect_match "pass --policy $DEF_RE to accept" "$ERR"
expect_exit 1 -- "$SIGNET" policy explain --registries.d "$RD" --tls-verify=false "docker://$REG/repo/app:unsigned"
expect_match "^Policy: $DEF_RE \(a default location, not named on the command line\)\$" "$OUT"
expect_match "^Verdict: denied: .*pass --policy $DEF_RE to accept images without signatures" "$OUT"
# the same file named with --policy: the caller's choice, allowed
expect_exit 0 -- "$SIGNET" verify --policy "$DEF" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:unsigned"
expect_eq "$(sed -n 2p "$OUT")" "Signed by: nobody (the policy requires no signature for this image)" "line 2"
expect_eq "$(sed -n 3p "$OUT")" "Policy: $DEF" "line 3"
expect_exit 0 -- "$SIGNET" verify --json --policy "$DEF" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:unsigned"
expect_eq "$(jq -c '[.Allowed, .Signer, .Policy]' "$OUT")" \
	"[true,null,{\"Kind\":\"policy\",\"Files\":[\"$DEF\"],\"Named\":true}]" "verify --json --policy"
# a default policy that requires signatures decides as always
cp "$P/main.json" "$DEF"
expect_exit 0 -- "$SIGNET" verify --json --registries.d "$RD" --tls-verify=false "docker://$REG/repo/app:v1"
expect_eq "$(jq -c '[.Allowed, .Signer, .Policy]' "$OUT")" \
	"[true,\"$FPR_A\",{\"Kind\":\"policy\",\"Files\":[\"$DEF\"],\"Named\":false}]" "verify --json, default policy"
expect_exit 0 -- "$SIGNET" verify --registries.d "$RD" --tls-verify=false "docker://$REG/repo/app:v1"
expect_eq "$(sed -n 4p "$OUT")" "Policy: $DEF (a default location, not named with --policy)" "line 4"
expect_exit 1 -- "$SIGNET" verify --registries.d "$RD" --tls-verify=false "docker://$REG/repo/app:unsigned"
expect_match "requirement 1 of 1 \(signedBy, .*no signatures" "$ERR"
expect_no_match "pass --policy" "$ERR"
# the other sources are named too
expect_exit 0 -- "$SIGNET" verify --json --key "$KEYS/A.asc" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:v1"
expect_eq "$(jq -c '.Policy' "$OUT")" "{\"Kind\":\"keys\",\"Files\":[\"$KEYS/A.asc\"],\"Named\":true}" "--key source"
expect_exit 0 -- "$SIGNET" verify --contract "$T/contract.yaml" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:v1"
expect_match "^Policy: contract $(sed 's/[.[\*^$/]/\\&/g' <<<"$T/contract.yaml")\$" "$OUT"
rm -f "$DEF"

# unreadable: explain says so, and exits 3 as verify does
stop_registry
expect_exit 3 -- "$SIGNET" policy explain --policy "$P/main.json" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:v1"
expect_match "^Scope: transports\.docker\.\"$(reg_re)/repo/app\" \(repository\)$" "$OUT"
expect_match '^Verdict: error: ' "$OUT"
expect_exit 3 -- "$SIGNET" verify --policy "$P/main.json" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/repo/app:v1"

finish
