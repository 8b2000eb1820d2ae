#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/integration/openpgp_gpg_cases.sh OUTDIR: OpenPGP verification cases
# made by real gpg (GnuPG 2.2) for tests/integration/openpgp_diff.sh, in the
# case format the packet crafter (tests/helpers/pgpcraft.c) writes too:
#
#   OUTDIR/gpg-ID/keys/1.pgp [2.pgp ...]  pinned key files, in order (gpg --export)
#   OUTDIR/gpg-ID/signature      the signature blob over a simple-signing payload
#   OUTDIR/gpg-ID/manifest.json  the manifest whose sha256 digest the payload names
#   OUTDIR/gpg-ID/reference      the payload's docker reference
#   OUTDIR/gpg-ID/fingerprint    the signing certificate's primary fingerprint
#   OUTDIR/gpg-ID/expect         allow | deny: containers/image's gpgme rule
#   OUTDIR/gpg-ID/tag            the docs/differences.md row, when signet refuses
#                                what gpg allows (and only then)
#   OUTDIR/gpg-ID/skopeo-skip    why skopeo is not compared (optional)
#   OUTDIR/gpg-ID/note           what the case is
#
# Every key lives in one GnuPG home, OUTDIR/.gnupg (its agent is stopped on
# exit).  Each case is checked before the script moves on: its key files are
# imported into a fresh home and `gpg --verify` must reach `expect`, by the
# gpgme rule of containers/image: exactly one signature, good, made by a key
# that is neither expired nor revoked, with no expired signature and no wrong
# key usage.  Any gpg failure or disagreement stops the script (non-zero).
# The case ids are the same on every run; keys and signatures are fresh.
set -Eeuo pipefail

if [[ $# != 1 ]]; then
	echo "usage: openpgp_gpg_cases.sh OUTDIR" >&2
	exit 2
fi
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
H=$OUT/.gnupg # the GnuPG home holding every key
W=$OUT/.work  # payloads, key file snapshots, verification homes
LOG=$W/gpg.log
rm -rf "$H" "$W" "$OUT"/gpg-*
mkdir -m 700 "$H"
mkdir -p "$W/k" "$W/v"
trap 'gpgconf --homedir "$H" --kill all >/dev/null 2>&1 || true' EXIT
trap 'echo "openpgp_gpg_cases.sh: failed at line $LINENO; gpg said:" >&2; tail -n 15 "$LOG" >&2' ERR

die() {
	echo "openpgp_gpg_cases.sh: $*" >&2
	exit 1
}

# g ARGS...: gpg on the key home, batch, no passphrases; stderr to $LOG.
g() {
	gpg --homedir "$H" --batch --no-tty --quiet --yes --no-auto-check-trustdb \
		--pinentry-mode loopback --passphrase '' "$@" 2>>"$LOG"
}

# gi ANSWERS ARGS...: gpg reading the answers to its prompts from ANSWERS
# (--command-fd): --edit-key scripts, and --gen-revoke and --desig-revoke,
# which refuse --batch.
gi() {
	printf '%s\n' "$1" | gpg --homedir "$H" --no-tty --quiet --yes --pinentry-mode loopback \
		--command-fd 0 "${@:2}" 2>>"$LOG"
}

fpr_of() { # UID: the primary fingerprint of the key with exactly this user ID
	g --with-colons --list-keys -- "=$1" | awk -F: '$1 == "fpr" && f == "" { f = $10 } END { print f }'
}

sub_of() { # FPR: the fingerprint of the key's newest subkey
	g --with-colons --list-keys -- "$1" | awk -F: '$1 == "sub" { s = 1 } $1 == "fpr" && s { f = $10; s = 0 } END { print f }'
}

# gen NAME ALGO USAGE EXPIRE [gpg options...]: a new key with user ID
# "NAME <name@gpg.test>"; sets the variable NAME to its fingerprint.
gen() {
	local uid="$1 <${1,,}@gpg.test>"
	g "${@:5}" --quick-gen-key "$uid" "$2" "$3" "$4"
	printf -v "$1" '%s' "$(fpr_of "$uid")"
	[[ ${!1} =~ ^[0-9A-F]{40}$ ]] || die "no fingerprint for the new key $1"
}

addsub() { # NAME ALGO EXPIRE [gpg options...]: a signing subkey for NAME; sets NAME_SUB
	g "${@:4}" --quick-add-key "${!1}" "$2" sign "$3"
	printf -v "$1_SUB" '%s' "$(sub_of "${!1}")"
	local v=$1_SUB
	[[ ${!v} =~ ^[0-9A-F]{40}$ && ${!v} != "${!1}" ]] || die "no subkey for $1"
}

ex() { # FILE ARGS...: a key file snapshot $W/k/FILE from `gpg --export ARGS`
	g --export "${@:2}" >"$W/k/$1"
	[[ -s $W/k/$1 ]] || die "empty export $1"
}

# start ID: the case directory gpg-ID with a fresh manifest, its reference,
# and the simple-signing payload to sign in $W/ID.payload.
start() {
	local d=$OUT/gpg-$1 ref=example.com/diff/gpg-$1:latest layer
	[[ $1 =~ ^[a-z0-9-]+$ && ! -e $d ]] || die "bad or duplicate case id $1"
	mkdir -p "$d/keys"
	layer=$(printf '%s' "$1" | sha256sum | cut -c1-64)
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}],"annotations":{"org.opencontainers.image.title":"gpg-%s"}}' \
		"$layer" "${#1}" "$1" >"$d/manifest.json"
	echo "$ref" >"$d/reference"
	printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"sha256:%s"},"type":"atomic container signature"},"optional":{"creator":"signet-diff"}}' \
		"$ref" "$(sha256sum <"$d/manifest.json" | cut -c1-64)" >"$W/$1.payload"
}

