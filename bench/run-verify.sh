#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-verify.sh [--smoke] [-n N]: prepares the inputs of bench_verify and
# runs it (signet in-process, signet processes and skopeo processes, N
# standalone verifications each; default N=50).
#
#   a GnuPG home with key A (fixtures/make-gpg-keys.sh), a small OCI
#   manifest, a simple-signing payload naming its digest and the reference,
#   `gpg --sign` by A over that payload, A's exported public key (signet),
#   and a second GnuPG home holding only A's public key (skopeo, which uses
#   the ambient keyring).
#
# --smoke checks only that the table was printed (three rows), never timings.
# Environment: BENCH_VERIFY (bench_verify binary), SIGNET (signet binary),
# SRCDIR (source tree; default: this script's parent directory), SKOPEO
# (optional).  Everything lives in one temporary directory removed on exit.
set -eu

smoke=0
n=50
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	-n) n=${2:?-n takes a count}; shift ;;
	*) echo "usage: run-verify.sh [--smoke] [-n N]" >&2; exit 2 ;;
	esac
	shift
done

: "${BENCH_VERIFY:?BENCH_VERIFY must name the bench_verify binary}"
: "${SIGNET:?SIGNET must name the signet binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}

T=$(mktemp -d "${TMPDIR:-/tmp}/signet-bench.XXXXXX")
cleanup() {
	gpgconf --homedir "$T/keys/gnupg" --kill all >/dev/null 2>&1 || true
	gpgconf --homedir "$T/skopeo-gnupg" --kill all >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! sh "$SRCDIR/fixtures/make-gpg-keys.sh" "$T/keys" > "$T/make-gpg-keys.log" 2>&1; then
	cat "$T/make-gpg-keys.log" >&2
	echo "run-verify.sh: make-gpg-keys.sh failed" >&2
	exit 1
fi
A=$(sed -n 's/^A=//p' "$T/keys/fingerprints")

# A small OCI image manifest whose blobs are digests of small strings.
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
config='{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
layer='signet bench layer'
printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\
\"digest\":\"sha256:$(sha "$config")\",\"size\":${#config}},\
\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\
\"digest\":\"sha256:$(sha "$layer")\",\"size\":${#layer}}]}" > "$T/manifest.json"
digest=sha256:$(sha256sum "$T/manifest.json" | cut -d' ' -f1)
ref=registry.test/signet/bench:v1

printf '%s' "{\"critical\":{\"identity\":{\"docker-reference\":\"$ref\"},\
\"image\":{\"docker-manifest-digest\":\"$digest\"},\"type\":\"atomic container signature\"},\
\"optional\":{\"creator\":\"run-verify.sh\",\"timestamp\":1700000000}}" > "$T/payload.json"
gpg --homedir "$T/keys/gnupg" --batch --no-tty --quiet --yes --pinentry-mode loopback --passphrase '' \
	-u "$A" --sign -o "$T/signature" "$T/payload.json"

mkdir -m 700 "$T/skopeo-gnupg"
gpg --homedir "$T/skopeo-gnupg" --batch --no-tty --quiet --import "$T/keys/A.gpg"

set -- "$BENCH_VERIFY" -n "$n" -s "$SIGNET" -g "$T/skopeo-gnupg" \
	"$T/manifest.json" "$ref" "$T/keys/A.asc" "$A" "$T/signature"
if [ "$smoke" = 0 ]; then
	"$@"
	exit
fi

"$@" > "$T/out"
cat "$T/out"
for row in '^mode  *N  *total s  *mean ms  *p50 ms  *p95 ms ' "^in-process  *$n " "^signet exec  *$n " \
	"^skopeo exec  *$n "; do
	if ! grep -q "$row" "$T/out"; then
		echo "FAIL: bench_verify printed no line matching /$row/" >&2
		exit 1
	fi
done
echo "PASS: bench_verify printed its table"
