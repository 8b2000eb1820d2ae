# SPDX-License-Identifier: Apache-2.0
# tests/integration/contract.sh: the HPCR contract as a policy source
# (SPEC §4.2), end to end with `signet verify --contract` against a real
# docker-registry.
#
# Images are signed with `signet sign --gpg-key` into a file:// lookaside
# that a registries.d names; the contracts pin keys with the output of
# `signet contract images`, wrapped in workload:/env: sections (as a
# mapping, as a block-literal string, and encrypted with IBM's documented
# openssl steps by fixtures/make-contracts.sh).  Broken contracts fail with
# exit 2 and a message naming the contract path; workload.auths carries the
# credentials of an htpasswd registry and never shows its password.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum base64 openssl htpasswd tar gzip

make_gpg_keys
start_registry http
LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
C="$T/contracts"
mkdir -p "$C"

# repository app/web is pinned to A in the contracts:
#   app/web:good      v1     signed by A
#   app/web:wrong     v2     signed by B
#   app/web:unsigned  amd64  no signature
# other/app:v1        arm64  signed by A; no key pinned for other/app
push_image v1 app/web:good
push_image v2 app/web:wrong
push_image amd64 app/web:unsigned
push_image arm64 other/app:v1

# sign IMAGE FPR: `signet sign` of docker://$REG/IMAGE into the lookaside.
sign() {
	"$SIGNET" sign -q --gpg-key "$2" --registries.d "$RD" --tls-verify=false "docker://$REG/$1" \
		>"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign of $1 by $2 failed"; }
}
sign app/web:good "$FPR_A"
sign app/web:wrong "$FPR_B"
sign other/app:v1 "$FPR_A"

digest_of() {
	skopeo_raw "$1" >"$T/raw.json" || die "skopeo cannot read $1"
	sha256_of "$T/raw.json"
}
D_GOOD=$(digest_of app/web:good)
D_UNSIGNED=$(digest_of app/web:unsigned)
D_WRONG=$(digest_of app/web:wrong)
D_OTHER=$(digest_of other/app:v1)

# images_section FILE --rhs REPO=KEY...: `signet contract images` into FILE.
images_section() {
	local out=$1
	shift
	"$SIGNET" contract images "$@" >"$out" 2>"$out.err" ||
		{ cat "$out.err"; die "signet contract images $* failed"; }
}

# contract FILE IMAGES-FILE [WORKLOAD-EXTRA-FILE]: a contract whose workload
# is a mapping holding IMAGES-FILE (and WORKLOAD-EXTRA-FILE), indented.
contract() {
	{
		echo "workload:"
		echo "  type: workload"
		echo "  compose:"
		echo "    archive: H4sIAAAAAAAA/wAAAP//AQAA//8AAAAAAAAAAA=="
		[[ -z ${3-} ]] || sed 's/^/  /' "$3"
		sed 's/^/  /' "$2"
		echo "env:"
		echo "  type: env"
		echo "  logging:"
		echo "    logDNA:"
		echo "      hostname: syslog.example.com"
	} >"$1"
}

# rhs_contract FILE REPO PUBLICKEY-BASE64: a contract with one hand-written rhs entry.
rhs_contract() {
	printf '%s\n' "workload:" "  type: workload" "  images:" "    rhs:" "      \"$2\":" \
		"        publicKey: $3" "env:" "  type: env" >"$1"
}

# verify CODE CONTRACT IMAGE [ARGS...]: signet verify --contract.
verify() {
	local code=$1 contract=$2 image=$3
	shift 3
	expect_exit "$code" -- "$SIGNET" verify --contract "$contract" --registries.d "$RD" --tls-verify=false \
		"$@" "docker://$REG/$image"
}

# denied PATTERN: the last command was denied, stdout empty, stderr says why.
denied() {
	expect_match "^signet: .*denied" "$ERR"
	expect_match "$1" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout when denied"
}

reg_re() { echo "${REG//./\\.}"; }

