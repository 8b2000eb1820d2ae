# SPDX-License-Identifier: Apache-2.0
# tests/integration/keypass.sh: where the passphrase of a cosign-format key
# comes from, as cosign takes it (--passphrase-file, COSIGN_PASSWORD, a
# no-echo prompt on a real pseudo-terminal made by script(1)), encrypted
# `key generate` by default, and signing again with the same key writing
# nothing (lookaside files and .sig layers counted by hand with curl and
# ls) against a real docker-registry.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl openssl script

unset COSIGN_PASSWORD
export SHELL=/bin/bash	# what script(1) runs the command with
make_gpg_keys
start_registry http
K="$T/k"
mkdir -p "$K" "$T/regd"	# an empty registries.d: attachments by default
ENC_HEADER="-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"

# sign CODE [ARGS...] IMAGE
sign() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" "$@"
}

# sig_layers REPO DIGEST: the number of layers of the .sig manifest (0: none).
sig_layers() {
	{ reg_manifest "$1" "$(cosign_tag "$2")" || echo '{"layers":[]}'; } | jq '.layers | length'
}

# policy FILE REPO PUB: sigstoreSigned by PUB for REPO, reject otherwise.
policy() {
	jq -n --arg s "$REG/$2" --arg k "$3" '{default: [{type: "reject"}], transports: {docker: {($s):
		[{type: "sigstoreSigned", keyPath: $k, signedIdentity: {type: "matchRepository"}}]}}}' >"$1"
}

# on_tty OUTFILE CMD ANSWER...: runs CMD (a bash command line) on a new
# pseudo-terminal and types each ANSWER after the next password prompt has
# appeared (typing earlier would race the echo being turned off).
# Everything the terminal showed goes to OUTFILE; the exit status is CMD's.
on_tty() {
	local file=$1 cmd=$2 chunk c pid rc=0
	shift 2
	: >"$file"
	coproc TTY { exec script -qfec "$cmd" /dev/null 2>&1; }
	pid=$TTY_PID
	PIDS+=("$pid")
	for answer in "$@"; do
		chunk=
		while [[ $chunk != *"private key"*": " ]]; do
			if ! IFS= read -r -t 30 -n 1 -u "${TTY[0]}" c; then
				printf '%s' "$chunk" >>"$file"
				echo "(no password prompt within 30 s)" >>"$file"
				kill "$pid" 2>/dev/null
				wait "$pid" 2>/dev/null
				return 99
			fi
			chunk+=${c:-$'\n'}
		done
		printf '%s' "$chunk" >>"$file"
		printf '%s\r' "$answer" >&"${TTY[1]}"
	done
	cat <&"${TTY[0]}" >>"$file"
	wait "$pid" || rc=$?
	return "$rc"
}

# tty_expect CODE WHAT OUTFILE CMD ANSWER...: on_tty, asserting its exit code.
tty_expect() {
	local want=$1 what=$2 rc=0
	shift 2
	on_tty "$@" || rc=$?
	if [[ $rc == "$want" ]]; then
		pass "exit $want on a terminal: $what"
	else
		fail "exit $rc, expected $want on a terminal: $what"
		sed -n '1,20s/^/  | /p' "$1"
	fi
}

echo "# key generate: COSIGN_PASSWORD encrypts, as cosign"
expect_exit 0 -- env COSIGN_PASSWORD='env secret 1' "$SIGNET" key generate -o "$K/env"
expect_eq "$(head -n 1 "$K/env.key")" "$ENC_HEADER" "env.key first line"
expect_eq "$(stat -c %a "$K/env.key")" 600 "env.key mode"
expect_no_match "env secret" "$OUT"
expect_no_match "env secret" "$ERR"
# an empty COSIGN_PASSWORD is the empty passphrase: still encrypted (cosign)
expect_exit 0 -- env COSIGN_PASSWORD= "$SIGNET" key generate -o "$K/empty"
expect_eq "$(head -n 1 "$K/empty.key")" "$ENC_HEADER" "empty.key first line"

echo "# key generate with no terminal, no COSIGN_PASSWORD, no file: refused, nothing written"
expect_exit 2 -- "$SIGNET" key generate -o "$K/none"
expect_match "^signet: key generate: no passphrase for the private key: give the passphrase with --passphrase-file FILE or COSIGN_PASSWORD, or run on a terminal to be asked; or --no-passphrase" "$ERR"
expect_eq "$(find "$K" -name 'none*' | wc -l)" 0 "files written without a passphrase"
expect_exit 2 -- "$SIGNET" key generate --no-passphrase --passphrase-file "$K/env.key" -o "$K/both"
expect_match "^signet: key generate takes --passphrase-file or --no-passphrase, not both" "$ERR"

