# SPDX-License-Identifier: Apache-2.0
# tests/integration/verify_key.sh: what a cosign user types first, against a
# real docker-registry (issue 14):
#   - `signet verify --key cosign.pub IMAGE` detects a PEM public key and
#     checks the .sig attachment (sigstoreSigned, matchRepository), with
#     keys written by signet and by openssl (the oracle that detection is
#     not tied to signet's own writer); OpenPGP --key keeps working; private
#     keys, unknown files and mixed kinds are refused naming the file;
#   - `signet sign --key` given an OpenPGP or a public key says so;
#   - several IMAGE arguments: per-image output in order and the exit code
#     precedence (1 denied, then 2 bad input, then 3 unreachable);
#   - --json on allow, denial and error (jq checks the members);
#   - policy lint/export and gate get the same detection.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq openssl

make_gpg_keys
start_registry http
push_image v1 test/cosign:v1
push_image v2 test/cosign:v2
push_image v1 test/ossl:v1
push_image v1 test/pgp:v1
mkdir -p "$T/regd" "$T/k" # an empty registries.d: .sig attachments
K="$T/k"

D1=$(skopeo inspect --tls-verify=false "docker://$REG/test/cosign:v1" | jq -r .Digest)
IMG1="docker://$REG/test/cosign:v1"
IMG2="docker://$REG/test/cosign:v2"

# verify CODE [ARGS...] IMAGE...
verify() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" "$@"
}

# sign CODE [ARGS...] IMAGE
sign() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" "$@"
}

echo "# signet key generate + sign --key, then verify --key cosign.pub"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k1"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/k2"
sign 0 --key "$K/k1.key" "$IMG1"
verify 0 --key "$K/k1.pub" "$IMG1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/cosign@$D1" "line 1 (pinned)"
expect_match "^Policy: keys $K/k1.pub$" "$OUT"
# by digest too (the payload names the repository only)
verify 0 --key "$K/k1.pub" "docker://$REG/test/cosign@$D1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/cosign@$D1" "by digest: line 1"
# any of several PEM keys
verify 0 --key "$K/k2.pub" --key "$K/k1.pub" "$IMG1"
# another PEM key: denied, saying why
verify 1 --key "$K/k2.pub" "$IMG1"
expect_match "^signet: .*test/cosign.*denied|^signet: .*no valid signature" "$ERR"
expect_match "signature" "$ERR"
expect_match "^Policy: keys $K/k2.pub$" "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout when denied"

echo "# openssl-made keys (ecparam, genpkey): signet signs, verify --key detects them"
openssl ecparam -name prime256v1 -genkey -noout -out "$K/ec256.sec1" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$K/ec256.sec1" -out "$K/ec256.key"
openssl ec -in "$K/ec256.sec1" -pubout -out "$K/ec256.pub" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$K/ec384.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$K/rsa.key" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$K/ed.key" 2>/dev/null
for k in ec384 rsa ed; do
	openssl pkey -in "$K/$k.key" -pubout -out "$K/$k.pub"
done
for k in ec256 ec384 rsa ed; do
	expect_eq "$(head -n 1 "$K/$k.pub")" "-----BEGIN PUBLIC KEY-----" "$k.pub (openssl) first line"
	sign 0 --key "$K/$k.key" "docker://$REG/test/ossl:v1"
	verify 0 --key "$K/$k.pub" "docker://$REG/test/ossl:v1"
	expect_eq "$(sed -n 1p "$OUT")" "$REG/test/ossl@$D1" "$k: pinned"
done
# a curve cosign does not use: refused when the verifier is made
openssl ecparam -name secp256k1 -genkey -noout -out "$K/k256.sec1" 2>/dev/null
openssl ec -in "$K/k256.sec1" -pubout -out "$K/k256.pub" 2>/dev/null
verify 2 --key "$K/k256.pub" "$IMG1"
expect_match "^signet: key file $K/k256.pub: " "$ERR"