echo "# a contract pinning A to $REG/app/web (signet contract images, wrapped)"
images_section "$C/images-A.yaml" --rhs "$REG/app/web=$KEYS/A.asc"
contract "$C/a.yaml" "$C/images-A.yaml"
verify 0 "$C/a.yaml" app/web:good
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_GOOD" "line 1: the pinned reference (skopeo's digest)"
expect_match "^Signed by: $FPR_A( |$)" "$OUT"
expect_eq "$(sed -n 3p "$OUT")" "Identity: $REG/app/web:good" "line 3"
verify 0 "$C/a.yaml" app/web:good --json
expect_eq "$(jq -c '[.Allowed, .Pinned, .Digest, .Signer]' "$OUT")" \
	"$(jq -nc --arg p "$REG/app/web@$D_GOOD" --arg d "$D_GOOD" --arg a "$FPR_A" '[true, $p, $d, $a]')" \
	"--json fields"

echo "# denials"
verify 1 "$C/a.yaml" app/web:wrong
denied "signature-1: .*$FPR_B"
expect_match "signature-1: .*(not (signed by )?(one of the )?(a )?pinned|pinned)" "$ERR"
expect_match "workload\.images\.rhs\.\"$(reg_re)/app/web\"" "$ERR"
verify 1 "$C/a.yaml" app/web:unsigned
denied 'no signatures'
# a tag in a repository the contract pins nothing for, though it is signed
verify 1 "$C/a.yaml" other/app:v1
denied 'no key is pinned for this repository in the contract'
expect_match "^signet: $(reg_re)/other/app:v1: " "$ERR"

echo "# images named by digest: unsigned only when the contract's own workload names them (issue 12)"
# a.yaml's workload runs nothing (an empty archive): it vouches for no
# digest, so a digest needs what a tag needs, unless --allow-digest-pinned
verify 1 "$C/a.yaml" "app/web@$D_UNSIGNED"
denied "^signet: $(reg_re)/app/web@$D_UNSIGNED: denied: nothing vouches for its digest \(the contract's own workload does not name it"
expect_match '\(--allow-digest-pinned accepts images named by digest unsigned\)' "$ERR"
expect_match 'no signatures' "$ERR"
verify 0 "$C/a.yaml" "app/web@$D_UNSIGNED" --allow-digest-pinned
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_UNSIGNED" "--allow-digest-pinned: line 1"
expect_eq "$(sed -n 2p "$OUT")" "Signed by: nobody (the policy requires no signature for this image)" \
	"--allow-digest-pinned: line 2"
verify 1 "$C/a.yaml" "app/web@$D_UNSIGNED" --strict
denied 'no signatures'
expect_no_match 'nothing vouches' "$ERR"
verify 2 "$C/a.yaml" "app/web@$D_UNSIGNED" --strict --allow-digest-pinned
expect_match '^signet: --strict and --allow-digest-pinned contradict each other' "$ERR"
# a signed digest reference is allowed by its signature, with or without --strict
verify 0 "$C/a.yaml" "app/web@$D_GOOD"
expect_match "^Signed by: $FPR_A( |$)" "$OUT"
verify 0 "$C/a.yaml" "app/web@$D_GOOD" --strict
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_GOOD" "--strict, signed digest reference: line 1"
expect_match "^Signed by: $FPR_A( |$)" "$OUT"
# a digest in a repository the contract does not name
verify 1 "$C/a.yaml" "other/app@$D_OTHER"
denied 'nothing vouches for its digest.*no key is pinned for this repository in the contract'
verify 0 "$C/a.yaml" "other/app@$D_OTHER" --allow-digest-pinned
verify 1 "$C/a.yaml" "other/app@$D_OTHER" --strict
denied 'no key is pinned for this repository in the contract'

# runs_contract FILE STYLE: a contract pinning A to app/web whose workload
# runs app/web and other/app by digest (compose.archive), as a mapping
# (STYLE map) or a block literal (STYLE literal).
mkdir -p "$T/runs"
printf '%s\n' "services:" "  web:" "    image: $REG/app/web@$D_UNSIGNED" "  other:" \
	"    image: \"$REG/other/app@$D_OTHER\"" >"$T/runs/docker-compose.yml"
RUNS_ARCHIVE=$(tar -czf - -C "$T/runs" docker-compose.yml | base64 -w0)
{ echo "type: workload"; echo "compose:"; echo "  archive: $RUNS_ARCHIVE"; cat "$C/images-A.yaml"; } \
	>"$T/runs-workload.yaml"
runs_contract() {
	{
		if [[ $2 == map ]]; then echo "workload:"; else echo "workload: |"; fi
		sed 's/^/  /' "$T/runs-workload.yaml"
		echo "env:"
		echo "  type: env"
	} >"$1"
}
for style in map literal; do
	runs_contract "$C/runs-$style.yaml" "$style"
	verify 0 "$C/runs-$style.yaml" "app/web@$D_UNSIGNED"
	expect_eq "$(sed -n 2p "$OUT")" "Signed by: nobody (the policy requires no signature for this image)" \
		"named by the contract's workload ($style): line 2"
	verify 0 "$C/runs-$style.yaml" "other/app@$D_OTHER"
	# the tag is not the digest: the contract vouches for digests only
	verify 1 "$C/runs-$style.yaml" app/web:unsigned
	denied 'no signatures'
	# another digest of the same repository is not vouched for
	verify 1 "$C/runs-$style.yaml" "app/web@$D_WRONG"
	denied "nothing vouches for its digest.*signature-1: .*$FPR_B"
	verify 1 "$C/runs-$style.yaml" "app/web@$D_UNSIGNED" --strict
	denied 'no signatures'
done
expect_exit 1 -- "$SIGNET" policy explain --contract "$C/a.yaml" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/app/web@$D_UNSIGNED"
expect_match "^Digest: nothing vouches for it: the contract's own workload does not name $(reg_re)/app/web@$D_UNSIGNED \(.*its workload section" "$OUT"
expect_exit 0 -- "$SIGNET" policy explain --contract "$C/runs-map.yaml" --registries.d "$RD" --tls-verify=false \
	"docker://$REG/app/web@$D_UNSIGNED"
expect_match "^Requirements: none: the contract's own workload names this digest" "$OUT"

echo "# broken publicKey values: exit 2, naming the contract path"
# check_bad NAME REASON-REGEX: the last command failed with exit 2 for
# workload.images.rhs."$REG/app/web".publicKey in $C/NAME.yaml.
check_bad() {
	expect_match "^signet: contract $C/$1\.yaml: .*workload\.images\.rhs\.\"$(reg_re)/app/web\"\.publicKey: " "$ERR"
	expect_match "$2" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes with $1.yaml"
}
rhs_contract "$C/not-base64.yaml" "$REG/app/web" 'this is not base64!'
verify 2 "$C/not-base64.yaml" app/web:good
check_bad not-base64 'not base64'
rhs_contract "$C/secret-key.yaml" "$REG/app/web" "$(base64 -w0 <"$KEYS/A.secret.asc")"
verify 2 "$C/secret-key.yaml" app/web:good
check_bad secret-key 'secret key'
cat "$KEYS/A.asc" >"$T/garbage.asc"
echo "and then some garbage" >>"$T/garbage.asc"
rhs_contract "$C/garbage.yaml" "$REG/app/web" "$(base64 -w0 <"$T/garbage.asc")"
verify 2 "$C/garbage.yaml" app/web:good
check_bad garbage 'data after the end of the key block'
rhs_contract "$C/binary-key.yaml" "$REG/app/web" "$(base64 -w0 <"$KEYS/A.gpg")"
verify 2 "$C/binary-key.yaml" app/web:good
check_bad binary-key 'ASCII-armored'
# the same problems are found by policy lint, before any image is pulled
expect_exit 2 -- "$SIGNET" policy lint --contract "$C/secret-key.yaml"
check_bad secret-key 'secret key'

echo "# duplicate YAML keys: exit 2, naming the line"
printf '%s\n' "workload:" "  type: workload" "  images:" "    rhs:" "      \"$REG/app/web\":" \
	"        publicKey: $(base64 -w0 <"$KEYS/A.asc")" "  images:" "    rhs: {}" "env:" "  type: env" \
	>"$C/dup-images.yaml"
dup_line=7
verify 2 "$C/dup-images.yaml" app/web:good
expect_match "^signet: contract $C/dup-images\.yaml: line $dup_line: duplicate key \"images\" \(first at line 3\)" "$ERR"
printf '%s\n' "workload:" "  type: workload" "env:" "  type: env" "workload:" "  type: workload" \
	>"$C/dup-workload.yaml"
verify 2 "$C/dup-workload.yaml" app/web:good
expect_match "^signet: contract $C/dup-workload\.yaml: line 5: duplicate key \"workload\" \(first at line 1\)" "$ERR"

echo "# workload and env as block-literal strings"
{
	echo "workload: |"
	echo "  type: workload"
	sed 's/^/  /' "$C/images-A.yaml"
	echo "env: |"
	echo "  type: env"
} >"$C/literal.yaml"
verify 0 "$C/literal.yaml" app/web:good
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_GOOD" "block literal: line 1"
verify 1 "$C/literal.yaml" app/web:wrong
denied "signature-1: .*$FPR_B"
verify 1 "$C/literal.yaml" other/app:v1
denied 'no key is pinned for this repository in the contract'
# an error inside the string is reported at the file's line
{
	echo "workload: |"
	echo "  type: workload"
	echo "  images:"
	echo "    rhs:"
	echo "      \"$REG/app/web\":"
	echo "        publicKey: not-base64!"
	echo "env: |"
	echo "  type: env"
} >"$C/literal-bad.yaml"
verify 2 "$C/literal-bad.yaml" app/web:good
expect_match "workload\.images\.rhs\.\"$(reg_re)/app/web\"\.publicKey: not base64.*line 6" "$ERR"

echo "# an encrypted workload (IBM's openssl steps, fixtures/make-contracts.sh)"
MC="$SRCDIR/fixtures/make-contracts.sh"
sh "$MC" keypair "$T/hpcr" >"$T/hpcr.log" 2>&1 || { cat "$T/hpcr.log"; die "make-contracts.sh keypair failed"; }
sh "$MC" keypair "$T/hpcr-other" >"$T/hpcr.log" 2>&1 || { cat "$T/hpcr.log"; die "make-contracts.sh keypair failed"; }
{ echo "type: workload"; cat "$C/images-A.yaml"; } >"$T/workload.yaml"
printf '%s\n' "type: env" >"$T/env.yaml"
enc_w=$(sh "$MC" encrypt "$T/workload.yaml" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
enc_e=$(sh "$MC" encrypt "$T/env.yaml" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
printf '%s\n' "workload: $enc_w" "env: $enc_e" >"$C/encrypted.yaml"
expect_match '^workload: hyper-protect-basic\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$' "$C/encrypted.yaml"
verify 0 "$C/encrypted.yaml" app/web:good --contract-key "$T/hpcr/hpcr.key"
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_GOOD" "encrypted: line 1"
verify 1 "$C/encrypted.yaml" app/web:wrong --contract-key "$T/hpcr/hpcr.key"
denied "signature-1: .*$FPR_B"
verify 2 "$C/encrypted.yaml" app/web:good
expect_match "^signet: contract $C/encrypted\.yaml: workload is encrypted" "$ERR"
# decrypted, the workload vouches for the digests it runs (issue 12)
verify 1 "$C/encrypted.yaml" "app/web@$D_UNSIGNED" --contract-key "$T/hpcr/hpcr.key"
denied 'nothing vouches for its digest'
enc_r=$(sh "$MC" encrypt "$T/runs-workload.yaml" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
printf '%s\n' "workload: $enc_r" "env: $enc_e" >"$C/encrypted-runs.yaml"
verify 0 "$C/encrypted-runs.yaml" "app/web@$D_UNSIGNED" --contract-key "$T/hpcr/hpcr.key"
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_UNSIGNED" "encrypted workload naming the digest: line 1"
expect_exit 0 -- "$SIGNET" verify --contract "$C/encrypted-runs.yaml" --contract-key "$T/hpcr/hpcr.key" \
	--registries.d "$RD" --tls-verify=false "docker://$REG/app/web@$D_GOOD" --strict
verify 2 "$C/encrypted.yaml" app/web:good --contract-key "$T/hpcr-other/hpcr.key"
expect_match "^signet: contract $C/encrypted\.yaml: .*cannot decrypt.*$T/hpcr-other/hpcr\.key" "$ERR"
# no plaintext of the workload in any message
expect_no_match 'LS0tLS1CRUdJTiBQR1Ag' "$ERR"
verify 2 "$C/encrypted.yaml" app/web:good --contract-key "$KEYS/A.asc"
expect_match "^signet: .*contract private key $KEYS/A\.asc: not a PEM private key" "$ERR"

echo "# signet contract images round-trips"
# several entries, a binary key file, a tag-specific entry, a short name
images_section "$C/images-multi.yaml" --rhs "$REG/app/web=$KEYS/A.gpg" \
	--rhs "$REG/other/app:v1=$KEYS/A.asc" --rhs "busybox=$KEYS/B.asc"
expect_match "^    \"$(reg_re)/app/web\":\$" "$C/images-multi.yaml"
expect_match "^    \"$(reg_re)/other/app:v1\":\$" "$C/images-multi.yaml"
expect_match '^    "docker.io/library/busybox":$' "$C/images-multi.yaml"
expect_match "^    # $FPR_A \\(signet test A <a@signet.test>\\)\$" "$C/images-multi.yaml"
# the binary key was armored: the publicKey is gpg --armor --export | base64 -w0
expect_eq "$(grep -A1 "\"$REG/app/web\":" "$C/images-multi.yaml" | sed -n 's/^ *publicKey: //p' |
	base64 -d | head -n 1)" "-----BEGIN PGP PUBLIC KEY BLOCK-----" "first line of the decoded publicKey"
contract "$C/multi.yaml" "$C/images-multi.yaml"
expect_exit 0 -- "$SIGNET" policy lint --contract "$C/multi.yaml"
expect_match "\"$(reg_re)/app/web\".*signedBy" "$OUT"
expect_match "\"$(reg_re)/other/app:v1\".*signedBy" "$OUT"
expect_match '"docker.io/library/busybox".*signedBy' "$OUT"
expect_match "keys: $FPR_A " "$OUT"
expect_match "keys: $FPR_B " "$OUT"
verify 0 "$C/multi.yaml" app/web:good
expect_eq "$(sed -n 1p "$OUT")" "$REG/app/web@$D_GOOD" "round trip: app/web:good"
verify 0 "$C/multi.yaml" other/app:v1
expect_eq "$(sed -n 1p "$OUT")" "$REG/other/app@$D_OTHER" "round trip: other/app:v1 (tag entry)"
verify 1 "$C/multi.yaml" app/web:wrong
denied "signature-1: .*$FPR_B"
# the output written with -o is the same
expect_exit 0 -- "$SIGNET" contract images --rhs "$REG/app/web=$KEYS/A.gpg" \
	--rhs "$REG/other/app:v1=$KEYS/A.asc" --rhs "busybox=$KEYS/B.asc" -o "$C/images-o.yaml"
expect_exit 0 -- cmp "$C/images-multi.yaml" "$C/images-o.yaml"
# what it refuses to pin
expect_exit 2 -- "$SIGNET" contract images --rhs "$REG/app/web=$KEYS/A.secret.asc"
expect_match "^signet: key file $KEYS/A\.secret\.asc: .*secret key" "$ERR"
expect_exit 3 -- "$SIGNET" contract images --rhs "$REG/app/web=$T/missing.asc"
expect_match "^signet: .*$T/missing\.asc" "$ERR"
stop_registry

echo "# workload.auths: the credentials of an htpasswd registry"
start_registry htpasswd
RD2="$T/registries.d-auth"
LA2="$T/lookaside-auth"
mkdir -p "$LA2"
registries_d "$RD2" "$REG" "file://$LA2"
push_image v1 private/app:v1
"$SIGNET" sign -q --gpg-key "$FPR_A" --registries.d "$RD2" --cert-dir "$REG_CA_DIR" \
	--creds "$REG_USER:$REG_PASS" "docker://$REG/private/app:v1" >"$T/sign.log" 2>&1 ||
	{ cat "$T/sign.log"; die "signet sign of private/app:v1 failed"; }
D_PRIV=$(digest_of private/app:v1)
images_section "$C/images-private.yaml" --rhs "$REG/private/app=$KEYS/A.asc"
# auths_file FILE PASSWORD: workload.auths for $REG
auths_file() {
	printf '%s\n' "auths:" "  \"$REG\":" "    username: $REG_USER" "    password: \"$2\"" >"$1"
}
auths_file "$T/auths-good.yaml" "$REG_PASS"
auths_file "$T/auths-bad.yaml" "wrong-password-$RANDOM"
contract "$C/auths.yaml" "$C/images-private.yaml" "$T/auths-good.yaml"
contract "$C/auths-bad.yaml" "$C/images-private.yaml" "$T/auths-bad.yaml"
contract "$C/no-auths.yaml" "$C/images-private.yaml"
first_n=$((N + 1))
vauth() {
	local code=$1 contract=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --contract "$contract" --registries.d "$RD2" \
		--cert-dir "$REG_CA_DIR" "$@" "docker://$REG/private/app:v1"
}
vauth 0 "$C/auths.yaml"
expect_eq "$(sed -n 1p "$OUT")" "$REG/private/app@$D_PRIV" "with the contract's auths: line 1"
expect_match "^Signed by: $FPR_A( |$)" "$OUT"
vauth 0 "$C/auths.yaml" -v
vauth 0 "$C/auths.yaml" --json
expect_eq "$(jq -r .Pinned "$OUT")" "$REG/private/app@$D_PRIV" "with the contract's auths: .Pinned"
vauth 3 "$C/auths-bad.yaml"
expect_match "^signet: .*$(reg_re)" "$ERR"
expect_match '401' "$ERR"
vauth 3 "$C/auths-bad.yaml" -v
expect_match '401' "$ERR"
vauth 3 "$C/no-auths.yaml"
expect_match '401' "$ERR"
# --creds comes before the contract's credentials
vauth 0 "$C/auths-bad.yaml" --creds "$REG_USER:$REG_PASS"
# the password is in no output, neither as text nor in a Basic header
basic=$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64 -w0)
leaks=0
for i in $(seq "$first_n" "$N"); do
	if grep -qF -e "$REG_PASS" -e "$basic" -e wrong-password- "$T/out.$i" "$T/err.$i"; then
		fail "command $i printed the registry password"
		leaks=1
	fi
done
[[ $leaks == 1 ]] || pass "the password appears in no output of the $((N - first_n + 1)) commands above"
stop_registry

finish
