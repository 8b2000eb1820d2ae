# SPDX-License-Identifier: Apache-2.0
# tests/integration/policy_diff.sh: containers-policy.json decisions of
# `signet verify --policy` against skopeo 1.9.3 (`skopeo copy --policy`),
# case by case (SPEC §4.1).
#
# One plain-HTTP docker-registry holds images in several repositories, with
# simple-signing signatures in a file:// lookaside that one registries.d
# names for both tools.  Signatures are made by skopeo (copy --sign-by,
# standalone-sign), by gpg directly (a payload signed at a faked time, for
# the expired key) and by `signet sign`.  Each row of policy_cases.txt is a
# policy and an image; skopeo copies the image to a fresh dir: (allowed =
# exit 0) and signet verifies it (0 allowed, 1 denied, 2 bad policy, 3
# unreadable).
# Rows where both are expected to decide the same way must agree; rows
# expected to differ are the deliberate differences of docs/differences.md
# and are asserted (and listed) separately.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum base64

CASES="$SRCDIR/tests/integration/policy_cases.txt"
MIN_AGREEING=40 # allow/deny rows that must agree (bad-policy rows not counted)

start_registry http
make_images
make_gpg_keys # and GNUPGHOME, for skopeo --sign-by, standalone-sign and signet sign

LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
# Key files: binary and armored as exported, a keyring of two keys.
cat "$KEYS/A.gpg" "$KEYS/B.gpg" >"$KEYS/AB.gpg"

printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"
SK=(skopeo --policy "$T/accept.json" --registries.d "$RD")

# sign_push SRC DEST [FPR [IDENTITY [SKOPEO-FLAG...]]]: pushes oci:$IMAGES:SRC
# to docker://$REG/DEST, signed by FPR (claiming IDENTITY) when not empty.
sign_push() {
	local src=$1 dest=$2 fpr=${3-} id=${4-}
	local -a sign=()
	shift $(($# < 4 ? $# : 4))
	make_images
	[[ -n $fpr ]] && sign+=(--sign-by "$fpr")
	[[ -n $id ]] && sign+=(--sign-identity "$id")
	sign+=("$@")
	"${SK[@]}" copy -q --dest-tls-verify=false "${sign[@]}" "oci:$IMAGES:$src" "docker://$REG/$dest" \
		>"$T/push.log" 2>&1 ||
		{ cat "$T/push.log"; die "skopeo could not push $src to $dest ${sign[*]}"; }
}

# sign_again DEST FPR [IDENTITY]: skopeo copies docker://$REG/DEST onto
# itself adding a signature by FPR: the existing ones stay signature-1..N-1.
sign_again() {
	local dest=$1 fpr=$2 id=${3-}
	local -a sign=(--sign-by "$fpr")
	[[ -n $id ]] && sign+=(--sign-identity "$id")
	"${SK[@]}" copy -q --src-tls-verify=false --dest-tls-verify=false "${sign[@]}" \
		"docker://$REG/$dest" "docker://$REG/$dest" >"$T/push.log" 2>&1 ||
		{ cat "$T/push.log"; die "skopeo could not re-sign $dest"; }
}

# digest_of REPO:TAG|REPO@DIGEST: the manifest digest, from the bytes skopeo reads.
digest_of() {
	"${SK[@]}" inspect --raw --tls-verify=false "docker://$REG/$1" >"$T/raw.json" ||
		die "skopeo cannot read $1"
	sha256_of "$T/raw.json"
}

# instance_of REPO:TAG ARCH: the digest of the index's instance for linux/ARCH.
instance_of() {
	"${SK[@]}" inspect --raw --tls-verify=false "docker://$REG/$1" |
		jq -er --arg a "$2" '.manifests[] | select(.platform.architecture == $a) | .digest' ||
		die "no $2 instance in $1"
}

# store_sig REPO DIGEST FILE: FILE becomes the next free signature-N of
# REPO@DIGEST in the lookaside.
store_sig() {
	local dir n=1
	dir=$(lookaside_dir "$LA" "$1" "$2")
	mkdir -p "$dir"
	while [[ -e $dir/signature-$n ]]; do n=$((n + 1)); done
	cp "$3" "$dir/signature-$n"
}

# standalone_sign REPO DIGEST FPR IDENTITY [STORE-DIGEST]: skopeo
# standalone-sign of the manifest REPO@DIGEST claiming IDENTITY, stored as
# the next signature of REPO@DIGEST (or of REPO@STORE-DIGEST).
standalone_sign() {
	local repo=$1 digest=$2 fpr=$3 id=$4 store=${5:-$2}
	"${SK[@]}" inspect --raw --tls-verify=false "docker://$REG/$repo@$digest" >"$T/sa.manifest" ||
		die "skopeo cannot read $repo@$digest"
	rm -f "$T/sa.sig"
	skopeo standalone-sign "$T/sa.manifest" "$id" "$fpr" -o "$T/sa.sig" >"$T/sa.log" 2>&1 ||
		{ cat "$T/sa.log"; die "skopeo standalone-sign by $fpr of $repo@$digest failed"; }
	store_sig "$repo" "$store" "$T/sa.sig"
}

# gpg_sign REPO DIGEST FPR IDENTITY GPG-OPTION...: the simple-signing payload
# signed by gpg itself (for what skopeo cannot do, e.g. a faked time).
gpg_sign() {
	local repo=$1 digest=$2 fpr=$3 id=$4
	shift 4
	jq -cn --arg id "$id" --arg d "$digest" '{critical: {identity: {"docker-reference": $id},
		image: {"docker-manifest-digest": $d}, type: "atomic container signature"},
		optional: {creator: "policy_diff.sh"}}' >"$T/payload.json"
	rm -f "$T/gpg.sig"
	gpg --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' "$@" -u "$fpr" --sign \
		-o "$T/gpg.sig" "$T/payload.json" >"$T/gpg.log" 2>&1 ||
		{ cat "$T/gpg.log"; die "gpg could not sign as $fpr"; }
	store_sig "$repo" "$digest" "$T/gpg.sig"
}