echo "# key generate --no-passphrase: an unencrypted PKCS#8 key, told so"
expect_exit 0 -- "$SIGNET" key generate --no-passphrase -o "$K/plain"
expect_eq "$(head -n 1 "$K/plain.key")" "-----BEGIN PRIVATE KEY-----" "plain.key first line"
expect_exit 0 -- openssl pkey -in "$K/plain.key" -noout

echo "# sign and standalone-sign with COSIGN_PASSWORD"
push_image v1 test/kp:v1
push_image v2 test/kp:v2
DK1=$(skopeo_digest test/kp:v1)
DK2=$(skopeo_digest test/kp:v2)
policy "$T/env.policy.json" test/kp "$K/env.pub"
expect_exit 0 -- env COSIGN_PASSWORD='env secret 1' "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" \
	--key "$K/env.key" "docker://$REG/test/kp:v1"
expect_eq "$(cat "$OUT")" "Signature stored at docker://$REG/test/kp:$(cosign_tag "$DK1") layer 1" "sign: stdout"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --registries.d "$T/regd" --policy "$T/env.policy.json" \
	"docker://$REG/test/kp:v1"
skopeo_raw test/kp:v1 >"$T/m1.json"
expect_exit 0 -- env COSIGN_PASSWORD='env secret 1' "$SIGNET" standalone-sign "$T/m1.json" "$REG/test/kp" \
	--key "$K/env.key" -o "$T/env.sig"
expect_eq "$(head -c 15 "$T/env.sig" | tail -c 14)" "sigstore-json" "standalone signature header"
# the empty passphrase of empty.key opens without being asked for
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m1.json" "$REG/test/kp" --key "$K/empty.key" -o "$T/empty.sig"
# --passphrase-file comes before COSIGN_PASSWORD
printf 'env secret 1\n' >"$K/pass.txt"
expect_exit 0 -- env COSIGN_PASSWORD=wrong "$SIGNET" standalone-sign "$T/m1.json" "$REG/test/kp" \
	--key "$K/env.key" --passphrase-file "$K/pass.txt" -o "$T/file.sig"

echo "# a wrong COSIGN_PASSWORD, and none at all: exit 2 saying why, nothing stored"
expect_exit 2 -- env COSIGN_PASSWORD='env secret 2' "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" \
	--key "$K/env.key" "docker://$REG/test/kp:v2"
expect_match "^signet: wrong passphrase for signing key .*env\.key \(or a damaged key\)$" "$ERR"
expect_no_match "env secret" "$ERR"
sign 2 --key "$K/env.key" "docker://$REG/test/kp:v2"
expect_match "^signet: wrong passphrase for signing key .*env\.key.*no passphrase was given" "$ERR"
expect_match "^signet: give the passphrase with --passphrase-file FILE or COSIGN_PASSWORD, or run on a terminal to be asked$" "$ERR"
expect_eq "$(sig_layers test/kp "$DK2")" 0 "layers of test/kp:v2 after the refused signers"

echo "# the terminal: the harness sees what a prompt with echo on shows"
tty_expect 0 "a prompt that echoes (control)" "$T/tty-echo.out" \
	"read -r -p 'Enter password for private key: ' x; echo \"read=\$x\"" 'echoed 1'
expect_match "^Enter password for private key: echoed 1" "$T/tty-echo.out"
expect_match "^read=echoed 1" "$T/tty-echo.out"

echo "# the terminal: key generate asks twice with echo off"
tty_expect 0 "key generate" "$T/tty-gen.out" "'$SIGNET' key generate -o '$K/tty'" 'tty secret 1' 'tty secret 1'
expect_match "^Enter password for private key: " "$T/tty-gen.out"
expect_match "^Enter password for private key again: " "$T/tty-gen.out"
expect_match "Private key written to .*tty\.key" "$T/tty-gen.out"
expect_no_match "tty secret" "$T/tty-gen.out"
expect_eq "$(head -n 1 "$K/tty.key")" "$ENC_HEADER" "tty.key first line"
# the passphrase typed is the one that opens it
expect_exit 0 -- env COSIGN_PASSWORD='tty secret 1' "$SIGNET" standalone-sign "$T/m1.json" "$REG/test/kp" \
	--key "$K/tty.key" -o "$T/tty1.sig"
tty_expect 2 "key generate, two different answers" "$T/tty-mismatch.out" \
	"'$SIGNET' key generate -o '$K/mis'" 'tty secret 1' 'tty secret 2'
