# SPDX-License-Identifier: Apache-2.0
# tests/integration/contract_sig.sh: the contract signature
# (envWorkloadSignature) checked by `signet verify --contract` and
# `signet gate --contract` (issue 16), against a real docker-registry.
#
# The oracle is IBM's documented command: the workload value followed by
# the env value, signed with `openssl dgst -sha256 -sign KEY.pem`, base64
# on one line.  The public key goes into env.signingKey as PEM, as a PEM
# certificate, or as base64 of either; expired and not-yet-valid
# certificates come from `openssl ca -startdate/-enddate` (OpenSSL 3.0's
# x509 cannot backdate).  Every refusal of the contract is exit 2 with a
# message naming the contract, as any bad contract is.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq base64 openssl

make_gpg_keys
start_registry http
LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
C="$T/contracts"
K="$T/keys"
mkdir -p "$C" "$K"

push_image v1 app/web:good
"$SIGNET" sign -q --gpg-key "$FPR_A" --registries.d "$RD" --tls-verify=false "docker://$REG/app/web:good" \
	>"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign failed"; }
"$SIGNET" contract images --rhs "$REG/app/web=$KEYS/A.asc" >"$T/images.yaml" 2>"$T/images.err" ||
	{ cat "$T/images.err"; die "signet contract images failed"; }

# ---- keys and certificates -----------------------------------------------
openssl genrsa -out "$K/sign.key" 2048 2>/dev/null || die "openssl genrsa failed"
openssl genrsa -out "$K/other.key" 2048 2>/dev/null || die "openssl genrsa failed"
openssl rsa -in "$K/sign.key" -pubout -out "$K/sign.pub" 2>/dev/null || die "openssl rsa -pubout failed"
openssl req -new -x509 -key "$K/sign.key" -out "$K/sign.crt" -days 30 -subj /CN=signet-contract-signer ||
	die "openssl req -x509 failed"
# ca_cert OUT START END: a certificate for sign.key valid from START to END
# (YYYYMMDDHHMMSSZ), self-signed by `openssl ca`.
ca_cert() {
	local d="$T/ca.$1"
	mkdir -p "$d"
	: >"$d/index.txt"
	printf '%s\n' "[ca]" "default_ca = c" "[c]" "dir = $d" "database = $d/index.txt" "new_certs_dir = $d" \
		"serial = $d/serial" "default_md = sha256" "policy = p" "[p]" "commonName = supplied" >"$d/ca.cnf"
	echo 01 >"$d/serial"
	openssl req -new -key "$K/sign.key" -subj /CN=signet-contract-signer -out "$d/req.csr" &&
		openssl ca -batch -notext -config "$d/ca.cnf" -selfsign -keyfile "$K/sign.key" -in "$d/req.csr" \
			-startdate "$2" -enddate "$3" -out "$K/$1" >"$d/log" 2>&1 || { cat "$d/log"; die "openssl ca failed"; }
}
ca_cert expired.crt 20200101000000Z 20210301120000Z
ca_cert future.crt 20990101000000Z 20991231000000Z

# ---- contracts -------------------------------------------------------------
# The workload: the images section pinning A, as YAML text.
{
	echo "type: workload"
	echo "# signed by the deployer"
	cat "$T/images.yaml"
} >"$T/workload.yaml"

# env_text SIGNINGKEY-FILE MODE: env YAML whose signingKey is the PEM file
# as a literal block (MODE pem) or base64 of it on one line (MODE b64).
env_text() {
	echo "type: env"
	if [[ $2 == b64 ]]; then
		echo "signingKey: $(base64 -w0 <"$1")"
	else
		echo "signingKey: |"
		sed 's/^/  /' "$1"
	fi
}

# sign KEY WORKLOAD-VALUE-FILE ENV-VALUE-FILE: IBM's command (the oracle).
sign() {
	cat "$2" "$3" | openssl dgst -sha256 -sign "$1" | base64 -w0
}

# literal OUT WORKLOAD-FILE ENV-FILE [SIGNATURE]: a contract whose sections
# are block literals (their values are the files' bytes, each file ending
# in one newline).
literal() {
	{
		echo "workload: |"
		sed 's/^/  /' "$2"
		echo "env: |"
		sed 's/^/  /' "$3"
		[[ -z ${4-} ]] || echo "envWorkloadSignature: $4"
	} >"$1"
}

# signed NAME SIGNINGKEY-FILE MODE [SIGNING-KEY]: $C/NAME.yaml signed
# (by SIGNING-KEY, default sign.key) with that signingKey.
signed() {
	env_text "$2" "$3" >"$T/$1.env"
	literal "$C/$1.yaml" "$T/workload.yaml" "$T/$1.env" "$(sign "${4:-$K/sign.key}" "$T/workload.yaml" "$T/$1.env")"
}