# signet_sign DEST FPR: `signet sign` of docker://$REG/DEST into the lookaside.
signet_sign() {
	"$SIGNET" sign -q --gpg-key "$2" --registries.d "$RD" --tls-verify=false "docker://$REG/$1" \
		>"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign of $1 by $2 failed"; }
}

# ---- the images ------------------------------------------------------------
#
# ns1/app:v1       v1           A (copy --sign-by)
# ns1/app:alias    v1           (the digest of v1: its signature claims :v1)
# ns1/app:v2       v2           B (signet sign), then A (copy --sign-by): two signatures
# ns1/app:b        amd64        B (copy --sign-by)
# ns1/app:unsigned arm64        none
# ns1/app:renamed  v1 as v2s2   A claiming $REG/ns2/app:renamed (copy --sign-identity)
# ns1/pinned:v1    v1           A claiming $REG/ns1/pinned@<digest> (standalone-sign)
# ns1/sub/app:v1   v1           A
# ns2/app:v1       v1           B (signet sign)
# other:subkey     v1           C's signing subkey (C's primary key cannot sign)
# other:expired    v2           EXPIRED, made while it was valid (gpg, faked time)
# other:mismatch   amd64        A, a valid signature of the digest of other:expired
# m/inst:v1        multi        A on both instances, none on the index
# m/arm:v1         multi        A on the arm64 instance only
# m/idx:v1         multi        A on the index only
# m/both:v1        multi        A on the index and on both instances
push_all() {
	sign_push v1 ns1/app:v1 "$FPR_A"
	sign_push v1 ns1/app:alias
	sign_push v2 ns1/app:v2
	signet_sign ns1/app:v2 "$FPR_B"
	sign_again ns1/app:v2 "$FPR_A"
	sign_push amd64 ns1/app:b "$FPR_B"
	sign_push arm64 ns1/app:unsigned
	sign_push v1 ns1/app:renamed "$FPR_A" "$REG/ns2/app:renamed" --format v2s2
	sign_push v1 ns1/pinned:v1
	standalone_sign ns1/pinned "$(digest_of ns1/pinned:v1)" "$FPR_A" \
		"$REG/ns1/pinned@$(digest_of ns1/pinned:v1)"
	sign_push v1 ns1/sub/app:v1 "$FPR_A"
	sign_push v1 ns2/app:v1
	signet_sign ns2/app:v1 "$FPR_B"
	sign_push v1 other:subkey
	standalone_sign other "$(digest_of other:subkey)" "$FPR_C" "$REG/other:subkey"
	sign_push v2 other:expired
	gpg_sign other "$(digest_of other:expired)" "$FPR_EXPIRED" "$REG/other:expired" \
		--faked-system-time 20200101T060000
	sign_push amd64 other:mismatch
	standalone_sign other "$(digest_of other:expired)" "$FPR_A" "$REG/other:mismatch" \
		"$(digest_of other:mismatch)"
	local repo
	for repo in m/inst m/arm m/idx m/both; do
		sign_push multi "$repo:v1" "" "" --all
	done
	for repo in m/inst m/both; do
		standalone_sign "$repo" "$(instance_of "$repo:v1" amd64)" "$FPR_A" "$REG/$repo:v1"
		standalone_sign "$repo" "$(instance_of "$repo:v1" arm64)" "$FPR_A" "$REG/$repo:v1"
	done
	standalone_sign m/arm "$(instance_of m/arm:v1 arm64)" "$FPR_A" "$REG/m/arm:v1"
	for repo in m/idx m/both; do
		standalone_sign "$repo" "$(digest_of "$repo:v1")" "$FPR_A" "$REG/$repo:v1"
	done
}

