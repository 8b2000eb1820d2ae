# SPDX-License-Identifier: Apache-2.0
# tests/integration/registry_auth.sh: credentials, TLS verification and the
# plain-HTTP fallback against a real docker-registry (and its token server).
# Exit codes: 0 reached, 3 could not reach or read; never a secret in a message.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci openssl htpasswd jq curl base64

# the registry's host:port as a regular expression
reg_re() { echo "${REG//./\\.}"; }

# authfile FILE USER PASS: a containers auth.json for $REG.
authfile() {
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$REG" "$(printf '%s:%s' "$2" "$3" | base64 -w0)" >"$1"
}

# ---- htpasswd (over TLS) ------------------------------------------------
start_registry htpasswd
push_image v1 test/oci:v1
img="docker://$REG/test/oci:v1"
tls=(--cert-dir "$REG_CA_DIR")

expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" --creds "$REG_USER:wrong-password" "$img"
expect_match "^signet: .*$(reg_re)" "$ERR"
expect_match '401' "$ERR"
expect_no_match 'wrong-password' "$ERR"

expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "^signet: .*$(reg_re)" "$ERR"
expect_match '401' "$ERR"

expect_exit 0 -- "$SIGNET" inspect "${tls[@]}" --creds "$REG_USER:$REG_PASS" "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"

authfile "$T/auth.json" "$REG_USER" "$REG_PASS"
expect_exit 0 -- "$SIGNET" inspect "${tls[@]}" --authfile "$T/auth.json" "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"

authfile "$T/bad-auth.json" "$REG_USER" "not-it"
expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" --authfile "$T/bad-auth.json" "$img"
expect_match '401' "$ERR"
expect_no_match 'not-it' "$ERR"
stop_registry

# ---- TLS with a private CA --------------------------------------------------
start_registry tls
push_image v1 test/oci:v1
img="docker://$REG/test/oci:v1"

expect_exit 3 -- "$SIGNET" inspect "$img"
expect_match "^signet: .*$(reg_re)" "$ERR"
expect_match '[Cc]ertificate' "$ERR"

expect_exit 0 -- "$SIGNET" inspect --cert-dir "$REG_CA_DIR" "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"

expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"

# an empty certificate directory trusts nothing more
mkdir -p "$T/empty-certs"
expect_exit 3 -- "$SIGNET" inspect --cert-dir "$T/empty-certs" "$img"
expect_match '[Cc]ertificate' "$ERR"
stop_registry

# ---- plain HTTP ---------------------------------------------------------------
start_registry http
push_image v1 test/oci:v1
img="docker://$REG/test/oci:v1"

# with TLS verification on, plain HTTP is never used
expect_exit 3 -- "$SIGNET" inspect "$img"
expect_match "^signet: .*$(reg_re)" "$ERR"
expect_match 'TLS|SSL|HTTPS|https' "$ERR"

expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"

# The server answers the ClientHello in plain HTTP: that answer is the
# probe, the manifest is asked for over http at once (no second GET /v2/).
expect_exit 0 -- "$SIGNET" inspect -vv --tls-verify=false "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"
expect_match "^signet: debug: registry $(reg_re): https failed \\(.*\\), the server answers in plain http: using http\$" "$ERR"
expect_eq "$(sed -n 's/^signet: debug: \(GET [^ ]*\)$/\1/p' "$ERR" | head -n 2 | tr '\n' ' ')" \
	"GET https://$REG/v2/ GET http://$REG/v2/test/oci/manifests/v1 " "the first two requests"
expect_no_match "GET http://$(reg_re)/v2/\$" "$ERR"
stop_registry

# ---- bearer tokens (over TLS) ---------------------------------------------------
start_registry token
push_image v1 test/oci:v1
img="docker://$REG/test/oci:v1"
tls=(--cert-dir "$REG_CA_DIR")
tokenlog="$REG_DIR/token-requests.log"

: >"$tokenlog"
expect_exit 0 -- "$SIGNET" inspect "${tls[@]}" --creds "$REG_USER:$REG_PASS" "$img"
expect_match '^Digest: sha256:[0-9a-f]{64}$' "$OUT"
expect_match '^[0-9]+ GET /token auth=1 200$' "$tokenlog"

authfile "$T/token-auth.json" "$REG_USER" "$REG_PASS"
expect_exit 0 -- "$SIGNET" inspect "${tls[@]}" --authfile "$T/token-auth.json" "$img"

expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" --creds "$REG_USER:wrong-password" "$img"
expect_match '401' "$ERR"
expect_no_match 'wrong-password' "$ERR"

expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" "$img"
expect_match '401' "$ERR"
stop_registry

finish