sign() { # ID GPG-ARGS...: the case's signature, `gpg GPG-ARGS` over its payload
	g "${@:2}" -o "$OUT/gpg-$1/signature" "$W/$1.payload"
	[[ -s $OUT/gpg-$1/signature ]] || die "gpg-$1: gpg wrote no signature"
}

# verdict STATUS: allow or deny, the gpgme rule of containers/image applied
# to the `gpg --status-fd` lines in the file STATUS.
verdict() {
	local s=$1
	if [[ $(grep -c '^\[GNUPG:\] NEWSIG' "$s") == 1 ]] &&
		grep -q '^\[GNUPG:\] GOODSIG ' "$s" && grep -q '^\[GNUPG:\] VALIDSIG ' "$s" &&
		! grep -Eq '^\[GNUPG:\] (BADSIG|ERRSIG|EXPSIG|EXPKEYSIG|REVKEYSIG|KEYEXPIRED|KEYREVOKED|TRUST_NEVER)( |$)' "$s" &&
		! grep -Eq '^\[GNUPG:\] (ERROR verify\.keyusage|TRUST_[A-Z]+ [1-9])' "$s"; then
		echo allow
	else
		echo deny
	fi
}

# fin ID EXPECT FPR PINS NOTE: completes case gpg-ID: pins the key files
# PINS (names in $W/k, space separated), records the signer's primary
# fingerprint, EXPECT and NOTE, and $tag and $skip when set (tag=... fin ...),
# then checks EXPECT with gpg in a fresh home.
fin() {
	local id=gpg-$1 d=$OUT/gpg-$1 v=$W/v/$1 n=0 k got
	[[ $3 =~ ^[0-9A-F]{40}$ ]] || die "$id: bad fingerprint '$3'"
	[[ -s $d/signature && ! -e $d/expect ]] || die "$id: not signed, or finished twice"
	for k in $4; do
		n=$((n + 1))
		cp "$W/k/$k" "$d/keys/$n.pgp"
	done
	((n > 0)) || die "$id: no key files"
	echo "$2" >"$d/expect"
	echo "$3" >"$d/fingerprint"
	echo "$5" >"$d/note"
	if [[ -n ${tag-} ]]; then
		[[ $2 == allow ]] || die "$id: a tag on a case gpg denies"
		echo "$tag" >"$d/tag"
	fi
	[[ -z ${skip-} ]] || echo "$skip" >"$d/skopeo-skip"
	mkdir -m 700 "$v"
	gpg --homedir "$v" --batch --quiet --no-autostart --import "$d"/keys/*.pgp >>"$LOG" 2>&1 || true
	gpg --homedir "$v" --batch --no-autostart --status-fd 1 --output "$v/out" --verify "$d/signature" \
		>"$v/status" 2>>"$LOG" || true
	got=$(verdict "$v/status")
	[[ $got == "$2" ]] || { cat "$v/status" >&2; die "$id: gpg says $got, the case says $2"; }
	if [[ $got == allow && $(<"$v/out") != "$(<"$W/$1.payload")" ]]; then
		die "$id: gpg verified other data than the payload"
	fi
	CASES=$((CASES + 1))
}

mk() { # ID EXPECT FPR PINS NOTE GPG-ARGS...: start, sign with GPG-ARGS, fin
	start "$1"
	sign "$1" "${@:6}"
	fin "${@:1:5}"
}

CASES=0
SUBKEY='signed by a subkey: skopeo counts primary fingerprints only'
PAST=20200101T000000 # keys made "in the past" are made at this time ...
SIGNED=20200101T060000 # ... and sign at this one

echo "# keys of every algorithm gpg makes"
SIGNS="rsa1024 rsa2048 rsa3072 rsa4096 ed25519 nistp256 nistp384 nistp521" # signet verifies these
OTHERS="brainpoolP256r1 brainpoolP384r1 brainpoolP512r1 secp256k1 dsa2048"  # and refuses these
for a in $SIGNS $OTHERS; do
	v=${a^^} n=${a,,} # v: the variable holding the key's fingerprint; n: the name in ids
	gen "$v" "$a" sign never
	ex "$n.pgp" "${!v}"
	if [[ " $SIGNS " == *" $a "* ]]; then t=; else t=pgp-algo-unsupported; fi
	tag=$t mk "algo-$n" allow "${!v}" "$n.pgp" "signed by a $a primary key" -u "${!v}" --sign
done

echo "# digests and compression"
for d in SHA224 SHA256 SHA384 SHA512; do
	mk "digest-${d,,}" allow "$RSA2048" rsa2048.pgp "rsa2048, --digest-algo $d" -u "$RSA2048" --digest-algo "$d" --sign
done
for d in SHA1 RIPEMD160; do
	tag=pgp-sha1-data mk "digest-${d,,}" allow "$RSA2048" rsa2048.pgp "rsa2048, --digest-algo $d" \
		-u "$RSA2048" --personal-digest-preferences "$d" --digest-algo "$d" --sign
done
mk digest-md5 deny "$RSA2048" rsa2048.pgp "rsa2048, --digest-algo MD5 (gpg rejects MD5 data signatures)" \
	-u "$RSA2048" --allow-weak-digest-algos --digest-algo MD5 --sign
tag=pgp-sha1-data mk digest-ed25519-sha1 allow "$ED25519" ed25519.pgp "ed25519, --digest-algo SHA1" \
	-u "$ED25519" --digest-algo SHA1 --sign
mk digest-ed25519-sha512 allow "$ED25519" ed25519.pgp "ed25519, --digest-algo SHA512" -u "$ED25519" --digest-algo SHA512 --sign
mk digest-nistp256-sha512 allow "$NISTP256" nistp256.pgp "ECDSA P-256, --digest-algo SHA512" -u "$NISTP256" --digest-algo SHA512 --sign
mk digest-nistp384-sha512 allow "$NISTP384" nistp384.pgp "ECDSA P-384, --digest-algo SHA512" -u "$NISTP384" --digest-algo SHA512 --sign
for c in none zip zlib; do
	mk "compress-$c" allow "$RSA2048" rsa2048.pgp "rsa2048, --compress-algo $c" -u "$RSA2048" --compress-algo "$c" --sign
done
tag=pgp-bzip2 mk compress-bzip2 allow "$RSA2048" rsa2048.pgp "rsa2048, --compress-algo bzip2" -u "$RSA2048" --compress-algo bzip2 --sign

echo "# message shapes"
ex ed25519-rsa2048.pgp "$ED25519" "$RSA2048"
mk msg-two-signers deny "$ED25519" ed25519-rsa2048.pgp "signed by ed25519 and rsa2048 (two signatures), both keys in one file" \
	-u "$ED25519" -u "$RSA2048" --sign
mk msg-detached deny "$ED25519" ed25519.pgp "a detached signature (gpg --detach-sign): no signed data" -u "$ED25519" --detach-sign
mk msg-detached-armored deny "$ED25519" ed25519.pgp "an armored detached signature: no signed data" -u "$ED25519" --armor --detach-sign
tag=pgp-cleartext mk msg-cleartext allow "$ED25519" ed25519.pgp "a cleartext signature (gpg --clearsign)" -u "$ED25519" --clearsign
tag=pgp-armored mk msg-armored allow "$ED25519" ed25519.pgp "an ASCII-armored signed message (gpg --armor --sign)" -u "$ED25519" --armor --sign
tag=pgp-text-sig mk msg-textmode allow "$ED25519" ed25519.pgp "gpg --textmode --sign: a text (0x01) signature" -u "$ED25519" --textmode --sign
mk msg-store deny "$ED25519" ed25519.pgp "literal data only, no signature (gpg --store)" --store
mk msg-filename allow "$ED25519" ed25519.pgp "the literal packet names a file (--set-filename payload.json)" \
	-u "$ED25519" --set-filename payload.json --sign
mk msg-for-your-eyes-only allow "$ED25519" ed25519.pgp "the literal packet is named _CONSOLE (--for-your-eyes-only)" \
	-u "$ED25519" --for-your-eyes-only --sign

echo "# signature subpackets and times"
mk sig-notation allow "$ED25519" ed25519.pgp "a non-critical notation name@example.com=v" -u "$ED25519" --sig-notation name@example.com=v --sign
mk sig-notation-critical deny "$ED25519" ed25519.pgp "a critical notation !name@example.com=v (gpg: bad signature, unknown critical bit)" \
	-u "$ED25519" --sig-notation '!name@example.com=v' --sign
mk sig-policy-url allow "$ED25519" ed25519.pgp "a non-critical policy URL" -u "$ED25519" --sig-policy-url https://policy.example/ --sign
tag=pgp-critical-other mk sig-policy-url-critical allow "$ED25519" ed25519.pgp "a critical policy URL (gpg accepts it)" \
	-u "$ED25519" --sig-policy-url '!https://policy.example/' --sign
mk sig-keyserver-url allow "$ED25519" ed25519.pgp "a non-critical preferred keyserver" -u "$ED25519" --sig-keyserver-url https://keys.example/ --sign
tag=pgp-critical-other mk sig-keyserver-url-critical allow "$ED25519" ed25519.pgp "a critical preferred keyserver (gpg accepts it)" \
	-u "$ED25519" --sig-keyserver-url '!https://keys.example/' --sign
mk sig-sender allow "$ED25519" ed25519.pgp "a signer's user ID subpacket (--sender)" -u "$ED25519" --sender ed@gpg.test --sign
mk sig-key-block allow "$ED25519" ed25519.pgp "the signer's key in a key block subpacket (--include-key-block)" \
	-u "$ED25519" --include-key-block --sign
mk sig-expires-future allow "$ED25519" ed25519.pgp "a signature expiring in 10 years (--default-sig-expire 10y)" \
	-u "$ED25519" --default-sig-expire 10y --sign
tag=pgp-future-sig mk sig-future allow "$ED25519" ed25519.pgp "a signature dated 2036-01-01 (gpg accepts it)" \
	-u "$ED25519" --faked-system-time 20360101T000000 --sign

echo "# key files"
ex ed25519.asc --armor "$ED25519"
mk keys-armored allow "$ED25519" ed25519.asc "the key file is ASCII-armored" -u "$ED25519" --sign
mk keys-two-certs allow "$RSA2048" ed25519-rsa2048.pgp "one key file holding two certificates, the signer's second" -u "$RSA2048" --sign
mk keys-two-files allow "$RSA2048" "ed25519.pgp rsa2048.pgp" "two key files, the signer's second" -u "$RSA2048" --sign
mk keys-wrong-key deny "$ED25519" rsa2048.pgp "signed by ed25519, only another key pinned" -u "$ED25519" --sign

echo "# key validity: expiry"
gen FUTURE ed25519 sign 10y
ex future.pgp "$FUTURE"
mk key-expires-future allow "$FUTURE" future.pgp "the key expires in 10 years" -u "$FUTURE" --sign
gen EXPIRED ed25519 sign 1d --faked-system-time "$PAST"
ex expired-0.pgp "$EXPIRED"
start key-expired
sign key-expired -u "$EXPIRED" --faked-system-time "$SIGNED" --sign
fin key-expired deny "$EXPIRED" expired-0.pgp "made in 2020 with a 1-day lifetime, signed while valid"
start key-extended
sign key-extended -u "$EXPIRED" --faked-system-time "$SIGNED" --sign
g --quick-set-expire "$EXPIRED" never
ex expired-1.pgp "$EXPIRED"
tag=pgp-binding-after-sig fin key-extended allow "$EXPIRED" expired-1.pgp \
	"the 2020 key, signed in 2020, made never-expiring now (gpg keeps only the new self-signature)"
gen OLD ed25519 sign never --faked-system-time "$PAST"
ex old-0.pgp "$OLD"
mk key-old allow "$OLD" old-0.pgp "made in 2020, never expires, signed in 2020" -u "$OLD" --faked-system-time "$SIGNED" --sign
mk sig-expired deny "$OLD" old-0.pgp "signed in 2020 with --default-sig-expire 1d: an expired signature" \
	-u "$OLD" --faked-system-time "$SIGNED" --default-sig-expire 1d --sign
for id in key-expiry-set-later merge-expiry-past; do
	start "$id"
	sign "$id" -u "$OLD" --faked-system-time "$SIGNED" --sign
done
g --faked-system-time 20200102T000000 --quick-set-expire "$OLD" 1d
ex old-1.pgp "$OLD"
fin key-expiry-set-later deny "$OLD" old-1.pgp "signed in 2020; a self-signature of 2020-01-02 set a 2-day lifetime"
fin merge-expiry-past deny "$OLD" "old-0.pgp old-1.pgp" \
	"the same key twice: never expiring, then with a newer self-signature whose expiry has passed"

echo "# key validity: revocation"
gen REVOKED ed25519 sign never
ex revoked-0.pgp "$REVOKED"
for id in key-revoked merge-revocation merge-revocation-reversed key-before-revocation; do
	start "$id"
	sign "$id" -u "$REVOKED" --sign
done
sed 's/^:-----BEGIN/-----BEGIN/' "$H/openpgp-revocs.d/$REVOKED.rev" | g --import
ex revoked-1.pgp "$REVOKED"
fin key-revoked deny "$REVOKED" revoked-1.pgp "revoked (no reason) after signing"
fin merge-revocation deny "$REVOKED" "revoked-0.pgp revoked-1.pgp" "the same key twice, the second export adds its revocation"
fin merge-revocation-reversed deny "$REVOKED" "revoked-1.pgp revoked-0.pgp" "the same key twice, the first export carries its revocation"
fin key-before-revocation allow "$REVOKED" revoked-0.pgp "the export made before the key was revoked"
gen RETIRED ed25519 sign never
start key-revoked-retired
sign key-revoked-retired -u "$RETIRED" --sign
gi "$(printf 'y\n3\nretired\n\ny')" -o "$W/retired.rev" --gen-revoke "$RETIRED"
g --import "$W/retired.rev"
ex retired.pgp "$RETIRED"
fin key-revoked-retired deny "$RETIRED" retired.pgp "revoked with reason 3 (key no longer used) after signing"

echo "# designated revoker"
gen DESIG ed25519 sign never
gi "$(printf 'addrevoker\n%s\ny\nsave' "$ED25519")" --batch --edit-key "$DESIG"
ex desig-0.pgp "$DESIG"
mk desig-set allow "$DESIG" desig-0.pgp \
	"ed25519 is its designated revoker (a direct-key signature without key flags); not revoked" -u "$DESIG" --sign
for id in desig-revoked-revoker-absent desig-revoked; do
	start "$id"
	sign "$id" -u "$DESIG" --sign
done
gi "$(printf 'y\n0\n\ny')" -u "$ED25519" -o "$W/desig.rev" --desig-revoke "$DESIG"
g --import "$W/desig.rev"
ex desig-1.pgp "$DESIG"
tag=pgp-designated-revoker fin desig-revoked-revoker-absent allow "$DESIG" desig-1.pgp \
	"revoked by its designated revoker, whose key is not pinned (gpg cannot check the revocation)"
fin desig-revoked deny "$DESIG" "desig-1.pgp ed25519.pgp" "revoked by its designated revoker, whose key is pinned too"

echo "# user IDs and usage"
gen UIDS ed25519 sign never
g --quick-add-uid "$UIDS" 'UIDS second <uids2@gpg.test>'
for id in uid-revoked-other-valid uid-revoked-only uid-none; do
	start "$id"
	sign "$id" -u "$UIDS" --sign
done
g --quick-revoke-uid "$UIDS" 'UIDS <uids@gpg.test>'
ex uids.pgp "$UIDS"
ex uids-revoked-only.pgp --export-filter 'keep-uid=uid = UIDS <uids@gpg.test>' "$UIDS"
ex uids-none.pgp --export-filter 'keep-uid=uid = nobody' "$UIDS"
fin uid-revoked-other-valid allow "$UIDS" uids.pgp "two user IDs, the first revoked after signing"
tag=pgp-no-valid-uid fin uid-revoked-only allow "$UIDS" uids-revoked-only.pgp \
	"exported with only its revoked user ID (--export-filter keep-uid): no valid user ID"
fin uid-none deny "$UIDS" uids-none.pgp "exported without user IDs: gpg does not import it"
gen SHA1SELF ed25519 sign never --cert-digest-algo SHA1
ex sha1self.pgp "$SHA1SELF"
tag=pgp-sha1-selfsig mk key-sha1-selfsig allow "$SHA1SELF" sha1self.pgp "its self-signature uses SHA-1 (--cert-digest-algo SHA1)" \
	-u "$SHA1SELF" --sign
gen USAGE ed25519 sign never
start key-usage-removed
sign key-usage-removed -u "$USAGE" --sign
gi "$(printf 'change-usage\nS\nQ\nsave')" --batch --expert --edit-key "$USAGE"
ex usage.pgp "$USAGE"
fin key-usage-removed deny "$USAGE" usage.pgp "signed, then its usage changed to certify only (gpg: wrong key usage)"

echo "# signing subkeys"
gen SUB ed25519 sign never
addsub SUB ed25519 never
ex sub.pgp "$SUB"
skip=$SUBKEY mk sub-signs allow "$SUB" sub.pgp \
	"an ed25519 signing subkey of a sign-capable primary (its back-signature unhashed, as gpg makes it)" \
	-u "$SUB_SUB!" --sign
mk sub-primary-signs allow "$SUB" sub.pgp "the primary signs although it has a signing subkey (-u FPR!)" -u "$SUB!" --sign
g --gen-key <<EOF
Key-Type: EDDSA
Key-Curve: ed25519
Key-Usage: cert
Subkey-Type: ECDSA
Subkey-Curve: nistp256
Subkey-Usage: sign
Expire-Date: 10y
Name-Real: CERTONLY
Name-Email: certonly@gpg.test
%no-protection
%commit
EOF
CERTONLY=$(fpr_of 'CERTONLY <certonly@gpg.test>')
CERTONLY_SUB=$(sub_of "$CERTONLY")
ex certonly.pgp "$CERTONLY"
skip=$SUBKEY mk sub-cert-only-primary allow "$CERTONLY" certonly.pgp \
	"an ECDSA P-256 signing subkey, the ed25519 primary certifies only (Key-Usage: cert); both expire in 10y" \
	-u "$CERTONLY_SUB!" --sign
gen SUBREV ed25519 sign never
addsub SUBREV ed25519 never
start sub-revoked
sign sub-revoked -u "$SUBREV_SUB!" --sign
gi "$(printf 'key 1\nrevkey\ny\n0\n\ny\nsave')" --batch --edit-key "$SUBREV"
ex subrev.pgp "$SUBREV"
fin sub-revoked deny "$SUBREV" subrev.pgp "signed by a subkey that was revoked afterwards"
mk sub-revoked-primary-signs allow "$SUBREV" subrev.pgp "the primary signs, its signing subkey is revoked" -u "$SUBREV" --sign
gen SUBEXP ed25519 cert never --faked-system-time "$PAST"
addsub SUBEXP ed25519 1d --faked-system-time 20200101T010000
ex subexp-0.pgp "$SUBEXP"
for id in sub-expired sub-extended; do
	start "$id"
	sign "$id" -u "$SUBEXP_SUB!" --faked-system-time "$SIGNED" --sign
done
g --quick-set-expire "$SUBEXP" 10y "$SUBEXP_SUB"
ex subexp-1.pgp "$SUBEXP"
fin sub-expired deny "$SUBEXP" subexp-0.pgp "signed in 2020 by a subkey that expired a day later"
tag=pgp-binding-after-sig skip=$SUBKEY fin sub-extended allow "$SUBEXP" subexp-1.pgp \
	"signed in 2020 by a subkey that expired, then extended now (its only binding is newer than the signature)"
gen PRIMEXP ed25519 cert 1d --faked-system-time "$PAST"
addsub PRIMEXP ed25519 never --faked-system-time 20200101T010000
ex primexp.pgp "$PRIMEXP"
mk sub-primary-expired deny "$PRIMEXP" primexp.pgp "signed in 2020 by a never-expiring subkey of a primary that expired" \
	-u "$PRIMEXP_SUB!" --faked-system-time "$SIGNED" --sign

rm -rf "$W"
echo "openpgp_gpg_cases.sh: $CASES cases in $OUT"
