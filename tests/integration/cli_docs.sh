# SPDX-License-Identifier: Apache-2.0
# tests/integration/cli_docs.sh: every command has its --help and its man
# page, and the two agree (SPEC §5).
#
# For every command `signet --help` lists (so a verify-only build checks
# only the commands it has):
#   - `signet CMD --help` exits 0 and prints a Usage line, and so does
#     `signet CMD SUB --help` for each SUB its Usage lines name (policy lint,
#     audit merge, contract images, key generate, ...);
#   - docs/man/signet-CMD.1 exists, is that command's page (.TH, NAME), and
#     groff renders it without a warning (-ww);
#   - every long option the help texts show appears in the rendered page.
# docs/man/signet.1 must list every command and every option of
# `signet --help`.  No registry is needed.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need groff

MAN="$SRCDIR/docs/man"

# render PAGE OUT: the page as plain text, one paragraph per line (no
# wrapping, no hyphenation, no overstriking), so that an option is never
# split.  Warnings go to OUT.err.
render() {
	groff -man -Tascii -rLL=2000n -rHY=0 -P-cbou -ww "$1" >"$2" 2>"$2.err"
}

# check_page PAGE WHO HELP...: PAGE exists, renders without warnings and
# shows every long option of the HELP files (the help of WHO).
check_page() {
	local page=$1 who=$2 name text opt re missing=()
	shift 2
	name=${page##*/}
	if [[ ! -f $page ]]; then
		fail "docs/man/$name is missing: '$who --help' has no man page"
		return
	fi
	text="$T/$name.txt"
	if ! render "$page" "$text"; then
		fail "groff cannot render docs/man/$name"
		sed -n '1,20s/^/  | /p' "$text.err"
		return
	fi
	if [[ -s $text.err ]]; then
		fail "groff -ww warns about docs/man/$name:"
		sed -n '1,20s/^/  | /p' "$text.err"
	else
		pass "docs/man/$name renders without warnings"
	fi
	# Long options as the help shows them: --name, --name=VALUE, --name.d;
	# a trailing dot or dash is punctuation, not part of the name.
	while read -r opt; do
		re=${opt//./\\.}
		grep -Eq -- "(^|[^A-Za-z0-9-])$re([^A-Za-z0-9-]|\$)" "$text" || missing+=("$opt")
	done < <(cat "$@" | grep -oE -- '--[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]' | sort -u)
	if [[ ${#missing[@]} -gt 0 ]]; then
		fail "docs/man/$name does not document ${missing[*]}, which '$who --help' shows"
	else
		pass "docs/man/$name documents every long option of '$who --help'"
	fi
}

# help OUT WHO ARGS...: `signet ARGS... --help` exits 0 and prints, on
# standard output (saved in OUT), a Usage paragraph naming "signet ARGS...":
# "Usage: signet CMD" starts it, and a subcommand (policy export) may be on
# one of its lines, as the commands that share one help text print it.
help() {
	local out=$1 who=$2 rc=0 usage
	shift 2
	"$SIGNET" "$@" --help >"$out" 2>"$out.err" </dev/null || rc=$?
	if [[ $rc != 0 ]]; then
		fail "'$who --help' exits $rc, not 0"
		_show "$out" "$out.err"
		return 1
	fi
	usage=$(sed -n '/^Usage: /,/^$/p' "$out")
	if ! grep -Eq "^Usage: signet${1:+ $1}( |\$)" <<<"$usage" || ! grep -Eq "^(Usage:)? *$who( |\$)" <<<"$usage"; then
		fail "'$who --help' prints no Usage paragraph naming '$who'"
		_show "$out" "$out.err"
		return 1
	fi
	pass "'$who --help' exits 0 with a Usage line"
}

# ---- signet --help and signet(1) -----------------------------------------

help "$T/help" signet || die "no usable 'signet --help'"
# The command list: the indented lines of the "Commands:" paragraph.
mapfile -t CMDS < <(sed -n '/^Commands:/,/^$/{s/^  \([a-z][a-z-]*\)  .*/\1/p}' "$T/help")
if [[ ${#CMDS[@]} -lt 7 ]]; then
	fail "'signet --help' lists ${#CMDS[@]} commands (${CMDS[*]}); expected at least the 7 of a verify-only build"
	sed -n '1,40s/^/  | /p' "$T/help"
else
	pass "'signet --help' lists ${#CMDS[@]} commands: ${CMDS[*]}"
fi
for want in inspect verify audit gate standalone-verify policy contract; do
	[[ " ${CMDS[*]} " == *" $want "* ]] || fail "'signet --help' does not list the command '$want'"
done

check_page "$MAN/signet.1" signet "$T/help"
if [[ -f $MAN/signet.1 ]]; then
	missing=()
	for cmd in "${CMDS[@]}"; do
		# Listed under COMMANDS (the name starts its tag line) and
		# referred to in SEE ALSO.
		grep -Eq "^       $cmd( |\$)" "$T/signet.1.txt" && grep -q "signet-$cmd(1)" "$T/signet.1.txt" ||
			missing+=("$cmd")
	done
	if [[ ${#missing[@]} -gt 0 ]]; then
		fail "docs/man/signet.1 does not list (under COMMANDS and in SEE ALSO) the commands ${missing[*]}"
	else
		pass "docs/man/signet.1 lists every command and refers to its page"
	fi
	for section in 'EXIT STATUS' FILES 'SEE ALSO'; do
		expect_match "^$section\$" "$T/signet.1.txt"
	done
	for f in /etc/containers/policy.json /etc/containers/registries.d; do
		grep -qF "$f" "$T/signet.1.txt" && pass "signet(1) names $f" || fail "signet(1) does not name $f under FILES"
	done
fi

# ---- each command --------------------------------------------------------

for cmd in "${CMDS[@]}"; do
	helps=("$T/help.$cmd")
	help "$T/help.$cmd" "signet $cmd" "$cmd" || continue
	# Subcommands: the word after "signet CMD" on the Usage lines, when it
	# is a lowercase word (not an option, [OPTIONS] or an argument).
	mapfile -t subs < <(sed -n "s/^\\(Usage:\\)\\{0,1\\} *signet $cmd \\([a-z][a-z-]*\\)\\( .*\\)\\{0,1\\}\$/\\2/p" \
		"$T/help.$cmd" | sort -u)
	for sub in "${subs[@]}"; do
		help "$T/help.$cmd.$sub" "signet $cmd $sub" "$cmd" "$sub" && helps+=("$T/help.$cmd.$sub")
	done
	page="$MAN/signet-$cmd.1"
	check_page "$page" "signet $cmd" "${helps[@]}"
	[[ -f $page ]] || continue
	upper=$(tr a-z A-Z <<<"signet-$cmd")
	if grep -q "^\\.TH $upper 1 " "$page" && grep -q "^signet-$cmd \\\\- " "$page"; then
		pass "docs/man/signet-$cmd.1 is the page of signet $cmd (.TH $upper 1, NAME signet-$cmd)"
	else
		fail "docs/man/signet-$cmd.1 does not start '.TH $upper 1' with NAME 'signet-$cmd \\- ...'"
	fi
	grep -q '^\.SH EXIT STATUS' "$page" && pass "signet-$cmd(1) has EXIT STATUS" ||
		fail "docs/man/signet-$cmd.1 has no EXIT STATUS section"
done

finish
