#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# run-verify.sh [--smoke] [-n N] [-r RATE_N]: the verification benches, in
# one run, side by side with skopeo, each figure printed next to its target
# with "met" or "NOT met" (printed, never asserted):
#
#   1. standalone-verify (bench_verify standalone): N `signet
#      standalone-verify` processes against N `skopeo standalone-verify`
#      processes (and N in-process calls of the public API), median wall
#      time per call.  Inputs: a small OCI manifest, a simple signing
#      signature by key A over it (gpg), A's exported public key (signet)
#      and a GnuPG home holding only A's public key (skopeo reads the
#      ambient keyring).  Target: skopeo's median / signet's >= 10.
#   2. pre-pull decision (bench_verify pull): a docker-registry on
#      127.0.0.1 (plain HTTP), the fixture image v1 pushed as bench/app:v1,
#      its simple signing signature by A (gpg) in a file:// lookaside, a
#      policy pinning A for the registry (signedBy, keyPath).  N `signet
#      verify` against N `skopeo copy --policy` to a dir:.  Target: >= 10.
#   3. in-process verifications per second (bench_verify rate): one
#      verifier per key, made once, then RATE_N verifications of the same
#      signature on one thread pinned to one CPU, for A (RSA-3072) and B
#      (Ed25519); the rate judged is per CPU second (the thread's, plus any
#      child process's), the wall-clock rate is printed beside it.  Target:
#      >= 5,000/s each.
#   5. peak RSS from /usr/bin/time -f %M of one `signet verify` (as in 2)
#      and one `signet standalone-verify` (as in 1), skopeo's beside them
#      for reference.  Target: <= 8192 KiB each.
#   (4, the audit against the skopeo loop, is bench-audit.sh.)
# Then every target line again, as a summary.
#
# -n N: calls per tool in 1 and 2 (default 50); -r RATE_N: verifications
# per key in 3 (default 20000, each key stopped after 10 s at most).
# --smoke: -n 5 and -r 200 unless given; checks only that every table and
# target line was printed, never a timing.
# Environment: BENCH_VERIFY (bench_verify binary), SIGNET (signet binary),
# SRCDIR (source tree; default: this script's parent directory), SKOPEO
# (optional).  Needs gpg, skopeo, docker-registry, umoci and /usr/bin/time;
# everything lives in one temporary directory removed on exit (tests/lib.sh),
# and the registry is stopped on exit, whatever the reason.
set -euo pipefail

smoke=0
n=
rate_n=
while [[ $# -gt 0 ]]; do
	case $1 in
	--smoke) smoke=1 ;;
	-n) n=${2:?-n takes a count}; shift ;;
	-r) rate_n=${2:?-r takes a count}; shift ;;
	*) echo "usage: run-verify.sh [--smoke] [-n N] [-r RATE_N]" >&2; exit 2 ;;
	esac
	shift
done
if ((smoke)); then
	n=${n:-5} rate_n=${rate_n:-200}
else
	n=${n:-50} rate_n=${rate_n:-20000}
fi
[[ $n =~ ^[1-9][0-9]*$ && $rate_n =~ ^[1-9][0-9]*$ ]] ||
	{ echo "run-verify.sh: -n and -r take positive counts" >&2; exit 2; }

: "${BENCH_VERIFY:?BENCH_VERIFY must name the bench_verify binary}"
export SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
# Only a plain-HTTP registry is started: lib.sh's token server is not
# needed, so any executable stands in for it when the tests were not built.
export TESTSERVER=${TESTSERVER:-$(type -P true)}
. "$SRCDIR/tests/lib.sh"
need gpg gpgconf skopeo docker-registry umoci jq curl sha256sum awk
[[ -x $BENCH_VERIFY ]] || die "BENCH_VERIFY=$BENCH_VERIFY is not an executable"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (Debian package time) is needed for the peak RSS"
SKOPEO_CMD=${SKOPEO:-skopeo}

# target WHAT GOT TARGET MET: one target line, in bench_verify's columns;
# MET is 1 or 0 (printed, never asserted).
target() {
	printf 'target  %-62s %12s %14s  %s\n' "$1" "$2" "$3" "$([[ $4 == 1 ]] && echo met || echo 'NOT met')"
}

