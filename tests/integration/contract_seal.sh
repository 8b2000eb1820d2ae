# SPDX-License-Identifier: Apache-2.0
# tests/integration/contract_seal.sh: `signet contract seal` and `signet
# contract verify` (issue 16), with IBM's documented openssl commands as
# the oracle in both directions: sections sealed by signet decrypt with
# `openssl pkeyutl -decrypt` + `openssl enc -d -aes-256-cbc -pbkdf2 -pass
# stdin`, and signet's signatures verify with `openssl dgst -sha256
# -verify`; sections made by fixtures/make-contracts.sh (openssl) and
# signatures made by `openssl dgst -sha256 -sign` pass `contract verify`.
# The certificate chain (root, intermediate, encryption certificates, a
# CRL) comes from fixtures/make-hpcr-chain.sh.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need openssl base64 jq od

H="$T/chain"
K="$T/keys"
C="$T/contracts"
mkdir -p "$K" "$C"
sh "$SRCDIR/fixtures/make-hpcr-chain.sh" "$H" >"$T/chain.log" 2>&1 || { cat "$T/chain.log"; die "make-hpcr-chain.sh failed"; }
MC="$SRCDIR/fixtures/make-contracts.sh"
openssl genrsa -out "$K/sign.key" 2048 2>/dev/null || die "openssl genrsa failed"
openssl genrsa -out "$K/other.key" 2048 2>/dev/null || die "openssl genrsa failed"
openssl rsa -in "$K/sign.key" -pubout -out "$K/sign.pub" 2>/dev/null || die "openssl rsa -pubout failed"
openssl req -new -x509 -key "$K/sign.key" -out "$K/sign.crt" -days 30 -subj /CN=signet-contract-signer ||
	die "openssl req -x509 failed"
# An expired certificate for sign.key (openssl ca backdates; x509 cannot).
d="$T/ca.expired"
mkdir -p "$d"
: >"$d/index.txt"
echo 01 >"$d/serial"
printf '%s\n' "[ca]" "default_ca = c" "[c]" "dir = $d" "database = $d/index.txt" "new_certs_dir = $d" \
	"serial = $d/serial" "default_md = sha256" "policy = p" "[p]" "commonName = supplied" >"$d/ca.cnf"
openssl req -new -key "$K/sign.key" -subj /CN=signet-contract-signer -out "$d/req.csr" &&
	openssl ca -batch -notext -config "$d/ca.cnf" -selfsign -keyfile "$K/sign.key" -in "$d/req.csr" \
		-startdate 20200101000000Z -enddate 20210301120000Z -out "$K/expired.crt" >"$d/log" 2>&1 ||
	{ cat "$d/log"; die "openssl ca failed"; }

# The contract as a provider writes it: sections as mappings.
cat >"$C/plain.yaml" <<'YAML'
workload:
  type: workload
  # the images this workload runs
  compose:
    archive: H4sIAAAAAAAAA+3OMQ6CQBCF4a09xR7AxF1YOA==
  images:
    rhs: {}
env:
  type: env
  logging:
    syslog:
      hostname: logs.example.com
      port: 6514
YAML
printf '%s\n' "type: workload" "# the images this workload runs" "compose:" \
	"  archive: H4sIAAAAAAAAA+3OMQ6CQBCF4a09xR7AxF1YOA==" "images:" "  rhs: {}" >"$T/workload.want"