echo "# OpenPGP --key still works (armored and binary)"
sign 0 --gpg-key "$FPR_A" --lookaside "file://$T/la" "docker://$REG/test/pgp:v1"
verify 0 --lookaside "file://$T/la" --key "$KEYS/A.asc" "docker://$REG/test/pgp:v1"
expect_match "^Signed by: $FPR_A" "$OUT"
verify 0 --lookaside "file://$T/la" --key "$KEYS/A.gpg" "docker://$REG/test/pgp:v1"
verify 1 --lookaside "file://$T/la" --key "$KEYS/B.asc" "docker://$REG/test/pgp:v1"

echo "# what is not a public key is refused, naming the file"
openssl ecparam -name prime256v1 -genkey -out "$K/ecparam.pem" 2>/dev/null # EC PARAMETERS first
for f in "$K/k1.key" "$K/ec256.key" "$K/ec256.sec1" "$K/rsa.key" "$K/ecparam.pem"; do
	verify 2 --key "$f" "$IMG1"
	expect_match "^signet: key file $f: a private key; give the public key" "$ERR"
done
for f in "$KEYS/A.secret.asc" "$KEYS/A.secret.gpg"; do
	verify 2 --key "$f" "$IMG1"
	expect_match "^signet: key file $f: an OpenPGP (private|secret) key; give the public key" "$ERR"
done
printf 'not a key\n' >"$K/junk.txt"
verify 2 --key "$K/junk.txt" "$IMG1"
expect_match "^signet: key file $K/junk.txt: neither an OpenPGP public key .* nor a PEM public key" "$ERR"
openssl req -x509 -key "$K/ec256.key" -subj /CN=x -days 1 -out "$K/cert.pem" 2>/dev/null
verify 2 --key "$K/cert.pem" "$IMG1"
expect_match "^signet: key file $K/cert.pem: an X.509 certificate" "$ERR"
verify 2 --key "$K/k1.pub" --key "$KEYS/A.asc" "$IMG1"
expect_match "^signet: key file $KEYS/A.asc is an OpenPGP key but $K/k1.pub is a PEM public key" "$ERR"
verify 2 --json --key "$K/k1.key" "$IMG1"
expect_eq "$(jq -c '[.Allowed, .Error.Code, .Error.ExitCode, .Policy.Kind]' "$OUT")" \
	'[false,"SIGNET_EBADINPUT",2,"keys"]' "--json when a key cannot be loaded"

echo "# sign --key with an OpenPGP key or a public key"
for f in "$KEYS/A.asc" "$KEYS/A.secret.asc" "$KEYS/A.gpg"; do
	sign 2 --key "$f" "$IMG2"
	expect_match "^signet: signing key $f is an OpenPGP key: use --gpg-key FINGERPRINT \(the key stays in GnuPG\)" "$ERR"
done
sign 2 --key "$K/k1.pub" "$IMG2"
expect_match "^signet: signing key $K/k1.pub: a public key; signing needs the private key" "$ERR"

echo "# several images: output in order, exit code precedence"
verify 1 --key "$K/k1.pub" "$IMG1" "$IMG2" "docker://$REG/test/cosign@$D1"
expect_eq "$(grep -c "^$REG/test/cosign@$D1$" "$OUT")" 2 "allowed images printed"
expect_eq "$(grep -c '^$' "$OUT")" 1 "blank lines between two allowed blocks"
expect_match "^signet: .*test/cosign.*" "$ERR"
expect_eq "$(grep -c '^Policy: keys' "$ERR")" 1 "policy source once on stderr"
NOPORT=$(free_port)
NOREG="docker://127.0.0.1:$NOPORT/test/none:v1"
verify 1 --key "$K/k1.pub" "$NOREG" "$IMG2" "$IMG1"
verify 3 --key "$K/k1.pub" "$IMG1" "$NOREG"
verify 2 --key "$K/k1.pub" "$NOREG" "docker://Bad Ref" "$IMG1"
verify 0 --key "$K/k1.pub" "$IMG1" "docker://$REG/test/cosign@$D1"
verify 1 --json --key "$K/k1.pub" "$IMG1" "$IMG2" "$NOREG"
expect_eq "$(jq -c 'type, length' "$OUT" | tr '\n' ' ')" '"array" 3 ' "--json with 3 images: an array"
expect_eq "$(jq -c '[.[] | [.Image, .Allowed]]' "$OUT")" \
	"$(jq -nc --arg a "$IMG1" --arg b "$IMG2" --arg c "$NOREG" '[[$a,true],[$b,false],[$c,false]]')" \
	"--json: images in order"
