#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/integration/openpgp_diff.sh: signet's OpenPGP verification against
# gpg (through gpgme, containers/image's rule) and skopeo, case by case.
#
# The cases: hand-built keys and messages (tests/helpers/pgpcraft.c,
# craft-*) and cases made by gpg itself (openpgp_gpg_cases.sh, gpg-*), in
# the case format both describe.  For each case:
#
#   gpg      $GPG_ORACLE SIGNATURE KEYFILE...: must say what `expect` says
#   signet   `signet standalone-verify` (one key file only) and `signet verify
#            --policy` on a dir: image (signedBy with every key file): must
#            agree; exit 0 allows, 1 and 2 refuse, anything else is a failure
#   skopeo   `skopeo standalone-verify` with the key files imported into a
#            GnuPG home, unless the case has a skopeo-skip, or gpg and signet
#            both refuse (skopeo cannot fail the case then; it is slow)
#
# A case fails when signet allows what gpg refuses (the release blocker),
# when signet allows what skopeo refuses, when signet refuses what gpg
# allows and the case's `tag` is missing or is not a `TAG` row of
# docs/differences.md, and when a tag is stale (signet allows, or gpg
# refuses).  There must be at least MIN_CASES cases.
#
# Environment (tests/meson.build): SIGNET, TESTSERVER, SRCDIR, and
# PGPCRAFT and GPG_ORACLE, the two helpers' executables.
. "$SRCDIR/tests/lib.sh"

MIN_CASES=200

need gpg gpgconf skopeo timeout xargs
for v in PGPCRAFT GPG_ORACLE; do
	[[ -n ${!v-} && -x ${!v} ]] || die "$v must name an executable (tests/meson.build sets it)"
done

CASES=$T/cases
RUN=$T/run
DOC=$SRCDIR/docs/differences.md
mkdir -p "$CASES" "$RUN" "$T/results"
START=$SECONDS

# The crafted cases first; gpg makes its cases (slowly, one after the
# other) in the background while the crafted ones run.
echo "# building the cases"
"$PGPCRAFT" "$CASES" >"$T/pgpcraft.log" 2>&1 || { cat "$T/pgpcraft.log"; die "pgpcraft failed"; }
GPG_HOMES+=("$CASES/.gnupg")
start_bg "$T/gpg-cases.log" bash "$SRCDIR/tests/integration/openpgp_gpg_cases.sh" "$CASES"
GEN_PID=$BG_PID

# exit_verdict RC: allow (0), deny (1: refused, 2: bad input), or crash.
exit_verdict() {
	case $1 in
	0) echo allow ;;
	1 | 2) echo deny ;;
	*) echo "crash($1)" ;;
	esac
}