# seal CODE ARGS...: signet contract seal with the chain's encryption
# certificate (IBM's intermediate and root as --ca, the CRL) unless ARGS
# give others.
CHAIN=(--ca "$H/inter.crt" --ca "$H/root.crt" --crl "$H/inter.crl")
seal() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" contract seal "$@"
}
# section FILE NAME: the value of the top-level key NAME (one line).
section() { sed -n "s/^$2: //p" "$1"; }
# oracle_decrypt VALUE KEY: IBM's decryption steps, with openssl.
oracle_decrypt() {
	local pw data
	pw=$(echo "$1" | cut -d. -f2)
	data=$(echo "$1" | cut -d. -f3)
	echo "$data" | base64 -d >"$T/blob.bin"
	echo "$pw" | base64 -d | openssl pkeyutl -decrypt -inkey "$2" | openssl enc -d -aes-256-cbc -pbkdf2 -pass stdin -in "$T/blob.bin"
}
# oracle_verify CONTRACT PUBKEY: openssl dgst -verify of envWorkloadSignature.
oracle_verify() {
	printf '%s%s' "$(section "$1" workload)" "$(section "$1" env)" >"$T/signed.bin"
	section "$1" envWorkloadSignature | base64 -d >"$T/sig.bin"
	openssl dgst -sha256 -verify "$2" -signature "$T/sig.bin" "$T/signed.bin"
}
# cverify CODE CONTRACT [ARGS...]: signet contract verify.
cverify() {
	local code=$1 contract=$2
	shift 2
	expect_exit "$code" -- "$SIGNET" contract verify "$@" "$contract"
}

echo "# sealed by signet: both sections encrypted, signingKey added, openssl decrypts and verifies"
seal 0 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/sealed.yaml"
expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout with -o"
expect_match '^workload: hyper-protect-basic\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$' "$C/sealed.yaml"
expect_match '^env: hyper-protect-basic\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$' "$C/sealed.yaml"
expect_match '^envWorkloadSignature: [A-Za-z0-9+/=]+$' "$C/sealed.yaml"
oracle_decrypt "$(section "$C/sealed.yaml" workload)" "$H/encrypt.key" >"$T/workload.got" || fail "openssl cannot decrypt workload"
expect_eq "$(cat "$T/workload.got")" "$(cat "$T/workload.want")" "workload decrypted by openssl"
oracle_decrypt "$(section "$C/sealed.yaml" env)" "$H/encrypt.key" >"$T/env.got" || fail "openssl cannot decrypt env"
expect_match '^signingKey: \|$' "$T/env.got"
expect_match '^    hostname: logs\.example\.com$' "$T/env.got"
sed -n 's/^  //; /BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$T/env.got" >"$T/env.key"
expect_eq "$(cat "$T/env.key")" "$(cat "$K/sign.pub")" "env.signingKey"
oracle_verify "$C/sealed.yaml" "$K/sign.pub" >"$T/dgst.log" 2>&1
expect_eq "$(cat "$T/dgst.log")" "Verified OK" "openssl dgst -verify of signet's signature"

echo "# contract verify: with the key, everything; without it, the signature cannot be checked"
cverify 0 "$C/sealed.yaml" --contract-key "$H/encrypt.key"
expect_match '^  workload: +encrypted \(decrypted with --contract-key\)$' "$OUT"
expect_match '^  signature: +verified with env\.signingKey$' "$OUT"
expect_match '^  signed by: +public key \(RSA 2048\)$' "$OUT"
expect_eq "$(wc -c <"$ERR")" 0 "bytes on stderr"
cverify 0 "$C/sealed.yaml" --contract-key "$H/encrypt.key" --json
expect_eq "$(jq -r '[.workload.form, .workload.decrypted, .env.form, .signature.verdict, .signature.signer] | join(",")' "$OUT")" \
	"encrypted,true,encrypted,verified,public key" "contract verify --json"
cverify 2 "$C/sealed.yaml"
expect_match '^  env: +encrypted \(not decrypted: no --contract-key\)$' "$OUT"
expect_match '^signet: contract .*sealed\.yaml: envWorkloadSignature cannot be checked: env is encrypted' "$ERR"
cverify 2 "$C/sealed.yaml" --contract-key "$H/other-root.key"
expect_match "^signet: contract .*sealed\.yaml: workload: cannot decrypt" "$ERR"

echo "# --sections workload: env stays a string the signature covers; --sign-cert sets the expiry"
seal 0 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" --sign-cert "$K/sign.crt" \
	--sections workload "$C/plain.yaml" -o "$C/half.yaml"
