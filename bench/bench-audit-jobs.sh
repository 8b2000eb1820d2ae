#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# bench-audit-jobs.sh [--smoke] [-n IMAGES] [-r REPOSITORIES] [-k RUNS]
#                     [-d "DELAY-MS..."] [-j "JOBS..."]: when does
# `signet audit -j N` help?
#
#   A docker-registry (http, loopback) holds IMAGES images (default 35) in
#   REPOSITORIES repositories (default 5), each its own manifest with its own
#   simple signing signature by key A in a file:// lookaside.  signet reaches
#   the registry directly over loopback (the delay "direct") and through
#   signet-latency-proxy (bench/latency_proxy.c), which adds DELAY-MS to
#   every request's round trip (default delays: direct, 0, 5, 20 and 50 ms;
#   0 is loopback with the relay's own cost).  For each delay, `signet
#   audit --json` runs with each -j (default 1 2 4 8), RUNS times (default
#   5); the median wall time is printed with images per second and the
#   speed-up over -j 1.  The lookaside stays a local directory, so only the
#   registry's requests (catalog, tag lists, manifests) pay the delay.
#
#   The machine's core count and load average are printed with the table:
#   on a loaded machine the loopback figures say more about the scheduler
#   than about signet.
#
# --smoke: checks that it runs and that every audit allowed every image;
# never looks at timings.  Environment: SIGNET, TESTSERVER (not used; lib.sh
# wants one), LATENCY_PROXY (signet-latency-proxy), SRCDIR.
set -euo pipefail

smoke=0
n=35
nrepos=5
runs=5
delays="direct 0 5 20 50"
jobs="1 2 4 8"
while [[ $# -gt 0 ]]; do
	case $1 in
	--smoke) smoke=1 ;;
	-n) n=${2:?-n takes a count}; shift ;;
	-r) nrepos=${2:?-r takes a count}; shift ;;
	-k) runs=${2:?-k takes a count}; shift ;;
	-d) delays=${2:?-d takes delays in ms}; shift ;;
	-j) jobs=${2:?-j takes job counts}; shift ;;
	*) echo "usage: bench-audit-jobs.sh [--smoke] [-n IMAGES] [-r REPOSITORIES] [-k RUNS] [-d \"MS...\"] [-j \"N...\"]" >&2
	   exit 2 ;;
	esac
	shift
done
for x in "$n" "$nrepos" "$runs" $jobs; do
	[[ $x =~ ^[1-9][0-9]*$ ]] || { echo "bench-audit-jobs.sh: counts must be positive, not \"$x\"" >&2; exit 2; }
done
for x in $delays; do
	[[ $x =~ ^([0-9]+|direct)$ ]] || { echo "bench-audit-jobs.sh: delays are milliseconds or direct, not \"$x\"" >&2; exit 2; }
done
((nrepos <= n)) || nrepos=$n

export SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
export TESTSERVER=${TESTSERVER:-$(type -P true)}
. "$SRCDIR/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum awk sort
[[ -x ${LATENCY_PROXY:-} ]] || die "LATENCY_PROXY must name the signet-latency-proxy binary"

make_gpg_keys
make_images
start_registry http
PROXY_PORT=$(free_port)
PROXY="127.0.0.1:$PROXY_PORT"
# Signatures claim the name signet audits the image by: one lookaside for
# the registry's own address, one for the proxy's.
LA="$T/lookaside"
mkdir -p "$T/regd"
printf '%s\n' "docker:" "  $REG:" "    lookaside: file://$LA/direct" "  $PROXY:" "    lookaside: file://$LA/proxy" \
	>"$T/regd/x.yaml"
cat >"$T/policy.json" <<EOF
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$PROXY": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/A.asc"}],
                           "$REG": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$KEYS/A.asc"}]}}}
EOF

# ---- the registry: n images, each its own manifest and signature ------------

echo "# filling $REG with $n images in $nrepos repositories"
D1=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v1") | .digest' \
	"$IMAGES/index.json")
