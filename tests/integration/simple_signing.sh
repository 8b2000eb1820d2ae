# SPDX-License-Identifier: Apache-2.0
# tests/integration/simple_signing.sh: OpenPGP simple signing end to end with
# the signet command alone: standalone-sign/standalone-verify, every negative
# vector of fixtures/make-sig-vectors.sh, `signet verify` against a real
# docker-registry with file:// and http:// lookaside stores (ordering,
# limits, unreadable stores), and `signet sign` into lookasides and dir:.
# skopeo only pushes images here; tests/integration/skopeo_interop.sh checks
# signet against skopeo.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum cmp

make_gpg_keys
start_registry http
push_image v1 test/sig:v1
skopeo_raw test/sig:v1 >"$T/m1.json"
D1=$(sha256_of "$T/m1.json")
REF="$REG/test/sig:v1"
IMG="docker://$REF"
V="$T/vec"
make_sig_vectors "$T/m1.json" "$REF" "$V"
FPR_UNKNOWN=$(sed -n 's/^UNKNOWN=//p' "$V/fingerprints")
LA="$T/lookaside"	# a file:// lookaside for $REG
SIGS=$(lookaside_dir "$LA" test/sig "$D1")

# sv CODE SIG [KEYFILE]: standalone-verify a vector (default key: A).
sv() {
	expect_exit "$1" -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "${3:-$KEYS/A.asc}" "$2"
}

# verify CODE [ARGS...] IMAGE: signet verify with the file:// lookaside and
# --key A.asc unless ARGS has a --key.
verify() {
	local code=$1 k=(--key "$KEYS/A.asc")
	shift
	[[ " $* " == *" --key "* ]] && k=()
	expect_exit "$code" -- "$SIGNET" verify --tls-verify=false --lookaside "file://$LA" "${k[@]}" "$@"
}

# denied PATTERN: the last command was denied for $IMG, for the reason PATTERN.
denied() {
	expect_match "^signet: .*test/sig.*denied" "$ERR"
	expect_match "$1" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout when denied"
}

echo "# standalone-sign and standalone-verify"
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m1.json" "$REF" --gpg-key "$FPR_A" -o "$T/a.sig"
expect_eq "$(wc -c <"$OUT")" 0 "standalone-sign stdout bytes"
expect_eq "$(head -c 1 "$T/a.sig" | od -An -tx1 | tr -d ' ')" a3 "first byte (a compressed data packet)"
expect_eq "$(find "$T" -maxdepth 1 -name 'a.sig.*' | wc -l)" 0 "temporary files left"
for key in A.asc A.gpg; do
	expect_exit 0 -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "$KEYS/$key" "$T/a.sig"
	expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "standalone-verify with $key"
done
# ed25519, and a passphrase-protected key (the agent caches nothing).
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m1.json" "$REF" --gpg-key "$FPR_B" -o "$T/b.sig"
sv 0 "$T/b.sig" "$KEYS/B.gpg"
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m1.json" "$REF" --gpg-key "$FPR_P" \
	--passphrase-file "$KEYS/P.passphrase" -o "$T/p.sig"
sv 0 "$T/p.sig" "$KEYS/P.asc"
printf 'not the passphrase\n' >"$T/wrong.passphrase"
expect_exit 2 -- "$SIGNET" standalone-sign "$T/m1.json" "$REF" --gpg-key "$FPR_P" \
	--passphrase-file "$T/wrong.passphrase" -o "$T/p2.sig"
