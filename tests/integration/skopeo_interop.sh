# SPDX-License-Identifier: Apache-2.0
# tests/integration/skopeo_interop.sh: OpenPGP simple signing between signet
# and skopeo 1.9.3, both ways, through a real docker-registry and a file://
# lookaside configured in registries.d:
#   skopeo copy --sign-by / standalone-sign  ->  signet verify / standalone-verify
#   signet sign / standalone-sign            ->  skopeo copy --policy / standalone-verify
# and the same verdict as skopeo on every bad payload of
# fixtures/make-sig-vectors.sh, except the differences docs/differences.md
# lists (signing subkeys, bytes after the message), asserted as such.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum

make_gpg_keys	# exports GNUPGHOME: skopeo and signet sign with these keys
start_registry http
make_images
SKH="$T/skopeo-gnupg"	# the keyring skopeo standalone-verify reads: public keys only
gpg_home "$SKH" "$KEYS/A.asc" "$KEYS/B.asc" "$KEYS/C.asc" "$KEYS/P.asc"
LA="$T/lookaside"
registries_d "$T/regd" "$REG" "file://$LA"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"

# skopeo_sign FPR SRC-TAG REPO:TAG: skopeo copy --sign-by FPR into the
# registry, its signature into the lookaside of $T/regd.
skopeo_sign() {
	skopeo --policy "$T/accept.json" --registries.d "$T/regd" copy -q --dest-tls-verify=false \
		--sign-by "$1" "oci:$IMAGES:$2" "docker://$REG/$3" >"$T/skopeo-sign.log" 2>&1 ||
		{ cat "$T/skopeo-sign.log"; die "skopeo copy --sign-by $1 to $3 failed"; }
}

# skopeo_verify CODE MANIFEST REFERENCE FPR SIGNATURE: skopeo standalone-verify
# with the public keys of $SKH.
skopeo_verify() {
	local code=$1
	shift
	expect_exit "$code" -- env GNUPGHOME="$SKH" skopeo standalone-verify "$@"
}

# policy FILE KEYFILE: a policy.json that requires, for the registry, a
# signature by the key in KEYFILE (and rejects everything else).
policy() {
	jq -n --arg reg "$REG" --arg key "$2" \
		'{default: [{type: "reject"}], transports: {docker: {($reg): [
		  {type: "signedBy", keyType: "GPGKeys", keyPath: $key}]}}}' >"$1"
}

echo "# skopeo signs, signet verifies"
skopeo_sign "$FPR_A" v1 interop/skopeo:v1
skopeo_raw interop/skopeo:v1 >"$T/m1.json"
D1=$(sha256_of "$T/m1.json")
expect_eq "$(ls "$(lookaside_dir "$LA" interop/skopeo "$D1")")" signature-1 "skopeo's lookaside"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/A.asc" \
	"docker://$REG/interop/skopeo:v1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/interop/skopeo@$D1" "line 1 (pinned)"
expect_eq "$(sed -n 2p "$OUT" | cut -d' ' -f1-3)" "Signed by: $FPR_A" "line 2"
expect_eq "$(sed -n 3p "$OUT")" "Identity: $REG/interop/skopeo:v1" "line 3"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/A.gpg" \
	"docker://$REG/interop/skopeo@$D1"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/B.asc" \
	"docker://$REG/interop/skopeo:v1"
expect_match "^signet: .*interop/skopeo:v1: denied: .*signature-1: .*$FPR_A.*pinned" "$ERR"
# ed25519 (key B), another image
skopeo_sign "$FPR_B" v2 interop/skopeo-b:v2
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/B.asc" \
	"docker://$REG/interop/skopeo-b:v2"
expect_eq "$(sed -n 2p "$OUT" | cut -d' ' -f1-3)" "Signed by: $FPR_B" "skopeo-b: line 2"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/A.asc" \
	"docker://$REG/interop/skopeo-b:v2"
expect_match 'signature-1: .*pinned' "$ERR"
# skopeo standalone-sign -> signet standalone-verify
for k in A B; do
	fpr_var=FPR_$k
	expect_exit 0 -- skopeo standalone-sign "$T/m1.json" "$REG/interop/skopeo:v1" "${!fpr_var}" \
		-o "$T/skopeo-$k.sig"
	expect_exit 0 -- "$SIGNET" standalone-verify "$T/m1.json" "$REG/interop/skopeo:v1" "$KEYS/$k.asc" \
		"$T/skopeo-$k.sig"
	expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "skopeo standalone-sign $k -> signet"