BASE=$(cat "$IMAGES/blobs/sha256/${D1#sha256:}")
[[ ${BASE: -1} == "}" && $BASE != *'"annotations"'* ]] || die "unexpected fixture manifest v1: $BASE"
BLOBS=$(jq -r '.config.digest, .layers[].digest' <<<"$BASE")
for ((r = 0; r < nrepos; r++)); do
	printf -v repo 'jobs/r%02d' "$r"
	for b in $BLOBS; do
		reg_put_blob "$repo" "$IMAGES/blobs/sha256/${b#sha256:}" >/dev/null
	done
	per=$((n / nrepos + (r < n % nrepos ? 1 : 0)))
	for ((i = 0; i < per; i++)); do
		printf -v tag 'i%04d' "$i"
		printf '%s,"annotations":{"bench.signet.test/n":"%s/%s"}}' "${BASE%\}}" "$repo" "$tag" >"$T/m.json"
		d=$(sha256_of "$T/m.json")
		reg_put_manifest "$repo" "$tag" "$T/m.json"
		for via in direct proxy; do
			dir=$(lookaside_dir "$LA/$via" "$repo" "$d")
			mkdir -p "$dir"
			host=$PROXY
			[[ $via == direct ]] && host=$REG
			gpg_simple_sign "$dir/signature-1" "$FPR_A" "$host/$repo:$tag" "$d"
		done
	done
done

# ---- the runs ----------------------------------------------------------------------

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A MED
for delay in $delays; do
	src=$PROXY proxy_pid=
	if [[ $delay == direct ]]; then
		src=$REG
	else
		start_bg "$T/proxy.$delay.log" "$LATENCY_PROXY" "$PROXY_PORT" "${REG##*:}" "$delay"
		proxy_pid=$BG_PID
		wait_for "signet-latency-proxy" "$proxy_pid" "$T/proxy.$delay.log" grep -qx ready "$T/proxy.$delay.log"
	fi
	for j in $jobs; do
		: >"$T/times"
		for ((k = 0; k < runs; k++)); do
			t0=$(now)
			rc=0
			"$SIGNET" audit --json --policy "$T/policy.json" --registries.d "$T/regd" --tls-verify=false \
				-j "$j" "docker://$src" >"$T/audit.jsonl" 2>"$T/audit.err" || rc=$?
			t1=$(now)
			got=$(jq -c 'select(.type == "summary") | [.images, .allowed, .denied, .errors]' "$T/audit.jsonl")
			if [[ $rc != 0 || $got != "[$n,$n,0,0]" ]]; then
				sed -n '1,20s/^/  | /p' "$T/audit.err"
				die "signet audit -j $j, $delay: exit $rc, summary '$got', expected 0 and [$n,$n,0,0]"
			fi
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$T/times"
		done
		MED[$delay,$j]=$(median <"$T/times")
		pass "signet audit -j $j, $delay: every image allowed ($runs runs)"
	done
	[[ -z $proxy_pid ]] || stop_pid "$proxy_pid"
done

# ---- the table ------------------------------------------------------------------------

{
	echo
	echo "signet audit --json of $n images in $nrepos repositories, over loopback (direct) or through"
	echo "signet-latency-proxy adding the delay to each request's round trip,"
	echo "median of $runs runs; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-10s %6s %10s %10s %10s\n' "delay" "-j" "seconds" "images/s" "vs -j 1"
	for delay in $delays; do
		first=${jobs%% *}
		for j in $jobs; do
			printf '%-10s %6s %10s %10s %10s\n' "$delay$([[ $delay == direct ]] || echo ' ms')" "$j" "${MED[$delay,$j]}" \
				"$(awk -v n="$n" -v s="${MED[$delay,$j]}" 'BEGIN { if (s > 0) printf "%.1f", n / s; else print "inf" }')" \
				"$(awk -v a="${MED[$delay,$first]}" -v b="${MED[$delay,$j]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')"
		done
	done
} >"$T/table"
cat "$T/table"

if ((smoke)); then
	echo "# smoke run: timings not checked"
	expect_eq "$(grep -cE '^([0-9]+ ms|direct) +[0-9]+ +[0-9.]+ ' "$T/table")" \
		"$(($(wc -w <<<"$delays") * $(wc -w <<<"$jobs")))" "table lines (one per delay and -j)"
fi
finish
