# SPDX-License-Identifier: Apache-2.0
# tests/integration/bounds.sh: what a hostile store or registry can cost one
# verification, in memory and in time.
#   - a lookaside holding 128 signatures of 4 MiB each (the most of each
#     limit) and a cosign .sig manifest of 100 layers of 4 MiB: signet
#     holds at most SIGNET_MAX_SIGNATURES_TOTAL_SIZE of signatures for an
#     image, so the verdict is a denial naming that limit and peak RSS
#     stays under 64 MiB (/usr/bin/time -f %M);
#   - a registry that drips a manifest one byte every half second, one
#     that answers 503 with Retry-After: 30 forever, and a lookaside that
#     drips its signatures: --timeout bounds the whole image, whatever the
#     per-request timeout (60 s) and the retries would allow.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need jq curl truncate /usr/bin/time

start_registry http
push_image v1 test/oci:v1
digest=$(sha256_of <(reg_manifest test/oci v1))
make_gpg_keys

# rss_under FILE MIB WHAT: the peak RSS /usr/bin/time wrote to FILE is under MIB.
rss_under() {
	local kib
	kib=$(tail -n 1 "$1")
	if [[ $kib =~ ^[0-9]+$ ]] && ((kib < $2 * 1024)); then
		pass "$3: peak RSS $kib KiB < $2 MiB"
	else
		fail "$3: peak RSS '$kib' KiB, expected < $(($2 * 1024))"
	fi
}

# ---- 128 x 4 MiB in an http:// lookaside ------------------------------------
store="$T/store"
sigdir=$(lookaside_dir "$store" test/oci "$digest")
mkdir -p "$sigdir"
for n in $(seq 1 128); do
	truncate -s 4M "$sigdir/signature-$n" # sparse: 512 MiB that take no disk
done
start_files_server "$store"
start=$SECONDS
expect_exit 1 -- /usr/bin/time -f %M -o "$T/rss.lookaside" "$SIGNET" verify --tls-verify=false \
	--key "$KEYS/A.asc" --lookaside "$FILES_URL" "docker://$REG/test/oci:v1"
expect_match "^signet: $REG/test/oci:v1: denied: requirement 1 of 1 \(signedBy, pinned keys\) not met: lookaside $FILES_URL: the signatures of this image come to more than 16777216 bytes in total \(SIGNET_MAX_SIGNATURES_TOTAL_SIZE" "$ERR"
expect_no_match '^(Signed by|Identity):' "$OUT"
rss_under "$T/rss.lookaside" 64 "128 x 4 MiB lookaside"
# It stopped reading at the signature that crossed the total: the fifth.
files_log="$T/files.${FILES_URL##*:}.log"
expect_eq "$(grep -c "GET /test/oci@" "$files_log")" 5 "lookaside signatures fetched"
echo "figures: 128 x 4 MiB lookaside: peak RSS $(tail -n 1 "$T/rss.lookaside") KiB, $((SECONDS - start)) s"

# The same store over file://: the same denial, the same bound.
expect_exit 1 -- /usr/bin/time -f %M -o "$T/rss.file" "$SIGNET" verify --tls-verify=false \
	--key "$KEYS/A.asc" --lookaside "file://$store" "docker://$REG/test/oci:v1"
expect_match "more than 16777216 bytes in total \(SIGNET_MAX_SIGNATURES_TOTAL_SIZE" "$ERR"
rss_under "$T/rss.file" 64 "128 x 4 MiB file:// lookaside"

# Four of them fit exactly: read, then judged (not signatures at all: denied
# as a store holding what is not a signature).
rm -f "$sigdir"/signature-{5..128}
expect_exit 1 -- "$SIGNET" verify --tls-verify=false --key "$KEYS/A.asc" --lookaside "file://$store" \
	"docker://$REG/test/oci:v1"
expect_match "signature-1 is not a signature" "$ERR"
expect_no_match "SIGNET_MAX_SIGNATURES_TOTAL_SIZE" "$ERR"

# ---- a cosign .sig manifest of 100 layers of 4 MiB -----------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$T/cosign.key" 2>/dev/null
openssl ec -in "$T/cosign.key" -pubout -out "$T/cosign.pub" 2>/dev/null
head -c 4194304 /dev/zero | tr '\0' 'x' >"$T/layer"
layer=$(reg_put_blob test/oci "$T/layer")
printf '{}' >"$T/config"
config=$(reg_put_blob test/oci "$T/config")
jq -n --arg l "$layer" --arg c "$config" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: 2},
	layers: [range(100) | {mediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
		digest: $l, size: 4194304, annotations: {"dev.cosignproject.cosign/signature": "MEUCIQ=="}}]
}' >"$T/sig-manifest.json"
reg_put_manifest test/oci "$(cosign_tag "$digest")" "$T/sig-manifest.json"
jq -n --arg k "$T/cosign.pub" '{default: [{type: "sigstoreSigned", keyPath: $k,
	signedIdentity: {type: "matchRepository"}}]}' >"$T/cosign-policy.json"