# ---- the cases -------------------------------------------------------------

declare -A DIGESTS

# expand TEXT: sets EXPANDED to TEXT with the table's macros replaced:
#   {REG} registry host:port       {K} the keys directory
#   {ACCEPT} {REJECT}              the two trivial requirements
#   {SB:NAME}                      signedBy, keyPath {K}/NAME.gpg, default identity
#   {DATA:FILE}                    base64 of {K}/FILE (for keyData)
#   {D:REPO:TAG}                   the manifest digest of $REG/REPO:TAG
expand() {
	local s=$1 out="" m key arg val
	while [[ $s =~ \{([A-Z]+)(:([^{}\"]*))?\} ]]; do
		m=${BASH_REMATCH[0]} key=${BASH_REMATCH[1]} arg=${BASH_REMATCH[3]}
		case $key in
		REG) val=$REG ;;
		K) val=$KEYS ;;
		ACCEPT) val='{"type":"insecureAcceptAnything"}' ;;
		REJECT) val='{"type":"reject"}' ;;
		SB) val="{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"$KEYS/$arg.gpg\"}" ;;
		DATA) val=$(base64 -w0 <"$KEYS/$arg") || die "no key file $arg" ;;
		D)
			[[ -n ${DIGESTS[$arg]-} ]] || DIGESTS[$arg]=$(digest_of "$arg")
			val=${DIGESTS[$arg]}
			;;
		*) die "policy_cases.txt: unknown macro $m" ;;
		esac
		out+=${s%%"$m"*}$val
		s=${s#*"$m"}
	done
	EXPANDED=$out$s
}

# skopeo_decide POLICY IMAGE [ARCH]: sets DECISION to allow (copied), deny
# (the policy rejected the image), bad (the policy did not load) or error.
# With ARCH, skopeo copies the linux/ARCH instance of an index.
skopeo_decide() {
	local rc=0
	local -a platform=()
	[[ -n ${3-} ]] && platform=(--override-os linux --override-arch "$3")
	rm -rf "$T/copy"
	timeout 60 skopeo --policy "$1" --registries.d "$RD" "${platform[@]}" copy -q --src-tls-verify=false \
		"docker://$REG/$2" "dir:$T/copy" >"$T/skopeo.out" 2>"$T/skopeo.err" </dev/null || rc=$?
	if [[ $rc == 0 ]]; then
		DECISION=allow
	elif grep -q 'Source image rejected' "$T/skopeo.err"; then
		DECISION=deny
	elif grep -q 'Error loading trust policy' "$T/skopeo.err"; then
		DECISION=bad
	else
		DECISION="error($rc)"
	fi
}

