# SPDX-License-Identifier: Apache-2.0
# tests/integration/lazy_ssl.sh: what a process maps for the network
# (registry/http1.c).  Under strace, no signet process ever opens libcurl;
# `signet standalone-verify` and the verification of a dir: image never
# open libssl.so.3; a registry over HTTPS opens it (so does one over plain
# HTTP reached with --tls-verify=false: https is tried first, as skopeo
# does).  With a libssl.so.3 that cannot be loaded first in the library
# path, HTTPS fails (3) saying so, and plain HTTP and standalone
# verification still work.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg strace jq sha256sum

make_gpg_keys
start_registry http
push_image v1 test/lazy:v1
REF="$REG/test/lazy:v1"
skopeo_raw test/lazy:v1 >"$T/m.json"
digest=$(sha256_of "$T/m.json")
gpg_simple_sign "$T/a.sig" "$FPR_A" "$REF" "$digest"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/skopeo-policy.json"
skopeo --policy "$T/skopeo-policy.json" copy -q --src-tls-verify=false "docker://$REF" "dir:$T/dir" \
	>"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy $REF to dir:"; }
cp "$T/a.sig" "$T/dir/signature-1"
# a dir: image has no name: the policy says which identity its signature claims
cat >"$T/policy.json" <<EOF2
{"default": [{"type": "reject"}], "transports": {"dir": {"": [{"type": "signedBy", "keyType": "GPGKeys",
  "keyPath": "$KEYS/A.asc", "signedIdentity": {"type": "exactReference", "dockerReference": "$REF"}}]}}}
EOF2

# opened CODE ARGS...: runs signet ARGS under strace; the exit code must be
# CODE.  Leaves in $T/opened the files signet opened (the library search
# path's misses left out).
opened() {
	local code=$1
	shift
	expect_exit "$code" -- strace -f -qq -e trace=openat,open -o "$T/strace" "$SIGNET" "$@"
	grep -v ENOENT "$T/strace" >"$T/opened" || true
}

echo "# no network: neither libssl nor libcurl"
opened 0 standalone-verify "$T/m.json" "$REF" "$KEYS/A.asc" "$T/a.sig"
expect_no_match 'libssl|libcurl' "$T/opened"
opened 0 verify --policy "$T/policy.json" "dir:$T/dir"
expect_no_match 'libssl|libcurl' "$T/opened"

echo "# a registry over plain HTTP: no libcurl"
opened 0 inspect --tls-verify=false "docker://$REF"
expect_match "$digest" "$OUT"
expect_no_match 'libcurl' "$T/opened"

echo "# a registry over HTTPS: libssl is loaded, libcurl never"
start_registry tls
push_image v1 test/lazy:v1
opened 0 inspect --cert-dir "$REG_CA_DIR" "docker://$REG/test/lazy:v1"
expect_match "$digest" "$OUT"
expect_match 'libssl\.so\.3' "$T/opened"
expect_no_match 'libcurl' "$T/opened"

echo "# libssl cannot be loaded: HTTPS fails saying why, the rest works"
mkdir "$T/badlib"
echo 'not a shared library' >"$T/badlib/libssl.so.3"
expect_exit 3 -- env LD_LIBRARY_PATH="$T/badlib" "$SIGNET" inspect --cert-dir "$REG_CA_DIR" \
	"docker://$REG/test/lazy:v1"
expect_match "^signet: registry $REG: GET https://$REG/v2/: TLS error: libssl\\.so\\.3 could not be loaded: .*badlib/libssl\\.so\\.3" "$ERR"
expect_exit 0 -- env LD_LIBRARY_PATH="$T/badlib" "$SIGNET" inspect --tls-verify=false "docker://$REF"
expect_match "$digest" "$OUT"
expect_exit 0 -- env LD_LIBRARY_PATH="$T/badlib" "$SIGNET" standalone-verify "$T/m.json" "$REF" \
	"$KEYS/A.asc" "$T/a.sig"
finish