expect_match '^env: \|$' "$C/half.yaml"
expect_match '^  signingKey: \|$' "$C/half.yaml"
expect_match '^    -----BEGIN CERTIFICATE-----$' "$C/half.yaml"
cverify 0 "$C/half.yaml"
expect_match '^  workload: +encrypted \(not decrypted: no --contract-key\)$' "$OUT"
expect_match '^  env: +string$' "$OUT"
expect_match '^  signed by: +certificate \(RSA 2048\)$' "$OUT"
expect_match "^  expires: +$(openssl x509 -in "$K/sign.crt" -noout -enddate | sed 's/notAfter=//' |
	xargs -I{} date -u -d {} '+%Y-%m-%d %H:%M:%S') UTC" "$OUT"
cverify 0 "$C/half.yaml" --json
expect_match '"expiry": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC"' "$OUT"
expect_match '"subject": "/CN=signet-contract-signer"' "$OUT"
# the env string as signed: openssl agrees
{
	section "$C/half.yaml" workload | tr -d '\n'
	sed -n '/^env: |$/,/^[a-zA-Z]/{/^env: |$/d;/^[a-zA-Z]/d;s/^  //;p}' "$C/half.yaml"
} >"$T/half.signed"
section "$C/half.yaml" envWorkloadSignature | base64 -d >"$T/half.sig"
openssl dgst -sha256 -verify "$K/sign.pub" -signature "$T/half.sig" "$T/half.signed" >"$T/dgst.log" 2>&1
expect_eq "$(cat "$T/dgst.log")" "Verified OK" "openssl dgst -verify over the literal env"
# one byte of the plain env changed after sealing: refused without any key
sed 's/hostname: logs.example.com/hostname: logs.example.org/' "$C/half.yaml" >"$C/half-tampered.yaml"
cverify 1 "$C/half-tampered.yaml"
expect_match '^  signature: +REFUSED$' "$OUT"
expect_match "^signet: contract .*half-tampered\.yaml: envWorkloadSignature does not verify with env\.signingKey" "$ERR"