echo "# $("$SIGNET" --version 2>/dev/null | head -n 1), $("$SKOPEO_CMD" --version), $(gpg --version | head -n 1)"
echo "# $(uname -srm), $(nproc) CPU(s): $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
start=$(date +%s)

# ---- keys: A is RSA-3072 and B Ed25519 (fixtures/make-gpg-keys.sh) ----------

make_gpg_keys
# key_kind FPR: "algo bits curve" of the primary key, as gpg lists it.
key_kind() {
	gpg --batch --with-colons --list-keys -- "$1" | awk -F: '$1 == "pub" { print $4, $3, $17; exit }'
}
[[ $(key_kind "$FPR_A") == "1 3072 " ]] || die "key A is not RSA-3072: $(key_kind "$FPR_A")"
[[ $(key_kind "$FPR_B") == "22 255 ed25519" ]] || die "key B is not Ed25519: $(key_kind "$FPR_B")"

# ---- 1: standalone-verify -------------------------------------------------------

# A small OCI image manifest whose blobs are digests of small strings.
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
config='{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
layer='signet bench layer'
printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\
\"digest\":\"sha256:$(sha "$config")\",\"size\":${#config}},\
\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\
\"digest\":\"sha256:$(sha "$layer")\",\"size\":${#layer}}]}" >"$T/manifest.json"
sa_ref=registry.test/signet/bench:v1
sa_digest=$(sha256_of "$T/manifest.json")
gpg_simple_sign "$T/standalone-A.sig" "$FPR_A" "$sa_ref" "$sa_digest"
gpg_simple_sign "$T/standalone-B.sig" "$FPR_B" "$sa_ref" "$sa_digest"
gpg_home "$T/skopeo-gnupg" "$KEYS/A.gpg"

"$BENCH_VERIFY" standalone -n "$n" -s "$SIGNET" -k "$SKOPEO_CMD" -g "$T/skopeo-gnupg" \
	"$T/manifest.json" "$sa_ref" "$KEYS/A.asc" "$FPR_A" "$T/standalone-A.sig" >"$T/out.standalone" ||
	{ cat "$T/out.standalone"; die "bench_verify standalone failed"; }
cat "$T/out.standalone"

# ---- 2: the pre-pull decision against a loopback registry ------------------------

start_registry http
push_image v1 bench/app:v1
pull_digest=$(skopeo_digest bench/app:v1)
pull_image=$REG/bench/app:v1
registries_d "$T/regd" "$REG" "file://$T/lookaside"
sigdir=$(lookaside_dir "$T/lookaside" bench/app "$pull_digest")
mkdir -p "$sigdir"
gpg_simple_sign "$sigdir/signature-1" "$FPR_A" "$pull_image" "$pull_digest"
cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/A.asc"}]}}}
EOF
echo "# setup (keys, images, registry, signatures) took $(($(date +%s) - start)) s"
echo

"$BENCH_VERIFY" pull -n "$n" -s "$SIGNET" -k "$SKOPEO_CMD" "$T/policy.json" "$T/regd" "$pull_image" \
	"$T/skopeo-dir" >"$T/out.pull" || { cat "$T/out.pull"; die "bench_verify pull failed"; }
cat "$T/out.pull"

# ---- 3: in-process verifications per second ---------------------------------------

"$BENCH_VERIFY" rate -n "$rate_n" -t 10 \
	"RSA-3072 (key A)" "$KEYS/A.asc" "$FPR_A" "$T/standalone-A.sig" \
	"Ed25519 (key B)" "$KEYS/B.asc" "$FPR_B" "$T/standalone-B.sig" >"$T/out.rate" ||
	{ cat "$T/out.rate"; die "bench_verify rate failed"; }
cat "$T/out.rate"

# ---- 5: peak RSS of one process -------------------------------------------------------