expect_match "^signet: passwords do not match" "$T/tty-mismatch.out"
expect_no_match "tty secret" "$T/tty-mismatch.out"
expect_eq "$(find "$K" -name 'mis*' | wc -l)" 0 "files written after a mismatch"

echo "# the terminal: sign asks once, with echo off"
tty_expect 0 "sign" "$T/tty-sign.out" \
	"'$SIGNET' sign --tls-verify=false --registries.d '$T/regd' --key '$K/tty.key' 'docker://$REG/test/kp:v2'" \
	'tty secret 1'
expect_match "^Enter password for private key: " "$T/tty-sign.out"
expect_match "Signature stored at docker://.*layer 1" "$T/tty-sign.out"
expect_no_match "tty secret" "$T/tty-sign.out"
expect_eq "$(sig_layers test/kp "$DK2")" 1 "layers of test/kp:v2 after signing on the terminal"
tty_expect 2 "sign, wrong answer" "$T/tty-wrong.out" \
	"'$SIGNET' standalone-sign '$T/m1.json' '$REG/test/kp' --key '$K/tty.key' -o '$T/tty2.sig'" 'not it'
expect_match "^signet: wrong passphrase for signing key .*tty\.key" "$T/tty-wrong.out"
expect_no_match "not it" "$T/tty-wrong.out"

echo "# the terminal: Ctrl-C at the prompt leaves echo on"
# bash survives the SIGINT (a trap, reset to the default for signet), then
# shows signet's exit status and whether the terminal echoes again.
tty_expect 0 "Ctrl-C at the prompt" "$T/tty-int.out" \
	"trap true INT; '$SIGNET' key generate -o '$K/int'; echo \"status=\$?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo" \
	$'\003'
expect_match "^status=130" "$T/tty-int.out"
expect_match "^echo" "$T/tty-int.out"
expect_no_match "^-echo" "$T/tty-int.out"
expect_eq "$(find "$K" -name 'int*' | wc -l)" 0 "files written after Ctrl-C"

echo "# cosign .sig: signing again with the same key writes nothing"
push_image v1 test/dup:v1
DD=$(skopeo_digest test/dup:v1)
sign 0 --key "$K/plain.key" "docker://$REG/test/dup:v1"
expect_eq "$(sig_layers test/dup "$DD")" 1 "layers after the first signature"
sign 0 --key "$K/plain.key" "docker://$REG/test/dup:v1"
expect_match "^signet: docker://$REG/test/dup:v1 already has a signature by .*plain\.key for $DD: nothing written \(docker://$REG/test/dup:$(cosign_tag "$DD") layer 1\)$" "$ERR"
expect_eq "$(cat "$OUT")" "Signature stored at docker://$REG/test/dup:$(cosign_tag "$DD") layer 1" "stdout of the second run"
expect_eq "$(sig_layers test/dup "$DD")" 1 "layers after signing twice with the same key"
# -q: nothing said
sign 0 -q --key "$K/plain.key" "docker://$REG/test/dup:v1"
expect_eq "$(cat "$OUT" "$ERR")" "" "output of a quiet second run"
# another key still adds its signature; other annotations are another payload
expect_exit 0 -- env COSIGN_PASSWORD='env secret 1' "$SIGNET" sign --tls-verify=false --registries.d "$T/regd" \
	--key "$K/env.key" "docker://$REG/test/dup:v1"
expect_no_match "already" "$ERR"
expect_eq "$(sig_layers test/dup "$DD")" 2 "layers after a second key"
sign 0 --key "$K/plain.key" -a build=7 "docker://$REG/test/dup:v1"
expect_eq "$(sig_layers test/dup "$DD")" 3 "layers after the same key with an annotation"
sign 0 --key "$K/plain.key" -a build=7 "docker://$REG/test/dup:v1"
expect_match "already has a signature by" "$ERR"
expect_eq "$(sig_layers test/dup "$DD")" 3 "layers after the same annotation again"

echo "# cosign .sig: a layer that does not verify with the key does not count"
push_image v2 test/forged:v1
DF=$(skopeo_digest test/forged:v1)
sign 0 --key "$K/plain.key" "docker://$REG/test/forged:v1"
# the same payload layer with another key's signature in its annotation
reg_manifest test/forged "$(cosign_tag "$DF")" >"$T/forged.json"
sign 0 --key "$K/empty.key" --store attach "docker://$REG/test/dup:v1"
OTHER=$(reg_manifest test/dup "$(cosign_tag "$DD")" | jq -r '.layers[3].annotations["dev.cosignproject.cosign/signature"]')
jq --arg s "$OTHER" '.layers[0].annotations["dev.cosignproject.cosign/signature"] = $s' "$T/forged.json" >"$T/forged2.json"
reg_put_manifest test/forged "$(cosign_tag "$DF")" "$T/forged2.json"
sign 0 --key "$K/plain.key" "docker://$REG/test/forged:v1"
expect_no_match "already" "$ERR"
expect_eq "$(sig_layers test/forged "$DF")" 2 "layers after signing over a signature that does not verify"

