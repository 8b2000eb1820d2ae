# SPDX-License-Identifier: Apache-2.0
# tests/integration/lazy_sign.sh: gpgme and libsodium are loaded on first use
# by signing (base/lazylib.c, sign/gpgme_lazy.h, sign/sodium_lazy.h), never
# linked: libsignet.so does not need them (readelf).  Under strace, `signet standalone-verify` and the verification of
# a dir: image (a simple signing and a cosign signature) open neither
# libgpgme.so.11 nor libsodium.so.23; `signet sign --gpg-key` opens
# libgpgme, `signet key generate` and `signet sign --key` with an encrypted
# (cosign-format) key open libsodium, and all work.  With a libgpgme.so.11
# or libsodium.so.23 that cannot be loaded first in the library path,
# signing fails (3) saying which library and why, writing nothing, and
# verification still works.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need skopeo umoci gpg strace jq readelf
: "${LIBSIGNET:?LIBSIGNET must name libsignet.so}"

make_gpg_keys
make_images
REF=registry.test/lazy/app:v1
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/skopeo-policy.json"
skopeo --policy "$T/skopeo-policy.json" copy -q "oci:$IMAGES:v1" "dir:$T/dir" >"$T/copy.log" 2>&1 ||
	{ cat "$T/copy.log"; die "skopeo could not copy oci:$IMAGES:v1 to dir:"; }
echo 'lazy secret' >"$T/pass.txt"
cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}], "transports": {"dir": {"": [
  {"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/A.asc",
   "signedIdentity": {"type": "exactReference", "dockerReference": "$REF"}},
  {"type": "sigstoreSigned", "keyPath": "$T/enc.pub",
   "signedIdentity": {"type": "exactRepository", "dockerRepository": "registry.test/lazy/app"}}]}}}
EOF

# opened [-f] CODE ARGS...: runs signet ARGS under strace, with -f its
# threads and children too; the exit code must be CODE.  Leaves in
# $T/opened the files opened (the library search path's misses left out).
# Signing is traced without -f: gpg would start a gpg-agent that outlives
# it, and strace -f would wait for the agent (and gpg's libraries are not
# signet's).
opened() {
	local follow=()
	[[ $1 == -f ]] && follow=(-f) && shift
	local code=$1
	shift
	expect_exit "$code" -- strace "${follow[@]}" -qq -e trace=openat,open -o "$T/strace" "$SIGNET" "$@"
	grep -v ENOENT "$T/strace" >"$T/opened" || true
}

echo "# libsignet links neither (nor gpgme's libassuan and libgpg-error)"
readelf -d "$LIBSIGNET" >"$T/dynamic" || die "readelf -d $LIBSIGNET failed"
expect_match '\(NEEDED\).*libcrypto' "$T/dynamic"
expect_no_match '\(NEEDED\).*(libgpgme|libassuan|libgpg-error|libsodium)' "$T/dynamic"

echo "# signing loads the library it needs, and only that one"
opened 0 key generate --passphrase-file "$T/pass.txt" -o "$T/enc"
expect_match 'libsodium\.so\.23' "$T/opened"
expect_no_match 'libgpgme' "$T/opened"
expect_match '"kdf":\{"name":"scrypt"' <(base64 -d < <(sed '1d;$d' "$T/enc.key"))
opened 0 sign --gpg-key "$FPR_A" --sign-identity "$REF" "dir:$T/dir"
expect_eq "$(cat "$OUT")" "Signature stored at $T/dir/signature-1" "sign --gpg-key output"
expect_match 'libgpgme\.so\.11' "$T/opened"
expect_no_match 'libsodium' "$T/opened"
opened 0 sign --key "$T/enc.key" --passphrase-file "$T/pass.txt" --sign-identity "$REF" "dir:$T/dir"
expect_eq "$(cat "$OUT")" "Signature stored at $T/dir/signature-2" "sign --key output"
expect_match 'libsodium\.so\.23' "$T/opened"
expect_no_match 'libgpgme' "$T/opened"

echo "# verifying loads neither (nor gpgme's libassuan and libgpg-error)"
opened -f 0 standalone-verify "$T/dir/manifest.json" "$REF" "$KEYS/A.asc" "$T/dir/signature-1"
expect_no_match 'libgpgme|libassuan|libgpg-error|libsodium' "$T/opened"
opened -f 0 verify --policy "$T/policy.json" "dir:$T/dir"
expect_match "^Signed by: $FPR_A" "$OUT"
expect_no_match 'libgpgme|libassuan|libgpg-error|libsodium' "$T/opened"

echo "# the libraries cannot be loaded: signing fails saying why, verifying works"
mkdir "$T/badlib"
echo 'not a shared library' >"$T/badlib/libsodium.so.23"
# a shared library, but not gpgme: none of its functions resolve
cp "$LIBSIGNET" "$T/badlib/libgpgme.so.11"
BAD=(env LD_LIBRARY_PATH="$T/badlib")
expect_exit 3 -- "${BAD[@]}" "$SIGNET" sign --gpg-key "$FPR_A" --sign-identity "$REF" "dir:$T/dir"
expect_match '^signet: libgpgme\.so\.11 could not be loaded: .*badlib/libgpgme\.so\.11: undefined symbol: gpgme_' \
	"$ERR"
expect_exit 3 -- "${BAD[@]}" "$SIGNET" standalone-sign "$T/dir/manifest.json" "$REF" --gpg-key "$FPR_A" \
	-o "$T/standalone.sig"
expect_match '^signet: libgpgme\.so\.11 could not be loaded: ' "$ERR"
expect_exit 3 -- "${BAD[@]}" "$SIGNET" sign --key "$T/enc.key" --passphrase-file "$T/pass.txt" \
	--sign-identity "$REF" "dir:$T/dir"
expect_match '^signet: libsodium\.so\.23 could not be loaded: .*badlib/libsodium\.so\.23: ' "$ERR"
expect_exit 3 -- "${BAD[@]}" "$SIGNET" key generate --passphrase-file "$T/pass.txt" -o "$T/enc2"
expect_match '^signet: libsodium\.so\.23 could not be loaded: ' "$ERR"
expect_eq "$(find "$T" -maxdepth 1 -name 'enc2*' -o -maxdepth 1 -name 'standalone.sig*' | wc -l)" 0 \
	"files written by the failed signing"
expect_eq "$(find "$T/dir" -name 'signature-*' | wc -l)" 2 "signatures in the dir: image"
# a key that needs neither library still works
expect_exit 0 -- "${BAD[@]}" "$SIGNET" key generate --no-passphrase -o "$T/plain"
expect_exit 0 -- "${BAD[@]}" "$SIGNET" standalone-verify "$T/dir/manifest.json" "$REF" "$KEYS/A.asc" \
	"$T/dir/signature-1"
expect_exit 0 -- "${BAD[@]}" "$SIGNET" verify --policy "$T/policy.json" "dir:$T/dir"
expect_match "^Signed by: $FPR_A" "$OUT"
finish