# run_case DIR: runs one case through gpg, signet and skopeo and writes
# its verdict line to $T/results/ID as "PASS|FAIL<TAB>line".  Runs in a
# child bash (xargs): no lib.sh traps there, every failure is caught here.
run_case() {
	local d=${1%/} id w expect note tag='' skip='' ref fpr rc g sa sp sk=- signet why=''
	local -a keys
	id=${d##*/}
	w=$RUN/$id
	mkdir -p "$w/img"
	expect=$(<"$d/expect")
	note=$(<"$d/note")
	ref=$(<"$d/reference")
	fpr=$(<"$d/fingerprint")
	[[ -f $d/tag ]] && tag=$(<"$d/tag")
	[[ -f $d/skopeo-skip ]] && skip=$(<"$d/skopeo-skip")
	keys=("$d"/keys/*.pgp) # 1.pgp ... 9.pgp: the glob keeps their order
	if [[ "$ref ${keys[*]}" == *[\"\\]* ]]; then
		printf 'FAIL\t%s -- a key path or reference that needs JSON escaping\n' "$id" >"$T/results/$id"
		return
	fi

	# gpg, by containers/image's rule
	rc=0
	timeout 120 "$GPG_ORACLE" "$d/signature" "${keys[@]}" >"$w/gpg.out" 2>"$w/gpg.err" </dev/null || rc=$?
	case $rc in
	0) g=allow ;;
	1) g=deny ;;
	*) g=error ;;
	esac

	# signet, standalone (one key file) and by policy on a dir: image
	sa=-
	if [[ ${#keys[@]} == 1 ]]; then
		rc=0
		timeout 60 "$SIGNET" standalone-verify "$d/manifest.json" "$ref" "${keys[0]}" "$d/signature" \
			>"$w/standalone.out" 2>"$w/standalone.err" </dev/null || rc=$?
		sa=$(exit_verdict "$rc")
	fi
	cp "$d/manifest.json" "$w/img/manifest.json"
	cp "$d/signature" "$w/img/signature-1"
	printf 'Directory Transport Version: 1.1\n' >"$w/img/version"
	# (paths under $T and references of [a-z0-9./:-] need no JSON escaping)
	printf '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPaths":[%s],"signedIdentity":{"type":"exactReference","dockerReference":"%s"}}]}\n' \
		"$(printf '"%s",' "${keys[@]}" | sed 's/,$//')" "$ref" >"$w/policy.json"
	rc=0
	timeout 60 "$SIGNET" verify --policy "$w/policy.json" "dir:$w/img" >"$w/verify.out" 2>"$w/verify.err" \
		</dev/null || rc=$?
	sp=$(exit_verdict "$rc")

	# skopeo, with the key files imported in order
	[[ -n $skip ]] && sk=skip
	if [[ -z $skip && ($g == allow || $sp == allow) ]]; then
		mkdir -m 700 "$w/gnupg"
		gpg --homedir "$w/gnupg" --batch --no-tty --quiet --no-autostart --import "${keys[@]}" \
			>"$w/import.log" 2>&1 </dev/null || true
		rc=0
		GNUPGHOME=$w/gnupg timeout 60 skopeo standalone-verify "$d/manifest.json" "$ref" "$fpr" "$d/signature" \
			>"$w/skopeo.out" 2>"$w/skopeo.err" </dev/null || rc=$?
		if [[ $rc == 0 ]]; then sk=allow; else sk=deny; fi
		if compgen -G "$w/gnupg/S.*" >/dev/null; then
			gpgconf --homedir "$w/gnupg" --kill all >/dev/null 2>&1 || true
		fi
	fi

	# the verdict
	signet=$sp
	if [[ $sp == crash* || $sa == crash* ]]; then
		why="signet crashed or timed out (standalone-verify: $sa, verify: $sp)"
	elif [[ $sa != - && $sa != "$sp" ]]; then
		why="signet standalone-verify says $sa, signet verify --policy says $sp"
	elif [[ $g == error ]]; then
		why="the gpg oracle failed: $(head -c 300 "$w/gpg.err" | tr '\n' ' ')"
	elif [[ $signet == allow && $g == deny ]]; then
		why="SIGNET ALLOWS WHAT GPG REFUSES ($(head -n 1 "$w/gpg.out"))"
	elif [[ $g != "$expect" ]]; then
		why="gpg says $g, the case expects $expect ($(head -n 1 "$w/gpg.out"))"
	elif [[ $signet == allow && $sk == deny ]]; then
		why="signet allows what skopeo refuses ($(tail -n 1 "$w/skopeo.err" | head -c 300))"
	elif [[ $signet == deny && $g == allow && -z $tag ]]; then
		why="signet refuses what gpg allows, and the case has no tag: $(head -n 1 "$w/verify.err" | head -c 300)"
	elif [[ $signet == deny && $g == allow ]] && ! grep -qF -- "\`$tag\`" "$DOC"; then
		why="signet refuses what gpg allows; the tag $tag is not in docs/differences.md"
	elif [[ -n $tag && $signet == allow ]]; then
		why="stale tag $tag: signet allows"
	elif [[ -n $tag && $g == deny ]]; then
		why="tag $tag on a case gpg refuses"
	fi
	if [[ -n $tag && $signet == deny && -z $why ]]; then
		note="$note [$tag]"
	fi
	printf '%s\t%-44s gpg=%-5s skopeo=%-5s signet=%-5s %s%s\n' "$([[ -z $why ]] && echo PASS || echo FAIL)" \
		"$id" "$g" "$sk" "$signet" "$note" "${why:+ -- $why}" >"$T/results/$id"
}
export -f run_case exit_verdict
export T RUN DOC GPG_ORACLE SIGNET

JOBS=$(nproc 2>/dev/null || echo 2)
((JOBS > 4)) && JOBS=4
((JOBS < 2)) && JOBS=2

# run_all PATTERN: runs the cases craft-* or gpg-*, JOBS at a time (a
# case whose runner died has no result, which counts as a failure below).
run_all() {
	find "$CASES" -mindepth 1 -maxdepth 1 -type d -name "$1" -print0 | sort -z |
		xargs -0 -n 1 -P "$JOBS" bash -c 'run_case "$1"' run_case || true
}
echo "# running the crafted cases, $JOBS at a time"
run_all 'craft-*'
rc=0
wait "$GEN_PID" || rc=$?
[[ $rc == 0 ]] || { tail -n 30 "$T/gpg-cases.log"; die "openpgp_gpg_cases.sh failed (exit $rc)"; }
echo "# $(tail -n 1 "$T/gpg-cases.log"), running them"
run_all 'gpg-*'
for d in "$RUN"/*/gnupg; do
	GPG_HOMES+=("$d")
done

n=0 crafted=0 made=0
while IFS= read -r -d '' d; do
	id=${d##*/}
	n=$((n + 1))
	[[ $id == craft-* ]] && crafted=$((crafted + 1)) || made=$((made + 1))
	if [[ ! -f $T/results/$id ]]; then
		echo "FAIL $id -- no result (the case runner died)"
		FAILED=$((FAILED + 1))
		continue
	fi
	IFS=$'\t' read -r verdict line <"$T/results/$id"
	echo "$verdict $line"
	if [[ $verdict == PASS ]]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
done < <(find "$CASES" -mindepth 1 -maxdepth 1 -type d \( -name 'craft-*' -o -name 'gpg-*' \) -print0 | sort -z)

echo "# $n cases ($crafted crafted, $made made by gpg) in $((SECONDS - START)) s"
if ((n < MIN_CASES)); then
	fail "only $n cases; the suite needs at least $MIN_CASES"
fi
echo "# tags of the cases signet refuses and gpg allows: $(cat "$CASES"/*/tag 2>/dev/null | sort -u | tr '\n' ' ')"
finish