expect_match "^signet: .*$FPR_P.*bad passphrase" "$ERR"
expect_eq "$(find "$T" -maxdepth 1 -name 'p2.sig*' | wc -l)" 0 "files left by a failed standalone-sign"
# The wrong key, the wrong identity, a manifest that differs.
sv 1 "$T/a.sig" "$KEYS/B.asc"
expect_match '^signet: .*pinned' "$ERR"
expect_exit 1 -- "$SIGNET" standalone-verify "$T/m1.json" "$REG/test/sig:v2" "$KEYS/A.asc" "$T/a.sig"
expect_match '^signet: .*(identity|reference).*test/sig:v1' "$ERR"
printf '%s ' "$(cat "$T/m1.json")" >"$T/m1-space.json"
expect_exit 1 -- "$SIGNET" standalone-verify "$T/m1-space.json" "$REF" "$KEYS/A.asc" "$T/a.sig"
expect_match "^signet: .*signs (manifest|digest) $D1" "$ERR"
# Files: unreadable (3), a key or manifest that does not parse (2).
expect_exit 3 -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "$KEYS/A.asc" "$T/missing.sig"
expect_match '^signet: .*missing\.sig' "$ERR"
expect_exit 3 -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "$T/missing.asc" "$T/a.sig"
expect_match '^signet: .*missing\.asc' "$ERR"
expect_exit 2 -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "$V/payload.json" "$T/a.sig"
expect_match '^signet: .*(key|OpenPGP)' "$ERR"
expect_exit 2 -- "$SIGNET" standalone-verify "$T/m1.json" "$REF" "$KEYS/A.secret.asc" "$T/a.sig"
expect_match '^signet: .*secret' "$ERR"
printf 'this is no manifest' >"$T/bad-manifest.json"
expect_exit 2 -- "$SIGNET" standalone-verify "$T/bad-manifest.json" "$REF" "$KEYS/A.asc" "$T/a.sig"
expect_match '^signet: .*manifest' "$ERR"

echo "# negative vectors with standalone-verify"
sv 0 "$V/good.sig"
expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "good.sig"
sv 1 "$V/wrong-key.sig"
expect_match "^signet: .*$FPR_B.*pinned|^signet: .*pinned.*$FPR_B" "$ERR"
sv 1 "$V/unknown-key.sig"
expect_match '^signet: .*pinned' "$ERR"
sv 1 "$V/other-repo.sig"
expect_match '^signet: .*(identity|reference).*test/sig-other:v1' "$ERR"
sv 1 "$V/other-tag.sig"
expect_match '^signet: .*(identity|reference).*test/sig:v1-other' "$ERR"
sv 1 "$V/expired.sig" "$KEYS/EXPIRED.asc"
expect_match '^signet: .*expired' "$ERR"
sv 1 "$V/revoked.sig" "$V/revoked.asc"
expect_match '^signet: .*revoked' "$ERR"
sv 1 "$V/corrupt.sig"
expect_match '^signet: .*[Bb]ad signature' "$ERR"
sv 1 "$V/armored.sig"
expect_match '^signet: .*armor' "$ERR"
sv 1 "$V/cleartext.sig"
expect_match '^signet: .*cleartext' "$ERR"
sv 1 "$V/literal.sig"
expect_match '^signet: .*no signature' "$ERR"
sv 1 "$V/encrypted.sig"
expect_match '^signet: .*encrypted' "$ERR"
sv 1 "$V/two-sigs.sig" "$V/AB.gpg"
expect_match '^signet: .*2 signatures.*exactly one' "$ERR"
sv 1 "$V/two-sigs.sig"
expect_match '^signet: .*2 signatures.*exactly one' "$ERR"
sv 1 "$V/trailing-garbage.sig"
expect_match '^signet: .*trailing' "$ERR"
sv 1 "$V/unknown-format.sig"
expect_match '^signet: .*(unknown format|first byte)' "$ERR"
# payload-NAME.sig: each refused for what is wrong with its payload
while read -r name why; do
	sv 1 "$V/payload-$name.sig"
	expect_match "^signet: .*$why" "$ERR"
done <<'EOF'
no-optional     payload.*missing.*optional
optional-null   payload.*optional.*(object|null)
critical-extra  payload.*critical.*extra
duplicate-key   payload.*[Dd]uplicate.*docker-reference
wrong-type      payload.*critical\.type.*cosign container image signature
timestamp-float payload.*timestamp.*integer
uppercase-ref   (identity|docker-reference).*TEST/SIG.*lowercase
sha512          (sha512|sha256|digest)
EOF
# The signing subkey of C, with C's primary key pinned: accepted.
sv 0 "$V/subkey.sig" "$KEYS/C.asc"
expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "subkey.sig with C pinned"
sv 1 "$V/subkey.sig" "$KEYS/B.asc"
expect_match '^signet: .*pinned' "$ERR"