# verify CODE CONTRACT [ARGS...]: signet verify --contract of app/web:good.
verify() {
	local code=$1 contract=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" verify --contract "$contract" --registries.d "$RD" --tls-verify=false \
		"$@" "docker://$REG/app/web:good"
}
# refused CONTRACT RE: the last run printed nothing and named the contract.
refused() {
	expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout for a refused contract"
	expect_match "^signet: contract ${1//./\\.}: $2" "$ERR"
}

echo "# signed with a PEM public key, a certificate, base64 of either"
signed pem "$K/sign.pub" pem
verify 0 "$C/pem.yaml"
expect_match "^${REG//./\\.}/app/web@sha256:" "$OUT"
verify 0 "$C/pem.yaml" --require-signed-contract
signed b64 "$K/sign.pub" b64
verify 0 "$C/b64.yaml" --require-signed-contract
signed cert "$K/sign.crt" pem
verify 0 "$C/cert.yaml" --require-signed-contract
signed certb64 "$K/sign.crt" b64
verify 0 "$C/certb64.yaml"

echo "# a workload changed by one byte after signing"
sed 's/# signed by the deployer/# signed by the deployes/' "$C/pem.yaml" >"$C/tampered.yaml"
verify 2 "$C/tampered.yaml"
refused "$C/tampered.yaml" "envWorkloadSignature does not verify with env\.signingKey"
echo "# the signature changed by one character"
sig=$(sed -n 's/^envWorkloadSignature: //p' "$C/pem.yaml")
c=${sig:20:1}
[[ $c == A ]] && c=B || c=A
sed "s|^envWorkloadSignature: .*|envWorkloadSignature: ${sig:0:20}$c${sig:21}|" "$C/pem.yaml" >"$C/sigchanged.yaml"
verify 2 "$C/sigchanged.yaml"
refused "$C/sigchanged.yaml" "envWorkloadSignature does not verify with env\.signingKey"

echo "# signed by another key than env.signingKey"
signed wrong "$K/sign.pub" pem "$K/other.key"
verify 2 "$C/wrong.yaml"
refused "$C/wrong.yaml" "envWorkloadSignature does not verify with env\.signingKey"

echo "# an expired and a not yet valid signing certificate"
signed expired "$K/expired.crt" pem
verify 2 "$C/expired.yaml"
refused "$C/expired.yaml" "env\.signingKey: signing certificate expired on 2021-03-01 12:00:00 UTC"
signed future "$K/future.crt" b64
verify 2 "$C/future.yaml"
refused "$C/future.yaml" "env\.signingKey: signing certificate is not valid before 2099-01-01 00:00:00 UTC"

echo "# a signature that is not base64, a signingKey that is no key, none at all"
literal "$C/notb64.yaml" "$T/workload.yaml" "$T/pem.env" "not-base64!"
verify 2 "$C/notb64.yaml"
refused "$C/notb64.yaml" "envWorkloadSignature is not base64"
printf '%s\n' "type: env" "signingKey: $(printf 'hello' | base64 -w0)" >"$T/nokey.env"
literal "$C/nokey.yaml" "$T/workload.yaml" "$T/nokey.env" "$(sign "$K/sign.key" "$T/workload.yaml" "$T/nokey.env")"
verify 2 "$C/nokey.yaml"
refused "$C/nokey.yaml" "env\.signingKey: neither a PEM public key or certificate nor base64 of one"
printf '%s\n' "type: env" >"$T/plain.env"
literal "$C/nosigningkey.yaml" "$T/workload.yaml" "$T/plain.env" "$(sign "$K/sign.key" "$T/workload.yaml" "$T/plain.env")"
verify 2 "$C/nosigningkey.yaml"
refused "$C/nosigningkey.yaml" "envWorkloadSignature is given but env has no signingKey"

echo "# unsigned: allowed, unless --require-signed-contract"
literal "$C/unsigned.yaml" "$T/workload.yaml" "$T/plain.env"
verify 0 "$C/unsigned.yaml"
verify 2 "$C/unsigned.yaml" --require-signed-contract
refused "$C/unsigned.yaml" "unsigned contract refused \(--require-signed-contract\)"
expect_exit 2 -- "$SIGNET" verify --key "$KEYS/A.asc" --require-signed-contract --registries.d "$RD" \
	--tls-verify=false "docker://$REG/app/web:good"
expect_match "^signet: .*--require-signed-contract goes with --contract" "$ERR"

