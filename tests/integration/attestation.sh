# SPDX-License-Identifier: Apache-2.0
# tests/integration/attestation.sh: `signet attestation verify` (issue 16)
# against records made the way an IBM Hyper Protect guest writes them.
#
# The certificates come from fixtures/make-hpcr-chain.sh (openssl only).
# A record is built here as the guest builds it: IBM's header lines, then
# "<sha256> <name>" lines, the contract ones computed with sha256sum over
# the contract's values exactly as written; signed with `openssl dgst
# -sha256 -sign` by the attestation key; the encrypted variant made with
# IBM's documented contract-encryption commands (fixtures/make-contracts.sh
# encrypt) for the auditor's key.  openssl is the oracle: signet's verdict
# on each signature is compared with `openssl dgst -sha256 -verify`, on
# each chain with `openssl verify -crl_check_all`.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need openssl sha256sum base64 jq

P="$T/pki"
sh "$SRCDIR/fixtures/make-hpcr-chain.sh" "$P" >"$T/chain.log" 2>&1 || { cat "$T/chain.log"; die "make-hpcr-chain.sh failed"; }
# make-contracts.sh encrypt takes a certificate (rsautl -certin): the
# auditor's public key in a self-signed one.
openssl req -new -x509 -key "$P/auditor.key" -subj /CN=signet-test-auditor -days 2 -out "$P/auditor.crt" \
	2>/dev/null || die "openssl req -x509 failed"
CHAIN=(--ca "$P/root.crt" --ca "$P/inter.crt" --crl "$P/inter.crl" --crl "$P/root.crl")
sha() { sha256sum | cut -c1-64; }

# ---- the contract ----------------------------------------------------------
# V/SECTION holds each contract value exactly as the YAML gives it: the
# hyper-protect-basic strings (no newline), the attestationPublicKey PEM as
# a literal block (its value ends with one newline), the signature.
V="$T/values"
mkdir -p "$V"
printf '%s\n' "type: workload" "compose:" "  archive: H4sIAAAAAAAAA+3OMQ6CQBCF4a3nFO8ErDAsG8/gBaysTVAYEoo1wQCN8ezE2GilFdX/Na94xXudp9t" >"$T/workload.yaml"
printf '%s\n' "type: env" "logging:" "  logDNA:" "    hostname: syslog.example.com" >"$T/env.yaml"
sh "$SRCDIR/fixtures/make-contracts.sh" encrypt "$T/workload.yaml" "$P/encrypt.crt" | tr -d '\n' >"$V/workload" ||
	die "make-contracts.sh encrypt failed"
sh "$SRCDIR/fixtures/make-contracts.sh" encrypt "$T/env.yaml" "$P/encrypt.crt" | tr -d '\n' >"$V/env" ||
	die "make-contracts.sh encrypt failed"
cp "$P/auditor.pub" "$V/attestationPublicKey"
openssl genrsa -out "$T/deployer.key" 2048 2>/dev/null || die "openssl genrsa failed"
cat "$V/workload" "$V/env" | openssl dgst -sha256 -sign "$T/deployer.key" | base64 -w0 >"$V/envWorkloadSignature"