echo "# OpenPGP lookaside: signing again with the same key writes nothing"
push_image v1 test/gdup:v1
DG=$(skopeo_digest test/gdup:v1)
LA="$T/lookaside"
GS=$(lookaside_dir "$LA" test/gdup "$DG")
gsign() {
	expect_exit "$1" -- "$SIGNET" sign --tls-verify=false --lookaside "file://$LA" "${@:2}"
}
gsign 0 --gpg-key "$FPR_A" "docker://$REG/test/gdup:v1"
gsign 0 --gpg-key "$FPR_A" "docker://$REG/test/gdup:v1"
expect_match "^signet: docker://$REG/test/gdup:v1 already has a signature by $FPR_A for $DG: nothing written \(file://$GS/signature-1\)$" "$ERR"
expect_eq "$(ls "$GS")" "signature-1" "lookaside files after signing twice with A"
# the same key in lower case is the same key
gsign 0 --gpg-key "${FPR_A,,}" "docker://$REG/test/gdup:v1"
expect_eq "$(ls "$GS" | wc -l)" 1 "lookaside files after A in lower case"
# another key, and another identity, are other signatures
gsign 0 --gpg-key "$FPR_B" "docker://$REG/test/gdup:v1"
expect_eq "$(ls "$GS" | tr '\n' ' ')" "signature-1 signature-2 " "lookaside files after B"
gsign 0 --gpg-key "$FPR_A" --sign-identity "$REG/test/gdup:other" "docker://$REG/test/gdup:v1"
expect_eq "$(ls "$GS" | wc -l)" 3 "lookaside files after A for another identity"
gsign 0 --gpg-key "$FPR_B" "docker://$REG/test/gdup:v1"
expect_match "already has a signature by $FPR_B" "$ERR"
expect_eq "$(ls "$GS" | wc -l)" 3 "lookaside files after B again"
# a damaged copy of A's signature is not A's signature
push_image v2 test/gdamaged:v1
DGD=$(skopeo_digest test/gdamaged:v1)
GD=$(lookaside_dir "$LA" test/gdamaged "$DGD")
gsign 0 --gpg-key "$FPR_A" "docker://$REG/test/gdamaged:v1"
flip_last_byte "$GD/signature-1"
gsign 0 --gpg-key "$FPR_A" "docker://$REG/test/gdamaged:v1"
expect_no_match "already" "$ERR"
expect_eq "$(ls "$GD" | wc -l)" 2 "lookaside files after signing over a damaged signature"
expect_exit 0 -- "$SIGNET" verify --tls-verify=false --lookaside "file://$LA" --key "$KEYS/A.asc" \
	"docker://$REG/test/gdamaged:v1"

echo "# dir: layouts: the same rule"
skopeo --policy "$T/skopeo-policy.json" copy -q --src-tls-verify=false "docker://$REG/test/gdup:v1" \
	"dir:$T/dirimg" >"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy to dir:"; }
expect_exit 0 -- "$SIGNET" sign --gpg-key "$FPR_A" --sign-identity "$REG/test/gdup:v1" "dir:$T/dirimg"
expect_exit 0 -- "$SIGNET" sign --gpg-key "$FPR_A" --sign-identity "$REG/test/gdup:v1" "dir:$T/dirimg"
expect_match "^signet: dir:$T/dirimg already has a signature by $FPR_A for $DG: nothing written \($T/dirimg/signature-1\)$" "$ERR"
expect_eq "$(cd "$T/dirimg" && echo signature-*)" "signature-1" "dir: signatures after signing twice"
expect_exit 0 -- "$SIGNET" sign --key "$K/plain.key" --sign-identity "$REG/test/gdup" "dir:$T/dirimg"
expect_exit 0 -- "$SIGNET" sign --key "$K/plain.key" --sign-identity "$REG/test/gdup" "dir:$T/dirimg"
expect_match "already has a signature by .*plain\.key" "$ERR"
expect_eq "$(cd "$T/dirimg" && echo signature-*)" "signature-1 signature-2" "dir: signatures after a cosign key twice"

finish