echo "# signet verify: file:// lookaside"
put_signatures "$SIGS" "$V/good.sig"
verify 0 "$IMG"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/sig@$D1" "line 1 (pinned)"
expect_match "^Signed by: $FPR_A( |$)" "$OUT"
expect_eq "$(sed -n 2p "$OUT" | cut -d' ' -f1-3)" "Signed by: $FPR_A" "line 2"
expect_eq "$(sed -n 3p "$OUT")" "Identity: $REF" "line 3"
verify 0 --json "$IMG"
expect_eq "$(jq -c '[.Allowed, .Pinned, .Digest, .Signer, .SigningKey, .Identity]' "$OUT")" \
	"$(jq -nc --arg p "$REG/test/sig@$D1" --arg d "$D1" --arg a "$FPR_A" --arg i "$REF" \
		'[true, $p, $d, $a, $a, $i]')" \
	"--json fields"
expect_eq "$(jq -r .SignerUID "$OUT")" "signet test A <a@signet.test>" ".SignerUID"
expect_eq "$(jq -r .Signature "$OUT")" "file://$SIGS/signature-1" ".Signature"
# by digest: the same repository suffices (matchRepoDigestOrExact)
verify 0 "docker://$REG/test/sig@$D1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/sig@$D1" "by digest: line 1"
# several --key: any pinned key may have signed
verify 0 --key "$KEYS/B.asc" --key "$KEYS/A.gpg" "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"
# the same key file through registries.d
registries_d "$T/regd" "$REG" "file://$LA"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --key "$KEYS/A.asc" "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"

echo "# signet verify: denials"
verify 1 --key "$KEYS/B.asc" "$IMG"
denied 'signature-1: .*not (signed by )?(one of the )?(a )?pinned'
put_signatures "$SIGS" "$V/unknown-key.sig"
verify 1 "$IMG"
denied "signature-1: .*$FPR_UNKNOWN.*pinned"
put_signatures "$SIGS" "$V/other-repo.sig"
verify 1 "$IMG"
denied 'signature-1: .*(identity|reference).*test/sig-other:v1'
put_signatures "$SIGS" "$V/other-tag.sig"
verify 1 "$IMG"
denied 'signature-1: .*(identity|reference).*test/sig:v1-other'
put_signatures "$SIGS" "$V/expired.sig"
verify 1 --key "$KEYS/EXPIRED.asc" "$IMG"
denied 'signature-1: .*expired'
put_signatures "$SIGS" "$V/revoked.sig"
verify 1 --key "$V/revoked.asc" "$IMG"
denied 'signature-1: .*revoked'
put_signatures "$SIGS" "$V/corrupt.sig"
verify 1 "$IMG"
denied 'signature-1: .*[Bb]ad signature'
put_signatures "$SIGS" "$V/literal.sig"
verify 1 "$IMG"
denied 'signature-1: .*no signature'
put_signatures "$SIGS" "$V/two-sigs.sig"
verify 1 --key "$V/AB.gpg" "$IMG"
denied 'signature-1: .*exactly one'
put_signatures "$SIGS" "$V/trailing-garbage.sig"
verify 1 "$IMG"
denied 'signature-1: .*trailing'
put_signatures "$SIGS" "$V/payload-duplicate-key.sig"
verify 1 "$IMG"
denied 'signature-1: .*[Dd]uplicate'
put_signatures "$SIGS" "$V/payload-sha512.sig"
verify 1 "$IMG"
denied 'signature-1: .*(sha512|sha256|digest)'
# No signature at all, and a gap: signature-2 without signature-1 is not read.
put_signatures "$SIGS"
verify 1 "$IMG"
denied 'no signatures'
put_signatures "$SIGS" - "$V/good.sig"
verify 1 "$IMG"
denied 'no signatures'
# Each signature is tried and named: a bad one, then a good one, is allowed.
put_signatures "$SIGS" "$V/wrong-key.sig" "$V/good.sig"
verify 0 "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"
verify 1 --key "$KEYS/C.asc" "$IMG"
denied 'signature-1: .*pinned'
expect_match 'signature-2: .*pinned' "$ERR"
# A stored blob that is not a signature fails the whole read, even after a
# good signature; the message names it.
for bad in armored:armor cleartext:cleartext encrypted:encrypted \
	unknown-format:'(unknown format|first byte)'; do
	put_signatures "$SIGS" "$V/good.sig" "$V/${bad%%:*}.sig"
	verify 1 "$IMG"
	expect_match "^signet: .*signature-2.*${bad#*:}" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes with ${bad%%:*}.sig as signature-2"
