#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench-audit.sh [--smoke] [-n IMAGES] [-r REPOSITORIES] [-s SAMPLE] [-k RUNS]: audit
# throughput over loopback, signet against the equivalent skopeo loop.
#
#   A docker-registry (http, loopback) holds IMAGES images (default 1000)
#   spread over REPOSITORIES repositories (default 20).  Each image is its
#   own manifest (the small fixture image v1 with an annotation numbering
#   it, so every digest differs) and has its own simple signing signature by
#   key A in a file:// lookaside, claiming its exact reference.  The policy
#   pins A for the registry (signedBy, matchRepoDigestOrExact).
#
#   signet: `signet audit --json` over the whole registry, with -j 1 and
#   -j 4, RUNS times each (default 3, in turns); the median wall time, and
#   the largest peak RSS from /usr/bin/time -f %M.  Then -j 1
#   again under a policy pinning key B: every signature is by a key that is
#   not pinned, every image denied (the refusal path's pace).
#   skopeo: per image, `skopeo inspect` then `skopeo copy` to a dir: with the
#   same policy and registries.d (what an auditor without signet scripts).
#   That loop is timed on SAMPLE images (default 50) spread over the
#   repositories and extrapolated to IMAGES: the output says so.
#
# The table ends with the ratio signet / skopeo (images per second) next to
# its target, >= 200x, and "met" or "NOT met": printed, never asserted.
#
# --smoke: checks that it runs, that every audit allowed every image, and
# that the table and its target lines were printed; never looks at timings.
# Environment: SIGNET (signet binary), SRCDIR (source tree; default: this
# script's parent directory).  Everything lives in one temporary directory
# removed on exit (tests/lib.sh).
set -euo pipefail

smoke=0
runs=3
n=1000
nrepos=20
sample=50
while [[ $# -gt 0 ]]; do
	case $1 in
	--smoke) smoke=1 ;;
	-n) n=${2:?-n takes a count}; shift ;;
	-r) nrepos=${2:?-r takes a count}; shift ;;
	-s) sample=${2:?-s takes a count}; shift ;;
	-k) runs=${2:?-k takes a count}; shift ;;
	*) echo "usage: bench-audit.sh [--smoke] [-n IMAGES] [-r REPOSITORIES] [-s SAMPLE] [-k RUNS]" >&2; exit 2 ;;
	esac
	shift