# rss NAME CMD...: runs CMD once under /usr/bin/time -f %M; it must exit 0.
# Sets KIB to its peak RSS in KiB (its waited-for children, gpg, included).
rss() {
	local name=$1 rc=0
	shift
	/usr/bin/time -f '%M' -o "$T/rss.out" "$@" >/dev/null 2>"$T/rss.err" || rc=$?
	if [[ $rc != 0 ]]; then
		sed -n '1,20s/^/  | /p' "$T/rss.err"
		die "$name exited $rc under /usr/bin/time"
	fi
	KIB=$(tail -n 1 "$T/rss.out")
	[[ $KIB =~ ^[0-9]+$ ]] || die "/usr/bin/time printed no peak RSS for $name: $(cat "$T/rss.out")"
}
rss "signet verify" "$SIGNET" verify -q --policy "$T/policy.json" --registries.d "$T/regd" \
	--tls-verify=false "docker://$pull_image"
rss_verify=$KIB
rss "signet standalone-verify" "$SIGNET" standalone-verify "$T/manifest.json" "$sa_ref" "$KEYS/A.asc" \
	"$T/standalone-A.sig"
rss_standalone=$KIB
rss "skopeo copy --policy" "$SKOPEO_CMD" --policy "$T/policy.json" --registries.d "$T/regd" copy -q \
	--src-tls-verify=false "docker://$pull_image" "dir:$T/skopeo-dir"
rss_skopeo_copy=$KIB
rss "skopeo standalone-verify" env GNUPGHOME="$T/skopeo-gnupg" "$SKOPEO_CMD" standalone-verify \
	"$T/manifest.json" "$sa_ref" "$FPR_A" "$T/standalone-A.sig"
rss_skopeo_standalone=$KIB

{
	echo "== peak RSS of one process (/usr/bin/time -f %M, KiB; children it waited for, gpg, included)"
	echo
	printf '%-58s %10s\n' command "peak KiB"
	printf '%-58s %10s\n' "signet verify (the decision of 2)" "$rss_verify" \
		"signet standalone-verify (as in 1)" "$rss_standalone" \
		"skopeo copy --policy (reference)" "$rss_skopeo_copy" \
		"skopeo standalone-verify (reference)" "$rss_skopeo_standalone"
	echo
	target "peak RSS of one signet verify process" "$rss_verify KiB" "<= 8192 KiB" \
		"$((rss_verify <= 8192))"
	target "peak RSS of one signet standalone-verify process" "$rss_standalone KiB" "<= 8192 KiB" \
		"$((rss_standalone <= 8192))"
	echo
} >"$T/out.rss"
cat "$T/out.rss"

# ---- summary -----------------------------------------------------------------------

echo "== targets ($("$SIGNET" --version 2>/dev/null | head -n 1); the audit's is in bench-audit.sh)"
cat "$T/out.standalone" "$T/out.pull" "$T/out.rate" "$T/out.rss" | grep '^target ' >"$T/targets" || true
cat "$T/targets"
echo "# $(grep -c '  met$' "$T/targets" || true) of $(wc -l <"$T/targets") targets met;" \
	"total run $(($(date +%s) - start)) s"

if ((smoke)); then
	echo "# smoke run: timings not checked"
	check() { # WHAT REGEX FILE
		if grep -Eq -- "$2" "$3"; then pass "$1"; else fail "$1: no line matches /$2/"; fi
	}
	check "standalone table header" '^mode +N +total s +mean ms +p50 ms +p95 ms ' "$T/out.standalone"
	for row in 'in-process' 'signet exec' 'skopeo exec'; do
		check "standalone row $row" "^$row +$n " "$T/out.standalone"
	done
	for row in 'signet exec' 'skopeo exec'; do
		check "pull row $row" "^$row +$n " "$T/out.pull"
	done
	check "rate row RSA-3072" '^RSA-3072 \(key A\) +[0-9]+ ' "$T/out.rate"
	check "rate row Ed25519" '^Ed25519 \(key B\) +[0-9]+ ' "$T/out.rate"
	check "RSS rows" '^signet standalone-verify \(as in 1\) +[0-9]+$' "$T/out.rss"
	got=$(grep -Ec '^target  .* (met|NOT met)$' "$T/targets" || true)
	expect_eq "$got" 6 "target lines printed (1, 2, 3 twice, 5 twice)"
fi
finish