done
# "\0simple-signing\n" + a message is the same signature.
put_signatures "$SIGS" "$V/prefixed.sig"
verify 0 "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"
# The signing subkey of C, with C's primary key pinned.
put_signatures "$SIGS" "$V/subkey.sig"
verify 0 --key "$KEYS/C.asc" "$IMG"
expect_eq "$(sed -n 2p "$OUT" | cut -d' ' -f1-3)" "Signed by: $FPR_C" "subkey: line 2 names C's primary key"
verify 0 --json --key "$KEYS/C.asc" "$IMG"
expect_eq "$(jq -r '.Signer + " " + .SigningKey' "$OUT")" "$FPR_C $FPR_C_SUB" "subkey: .Signer .SigningKey"

echo "# signet verify: limits (a store holding more than signet reads is a denial)"
mapfile -t many < <(yes "$V/good.sig" | head -n 128)
put_signatures "$SIGS" "${many[@]}"
verify 0 "$IMG"
put_signatures "$SIGS" "${many[@]}" "$V/good.sig"
verify 1 "$IMG"
expect_match '^signet: .*denied: .*more than 128 signatures \(SIGNET_MAX_LOOKASIDE_SIGNATURES\)' "$ERR"
put_signatures "$SIGS" "$V/oversized.sig"
expect_exit 1 -- timeout 60 "$SIGNET" verify --tls-verify=false --lookaside "file://$LA" \
	--key "$KEYS/A.asc" "$IMG"
expect_match '^signet: .*(4194304|4 MiB)' "$ERR"
head -c $((4 * 1024 * 1024)) "$V/oversized.sig" >"$T/4mib.sig"
put_signatures "$SIGS" "$T/4mib.sig"
expect_exit 1 -- timeout 60 "$SIGNET" verify --tls-verify=false --lookaside "file://$LA" \
	--key "$KEYS/A.asc" "$IMG"
expect_match '^signet: .*signature-1.*trailing' "$ERR"

echo "# signet verify: http:// lookaside"
put_signatures "$SIGS" "$V/wrong-key.sig" "$V/good.sig"
start_files_server "$LA"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --lookaside "$FILES_URL" --key "$KEYS/A.asc" "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"
files_log="$T/files.${FILES_URL##*:}.log"
expect_match "GET /test/sig(@|%40)sha256(=|%3[Dd])${D1#sha256:}/signature-1 auth=0 200" "$files_log"
expect_match "/signature-3 auth=0 404" "$files_log"
registries_d "$T/regd-http" "$REG" "$FILES_URL"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd-http" --key "$KEYS/A.asc" "$IMG"
expect_match "^Signed by: $FPR_A" "$OUT"
files_url=$FILES_URL
stop_pid "$FILES_PID"
# nothing listens there any more: cannot read (3), never "unsigned"
expect_exit 3 -- "$SIGNET" verify --tls-verify=false --lookaside "$files_url" --key "$KEYS/A.asc" "$IMG"
expect_match '^signet: .*(127\.0\.0\.1|connect|refused)' "$ERR"
expect_no_match 'no signatures' "$ERR"
start_files_server "$LA" --fail-status 500
expect_exit 3 -- "$SIGNET" verify --tls-verify=false --lookaside "$FILES_URL" --key "$KEYS/A.asc" "$IMG"
expect_match '^signet: .*500' "$ERR"
expect_no_match 'no signatures' "$ERR"
stop_pid "$FILES_PID"

echo "# signet sign"
push_image v2 test/signed:v1
skopeo_raw test/signed:v1 >"$T/m2.json"
D2=$(sha256_of "$T/m2.json")
LA2="$T/lookaside2"
S2=$(lookaside_dir "$LA2" test/signed "$D2")
SIGN=("$SIGNET" sign --tls-verify=false)
expect_exit 0 -- "${SIGN[@]}" --gpg-key "$FPR_A" --lookaside "file://$LA2" "docker://$REG/test/signed:v1"
expect_eq "$(cat "$OUT")" "Signature stored at file://$S2/signature-1" "sign: stdout"
expect_exit 0 -- "$SIGNET" standalone-verify "$T/m2.json" "$REG/test/signed:v1" "$KEYS/A.asc" \
	"$S2/signature-1"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --lookaside "file://$LA2" --key "$KEYS/A.asc" \
	"docker://$REG/test/signed:v1"
