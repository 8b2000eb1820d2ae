#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's demo: a throwaway registry on loopback (TLS with a CA made
# here), a small image built offline and pushed with skopeo, signed with a
# throwaway GnuPG key, verified, and then denied once the tag is moved to
# another image and once its signature is tampered with; then the key is
# pinned in a deployment contract that gates a compose file, and the
# contract is sealed (encrypted and signed) and refused once tampered
# with.  Run after .ci/setup.
set -euo pipefail
cd "$(dirname "$0")/.."
export SRCDIR=$PWD
export SIGNET=${SIGNET:-$PWD/build/cli/signet}
export TESTSERVER=${TESTSERVER:-$PWD/build/tests/signet-testserver}
. tests/lib.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# run EXPECTED CMD...: shows the command, runs it, shows its exit code,
# and stops the demo if that is not the code expected.
run() {
	local want=$1 rc=0
	shift
	printf '$ signet %s\n' "${*:2}"
	"$@" || rc=$?
	echo "(exit $rc)"
	[[ $rc == "$want" ]] || die "expected exit $want"
}

step "start a throwaway docker-registry with TLS on loopback"
start_registry tls
IMAGE="docker://$REG/demo/hello:v1"
SIGS="file://$T/sigstore"

step "build a small image offline with umoci and push it with skopeo"
push_image v1 demo/hello:v1
echo "pushed $IMAGE"

step "make a throwaway GnuPG signing key (the provider's)"
bash fixtures/make-gpg-keys.sh "$T/keys" >"$T/keys.log" 2>&1 || { cat "$T/keys.log"; die "gpg keys"; }
export GNUPGHOME="$T/keys/gnupg"
FPR=$(sed -n 's/^A=//p' "$T/keys/fingerprints")
echo "key $FPR; its public half is $T/keys/A.asc"

step "provider: sign the image (the digest signet computes itself)"
run 0 "$SIGNET" sign --cert-dir "$REG_CA_DIR" --gpg-key "$FPR" --lookaside "$SIGS" "$IMAGE"

step "guest: verify before pulling, with only the pinned public key"
run 0 "$SIGNET" verify --cert-dir "$REG_CA_DIR" --key "$T/keys/A.asc" --lookaside "$SIGS" "$IMAGE"

step "skopeo agrees on the digest"
skopeo inspect --cert-dir "$REG_CA_DIR" --format '{{.Digest}}' "$IMAGE"

step "attack 1: the tag is moved to another image: denied"
push_image v2 demo/hello:v1
run 1 "$SIGNET" verify --cert-dir "$REG_CA_DIR" --key "$T/keys/A.asc" --lookaside "$SIGS" "$IMAGE"

step "attack 2: the signature is tampered with: denied"
push_image v1 demo/hello:v1
sig=$(find "$T/sigstore" -name signature-1)
printf '\x01' | dd of="$sig" bs=1 seek=40 conv=notrunc status=none
run 1 "$SIGNET" verify --cert-dir "$REG_CA_DIR" --key "$T/keys/A.asc" --lookaside "$SIGS" "$IMAGE"

step "and a registry nobody vouched for is not trusted at all (no CA given)"
run 3 "$SIGNET" inspect "$IMAGE"

step "the gate: pin the key in a deployment contract, gate a compose file"
run 0 "$SIGNET" sign --cert-dir "$REG_CA_DIR" --gpg-key "$FPR" --lookaside "$SIGS" "$IMAGE"
"$SIGNET" contract images --rhs "$REG/demo/hello=$T/keys/A.asc" >"$T/images.yaml"
{ echo "workload:"; echo "  type: workload"; sed 's/^/  /' "$T/images.yaml"; echo "env:"; echo "  type: env"; } \
	>"$T/contract.yaml"
cat >"$T/compose.yml" <<YAML
services:
  web:
    image: $REG/demo/hello:v1   # signed by the provider
YAML
run 0 "$SIGNET" gate --contract "$T/contract.yaml" --cert-dir "$REG_CA_DIR" --lookaside "$SIGS" \
	-o "$T/compose.pinned.yml" "$T/compose.yml"
cat "$T/compose.pinned.yml"

step "the gate denies a workload with an image nobody signed, and writes nothing"
push_image v2 demo/other:v1
cat >>"$T/compose.yml" <<YAML
  sidecar:
    image: $REG/demo/other:v1
YAML
rm -f "$T/compose.pinned.yml"
run 1 "$SIGNET" gate --contract "$T/contract.yaml" --cert-dir "$REG_CA_DIR" --lookaside "$SIGS" \
	-o "$T/compose.pinned.yml" "$T/compose.yml"
[[ ! -e $T/compose.pinned.yml ]] || die "a denied gate wrote its output"
echo "(nothing written)"

step "provider: seal the contract: encrypt it for the image's certificate, sign it"
sh fixtures/make-hpcr-chain.sh "$T/hpcr" >"$T/hpcr.log" 2>&1 || { cat "$T/hpcr.log"; die "test chain"; }
openssl genrsa -out "$T/contract-sign.key" 2048 2>/dev/null
echo "a test chain like IBM's in $T/hpcr: root.crt, inter.crt, inter.crl, encrypt.crt"
run 0 "$SIGNET" contract seal --encrypt-cert "$T/hpcr/encrypt.crt" --ca "$T/hpcr/inter.crt" --ca "$T/hpcr/root.crt" \
	--crl "$T/hpcr/inter.crl" --sign-key "$T/contract-sign.key" "$T/contract.yaml" -o "$T/contract.sealed.yaml"
cut -c1-100 "$T/contract.sealed.yaml"
run 0 "$SIGNET" contract verify --contract-key "$T/hpcr/encrypt.key" "$T/contract.sealed.yaml"

step "guest: verify with the sealed contract, its signature required"
run 0 "$SIGNET" verify --cert-dir "$REG_CA_DIR" --lookaside "$SIGS" --contract "$T/contract.sealed.yaml" \
	--contract-key "$T/hpcr/encrypt.key" --require-signed-contract "$IMAGE"

step "attack 3: the sealed contract's workload is swapped for another one: refused"
printf '%s\n' "type: workload" "images: {}" >"$T/other-workload.yaml"
{
	echo "workload: $(bash fixtures/make-contracts.sh encrypt "$T/other-workload.yaml" "$T/hpcr/encrypt.crt" 2>/dev/null)"
	grep -v '^workload: ' "$T/contract.sealed.yaml"
} >"$T/contract.tampered.yaml"
run 2 "$SIGNET" verify --cert-dir "$REG_CA_DIR" --lookaside "$SIGS" --contract "$T/contract.tampered.yaml" \
	--contract-key "$T/hpcr/encrypt.key" --require-signed-contract "$IMAGE"

FINISHED=1
gpgconf --kill all >/dev/null 2>&1 || true
echo
echo "demo: done"
