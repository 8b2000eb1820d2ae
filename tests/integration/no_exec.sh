# SPDX-License-Identifier: Apache-2.0
# tests/integration/no_exec.sh: verification starts no process.  Under
# strace, `signet standalone-verify`, `verify`, `gate` and `audit` make one
# execve (their own) and no fork, allowing and denying alike: no gpg, no
# gpgconf, no helper of any kind.  Then the verify-only build
# (-Dsigner=disabled) links no gpgme (checked by .ci/run, which builds it).
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg strace

make_gpg_keys
start_registry http
push_image v1 test/noexec:v1
REF="$REG/test/noexec:v1"
LA="$T/lookaside"
expect_exit 0 -- "$SIGNET" sign --tls-verify=false --lookaside "file://$LA" --gpg-key "$FPR_A" "docker://$REF"
skopeo_raw test/noexec:v1 >"$T/m.json"
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m.json" "$REF" --gpg-key "$FPR_A" -o "$T/a.sig"

# traced CODE ARGS...: runs signet ARGS under strace (following forks);
# the exit code must be CODE and the trace must hold exactly one execve
# and no new process (threads, e.g. audit -j workers, are not processes:
# a clone with CLONE_THREAD is allowed).
traced() {
	local code=$1
	shift
	expect_exit "$code" -- strace -f -qq -e trace=execve,fork,vfork,clone,clone3 -o "$T/strace" "$SIGNET" "$@"
	expect_eq "$(grep -c 'execve(' "$T/strace")" 1 "execve calls of signet $1"
	expect_eq "$(awk '/(^| )(v?fork|clone3?)\(/ && !/CLONE_THREAD/' "$T/strace" | wc -l)" 0 \
		"processes started by signet $1"
}

echo "# standalone-verify: allowed, then denied (another key)"
traced 0 standalone-verify "$T/m.json" "$REF" "$KEYS/A.asc" "$T/a.sig"
traced 1 standalone-verify "$T/m.json" "$REF" "$KEYS/B.asc" "$T/a.sig"

echo "# verify against the registry and its lookaside"
traced 0 verify --tls-verify=false --lookaside "file://$LA" --key "$KEYS/A.asc" "docker://$REF"
traced 1 verify --tls-verify=false --lookaside "file://$LA" --key "$KEYS/B.asc" "docker://$REF"

echo "# gate a compose file"
printf 'services:\n  app:\n    image: %s\n' "$REF" >"$T/compose.yml"
traced 0 gate --tls-verify=false --lookaside "file://$LA" --key "$KEYS/A.asc" -o "$T/out.yml" "$T/compose.yml"
expect_match "image: $REF@sha256:" "$T/out.yml"

echo "# audit the registry"
traced 0 audit --tls-verify=false --lookaside "file://$LA" --key "$KEYS/A.asc" "docker://$REG"
expect_match '^Images: 1 \(1 allowed, 0 denied, 0 errors\)' "$OUT"
finish
