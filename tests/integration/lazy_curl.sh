# SPDX-License-Identifier: Apache-2.0
# tests/integration/lazy_curl.sh: libcurl is loaded on first network use
# (registry/curl_load.c).  Under strace, `signet standalone-verify` and the
# verification of a dir: image never open libcurl.so.4; `signet inspect
# docker://` opens it.  With a libcurl.so.4 that cannot be loaded first in
# the library path, docker:// fails (3) saying so, and standalone
# verification still works.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg strace jq sha256sum

make_gpg_keys
start_registry http
push_image v1 test/lazy:v1
REF="$REG/test/lazy:v1"
skopeo_raw test/lazy:v1 >"$T/m.json"
gpg_simple_sign "$T/a.sig" "$FPR_A" "$REF" "$(sha256_of "$T/m.json")"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/skopeo-policy.json"
skopeo --policy "$T/skopeo-policy.json" copy -q --src-tls-verify=false "docker://$REF" "dir:$T/dir" \
	>"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy $REF to dir:"; }
cp "$T/a.sig" "$T/dir/signature-1"
# a dir: image has no name: the policy says which identity its signature claims
cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}], "transports": {"dir": {"": [{"type": "signedBy", "keyType": "GPGKeys",
  "keyPath": "$KEYS/A.asc", "signedIdentity": {"type": "exactReference", "dockerReference": "$REF"}}]}}}
EOF

# opened CODE ARGS...: runs signet ARGS under strace; the exit code must be
# CODE.  Leaves in $T/opened the files signet opened (the library search
# path's misses left out).
opened() {
	local code=$1
	shift
	expect_exit "$code" -- strace -f -qq -e trace=openat,open -o "$T/strace" "$SIGNET" "$@"
	grep -v ENOENT "$T/strace" >"$T/opened" || true
}

echo "# no network, no libcurl"
opened 0 standalone-verify "$T/m.json" "$REF" "$KEYS/A.asc" "$T/a.sig"
expect_no_match 'libcurl' "$T/opened"
opened 0 verify --policy "$T/policy.json" "dir:$T/dir"
expect_no_match 'libcurl' "$T/opened"

echo "# a registry: libcurl is loaded"
opened 0 inspect --tls-verify=false "docker://$REF"
expect_match 'libcurl\.so\.4' "$T/opened"

echo "# libcurl cannot be loaded: the network fails saying why, the rest works"
mkdir "$T/badlib"
echo 'not a shared library' >"$T/badlib/libcurl.so.4"
expect_exit 3 -- env LD_LIBRARY_PATH="$T/badlib" "$SIGNET" inspect --tls-verify=false "docker://$REF"
expect_match '^signet: libcurl\.so\.4 could not be loaded: .*badlib/libcurl\.so\.4' "$ERR"
expect_exit 0 -- env LD_LIBRARY_PATH="$T/badlib" "$SIGNET" standalone-verify "$T/m.json" "$REF" \
	"$KEYS/A.asc" "$T/a.sig"
finish