echo "# made by openssl (IBM's steps): contract verify accepts it, and the guest's reader agrees"
printf '%s\n' "type: workload" "images:" "  rhs: {}" >"$T/w.yaml"
{
	echo "type: env"
	echo "signingKey: |"
	sed 's/^/  /' "$K/sign.pub"
} >"$T/e.yaml"
enc_w=$(sh "$MC" encrypt "$T/w.yaml" "$H/encrypt.crt" 2>"$T/enc.log") || { cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
enc_e=$(sh "$MC" encrypt "$T/e.yaml" "$H/encrypt.crt" 2>"$T/enc.log") || { cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
sig=$(printf '%s%s' "$enc_w" "$enc_e" | openssl dgst -sha256 -sign "$K/sign.key" | base64 -w0)
printf '%s\n' "workload: $enc_w" "env: $enc_e" "envWorkloadSignature: $sig" >"$C/openssl.yaml"
cverify 0 "$C/openssl.yaml" --contract-key "$H/encrypt.key"
expect_match '^  env: +encrypted \(decrypted with --contract-key\)$' "$OUT"
expect_match '^  signature: +verified with env\.signingKey$' "$OUT"

echo "# sealing a contract whose sections are encrypted already: kept as they are, signed anew"
printf '%s\n' "workload: $enc_w" "env: $enc_e" >"$C/preenc.yaml"
seal 0 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/preenc.yaml" -o "$C/resealed.yaml"
expect_eq "$(section "$C/resealed.yaml" workload)" "$enc_w" "workload kept"
expect_eq "$(section "$C/resealed.yaml" env)" "$enc_e" "env kept"
oracle_verify "$C/resealed.yaml" "$K/sign.pub" >"$T/dgst.log" 2>&1
expect_eq "$(cat "$T/dgst.log")" "Verified OK" "openssl dgst -verify of the new signature"
cverify 0 "$C/resealed.yaml" --contract-key "$H/encrypt.key"

echo "# attestationPublicKey is kept as given; -o - writes to standard output"
{
	cat "$C/plain.yaml"
	echo "attestationPublicKey: |"
	sed 's/^/  /' "$H/auditor.pub"
} >"$C/attest.yaml"
seal 0 --encrypt-cert "$H/encrypt.crt" --ca "$H/chain.pem" --sign-key "$K/sign.key" "$C/attest.yaml" -o -
expect_match '^attestationPublicKey: \|$' "$OUT"
sed -n '/^attestationPublicKey: |$/,/^envWorkloadSignature/{/^  /s/^  //p}' "$OUT" >"$T/apk.got"
expect_eq "$(cat "$T/apk.got")" "$(cat "$H/auditor.pub")" "attestationPublicKey"
cp "$OUT" "$C/attest-sealed.yaml"
cverify 0 "$C/attest-sealed.yaml" --contract-key "$H/encrypt.key"
expect_match '^  attestationPublicKey: +present$' "$OUT"

echo "# the encryption certificate: no --ca, another root, revoked, an expired CRL, expired"
seal 2 --encrypt-cert "$H/encrypt.crt" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --encrypt-cert .*encrypt\.crt: no --ca given to check it with" "$ERR"
seal 1 --encrypt-cert "$H/encrypt.crt" --ca "$H/other-root.crt" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --encrypt-cert .*encrypt\.crt: not trusted: unable to get local issuer certificate" "$ERR"
# revoked.crt: an RSA certificate of the intermediate that inter.crl revokes
# (the chain script issues it for attestation; signet does not look at key
# usage, so it stands for a revoked encryption certificate)
seal 1 --encrypt-cert "$H/revoked.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --encrypt-cert .*revoked\.crt: not trusted: certificate revoked" "$ERR"
seal 0 --encrypt-cert "$H/revoked.crt" --ca "$H/chain.pem" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/revoked-nocrl.yaml"
seal 1 --encrypt-cert "$H/encrypt.crt" --ca "$H/chain.pem" --crl "$H/root.crl" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "not trusted: unable to get certificate CRL" "$ERR"
seal 1 --encrypt-cert "$H/encrypt.crt" --ca "$H/chain.pem" --crl "$H/inter-expired.crl" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --encrypt-cert .*encrypt\.crt: not trusted: CRL has expired" "$ERR"
seal 1 --encrypt-cert "$H/expired-encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --encrypt-cert .*expired-encrypt\.crt: not trusted: certificate has expired" "$ERR"
# SIGNET_MAX_PKI_FILE_SIZE: a --ca file of 1 MiB + 1 byte
{ cat "$H/chain.pem"; head -c $((1024 * 1024 + 1 - $(wc -c <"$H/chain.pem"))) /dev/zero | tr '\0' '#'; } >"$T/big.pem"
seal 2 --encrypt-cert "$H/encrypt.crt" --ca "$T/big.pem" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --ca: .*big\.pem: larger than the limit of 1048576 bytes" "$ERR"
# a self-signed test certificate is its own --ca
sh "$MC" keypair "$T/selfsigned" >"$T/kp.log" 2>&1 || { cat "$T/kp.log"; die "make-contracts.sh keypair failed"; }
seal 0 --encrypt-cert "$T/selfsigned/hpcr.crt" --ca "$T/selfsigned/hpcr.crt" --sign-key "$K/sign.key" "$C/plain.yaml" -o "$C/self.yaml"
cverify 0 "$C/self.yaml" --contract-key "$T/selfsigned/hpcr.key"

echo "# the signing key: another key than env.signingKey, an expired certificate, not its certificate"
{
	echo "workload: |"
	sed 's/^/  /' "$T/w.yaml"
	echo "env: |"
	sed 's/^/  /' "$T/e.yaml"
} >"$C/haskey.yaml"
seal 2 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/other.key" "$C/haskey.yaml" -o "$C/no.yaml"
expect_match "^signet: contract .*haskey\.yaml: env\.signingKey is not the public key of --sign-key .*other\.key" "$ERR"
seal 0 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/haskey.yaml" -o "$C/haskey-sealed.yaml"
cverify 0 "$C/haskey-sealed.yaml" --contract-key "$H/encrypt.key"
seal 1 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" --sign-cert "$K/expired.crt" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --sign-cert .*expired\.crt: signing certificate expired on 2021-03-01 12:00:00 UTC" "$ERR"
seal 2 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/other.key" --sign-cert "$K/sign.crt" "$C/plain.yaml" -o "$C/no.yaml"
expect_match "^signet: --sign-cert .*sign\.crt: not the certificate of --sign-key" "$ERR"
seal 2 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" --sign-cert "$K/sign.crt" "$C/haskey.yaml" -o "$C/no.yaml"
expect_match "env\.signingKey is not the certificate --sign-cert" "$ERR"
expect_eq "$(ls "$C" | grep -c '^no\.yaml' || true)" 0 "output files left by refused seals"
seal 2 --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" --sections workload,nope "$C/plain.yaml"
expect_match '^signet: --sections takes workload, env or workload,env' "$ERR"

echo "# an expired signing certificate in a sealed contract: refused by contract verify (exit 1)"
{
	echo "workload: |"
	sed 's/^/  /' "$T/w.yaml"
	echo "env: |"
	echo "  type: env"
	echo "  signingKey: |"
	sed 's/^/    /' "$K/expired.crt"
} >"$C/exp.yaml"
wv=$(cat "$T/w.yaml"; echo x)
ev=$({ echo "type: env"; echo "signingKey: |"; sed 's/^/  /' "$K/expired.crt"; echo x; })
sig=$(printf '%s%s' "${wv%x}" "${ev%x}" | openssl dgst -sha256 -sign "$K/sign.key" | base64 -w0)
echo "envWorkloadSignature: $sig" >>"$C/exp.yaml"
cverify 1 "$C/exp.yaml"
expect_match "^signet: contract .*exp\.yaml: env\.signingKey: signing certificate expired on 2021-03-01 12:00:00 UTC" "$ERR"
cverify 1 "$C/exp.yaml" --json
expect_eq "$(jq -r '.signature.verdict + "," + .signature.expiry' "$OUT")" "refused,2021-03-01 12:00:00 UTC" "--json of an expired contract"

echo "# tampering: a section swapped for another encryption of the same text, a flipped byte, the signature"
enc_w2=$(sh "$MC" encrypt "$T/workload.got" "$H/encrypt.crt" 2>"$T/enc.log") || { cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
sed "s|^workload: .*|workload: $enc_w2|" "$C/sealed.yaml" >"$C/swapped.yaml"
cverify 1 "$C/swapped.yaml" --contract-key "$H/encrypt.key"
expect_match "^signet: contract .*swapped\.yaml: envWorkloadSignature does not verify with env\.signingKey" "$ERR"
w=$(section "$C/sealed.yaml" workload)
data=$(echo "$w" | cut -d. -f3)
c=${data:40:1}
[[ $c == A ]] && c=B || c=A
sed "s|^workload: .*|workload: ${w%.*}.${data:0:40}$c${data:41}|" "$C/sealed.yaml" >"$C/flipped.yaml"
cverify 2 "$C/flipped.yaml" --contract-key "$H/encrypt.key"
expect_match "^signet: contract .*flipped\.yaml: workload( \(decrypted\))?: (cannot decrypt|line 1 column [0-9]+: invalid YAML)" "$ERR"
sig=$(section "$C/sealed.yaml" envWorkloadSignature)
c=${sig:20:1}
[[ $c == A ]] && c=B || c=A
sed "s|^envWorkloadSignature: .*|envWorkloadSignature: ${sig:0:20}$c${sig:21}|" "$C/sealed.yaml" >"$C/sigchanged.yaml"
cverify 1 "$C/sigchanged.yaml" --contract-key "$H/encrypt.key"
expect_match "envWorkloadSignature does not verify with env\.signingKey" "$ERR"

echo "# unsigned, a signed mapping, bad input"
cverify 1 "$C/plain.yaml"
expect_match '^  signature: +none$' "$OUT"
expect_match "^signet: contract .*plain\.yaml: not signed: it has no envWorkloadSignature" "$ERR"
{ cat "$C/plain.yaml"; echo "envWorkloadSignature: $sig"; } >"$C/mapsig.yaml"
cverify 2 "$C/mapsig.yaml"
expect_match "envWorkloadSignature cannot be checked: the workload section is written as a mapping" "$ERR"
{ cat "$C/plain.yaml"; echo "boot: x"; } >"$C/unknown.yaml"
cverify 2 "$C/unknown.yaml"
expect_match 'unknown top-level key "boot"' "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout for a contract that does not parse"
cverify 3 "$C/missing.yaml"

echo "# passwords: openssl's with a newline or a NUL at byte k decrypt in signet as in openssl"
# pw_with BYTE K: 32 bytes, BYTE (octal) at offset K, base64.
pw_with() {
	{ head -c "$2" /dev/zero | tr '\0' 'a'; printf "\\$1"; head -c $((31 - $2)) /dev/zero | tr '\0' 'b'; } | base64 -w0
}
for cut in "012 5" "000 9"; do
	set -- $cut
	pw=$(pw_with "$1" "$2")
	enc=$(PASSWORD=$pw sh "$MC" encrypt "$T/e.yaml" "$H/encrypt.crt" 2>"$T/enc.log") || { cat "$T/enc.log"; die "make-contracts.sh encrypt failed"; }
	# IBM's decryption (openssl) reads it; openssl enc took the password cut at byte k
	expect_eq "$(oracle_decrypt "$enc" "$H/encrypt.key" | head -1)" "type: env" "openssl decrypts the cut password ($2)"
	expect_eq "$(echo "$enc" | cut -d. -f3 | base64 -d | openssl enc -d -aes-256-cbc -pbkdf2 \
		-pass "pass:$(head -c "$2" /dev/zero | tr '\0' 'a')" 2>/dev/null | head -1)" "type: env" \
		"the password openssl used: the $2 bytes before \\$1"
	sig=$(printf '%s%s' "$enc_w" "$enc" | openssl dgst -sha256 -sign "$K/sign.key" | base64 -w0)
	printf '%s\n' "workload: $enc_w" "env: $enc" "envWorkloadSignature: $sig" >"$C/cut.yaml"
	cverify 0 "$C/cut.yaml" --contract-key "$H/encrypt.key"
	expect_match '^  signature: +verified with env\.signingKey$' "$OUT"
done
# signet's passwords: 32 bytes, never a newline or a NUL (40 of them; by
# chance all 40 would be clean with probability 0.77^40 < 1e-4)
bad=0
for i in $(seq 20); do
	"$SIGNET" contract seal --encrypt-cert "$H/encrypt.crt" "${CHAIN[@]}" --sign-key "$K/sign.key" "$C/plain.yaml" \
		-o "$C/many.yaml" 2>"$T/many.err" || { cat "$T/many.err"; die "contract seal failed"; }
	for s in workload env; do
		section "$C/many.yaml" $s | cut -d. -f2 | base64 -d | openssl pkeyutl -decrypt -inkey "$H/encrypt.key" >"$T/pw.bin"
		[[ $(wc -c <"$T/pw.bin") == 32 ]] && [[ $(od -An -tx1 -v "$T/pw.bin" | tr -s ' \n' '\n' | grep -cxE '0a|00') == 0 ]] ||
			bad=$((bad + 1))
	done
done
expect_eq "$bad" 0 "signet passwords with a newline or a NUL, or not 32 bytes, out of 40"

finish