echo "# a signed contract whose workload is a mapping: no string to check"
{
	echo "workload:"
	sed 's/^/  /' "$T/workload.yaml"
	echo "env: |"
	sed 's/^/  /' "$T/pem.env"
	echo "envWorkloadSignature: $(sign "$K/sign.key" "$T/workload.yaml" "$T/pem.env")"
} >"$C/mapping.yaml"
verify 2 "$C/mapping.yaml"
refused "$C/mapping.yaml" "envWorkloadSignature cannot be checked: the workload section is written as a mapping"

echo "# encrypted sections (IBM's openssl steps): the signature covers the hyper-protect-basic strings"
MC="$SRCDIR/fixtures/make-contracts.sh"
sh "$MC" keypair "$T/hpcr" >"$T/hpcr.log" 2>&1 || { cat "$T/hpcr.log"; die "make-contracts.sh keypair failed"; }
enc_w=$(sh "$MC" encrypt "$T/workload.yaml" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
enc_e=$(sh "$MC" encrypt "$T/cert.env" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
sig=$(printf '%s%s' "$enc_w" "$enc_e" | openssl dgst -sha256 -sign "$K/sign.key" | base64 -w0)
printf '%s\n' "workload: $enc_w" "env: $enc_e" "envWorkloadSignature: $sig" >"$C/encrypted.yaml"
verify 0 "$C/encrypted.yaml" --contract-key "$T/hpcr/hpcr.key" --require-signed-contract
# a plain workload and an encrypted env: without the private key, the
# signingKey cannot be read, and the signature is not trusted unchecked
sig_plain=$({ cat "$T/workload.yaml"; printf '%s' "$enc_e"; } | openssl dgst -sha256 -sign "$K/sign.key" | base64 -w0)
{
	echo "workload: |"
	sed 's/^/  /' "$T/workload.yaml"
	printf '%s\n' "env: $enc_e" "envWorkloadSignature: $sig_plain"
} >"$C/encrypted-env.yaml"
verify 2 "$C/encrypted-env.yaml"
refused "$C/encrypted-env.yaml" "envWorkloadSignature cannot be checked: env is encrypted and holds the signingKey"
verify 0 "$C/encrypted-env.yaml" --contract-key "$T/hpcr/hpcr.key"
sig_other=$(printf '%s%s' "$enc_w" "$enc_e" | openssl dgst -sha256 -sign "$K/other.key" | base64 -w0)
printf '%s\n' "workload: $enc_w" "env: $enc_e" "envWorkloadSignature: $sig_other" >"$C/encrypted-wrong.yaml"
verify 2 "$C/encrypted-wrong.yaml" --contract-key "$T/hpcr/hpcr.key"
refused "$C/encrypted-wrong.yaml" "envWorkloadSignature does not verify with env\.signingKey"
# the env section of another contract, signed for this workload: refused
enc_e2=$(sh "$MC" encrypt "$T/cert.env" "$T/hpcr/hpcr.crt" 2>"$T/enc.log") ||
	{ cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
printf '%s\n' "workload: $enc_w" "env: $enc_e2" "envWorkloadSignature: $sig" >"$C/encrypted-swapped.yaml"
verify 2 "$C/encrypted-swapped.yaml" --contract-key "$T/hpcr/hpcr.key"
refused "$C/encrypted-swapped.yaml" "envWorkloadSignature does not verify with env\.signingKey"

echo "# signet gate: the same checks before anything is pinned"
W="$T/w"
mkdir -p "$W"
printf '%s\n' "services:" "  web:" "    image: $REG/app/web:good" >"$W/compose.yml"
# gate CODE CONTRACT [ARGS...]
gate() {
	local code=$1 contract=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" gate --contract "$contract" --registries.d "$RD" --tls-verify=false \
		"$W/compose.yml" -o "$W/out.yml" "$@"
}
gate 0 "$C/cert.yaml" --require-signed-contract
expect_match "image: ${REG//./\\.}/app/web(:good)?@sha256:" "$W/out.yml"
rm -f "$W/out.yml"
gate 2 "$C/tampered.yaml"
expect_match "^signet: contract ${C//./\\.}/tampered\.yaml: envWorkloadSignature does not verify" "$ERR"
gate 2 "$C/expired.yaml"
expect_match "signing certificate expired on 2021-03-01" "$ERR"
gate 0 "$C/unsigned.yaml"
rm -f "$W/out.yml"
gate 2 "$C/unsigned.yaml" --require-signed-contract
expect_match "^signet: contract ${C//./\\.}/unsigned\.yaml: unsigned contract refused \(--require-signed-contract\)" "$ERR"
expect_eq "$(ls "$W")" "compose.yml" "files after refused gates"

finish
