# SPDX-License-Identifier: Apache-2.0
# tests/integration/keyless_material.sh: the keyless test material
# (fixtures/make-keyless.sh: a Fulcio-like CA, a log key, a TSA, a trusted
# root; tests/helpers/keylesscraft: bundles with transparency log entries)
# is only worth testing signet with if an independent verifier agrees with
# it.  sigstore-js (tests/sigstore-js/oracle.js verify-keyless, offline,
# the trusted root as its only trust) must accept the good bundles and
# refuse each broken one, for the reason it was broken:
#   - accepted: SET and inclusion proof (DSSE with a dsse entry, message
#     signature with a hashedrekord entry); inclusion proof alone;
#     a certificate expired now but valid at integratedTime; an RFC 3161
#     timestamp added;
#   - refused: tampered inclusion proof, SET, checkpoint signature; a log
#     entry about another signature; no log proof; the SET without the
#     inclusion proof (bundle v0.3 requires the proof); a log key not in the
#     trusted root; a certificate from another CA; a certificate expired
#     at integratedTime; a timestamp over another signature; another SAN,
#     another OIDC issuer, another image digest.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need openssl node sha256sum base64
: "${KEYLESSCRAFT:?KEYLESSCRAFT must name tests/helpers/keylesscraft}"

ORACLE_DIR="$SRCDIR/tests/sigstore-js"
[[ -d $ORACLE_DIR/node_modules/@sigstore/verify ]] ||
	die "sigstore-js is not installed in $ORACLE_DIR (run .ci/setup)"

K="$T/keyless"
"$SRCDIR/fixtures/make-keyless.sh" "$K" >/dev/null || die "make-keyless.sh failed"
NOW=$(date +%s)
EMAIL=alice@example.com
ISSUER=https://accounts.example.com
D=sha256:$(printf 'an image manifest' | sha256sum | cut -c1-64)
OTHER=$(printf 'another manifest' | sha256sum | cut -c1-64)
mk() { "$SRCDIR/fixtures/make-keyless.sh" "$K" "$@" >/dev/null || die "make-keyless.sh $*: failed"; }
# Fulcio-like leaves: alive now (10 minutes), dead since an hour ago, from
# the wrong CA.
mk leaf alice "$EMAIL" "$ISSUER" $((NOW - 60)) $((NOW + 540))
mk leaf old "$EMAIL" "$ISSUER" $((NOW - 7200)) $((NOW - 6600))
mk leaf mallory "$EMAIL" "$ISSUER" $((NOW - 60)) $((NOW + 540)) wrong
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/otherlog.key" 2>/dev/null

# craft NAME [LEAF] -- keylesscraft options: $T/NAME.json
craft() {
	local name=$1 leaf=alice
	shift
	if [[ $# -gt 0 && $1 != -- ]]; then leaf=$1; shift; fi
	[[ ${1-} == -- ]] && shift
	"$KEYLESSCRAFT" bundle --leaf-key "$K/$leaf.key" --leaf-cert "$K/$leaf.crt" --log-key "$K/log.key" \
		--image-digest "$D" --repo test/keyless "$@" -o "$T/$name.json" || die "keylesscraft $name failed"
}
# oracle NAME [HEX SAN ISSUER [STATEMENT]]: sigstore-js on $T/NAME.json
oracle() {
	node "$ORACLE_DIR/oracle.js" verify-keyless "$T/$1.json" "$K/trusted_root.json" "${2:-${D#sha256:}}" \
		"${3:-$EMAIL}" "${4:-$ISSUER}" ${5:+"$5"}
}

echo "# accepted"
craft good
expect_exit 0 -- oracle good
expect_match '^verified: application/vnd.dev.sigstore.bundle.v0.3\+json, '"$D"'$' "$OUT"
craft proof-only -- --no-set
expect_exit 0 -- oracle proof-only
craft backdated old -- --integrated-time $((NOW - 7000))
expect_exit 0 -- oracle backdated
"$KEYLESSCRAFT" sign --leaf-key "$K/alice.key" --image-digest "$D" -o "$T/sig.bin" || die "keylesscraft sign failed"
mk tsr "$T/sig.bin" "$T/sig.tsr"
craft tsa -- --sig "$T/sig.bin" --tsr "$T/sig.tsr"
expect_exit 0 -- oracle tsa
"$KEYLESSCRAFT" statement --image-digest "$D" -o "$T/statement.json" || die "keylesscraft statement failed"
craft message -- --message-signature
expect_exit 0 -- oracle message "${D#sha256:}" "$EMAIL" "$ISSUER" "$T/statement.json"
expect_match '^verified: ' "$OUT"

echo "# refused: the transparency log evidence"
craft t-proof -- --tamper proof
expect_exit 1 -- oracle t-proof
expect_match 'calculated root hash does not match inclusion proof' "$ERR"
craft t-proof-noset -- --tamper proof --no-set
expect_exit 1 -- oracle t-proof-noset
expect_match 'calculated root hash does not match inclusion proof' "$ERR"
craft t-set -- --tamper set
expect_exit 1 -- oracle t-set
expect_match 'inclusion promise could not be verified' "$ERR"
craft t-checkpoint -- --tamper checkpoint
expect_exit 1 -- oracle t-checkpoint
expect_match 'invalid checkpoint signature' "$ERR"
craft t-body -- --tamper body
expect_exit 1 -- oracle t-body
expect_match 'tlog entry signature mismatch' "$ERR"
craft t-body-message -- --message-signature --tamper body
expect_exit 1 -- oracle t-body-message "${D#sha256:}" "$EMAIL" "$ISSUER" "$T/statement.json"
expect_match 'sigstore-js: signature mismatch' "$ERR"
# Bundles v0.2 and later must carry the inclusion proof; the SET alone was
# bundle v0.1's evidence.
craft set-only -- --no-proof
expect_exit 1 -- oracle set-only
expect_match 'sigstore-js: invalid bundle' "$ERR"
craft none -- --no-set --no-proof
expect_exit 1 -- oracle none
expect_match 'sigstore-js: ' "$ERR"
"$KEYLESSCRAFT" bundle --leaf-key "$K/alice.key" --leaf-cert "$K/alice.crt" --log-key "$K/otherlog.key" \
	--image-digest "$D" -o "$T/otherlog.json" || die "keylesscraft otherlog failed"
expect_exit 1 -- oracle otherlog
expect_match 'inclusion promise could not be verified' "$ERR"

echo "# refused: the certificate, the timestamp, the identity, the digest"
craft wrongca mallory
expect_exit 1 -- oracle wrongca
expect_match 'Failed to verify certificate chain' "$ERR"
craft expired old
expect_exit 1 -- oracle expired
expect_match 'Failed to verify certificate chain' "$ERR"
craft tsa-other -- --tsr "$T/sig.tsr"
expect_exit 1 -- oracle tsa-other
expect_match 'timestamp could not be verified' "$ERR"
expect_exit 1 -- oracle good "${D#sha256:}" bob@example.com
expect_match 'certificate identity error - expected bob@example.com, got alice@example.com' "$ERR"
expect_exit 1 -- oracle good "${D#sha256:}" "$EMAIL" https://other.example.com
expect_match 'expected issuer=https://other.example.com, got issuer=https://accounts.example.com' "$ERR"
expect_exit 1 -- oracle good "$OTHER"
expect_match "not sha256:$OTHER" "$ERR"

finish