done
[[ $n =~ ^[1-9][0-9]*$ && $nrepos =~ ^[1-9][0-9]*$ && $sample =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench-audit.sh: -n, -r, -s and -k take positive counts" >&2; exit 2; }
((smoke)) && runs=1
((nrepos <= n)) || nrepos=$n
((sample <= n)) || sample=$n

export SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
# Only a plain-HTTP registry is started: lib.sh's token server is not
# needed, so any executable stands in for it when the tests were not built.
export TESTSERVER=${TESTSERVER:-$(type -P true)}
. "$SRCDIR/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum awk
[[ -x /usr/bin/time ]] || die "/usr/bin/time (Debian package time) is needed for the peak RSS"

make_gpg_keys
make_images
start_registry http
LA="$T/lookaside"
registries_d "$T/regd" "$REG" "file://$LA"
cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/A.asc"}]}}}
EOF

# ---- the registry: n images, each its own manifest and signature ------------

echo "# filling $REG with $n images in $nrepos repositories"
D1=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v1") | .digest' \
	"$IMAGES/index.json")
BASE=$(cat "$IMAGES/blobs/sha256/${D1#sha256:}")
[[ ${BASE: -1} == "}" && $BASE != *'"annotations"'* ]] || die "unexpected fixture manifest v1: $BASE"
IMGLIST="$T/images.txt"	# repository:tag, one a line
: >"$IMGLIST"
BLOBS=$(jq -r '.config.digest, .layers[].digest' <<<"$BASE")
start=$(date +%s)
for ((r = 0; r < nrepos; r++)); do
	printf -v repo 'bench/r%02d' "$r"
	for b in $BLOBS; do
		reg_put_blob "$repo" "$IMAGES/blobs/sha256/${b#sha256:}" >/dev/null
	done
	per=$(( n / nrepos + (r < n % nrepos ? 1 : 0) ))
	for ((i = 0; i < per; i++)); do
		printf -v tag 'i%04d' "$i"
		# The same bytes, with an annotation: a distinct digest, no new blob.
		printf '%s,"annotations":{"bench.signet.test/n":"%s/%s"}}' "${BASE%\}}" "$repo" "$tag" \
			>"$T/m.json"
		d=$(sha256_of "$T/m.json")
		reg_put_manifest "$repo" "$tag" "$T/m.json"
		dir=$(lookaside_dir "$LA" "$repo" "$d")
		mkdir -p "$dir"
		gpg_simple_sign "$dir/signature-1" "$FPR_A" "$REG/$repo:$tag" "$d"
		echo "$repo:$tag" >>"$IMGLIST"
	done
done
echo "# filled in $(( $(date +%s) - start )) s"
total=$n

# ---- signet audit --------------------------------------------------------------

# now: seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

declare -A SECS RSS RUNS
for ((k = 1; k <= runs; k++)); do
	for j in 1 4; do
		/usr/bin/time -f '%M' -o "$T/time.$j" "$SIGNET" audit --json --policy "$T/policy.json" \
			--registries.d "$T/regd" --tls-verify=false -j "$j" "docker://$REG" \
			>"$T/audit.$j.jsonl" 2>"$T/audit.$j.err" &
		t0=$(now)
		rc=0
		wait $! || rc=$?
		t1=$(now)
		if [[ $rc != 0 ]]; then
			sed -n '1,20s/^/  | /p' "$T/audit.$j.err"
			die "signet audit -j $j exited $rc, expected 0 (every image signed by A)"
		fi
		got=$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied, .errors]' "$T/audit.$j.jsonl")
		if [[ $got == "[$total,$total,0,0]" ]]; then
			pass "signet audit -j $j (run $k): summary [images, allowed, denied, errors] = $got"
		else
			fail "signet audit -j $j (run $k): summary [images, allowed, denied, errors] = '$got', expected [$total,$total,0,0]"
		fi
		RUNS[$j]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
		r=$(tail -n 1 "$T/time.$j")
		((r > ${RSS[$j]:-0})) && RSS[$j]=$r
	done
done
# median: the middle of the runs' seconds (the lower middle of an even count).
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }
for j in 1 4; do SECS[$j]=$(median "${RUNS[$j]}"); done

# The same registry under a policy that pins B instead: every signature is by
# a key nowhere in the pins, every image is denied (exit 1).
cat >"$T/policy-b.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REG": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/B.asc"}]}}}
EOF
/usr/bin/time -f '%M' -o "$T/time.b" "$SIGNET" audit --json --policy "$T/policy-b.json" \
	--registries.d "$T/regd" --tls-verify=false -j 1 "docker://$REG" \
	>"$T/audit.b.jsonl" 2>"$T/audit.b.err" &
t0=$(now)
rc=0
wait $! || rc=$?
t1=$(now)
got=$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied, .errors]' "$T/audit.b.jsonl")
if [[ $rc == 1 && $got == "[$total,0,$total,0]" ]]; then
	pass "signet audit -j 1 pinning B: exit 1, summary [images, allowed, denied, errors] = $got"
else
	sed -n '1,20s/^/  | /p' "$T/audit.b.err"
	fail "signet audit -j 1 pinning B: exit $rc, summary '$got', expected exit 1 and [$total,0,$total,0]"
fi
SECS[b]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
RSS[b]=$(tail -n 1 "$T/time.b")

# ---- skopeo, per image, on a sample ---------------------------------------------