# signet_decide POLICY IMAGE [ARCH]: sets DECISION from signet verify's exit code.
signet_decide() {
	local rc=0
	local -a platform=()
	[[ -n ${3-} ]] && platform=(--platform "linux/$3")
	timeout 60 "$SIGNET" verify --policy "$1" --registries.d "$RD" --tls-verify=false "${platform[@]}" \
		"docker://$REG/$2" >"$T/signet.out" 2>"$T/signet.err" </dev/null || rc=$?
	case $rc in
	0) DECISION=allow ;;
	1) DECISION=deny ;;
	2) DECISION=bad ;;
	3) DECISION=unreadable ;;
	*) DECISION="error($rc)" ;;
	esac
}

# check_signet_output IMAGE DECISION [ARCH]: what signet printed fits its
# decision: allowed, stdout line 1 is the reference to pull (for an index,
# its linux/ARCH instance); otherwise stderr says why.
check_signet_output() {
	local image=$1 repo want
	repo=${image%@*}
	[[ $repo == "$image" ]] && repo=${image%:*}
	case $2 in
	allow)
		if [[ -n ${3-} ]]; then
			want="$REG/$repo@$(instance_of "$image" "$3")"
		else
			want="$REG/$repo@$(digest_of "$image")"
		fi
		expect_eq "$(head -n 1 "$T/signet.out")" "$want" "$CASE: the reference signet pins"
		;;
	deny | bad | unreadable)
		if ! grep -q '^signet: ..*' "$T/signet.err"; then
			fail "$CASE: signet refused it ($2) without a 'signet: ...' reason on stderr"
			_show "$T/signet.out" "$T/signet.err"
		fi
		;;
	esac
}

# check_reason: when both refused, signet's reason means what skopeo's does
# (a loose match on the kind of reason, not on the words).
check_reason() {
	local sk want what
	sk=$(cat "$T/skopeo.err")
	case $sk in
	*"Error loading trust policy"*) want="policies/$CASE\.json" what="names the policy file" ;;
	*"is rejected by policy"*) want='reject' what="says the policy rejects it" ;;
	*"no signature exists"*) want='no signature|not signed|unsigned' what="says there is no signature" ;;
	*"None of the signatures were accepted"*) return 0 ;;
	*"Signature for identity"*) want='identity|claim' what="names the identity" ;;
	*"Signature for digest"*) want='digest' what="names the digest" ;;
	*"Invalid GPG signature"* | *"Signature by key"*) want='key' what="names the key" ;;
	*) return 0 ;;
	esac
	if grep -Eiq -- "$want" "$T/signet.err"; then
		pass "$CASE: signet's reason $what"
	else
		fail "$CASE: signet's reason does not match /$want/ (skopeo: ${sk##*msg=})"
		sed -n '1,5s/^/  | /p' "$T/signet.err"
	fi
}

HAVE_POLICY=1
if ! "$SIGNET" verify --help 2>/dev/null | grep -q -- '--policy'; then
	fail "signet verify has no --policy option yet: only the skopeo side of each case runs"
	HAVE_POLICY=0
fi

push_all