done
expect_exit 1 -- "$SIGNET" standalone-verify "$T/m1.json" "$REG/interop/skopeo:v2" "$KEYS/A.asc" \
	"$T/skopeo-A.sig"
expect_match '^signet: .*(identity|reference)' "$ERR"

echo "# signet signs, skopeo verifies"
push_image v1 interop/signet:v1
push_image v2 interop/unsigned:v1
skopeo_raw interop/signet:v1 >"$T/m2.json"
D2=$(sha256_of "$T/m2.json")
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --gpg-key "$FPR_A" --registries.d "$T/regd" \
	"docker://$REG/interop/signet:v1"
S2=$(lookaside_dir "$LA" interop/signet "$D2")
expect_eq "$(cat "$OUT")" "Signature stored at file://$S2/signature-1" "signet sign: stdout"
policy "$T/policy-A.json" "$KEYS/A.gpg"
policy "$T/policy-A-armored.json" "$KEYS/A.asc"
policy "$T/policy-B.json" "$KEYS/B.gpg"
for p in policy-A policy-A-armored; do
	expect_exit 0 -- skopeo --policy "$T/$p.json" --registries.d "$T/regd" copy -q \
		--src-tls-verify=false "docker://$REG/interop/signet:v1" "dir:$T/out-$p"
	expect_eq "$(sha256_of "$T/out-$p/manifest.json")" "$D2" "skopeo copy with $p: manifest"
done
expect_exit 1 -- skopeo --policy "$T/policy-B.json" --registries.d "$T/regd" copy -q --src-tls-verify=false \
	"docker://$REG/interop/signet:v1" "dir:$T/out-B"
expect_match 'Source image rejected' "$ERR"
# a control: the policy does demand a signature
expect_exit 1 -- skopeo --policy "$T/policy-A.json" --registries.d "$T/regd" copy -q --src-tls-verify=false \
	"docker://$REG/interop/unsigned:v1" "dir:$T/out-unsigned"
expect_match 'Source image rejected: .*no signature' "$ERR"
# ed25519 and a passphrase-protected key, added as signature-2 and -3:
# skopeo needs any one of them to be by its key
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --gpg-key "$FPR_B" --registries.d "$T/regd" \
	"docker://$REG/interop/signet:v1"
expect_match 'signature-2$' "$OUT"
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --gpg-key "$FPR_P" --passphrase-file "$KEYS/P.passphrase" \
	--registries.d "$T/regd" "docker://$REG/interop/signet:v1"
expect_match 'signature-3$' "$OUT"
policy "$T/policy-P.json" "$KEYS/P.gpg"
for p in policy-B policy-P policy-A; do
	expect_exit 0 -- skopeo --policy "$T/$p.json" --registries.d "$T/regd" copy -q \
		--src-tls-verify=false "docker://$REG/interop/signet:v1" "dir:$T/out2-$p"
done
# signet standalone-sign -> skopeo standalone-verify
for k in A B; do
	fpr_var=FPR_$k
	expect_exit 0 -- "$SIGNET" standalone-sign "$T/m2.json" "$REG/interop/signet:v1" \
		--gpg-key "${!fpr_var}" -o "$T/signet-$k.sig"
	skopeo_verify 0 "$T/m2.json" "$REG/interop/signet:v1" "${!fpr_var}" "$T/signet-$k.sig"
	expect_eq "$(cat "$OUT")" "Signature verified, digest $D2" "signet standalone-sign $k -> skopeo"
done
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m2.json" "$REG/interop/signet:v1" --gpg-key "$FPR_P" \
	--passphrase-file "$KEYS/P.passphrase" -o "$T/signet-P.sig"
skopeo_verify 0 "$T/m2.json" "$REG/interop/signet:v1" "$FPR_P" "$T/signet-P.sig"
skopeo_verify 1 "$T/m2.json" "$REG/interop/signet:v1" "$FPR_B" "$T/signet-A.sig"
# dir: images: signet's signature-1 in the layout is what skopeo reads
skopeo --policy "$T/accept.json" copy -q --src-tls-verify=false "docker://$REG/interop/signet:v1" \
	"dir:$T/dirimg" >"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy to dir:"; }