# Every (n / sample)-th image, so that the sample covers every repository.
awk -v n="$n" -v s="$sample" 'BEGIN { srand(1) } { line[NR] = $0 }
	END { for (k = 0; k < s; k++) print line[int(k * n / s) + 1] }' "$IMGLIST" >"$T/sample.txt"
t0=$(now)
while read -r img; do
	skopeo inspect --tls-verify=false "docker://$REG/$img" >/dev/null 2>"$T/skopeo.err" ||
		{ cat "$T/skopeo.err"; die "skopeo inspect $img failed"; }
	rm -rf "$T/skopeo-dir"
	skopeo --policy "$T/policy.json" --registries.d "$T/regd" copy -q --src-tls-verify=false \
		"docker://$REG/$img" "dir:$T/skopeo-dir" >/dev/null 2>"$T/skopeo.err" ||
		{ cat "$T/skopeo.err"; die "skopeo copy --policy $img failed (its signature by A should verify)"; }
done <"$T/sample.txt"
t1=$(now)
SK=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
rm -rf "$T/skopeo-dir"

# ---- the table --------------------------------------------------------------------

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / s; else print "inf" }'; }
sk_rate=$(rate "$sample" "$SK")
# target WHAT GOT TARGET MET: one target line, in the columns of
# run-verify.sh and bench_verify (printed, never asserted).
target() {
	printf 'target  %-62s %12s %14s  %s\n' "$1" "$2" "$3" "$([[ $4 == 1 ]] && echo met || echo 'NOT met')"
}
{
	echo
	echo "audit of $total images in $nrepos repositories, docker-registry over loopback,"
	echo "one simple signing signature each (key A, file:// lookaside), policy signedBy A"
	printf '%-34s %8s %10s %10s %12s\n' tool images seconds images/s "peak RSS"
	for j in 1 4; do
		printf '%-34s %8s %10s %10s %9s KiB\n' "signet audit -j $j" "$total" "${SECS[$j]}" \
			"$(rate "$total" "${SECS[$j]}")" "${RSS[$j]}"
	done
	printf '%-34s %8s %10s %10s %9s KiB\n' "signet audit -j 1, B pinned (deny)" "$total" "${SECS[b]}" \
		"$(rate "$total" "${SECS[b]}")" "${RSS[b]}"
	printf '%-34s %8s %10s %10s %12s\n' "skopeo inspect + copy --policy" "$sample" "$SK" "$sk_rate" "-"
	echo "skopeo was timed on a sample of $sample images (one inspect and one copy process each) and"
	echo "extrapolated: $total images would take about $(awk -v t="$total" -v r="$sk_rate" \
		'BEGIN { if (r > 0) printf "%.0f", t / r; else print "?" }') s."
	echo "signet audit -j 1 and -j 4: the median of $runs run(s) each, in turns (seconds:${RUNS[1]} and${RUNS[4]})"
	echo
	# The ratio of images per second, signet over the skopeo loop, for each
	# -j; -j 1 is signet audit's default for a loopback registry.
	for j in 1 4; do
		read -r ratio met < <(awk -v a="$(rate "$total" "${SECS[$j]}")" -v b="$sk_rate" -v t=200 \
			'BEGIN { if (b > 0 && a != "inf") { r = a / b; printf "%.1fx %d\n", r, (r >= t) }
			         else print "n/a 0" }')
		target "audit of $total images: signet -j $j / skopeo loop (images/s)" "$ratio" ">= 200x" "$met"
	done
} >"$T/table"
cat "$T/table"

if ((smoke)); then
	echo "# smoke run: timings not checked"
	got=$(grep -Ec '^target  audit of .* (met|NOT met)$' "$T/table" || true)
	expect_eq "$got" 2 "audit target lines printed (-j 1, -j 4)"
	expect_match '^skopeo inspect \+ copy --policy +[0-9]+ ' "$T/table"
fi
finish