# contract OUT [SECTION...]: a contract with those sections (all four by
# default), each written as the value file says.
contract() {
	local out=$1 s
	shift
	[[ $# -gt 0 ]] || set -- workload env attestationPublicKey envWorkloadSignature
	: >"$out"
	for s in "$@"; do
		if [[ $s == attestationPublicKey ]]; then
			echo "$s: |" >>"$out"
			sed 's/^/  /' "$V/$s" >>"$out"
		else
			echo "$s: $(cat "$V/$s")" >>"$out"
		fi
	done
}
C="$T/contract.yaml"
contract "$C"

# ---- records as the guest writes them ----------------------------------------
# checksums: the text of se-checksums.txt for the values in V.
checksums() {
	local f s
	printf '%s\n' "25.11.0" "Machine Type/Plant/Serial: 3931/02/8A018" "Image age: 3 days since creation."
	echo "$(printf 'base image' | sha) baseimage"
	for f in root.tar.gz cidata/meta-data cidata/user-data cidata/vendor-data; do
		echo "$(printf '%s' "$f" | sha) $f"
	done
	for s in workload env attestationPublicKey envWorkloadSignature; do
		echo "$(sha <"$V/$s") contract:$s"
	done
}
# record DIR KEY [TEXT-FILE]: DIR/se-checksums.txt (TEXT-FILE, or the
# checksums) and DIR/se-signature.bin signed with KEY.
record() {
	local d=$1 signer=$2
	rm -rf "$d"
	mkdir -p "$d"
	if [[ -n ${3-} ]]; then cp "$3" "$d/se-checksums.txt"; else checksums >"$d/se-checksums.txt"; fi
	openssl dgst -sha256 -sign "$signer" -out "$d/se-signature.bin" "$d/se-checksums.txt" || die "openssl dgst -sign failed"
}
# encrypt_record DIR: se-checksums.txt becomes se-checksums.txt.enc,
# encrypted for the auditor with IBM's commands (the signature stays over
# the plain text, as the guest signs it).
encrypt_record() {
	sh "$SRCDIR/fixtures/make-contracts.sh" encrypt "$1/se-checksums.txt" "$P/auditor.crt" >"$1/se-checksums.txt.enc" ||
		die "make-contracts.sh encrypt failed"
	rm "$1/se-checksums.txt"
}
# oracle DIR CERT: "ok" or "FAILED", as openssl dgst -verify judges the
# signature of DIR's plain checksums (DIR/plain.txt when encrypted).
oracle() {
	local text=$1/se-checksums.txt
	[[ -f $text ]] || text=$1/plain.txt
	openssl x509 -pubkey -noout -in "$2" >"$T/oracle.pub"
	if openssl dgst -sha256 -verify "$T/oracle.pub" -signature "$1/se-signature.bin" "$text" >/dev/null 2>&1; then
		echo ok
	else
		echo FAILED
	fi
}
# signature_agrees DIR CERT: signet's signature line ($OUT) says what openssl says.
signature_agrees() {
	local want
	want=$(oracle "$1" "$2")
	if grep -Eq "^signature: $want(:|\$)" "$OUT"; then
		pass "the signature verdict agrees with openssl dgst -verify ($want)"
	else
		fail "signet's signature verdict differs from openssl dgst -verify ($want)"
		sed -n '1,20s/^/  | /p' "$OUT"
	fi
}
attest() {
	local code=$1
	shift
	expect_exit "$code" -- "$SIGNET" attestation verify "$@"
}
R="$T/rec"

echo "# a record in the clear: signature, chain with CRLs, every contract checksum"
record "$R" "$P/attest.key"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
signature_agrees "$R" "$P/attest.crt"
expect_match "^record: ${R//./\\.}/se-checksums\.txt\$" "$OUT"
expect_match "^header: Machine Type/Plant/Serial: 3931/02/8A018\$" "$OUT"
expect_match "^chain: ok: .*CN=ibm-hyper-protect-container-runtime-test-attestation <- .*intermediate.* <- .*root CA.* \(dates and CRLs checked\)\$" "$OUT"
for s in workload env attestationPublicKey envWorkloadSignature; do
	expect_match "^contract:$s: matched \(line [0-9]+\): sha256 $(sha <"$V/$s")\$" "$OUT"
done
expect_match "^cidata/user-data: recorded \(line 7\): sha256 " "$OUT"
expect_match "^attestation ${R//./\\.}: verified\$" "$OUT"
openssl verify -crl_check_all -CAfile "$P/root.crt" -untrusted "$P/inter.crt" -CRLfile "$P/inter.crl" \
	-CRLfile "$P/root.crl" "$P/attest.crt" >/dev/null 2>&1 || fail "openssl verify refuses the chain signet accepts"

echo "# --json: stable keys"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" --json "$R"
expect_eq "$(jq -c 'keys' "$OUT")" '["chain","checksums","encrypted","header","record","signature","verified"]' "JSON keys"
expect_eq "$(jq -c '[.verified, .encrypted, .signature.ok, .chain.ok]' "$OUT")" '[true,false,true,true]' "JSON verdicts"
expect_eq "$(jq -c '.checksums[0] | keys' "$OUT")" '["expected","line","name","recorded","section","status"]' "JSON checksum keys"
expect_eq "$(jq -r '.checksums[] | select(.section == "env") | [.name, .status, .recorded == .expected, .line] | @tsv' "$OUT")" \
	"$(printf 'contract:env\tmatched\ttrue\t10')" "JSON env entry"
expect_eq "$(jq -r '.header | length' "$OUT")" 3 "JSON header lines"
expect_eq "$(jq -r '[.checksums[] | select(.status == "recorded")] | length' "$OUT")" 5 "JSON recorded lines"

echo "# without --contract the contract checksums are listed, not compared"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^contract:workload: unchecked \(line 9\): sha256 $(sha <"$V/workload")\$" "$OUT"

echo "# the 26.7 layout IBM documents: five header lines, more recorded files, no envWorkloadSignature"
{
	printf '%s\n' "26.7.1" "Machine Type/Plant/Serial: 8562/02/4C598" "Image age: 10 days since creation." \
		"Encryption Certificate valid until: Jul 06 06:44:41 2027 UTC" \
		"Attestation Certificate valid until: Jul 06 12:28:59 2027 UTC"
	for f in certificate_expiry_date.json root.tar.gz baseimage sbom /dev/disk/by-label/cidata cidata/meta-data \
		cidata/user-data cidata/vendor-data; do
		echo "$(printf '%s' "$f" | sha) $f"
	done
	for s in workload env attestationPublicKey; do echo "$(sha <"$V/$s") contract:$s"; done
} >"$T/ibm-26.txt"
record "$R" "$P/attest.key" "$T/ibm-26.txt"
contract "$T/unsigned.yaml" workload env attestationPublicKey
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$T/unsigned.yaml" --json "$R"
expect_eq "$(jq -r '.header[4]' "$OUT")" "Attestation Certificate valid until: Jul 06 12:28:59 2027 UTC" "fifth header line"
expect_eq "$(jq -r '[.checksums[] | .status] | join(",")' "$OUT")" \
	"recorded,recorded,recorded,recorded,recorded,recorded,recorded,recorded,matched,matched,matched" "statuses"
expect_eq "$(jq -r '.checksums[4].name' "$OUT")" "/dev/disk/by-label/cidata" "a name with slashes"

echo "# labels as releases spell them: parsed leniently, compared strictly"
{
	checksums | sed -n '1,8p'
	echo "$(sha <"$V/workload") contract: workload " # a trailing blank, as 24.11 writes them
	echo "$(sha <"$V/env") CONTRACT : env"
	echo "$(sha <"$V/attestationPublicKey") attestationPublicKey"
	printf '%s\tcontract:envWorkloadSignature\r\n' "$(sha <"$V/envWorkloadSignature" | tr a-f A-F)"
} >"$T/labels.txt"
record "$R" "$P/attest.key" "$T/labels.txt"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^contract: workload: matched " "$OUT"
expect_match "^CONTRACT : env: matched " "$OUT"
expect_match "^attestationPublicKey: matched " "$OUT"
expect_match "^contract:envWorkloadSignature: matched \(line 12\): sha256 $(sha <"$V/envWorkloadSignature")\$" "$OUT"
# a section name in another case is not that section: unknown
sed 's/ contract: workload $/ contract:Workload/' "$T/labels.txt" >"$T/case.txt"
record "$R" "$P/attest.key" "$T/case.txt"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^contract:Workload: unknown \(line 9\): the record has [0-9a-f]{64}, the contract has no Workload\$" "$OUT"
expect_match "^contract:workload: missing: the contract has workload \(sha256 $(sha <"$V/workload")\), the record no checksum of it\$" "$OUT"

echo "# an encrypted record (se-checksums.txt.enc), decrypted with --key"
record "$R" "$P/attest.key"
cp "$R/se-checksums.txt" "$T/plain.txt"
encrypt_record "$R"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --key "$P/auditor.key" --contract "$C" "$R"
expect_match "^record: ${R//./\\.}/se-checksums\.txt\.enc \(decrypted\)\$" "$OUT"
expect_match "^contract:attestationPublicKey: matched " "$OUT"
cp "$T/plain.txt" "$R/plain.txt" # for the oracle only
signature_agrees "$R" "$P/attest.crt"
rm "$R/plain.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt\.enc: the record is encrypted \(hyper-protect-basic\); give the private key .*\(--key\)\$" "$ERR"
echo "# the wrong --key: exit 1, the record cannot be read"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --key "$P/attest.key" --contract "$C" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt\.enc: cannot decrypt (the password )?with the private key ${P//./\\.}/attest\.key: not the key the record was encrypted for, or the record is damaged\$" "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "stdout of a record that does not decrypt"
echo "# a damaged encrypted record: not hyper-protect-basic, exit 2"
echo "hyper-protect-basic.only-two-parts" >"$R/se-checksums.txt.enc"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --key "$P/auditor.key" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt\.enc: an encrypted section is hyper-protect-basic\.<base64 password>\.<base64 data>\$" "$ERR"

echo "# a tampered record, a tampered signature, the wrong --cert: exit 1, as openssl says"
record "$R" "$P/attest.key"
sed -i 's/^Image age: 3 days/Image age: 4 days/' "$R/se-checksums.txt"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
signature_agrees "$R" "$P/attest.crt"
expect_match "^signature: FAILED: ${R//./\\.}/se-signature\.bin does not verify over ${R//./\\.}/se-checksums\.txt with the key of ${P//./\\.}/attest\.crt \(the checksums or the signature were changed, or another key signed them\)\$" "$OUT"
expect_match "^chain: ok: " "$OUT"
expect_match "^attestation ${R//./\\.}: NOT verified \(1 failed check\)\$" "$OUT"
record "$R" "$P/attest.key"
flip_last_byte "$R/se-signature.bin"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
signature_agrees "$R" "$P/attest.crt"
expect_match "^signature: FAILED: .*se-signature\.bin does not verify" "$OUT"
record "$R" "$P/attest.key"
# encrypt.crt chains to the same root: only the signature fails
attest 1 --cert "$P/encrypt.crt" "${CHAIN[@]}" --contract "$C" "$R"
signature_agrees "$R" "$P/encrypt.crt"
expect_match "^signature: FAILED: .* with the key of ${P//./\\.}/encrypt\.crt " "$OUT"
expect_match "^chain: ok: " "$OUT"

echo "# certificates: revoked, expired, another root, no CRL for a level (fail closed), an expired CRL"
# chain_refused CERT KEY REGEX [--ca/--crl ...]: the record signed by KEY
# verifies, the chain of CERT does not (exit 1), and openssl verify
# -crl_check_all refuses it too.
chain_refused() {
	local cert=$1 signer=$2 re=$3
	shift 3
	local -a pki=("$@") ossl=()
	[[ ${#pki[@]} -gt 0 ]] || pki=("${CHAIN[@]}")
	record "$R" "$signer"
	attest 1 --cert "$cert" "${pki[@]}" --contract "$C" "$R"
	expect_match "^signature: ok\$" "$OUT"
	expect_match "^chain: FAILED: $re" "$OUT"
	for ((i = 0; i < ${#pki[@]}; i += 2)); do
		case ${pki[i]} in
		--ca) cat "${pki[i + 1]}" >>"$T/ossl-ca.$N" ;;
		--crl) ossl+=(-CRLfile "${pki[i + 1]}") ;;
		esac
	done
	if openssl verify -crl_check_all -CAfile "$T/ossl-ca.$N" "${ossl[@]}" "$cert" >/dev/null 2>&1; then
		fail "openssl verify accepts the chain signet refuses"
	else
		pass "openssl verify refuses it too"
	fi
}
chain_refused "$P/revoked.crt" "$P/revoked.key" \
	'certificate "O=signet test,CN=ibm-hyper-protect-container-runtime-revoked-attestation" \(depth 0\): certificate revoked$'
chain_refused "$P/expired-attest.crt" "$P/expired-attest.key" \
	'certificate ".*expired-attestation" \(depth 0\): certificate has expired \(notAfter 2025-01-01 00:00:00 UTC\)$'
chain_refused "$P/attest.crt" "$P/attest.key" \
	'certificate ".*intermediate CA.*" \(depth 1\): unable to get local issuer certificate: it does not chain to a self-signed --ca certificate$' \
	--ca "$P/other-root.crt" --ca "$P/inter.crt" --crl "$P/inter.crl" --crl "$P/root.crl"
chain_refused "$P/other-attest.crt" "$P/other-attest.key" \
	'certificate ".*attestation under an unrelated root" \(depth 0\): unable to get local issuer certificate: it does not chain'
chain_refused "$P/attest.crt" "$P/attest.key" \
	'certificate ".*intermediate CA.*" \(depth 1\): unable to get certificate CRL: no CRL from its issuer was given \(--crl\)' \
	--ca "$P/root.crt" --ca "$P/inter.crt" --crl "$P/inter.crl"
chain_refused "$P/attest.crt" "$P/attest.key" \
	'certificate ".*test-attestation" \(depth 0\): unable to get certificate CRL: no CRL from its issuer' \
	--ca "$P/root.crt" --ca "$P/inter.crt"
chain_refused "$P/attest.crt" "$P/attest.key" \
	'certificate ".*test-attestation" \(depth 0\): CRL has expired$' \
	--ca "$P/root.crt" --ca "$P/inter.crt" --crl "$P/inter-expired.crl" --crl "$P/root.crl"
record "$R" "$P/attest.key"
attest 1 --cert "$P/attest.crt" --contract "$C" "$R"
expect_match "^chain: FAILED: no self-signed root among the --ca files: the chain of ${P//./\\.}/attest\.crt cannot be checked\$" "$OUT"
echo "# the bundle chain.pem (intermediate and root in one file) does as two --ca"
attest 0 --cert "$P/attest.crt" --ca "$P/chain.pem" --crl "$P/inter.crl" --crl "$P/root.crl" --contract "$C" "$R"
echo "# a self-signed attestation certificate given as its own --ca: a chain of one"
record "$R" "$P/self-attest.key"
attest 0 --cert "$P/self-attest.crt" --ca "$P/self-attest.crt" --contract "$C" "$R"
expect_match "^chain: ok: CN=self-signed attestation,O=signet test \(a chain of one: dates checked\)\$" "$OUT"

echo "# contract checksums: differs, missing, unknown (each exit 1)"
record "$R" "$P/attest.key"
cp "$V/env" "$T/env.orig"
printf '%s' "hyper-protect-basic.another.env" >"$V/env"
contract "$T/other-env.yaml"
cp "$T/env.orig" "$V/env"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$T/other-env.yaml" "$R"
expect_match "^contract:env: differs \(line 10\): the record has $(sha <"$V/env"), the contract's env is $(printf '%s' "hyper-protect-basic.another.env" | sha)\$" "$OUT"
expect_match "^contract:workload: matched " "$OUT"
expect_match "^attestation ${R//./\\.}: NOT verified \(1 failed check\)\$" "$OUT"
grep -v 'contract:envWorkloadSignature$' <"$R/se-checksums.txt" >"$T/nosig.txt"
record "$R" "$P/attest.key" "$T/nosig.txt"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^contract:envWorkloadSignature: missing: the contract has envWorkloadSignature \(sha256 $(sha <"$V/envWorkloadSignature")\), the record no checksum of it\$" "$OUT"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" --json "$R"
expect_eq "$(jq -c '.checksums[-1] | [.name, .status, .recorded, .line]' "$OUT")" '["contract:envWorkloadSignature","missing",null,0]' "JSON missing entry"
expect_eq "$(jq -c '.verified' "$OUT")" false "JSON verified"
record "$R" "$P/attest.key"
contract "$T/no-apk.yaml" workload env envWorkloadSignature
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$T/no-apk.yaml" "$R"
expect_match "^contract:attestationPublicKey: unknown \(line 11\): the record has $(sha <"$V/attestationPublicKey"), the contract has no attestationPublicKey\$" "$OUT"
expect_match "^attestation ${R//./\\.}: NOT verified \(1 failed check\)\$" "$OUT"

echo "# bad input: exit 2, naming the file (and the line)"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$T/no-such-dir"
expect_match "^signet: attestation record ${T//./\\.}/no-such-dir: holds neither se-checksums\.txt nor se-checksums\.txt\.enc" "$ERR"
record "$R" "$P/attest.key"
cp "$R/se-checksums.txt" "$R/se-checksums.txt.enc"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "holds both se-checksums\.txt and se-checksums\.txt\.enc" "$ERR"
record "$R" "$P/attest.key"
rm "$R/se-signature.bin"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: attestation signature .*: ${R//./\\.}/se-signature\.bin: " "$ERR"
record "$R" "$P/attest.key"
attest 2 --cert "$T/none.crt" "${CHAIN[@]}" "$R"
expect_match "${T//./\\.}/none\.crt" "$ERR"
attest 2 --cert "$P/attest.key" "${CHAIN[@]}" "$R"
expect_match "^signet: attestation certificate ${P//./\\.}/attest\.key: no PEM certificate in it\$" "$ERR"
attest 2 --cert "$P/attest.crt" --ca "$P/root.crt" --crl "$P/root.crt" "$R"
expect_match "^signet: CRL file ${P//./\\.}/root\.crt: not a PEM or DER certificate revocation list\$" "$ERR"
attest 2 "${CHAIN[@]}" "$R"
expect_match "^signet: attestation verify needs --cert ATTESTATION\.crt" "$ERR"
attest 2 --cert "$P/attest.crt" "$R" "$R"
expect_match "^signet: attestation verify takes one DIR" "$ERR"
{ checksums; echo "a line that is no checksum"; } >"$T/bad.txt"
record "$R" "$P/attest.key" "$T/bad.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt: line 13: not a checksum line \(\"<sha256 hex> <name>\"\) after the first one\$" "$ERR"
{ checksums; echo "$(sha <"$V/env") contract: env"; } >"$T/dup.txt"
record "$R" "$P/attest.key" "$T/dup.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt: line 13: a second checksum of the contract's env \(first at line 10\)\$" "$ERR"
checksums | sed -n '1,3p' >"$T/header-only.txt"
record "$R" "$P/attest.key" "$T/header-only.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt: no checksum line" "$ERR"
record "$R" "$P/attest.key"
printf '%s\n' "workload:" "  type: workload" "env: $(cat "$V/env")" >"$T/mapping.yaml"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$T/mapping.yaml" "$R"
expect_match "^signet: contract ${T//./\\.}/mapping\.yaml: line 1: workload is written as a mapping: the attestation record holds the checksum of the string" "$ERR"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$T/no-such.yaml" "$R"
expect_match "${T//./\\.}/no-such\.yaml" "$ERR"

echo "# limits: each crossed (exit 2, naming the limit), the line limits also met"
# SIGNET_MAX_ATTESTATION_RECORD_SIZE: 1 MiB
{ checksums; head -c 1048576 /dev/zero | tr '\0' 'x' | fold -w 1000 | sed 's/^/# /'; } >"$T/big.txt"
record "$R" "$P/attest.key" "$T/big.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: attestation record \(SIGNET_MAX_ATTESTATION_RECORD_SIZE\): ${R//./\\.}/se-checksums\.txt: larger than the limit of 1048576 bytes\$" "$ERR"
# SIGNET_MAX_ATTESTATION_LINES: 4096 lines (headers then 12 checksum lines)
{ seq 1 4084 | sed 's/^/header /'; checksums; } >"$T/lines.txt"
expect_eq "$(wc -l <"$T/lines.txt")" 4096 "lines of the record"
record "$R" "$P/attest.key" "$T/lines.txt"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
{ echo "one header more"; cat "$T/lines.txt"; } >"$T/lines2.txt"
record "$R" "$P/attest.key" "$T/lines2.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt: more than 4096 lines \(SIGNET_MAX_ATTESTATION_LINES\)\$" "$ERR"
# SIGNET_MAX_ATTESTATION_LINE_LENGTH: 4096 bytes
{ head -c 4096 /dev/zero | tr '\0' 'h'; echo; checksums; } >"$T/long.txt"
record "$R" "$P/attest.key" "$T/long.txt"
attest 0 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
{ head -c 4097 /dev/zero | tr '\0' 'h'; echo; checksums; } >"$T/long2.txt"
record "$R" "$P/attest.key" "$T/long2.txt"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" --contract "$C" "$R"
expect_match "^signet: ${R//./\\.}/se-checksums\.txt: line 1: longer than 4096 bytes \(SIGNET_MAX_ATTESTATION_LINE_LENGTH\)\$" "$ERR"
# SIGNET_MAX_ATTESTATION_SIGNATURE_SIZE: 2048 bytes
record "$R" "$P/attest.key"
head -c 2049 /dev/zero >"$R/se-signature.bin"
attest 2 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signet: attestation signature \(SIGNET_MAX_ATTESTATION_SIGNATURE_SIZE\): ${R//./\\.}/se-signature\.bin: larger than the limit of 2048 bytes\$" "$ERR"
head -c 2048 /dev/zero >"$R/se-signature.bin"
attest 1 --cert "$P/attest.crt" "${CHAIN[@]}" "$R"
expect_match "^signature: FAILED: " "$OUT"

finish