expect_exit 0 -- "$SIGNET" sign --gpg-key "$FPR_A" --sign-identity "$REG/interop/signet:v1" "dir:$T/dirimg"
expect_eq "$(cat "$OUT")" "Signature stored at $T/dirimg/signature-1" "signet sign dir: stdout"
skopeo_verify 0 "$T/dirimg/manifest.json" "$REG/interop/signet:v1" "$FPR_A" "$T/dirimg/signature-1"
jq -n --arg key "$KEYS/A.gpg" --arg ref "$REG/interop/signet:v1" \
	'{default: [{type: "signedBy", keyType: "GPGKeys", keyPath: $key,
	  signedIdentity: {type: "exactReference", dockerReference: $ref}}]}' >"$T/policy-dir.json"
expect_exit 0 -- skopeo --policy "$T/policy-dir.json" copy -q "dir:$T/dirimg" "dir:$T/dirout"

echo "# the same verdict as skopeo on every payload"
V="$T/vec"
REF="$REG/interop/signet:v1"
make_sig_vectors "$T/m2.json" "$REF" "$V"
for name in good payload-no-optional payload-optional-null payload-critical-extra payload-duplicate-key \
	payload-wrong-type payload-timestamp-float payload-uppercase-ref payload-sha512; do
	rc_s=0 rc_k=0
	"$SIGNET" standalone-verify "$T/m2.json" "$REF" "$KEYS/A.asc" "$V/$name.sig" \
		>"$T/s.out" 2>"$T/s.err" || rc_s=$?
	GNUPGHOME=$SKH skopeo standalone-verify "$T/m2.json" "$REF" "$FPR_A" "$V/$name.sig" \
		>"$T/k.out" 2>"$T/k.err" || rc_k=$?
	verdict_s=refused verdict_k=refused
	[[ $rc_s == 0 ]] && verdict_s=accepted
	[[ $rc_k == 0 ]] && verdict_k=accepted
	expect_eq "$verdict_s" "$verdict_k" "$name.sig: signet's verdict (got) against skopeo's (expected)"
	if [[ $verdict_s != "$verdict_k" ]]; then
		echo "  signet (exit $rc_s): $(cat "$T/s.out" "$T/s.err")"
		echo "  skopeo (exit $rc_k): $(cat "$T/k.out" "$T/k.err")"
	fi
	if [[ $verdict_s == refused ]]; then
		expect_eq "$rc_s" 1 "$name.sig: signet's exit code"
	fi
done

echo "# deliberate differences (docs/differences.md)"
# A signing subkey of the pinned key: signet accepts, skopeo 1.9 refuses
# (only primary fingerprints count there).
expect_exit 0 -- "$SIGNET" standalone-verify "$T/m2.json" "$REF" "$KEYS/C.asc" "$V/subkey.sig"
expect_eq "$(cat "$OUT")" "Signature verified, digest $D2" "signet: subkey.sig with C pinned"
skopeo_verify 1 "$T/m2.json" "$REF" "$FPR_C" "$V/subkey.sig"
expect_match "Signature by $FPR_C_SUB does not match expected fingerprint $FPR_C" "$ERR"
# the same through a store and a policy
put_signatures "$(lookaside_dir "$LA" interop/signet "$D2")" "$V/subkey.sig"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/C.asc" \
	"docker://$REG/interop/signet:v1"
expect_eq "$(sed -n 2p "$OUT" | cut -d' ' -f1-3)" "Signed by: $FPR_C" "verify, subkey signature: line 2"
policy "$T/policy-C.json" "$KEYS/C.gpg"
expect_exit 1 -- skopeo --policy "$T/policy-C.json" --registries.d "$T/regd" copy -q --src-tls-verify=false \
	"docker://$REG/interop/signet:v1" "dir:$T/out-C"
expect_match 'Source image rejected' "$ERR"
# Bytes after the message: gpg (and so skopeo) ignores them, signet refuses.
skopeo_verify 0 "$T/m2.json" "$REF" "$FPR_A" "$V/trailing-garbage.sig"
expect_exit 1 -- "$SIGNET" standalone-verify "$T/m2.json" "$REF" "$KEYS/A.asc" "$V/trailing-garbage.sig"
expect_match '^signet: .*trailing' "$ERR"
# standalone-verify of armored and cleartext-signed messages: skopeo hands
# them to gpg, which reads them; signet takes only binary messages, as both
# do in stores.
for f in armored cleartext; do
	skopeo_verify 0 "$T/m2.json" "$REF" "$FPR_A" "$V/$f.sig"
	expect_exit 1 -- "$SIGNET" standalone-verify "$T/m2.json" "$REF" "$KEYS/A.asc" "$V/$f.sig"
	expect_match "^signet: .*$f" "$ERR"
done

stop_registry
finish