start=$SECONDS
expect_exit 1 -- /usr/bin/time -f %M -o "$T/rss.sig" "$SIGNET" verify --tls-verify=false \
	--policy "$T/cosign-policy.json" "docker://$REG/test/oci:v1"
expect_match "^signet: $REG/test/oci:v1: denied: requirement 1 of 1 \(sigstoreSigned, .*\) not met: docker://$REG/test/oci:$(cosign_tag "$digest"): the signatures of this image come to more than 16777216 bytes in total \(SIGNET_MAX_SIGNATURES_TOTAL_SIZE" "$ERR"
rss_under "$T/rss.sig" 64 "100-layer .sig of 4 MiB layers"
echo "figures: 100 x 4 MiB .sig layers: peak RSS $(tail -n 1 "$T/rss.sig") KiB, $((SECONDS - start)) s"

# ---- time: one deadline per image ---------------------------------------------
port=$(free_port)
port2=$(free_port)
start_testserver "$T/hostile.out" hostile --port "$port" --port2 "$port2" --log "$T/hostile.log"
H="127.0.0.1:$port"
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"

# elapsed_under START SECONDS WHAT
elapsed_under() {
	if ((SECONDS - $1 <= $2)); then
		pass "$3 ended in $((SECONDS - $1)) s"
	else
		fail "$3 took $((SECONDS - $1)) s, expected at most $2"
	fi
}

# A manifest dripped one byte every 500 ms (about 4 minutes in all; the
# per-request timeout alone would allow 60 s): cut at the deadline.
start=$SECONDS
expect_exit 3 -- "$SIGNET" verify --tls-verify=false --timeout 3s --policy "$T/accept.json" \
	"docker://$H/drip/x:latest"
expect_match "^signet: .*GET http://$H/v2/drip/x/manifests/latest: the deadline of 3000 ms for this image passed \(--timeout; default SIGNET_IMAGE_TIMEOUT_MS, 120000 ms\)$" "$ERR"
elapsed_under "$start" 6 "verify of a dripped manifest with --timeout 3s"

# 503 with Retry-After: 30, forever: the wait for a retry does not outlive
# the deadline either (without it: 3 retries of 30 s).
start=$SECONDS
expect_exit 3 -- "$SIGNET" inspect --tls-verify=false --timeout 2s "docker://$H/retry/x:latest"
expect_match "the deadline of 2000 ms for this image passed" "$ERR"
elapsed_under "$start" 5 "inspect of an always-503 registry with --timeout 2s"

# The audit: each image has its own deadline; the dripped one is an error
# record, the run goes on and exits 3.
start=$SECONDS
expect_exit 3 -- "$SIGNET" audit --tls-verify=false --timeout 2s --policy "$T/accept.json" \
	"docker://$H/drip/x:latest"
cat "$OUT" "$ERR" >"$T/audit.all"
expect_match "the deadline of 2000 ms for this image passed" "$T/audit.all"
elapsed_under "$start" 8 "audit of a dripped repository with --timeout 2s"

# A lookaside that drips its signatures (one byte every 200 ms): the real
# registry answers at once, the store holds the image past the deadline.
rm -rf "$store"
mkdir -p "$sigdir"
head -c 600 /dev/zero | tr '\0' 's' >"$sigdir/signature-1"
start_files_server "$store" --drip-ms 200
start=$SECONDS
expect_exit 3 -- "$SIGNET" verify --tls-verify=false --timeout 3s --key "$KEYS/A.asc" \
	--lookaside "$FILES_URL" "docker://$REG/test/oci:v1"
expect_match "GET $FILES_URL/test/oci@sha256=.*/signature-1: the deadline of 3000 ms for this image passed" "$ERR"
elapsed_under "$start" 6 "verify against a dripping lookaside with --timeout 3s"

# --timeout is checked as skopeo's durations are written.
for bad in 0 -1 1m30 2d x ""; do
	expect_exit 2 -- "$SIGNET" verify --timeout "$bad" --policy "$T/accept.json" "docker://$H/good/image:latest"
	expect_match "^signet: --timeout takes a duration from 1ms to a week" "$ERR"
done
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --timeout 1m30s --policy "$T/accept.json" \
	"docker://$H/good/image:latest"

finish