expect_eq "$(jq -r '.[0].Pinned' "$OUT")" "$REG/test/cosign@$D1" ".[0].Pinned"
expect_eq "$(jq -r '.[1].Reason | length > 0' "$OUT")" true ".[1].Reason non-empty"
expect_eq "$(jq -r '.[2].Error.Code' "$OUT")" SIGNET_ENETWORK ".[2].Error.Code"

echo "# --json: one image keeps one object, on allow, denial and error"
verify 0 --json --key "$K/k1.pub" "$IMG1"
expect_eq "$(jq -c '[.Allowed, .Pinned, .Digest, .Image, .Policy.Kind, .Policy.Files]' "$OUT")" \
	"$(jq -nc --arg p "$REG/test/cosign@$D1" --arg d "$D1" --arg i "$IMG1" --arg k "$K/k1.pub" \
		'[true, $p, $d, $i, "keys", [$k]]')" "--json allowed"
expect_eq "$(jq -r '.Signature | startswith("docker://")' "$OUT")" true ".Signature is the attachment"
verify 1 --json --key "$K/k2.pub" "$IMG1"
expect_eq "$(jq -c '[.Allowed, .Image, .Policy.Kind, has("Error")]' "$OUT")" \
	"$(jq -nc --arg i "$IMG1" '[false, $i, "keys", false]')" "--json denied"
expect_eq "$(jq -r '.Reason | length > 0' "$OUT")" true ".Reason non-empty"
expect_match "^signet: " "$ERR"
verify 3 --json --key "$K/k1.pub" "$NOREG"
expect_eq "$(jq -c '[.Allowed, .Image, .Error.Code, .Error.ExitCode, .Policy.Kind]' "$OUT")" \
	"$(jq -nc --arg i "$NOREG" '[false, $i, "SIGNET_ENETWORK", 3, "keys"]')" "--json on error"
expect_eq "$(jq -r '.Error.Message | length > 0' "$OUT")" true ".Error.Message non-empty"
expect_match "^signet: .*127\.0\.0\.1:$NOPORT" "$ERR"
verify 1 -q --json --key "$K/k2.pub" "$IMG1"
expect_eq "$(wc -c <"$OUT")" 0 "-q --json: nothing on stdout"

echo "# policy lint/export and gate read --key the same way"
expect_exit 0 -- "$SIGNET" policy lint --key "$K/k1.pub"
expect_exit 0 -- "$SIGNET" policy export --key "$K/k1.pub" --registries.d "$T/regd" -o "$T/exp"
expect_eq "$(jq -c '.default[0] | [.type, .keyType, .signedIdentity.type]' "$T/exp/policy.json")" \
	'["sigstoreSigned",null,"matchRepository"]' "exported requirement"
expect_eq "$(jq -r '.default[0].keyData' "$T/exp/policy.json" | base64 -d)" "$(cat "$K/k1.pub")" \
	"exported keyData is k1.pub"
verify 0 --policy "$T/exp/policy.json" "$IMG1"
expect_exit 2 -- "$SIGNET" policy lint --key "$K/k1.key"
expect_match "^signet: key file $K/k1.key: a private key" "$ERR"
printf 'services:\n  web:\n    image: %s\n' "$REG/test/cosign:v1" >"$T/compose.yml"
expect_exit 0 -- "$SIGNET" gate --key "$K/k1.pub" --registries.d "$T/regd" --tls-verify=false \
	"$T/compose.yml" -o "$T/pinned.yml"
expect_match "^    image: $REG/test/cosign:v1@$D1\$" "$T/pinned.yml"
expect_exit 1 -- "$SIGNET" gate --key "$K/k2.pub" --registries.d "$T/regd" --tls-verify=false \
	"$T/compose.yml" -o "$T/pinned2.yml"
expect_eq "$([[ -e $T/pinned2.yml ]] && echo written || echo absent)" absent "gate denied: nothing written"

finish
