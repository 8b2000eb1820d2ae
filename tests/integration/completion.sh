# SPDX-License-Identifier: Apache-2.0
# tests/integration/completion.sh: cli/completion/signet.bash, sourced into
# bash and called as bash calls it (COMP_WORDS, COMP_CWORD, COMP_LINE,
# COMP_POINT, COMP_WORDBREAKS).  Each command's long options are exactly
# those its --help lists, so the two cannot drift; meson installs the
# script where bash-completion looks for it.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need jq meson
: "${BUILDDIR:?BUILDDIR must name the meson build directory}"

SCRIPT="$SRCDIR/cli/completion/signet.bash"
# shellcheck source=cli/completion/signet.bash
. "$SCRIPT"
DEFAULT_BREAKS=$' \t\n"\'><=;|&(:'

# call_signet: _signet, without lib.sh's ERR trap in its process
# substitutions (compgen finding nothing fails there, as it may).
call_signet() {
	set +E
	_signet
	set -E
}

# comp LINE: completes LINE (the cursor at its end) as bash would, into
# $T/comp (one reply a line, sorted).  COMP_WORDS is split as bash splits
# it, at COMP_WORDBREAKS too ("dir:x" is dir, :, x).
comp() {
	local line=$1 w
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDBREAKS=$DEFAULT_BREAKS
	COMP_WORDS=()
	w=
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		case $c in
		' ') [[ -n $w ]] && COMP_WORDS+=("$w"); w= ;;
		: | =) [[ -n $w ]] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w= ;;
		*) w+=$c ;;
		esac
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	call_signet
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort >"$T/comp"
}

# expect_comp LINE REPLY...: the replies to LINE are exactly REPLY...
expect_comp() {
	local line=$1 want
	shift
	comp "$line"
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	expect_eq "$(cat "$T/comp")" "$want" "completion of '$line'"
}

echo "# bash knows the function"
expect_eq "$(complete -p signet)" "complete -F _signet signet" "complete -p signet"

echo "# commands: those signet help lists, plus help and version"
"$SIGNET" help | sed -n '/^Commands:$/,/^$/s/^  \([a-z-]*\) .*/\1/p' | sort >"$T/listed"
[[ -s $T/listed ]] || die "signet help lists no command"
comp "signet "
grep -v -e '^help$' -e '^version$' -e '^--help$' -e '^--version$' "$T/comp" >"$T/offered"
if ! grep -qx sign "$T/listed"; then
	# a build without the signer: its commands are offered all the same
	grep -v -x -e sign -e standalone-sign -e key "$T/offered" >"$T/offered.v" && mv "$T/offered.v" "$T/offered"
fi
expect_eq "$(cat "$T/offered")" "$(cat "$T/listed")" "the commands offered"
expect_comp "signet ve" verify version
expect_comp "signet help st" standalone-verify standalone-sign
expect_comp "signet policy " lint explain export --help
expect_comp "signet contract " images seal verify --help
expect_comp "signet attestation " verify --help
expect_comp "signet key " generate --help
expect_comp "signet audit m" merge

echo "# each command's long options are those its --help lists"
# help_opts CMD...: the long options of `signet CMD... --help`: the first
# on each option line, and every one in the Usage lines; and --help.
help_opts() {
	"$SIGNET" "$@" --help >"$T/help" || die "signet $* --help failed"
	{
		sed -nE 's/^ {2,4}(-[a-zA-Z], )?(--[a-z][a-z0-9.-]*).*/\2/p' "$T/help"
		sed -nE '/^(Usage:|       signet )/p' "$T/help" | grep -oE -- '--[a-z][a-z0-9.-]*' || true
		echo --help
	} | sort -u
}
while read -r cmd sub; do
	grep -qx "$cmd" "$T/listed" || continue
	# shellcheck disable=SC2086 # sub is empty or one word
	help_opts "$cmd" $sub >"$T/want"
	comp "signet $cmd ${sub:+$sub }--"
	sort -u "$T/comp" >"$T/got"
	if diff "$T/want" "$T/got" >"$T/diff"; then
		pass "signet $cmd${sub:+ $sub}: the $(wc -l <"$T/got") long options of --help"
	else
		fail "signet $cmd${sub:+ $sub}: completion and --help differ (< --help only, > completion only)"
		sed 's/^/  | /' "$T/diff"
	fi
done <<'EOF'
inspect
verify
audit
gate
standalone-verify
policy export
contract images
contract seal
contract verify
attestation verify
sign
standalone-sign
key generate
EOF
expect_comp "signet verify --po" --policy
expect_comp "signet verify --pl" --platform
expect_comp "signet policy lint --for" --force --format

echo "# option values: files, directories, words"
mkdir -p "$T/w/layouts/app" "$T/w/certs.d"
touch "$T/w/policy.json" "$T/w/pod.yaml"
cd "$T/w" || die "cannot enter $T/w"
expect_comp "signet verify --policy po" policy.json pod.yaml
expect_comp "signet verify --policy=po" policy.json pod.yaml
expect_comp "signet verify --cert-dir c" certs.d
expect_comp "signet inspect --tls-verify=" true false
expect_comp "signet inspect --tls-verify=f" false
expect_comp "signet sign --store a" auto attach
expect_comp "signet policy export --format " containers
expect_comp "signet gate -o p" policy.json pod.yaml
expect_comp "signet gate --creds " ""
expect_comp "signet gate p" policy.json pod.yaml
expect_comp "signet standalone-verify p" policy.json pod.yaml

echo "# IMAGE: transports, then the layout's path"
expect_comp "signet verify " docker:// dir: oci:
expect_comp "signet inspect d" docker:// dir:
expect_comp "signet verify --policy policy.json o" oci:
expect_comp "signet audit " merge render docker:// dir: oci:
# bash replaces what follows the last ':' (COMP_WORDBREAKS): the replies
# are that part.
expect_comp "signet verify dir:lay" layouts
expect_comp "signet inspect oci:layouts/a" layouts/app
expect_comp "signet policy explain dir:l" layouts
expect_comp "signet sign --key policy.json dir:l" layouts
expect_comp "signet audit dir:l" layouts
expect_comp "signet verify docker://" ""
# Without ':' in COMP_WORDBREAKS the whole word is replaced.
comp "signet verify dir:lay"
COMP_WORDBREAKS=$' \t\n'
COMP_WORDS=(signet verify dir:lay)
COMP_CWORD=2
call_signet
expect_eq "${COMPREPLY[*]}" "dir:layouts" "completion of 'signet verify dir:lay' without ':' breaks"
# COMP_WORDS alone (no COMP_LINE), as the brief's callers may set it.
unset COMP_LINE COMP_POINT
COMP_WORDS=(signet policy "")
COMP_CWORD=2
call_signet
expect_eq "${COMPREPLY[*]}" "lint explain export --help" "COMP_WORDS only: signet policy"
cd "$T" || die "cannot enter $T"

echo "# meson installs it as bash-completion's signet"
meson introspect "$BUILDDIR" --installed >"$T/installed.json" || die "meson introspect failed"
expect_eq "$(jq -r --arg s "$SCRIPT" '.[$s] // "not installed"' "$T/installed.json" | grep -oE '/share/bash-completion/completions/signet$')" \
	"/share/bash-completion/completions/signet" "install path of cli/completion/signet.bash"

finish