mkdir -p "$T/policies"
TABLE=()
DIFFS=()
AGREE_N=0
line_no=0
while IFS= read -r line || [[ -n $line ]]; do
	line_no=$((line_no + 1))
	[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
	IFS='|' read -r CASE image want_sk want_sg policy <<<"$line"
	read -r CASE <<<"$CASE"; read -r image <<<"$image"
	read -r want_sk <<<"$want_sk"; read -r want_sg <<<"$want_sg"
	[[ -n $CASE && -n $image && -n $want_sk && -n $want_sg && -n $policy ]] ||
		die "policy_cases.txt:$line_no: not 'case | image | skopeo | signet | policy'"
	[[ ! -e "$T/policies/$CASE.json" ]] || die "policy_cases.txt:$line_no: case $CASE twice"
	expand "$policy"
	printf '%s\n' "$EXPANDED" >"$T/policies/$CASE.json"
	jq -e . "$T/policies/$CASE.json" >/dev/null 2>&1 || [[ $want_sk == bad ]] ||
		die "policy_cases.txt:$line_no: the policy of $CASE is not JSON"
	expand "$image"
	read -r image arch <<<"$EXPANDED"
	# An index: the linux/amd64 instance unless the row says arch=ARCH.
	if [[ $image == m/* ]]; then
		arch=${arch#arch=}
		arch=${arch:-amd64}
	fi

	skopeo_decide "$T/policies/$CASE.json" "$image" "$arch"
	got_sk=$DECISION
	# skopeo's reason, for the log: its last message, without logrus framing
	[[ $got_sk == allow ]] || echo "# $CASE: skopeo: $(tail -n 1 "$T/skopeo.err" |
		sed -e 's/^time="[^"]*" level=[a-z]* msg="//' -e 's/"$//' | cut -c1-240)"
	if [[ $got_sk != "$want_sk" ]]; then
		fail "$CASE: skopeo says $got_sk, the table expects $want_sk ($image)"
		sed -n '1,5s/^/  | /p' "$T/skopeo.err"
	fi
	got_sg=n/a
	if [[ $HAVE_POLICY == 1 ]]; then
		signet_decide "$T/policies/$CASE.json" "$image" "$arch"
		got_sg=$DECISION
		cp "$T/signet.out" "$T/policies/$CASE.signet.out"
		[[ $got_sg == allow ]] ||
			echo "# $CASE: $(grep -m 1 '^signet: ' "$T/signet.err" | cut -c1-240)"
		check_signet_output "$image" "$got_sg" "$arch"
	fi

	if [[ $want_sk == "$want_sg" ]]; then
		agree=no
		[[ $got_sk == "$got_sg" ]] && agree=yes
		TABLE+=("$(printf '%-30s | %-6s | %-10s | %s' "$CASE" "$got_sk" "$got_sg" "$agree")")
		[[ $HAVE_POLICY == 1 ]] || continue
		if [[ $agree == yes ]]; then
			pass "$CASE: skopeo and signet both $got_sk $image"
			[[ $got_sk == allow ]] || check_reason
			[[ $got_sk == bad ]] || AGREE_N=$((AGREE_N + 1))
		else
			fail "$CASE: skopeo $got_sk, signet $got_sg: $image"
			sed -n '1,5s/^/  | /p' "$T/signet.err"
		fi
	else
		DIFFS+=("$(printf '%-30s | %-6s | %-10s | expected %s / %s' "$CASE" "$got_sk" "$got_sg" \
			"$want_sk" "$want_sg")")
		[[ $HAVE_POLICY == 1 ]] || continue
		if [[ $got_sg == "$want_sg" ]]; then
			pass "$CASE: expected difference: skopeo $got_sk, signet $got_sg: $image"
		else
			fail "$CASE: signet $got_sg, expected $want_sg (skopeo $got_sk): $image"
			sed -n '1,5s/^/  | /p' "$T/signet.err"
		fi
	fi
done <"$CASES"

echo
printf '%-30s | %-6s | %-10s | %s\n' case skopeo signet agree
printf '%s\n' "${TABLE[@]}"
echo
echo "expected differences (see policy_cases.txt for why):"
printf '%-30s | %-6s | %-10s | %s\n' case skopeo signet expected
printf '%s\n' "${DIFFS[@]}"
echo
if [[ $HAVE_POLICY == 1 ]]; then
	# What signet says when it allows where skopeo does not.
	expect_match "^Signed by: $FPR_C \(signet test C <c@signet.test>\), subkey $FPR_C_SUB\$" \
		"$T/policies/diff-signing-subkey.signet.out"
	expect_match "^Identity: $REG/m/idx:v1\$" "$T/policies/diff-index-signature.signet.out"
	if ((AGREE_N >= MIN_AGREEING)); then
		pass "$AGREE_N allow/deny cases agree (at least $MIN_AGREEING)"
	else
		fail "only $AGREE_N allow/deny cases agree, fewer than $MIN_AGREEING"
	fi
fi

finish