expect_eq "$(sed -n 1p "$OUT")" "$REG/test/signed@$D2" "signed: line 1"
# the next free number; what is stored is never overwritten
cp "$S2/signature-1" "$T/first.sig"
registries_d "$T/regd2" "$REG" "file://$LA2"
expect_exit 0 -- "${SIGN[@]}" --gpg-key "$FPR_P" --passphrase-file "$KEYS/P.passphrase" \
	--registries.d "$T/regd2" "docker://$REG/test/signed:v1"
expect_eq "$(cat "$OUT")" "Signature stored at file://$S2/signature-2" "second sign: stdout"
expect_exit 0 -- cmp "$T/first.sig" "$S2/signature-1"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd2" --key "$KEYS/P.asc" \
	"docker://$REG/test/signed:v1"
expect_match "^Signed by: $FPR_P" "$OUT"
# a gap is filled, not skipped past
rm "$S2/signature-1"
expect_exit 0 -- "${SIGN[@]}" --gpg-key "$FPR_B" --lookaside "file://$LA2" "docker://$REG/test/signed:v1"
expect_eq "$(cat "$OUT")" "Signature stored at file://$S2/signature-1" "sign into a gap: stdout"
# --sign-identity: the signature claims another reference; verify refuses it
# for this one and accepts it for that one.
expect_exit 0 -- "${SIGN[@]}" --gpg-key "$FPR_A" --lookaside "file://$LA2" \
	--sign-identity "$REG/test/elsewhere:v9" "docker://$REG/test/signed:v1"
expect_eq "$(cat "$OUT")" "Signature stored at file://$S2/signature-3" "--sign-identity: stdout"
expect_exit 0 -- "$SIGNET" standalone-verify "$T/m2.json" "$REG/test/elsewhere:v9" "$KEYS/A.asc" \
	"$S2/signature-3"
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --lookaside "file://$LA2" --key "$KEYS/A.asc" \
	"docker://$REG/test/signed:v1"
expect_match '^signet: .*signature-3: .*test/elsewhere:v9' "$ERR"
# writing: file:// only; a key GnuPG does not have
expect_exit 2 -- "${SIGN[@]}" --gpg-key "$FPR_A" --lookaside "$files_url" "docker://$REG/test/signed:v1"
expect_match '^signet: .*file://' "$ERR"
expect_exit 3 -- "${SIGN[@]}" --gpg-key "$FPR_UNKNOWN" --lookaside "file://$LA2" \
	"docker://$REG/test/signed:v1"
expect_match "^signet: .*$FPR_UNKNOWN.*no such secret key" "$ERR"
expect_eq "$(cd "$S2" && echo *)" "signature-1 signature-2 signature-3" "signatures after failed signs"
# dir: images keep their signatures in the layout
skopeo --policy "$T/skopeo-policy.json" copy -q --src-tls-verify=false "$IMG" "dir:$T/dirimg" \
	>"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy $IMG to dir:"; }
expect_exit 0 -- "${SIGN[@]}" --gpg-key "$FPR_A" --sign-identity "$REF" "dir:$T/dirimg"
expect_eq "$(cat "$OUT")" "Signature stored at $T/dirimg/signature-1" "sign dir: stdout"
expect_exit 0 -- "$SIGNET" standalone-verify "$T/dirimg/manifest.json" "$REF" "$KEYS/A.asc" \
	"$T/dirimg/signature-1"
expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "dir: signature"

echo "# tampering: another manifest pushed under the signed tag"
put_signatures "$SIGS" "$V/good.sig"
verify 0 "$IMG"
push_image v2 test/sig:v1
expect_eq "$(skopeo_raw test/sig:v1 | sha256sum | cut -d' ' -f1)" "${D2#sha256:}" "test/sig:v1 now holds v2"
verify 1 "$IMG"
denied 'no signatures'
# the old signature moved next to the new digest: names the digest it signed
put_signatures "$(lookaside_dir "$LA" test/sig "$D2")" "$V/good.sig"
verify 1 "$IMG"
denied "signature-1: .*signs (manifest|digest) $D1"
# the old digest is still what was signed
verify 0 "docker://$REG/test/sig@$D1"

stop_registry
finish
