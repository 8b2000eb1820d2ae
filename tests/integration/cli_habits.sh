# SPDX-License-Identifier: Apache-2.0
# tests/integration/cli_habits.sh: the habits skopeo, podman and coreutils
# taught (issue 14): -o - is standard output, `signet help CMD`, an unknown
# option points at --help, a plain-HTTP registry reached with TLS gets a
# hint, and a dir: layout without a version file is read as skopeo reads it.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo jq sha256sum gpg

make_gpg_keys
start_registry http
push_image v1 test/oci:v1
REF="$REG/test/oci:v1"
skopeo_raw test/oci:v1 >"$T/m.json"
D1=$(sha256_of "$T/m.json")
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"
printf '{"default":[{"type":"reject"}]}\n' >"$T/reject.json"

COMMANDS=(inspect verify audit gate standalone-verify policy contract attestation sign standalone-sign key)

echo "# signet help CMD is signet CMD --help"
for c in "${COMMANDS[@]}"; do
	expect_exit 0 -- "$SIGNET" "$c" --help
	cp "$OUT" "$T/help-$c"
	expect_exit 0 -- "$SIGNET" help "$c"
	expect_eq "$(cat "$OUT")" "$(cat "$T/help-$c")" "signet help $c"
	expect_eq "$(wc -c <"$ERR")" 0 "signet help $c: stderr"
done
expect_exit 0 -- "$SIGNET" help policy export
expect_match '^       signet policy export ' "$OUT"
expect_exit 0 -- "$SIGNET" help contract images
expect_match '^Usage: signet contract images ' "$OUT"
expect_exit 0 -- "$SIGNET" help
expect_match '^Usage: signet COMMAND' "$OUT"
expect_match "'signet help COMMAND'" "$OUT"
expect_exit 2 -- "$SIGNET" help no-such-command
expect_match '^signet: help: unknown command "no-such-command"$' "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "signet help no-such-command: stdout"

echo "# an unknown option or a missing argument points at --help, exit 2"
for c in "${COMMANDS[@]}"; do
	case $c in
	policy) argv=(policy lint) ;;
	key) argv=(key generate) ;;
	contract) argv=(contract images) ;;
	attestation) argv=(attestation verify) ;;
	*) argv=("$c") ;;
	esac
	expect_exit 2 -- "$SIGNET" "${argv[@]}" --no-such-option
	expect_match "^signet ${argv[*]}: unrecognized option '--no-such-option'\$" "$ERR"
	expect_match "^Try 'signet ${argv[*]} --help' for more information\.\$" "$ERR"
	expect_eq "$(wc -c <"$OUT")" 0 "signet ${argv[*]} --no-such-option: stdout"
done
for argv in "audit merge" "audit render" "policy explain" "policy export"; do
	# shellcheck disable=SC2086 # two words
	expect_exit 2 -- "$SIGNET" $argv -Z
	expect_match "^signet $argv: invalid option -- 'Z'\$" "$ERR"
	expect_match "^Try 'signet $argv --help' for more information\.\$" "$ERR"
done
expect_exit 2 -- "$SIGNET" verify --policy
expect_match "^signet verify: option '--policy' requires an argument\$" "$ERR"
expect_match "^Try 'signet verify --help' for more information\.\$" "$ERR"
expect_exit 2 -- "$SIGNET" gate "$T/nothing.yml" -o
expect_match "^signet gate: option requires an argument -- 'o'\$" "$ERR"
expect_match "^Try 'signet gate --help' for more information\.\$" "$ERR"
# A bad value is not an unknown option: its own message, no hint.
expect_exit 2 -- "$SIGNET" inspect --timeout=soon "docker://$REF"
expect_match '^signet: --timeout takes a duration' "$ERR"
expect_no_match '^Try ' "$ERR"

echo "# gate -o - writes the pinned workload to stdout, the report to stderr"
mkdir -p "$T/w"
printf 'services:\n  web:\n    image: %s  # kept\n' "$REF" >"$T/w/compose.yml"
cp "$T/w/compose.yml" "$T/compose.orig"
expect_exit 0 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false -o - "$T/w/compose.yml"
expect_eq "$(cat "$OUT")" "$(printf 'services:\n  web:\n    image: %s@%s  # kept' "$REF" "$D1")" \
	"gate -o -: stdout is the pinned workload"
expect_match "^allowed +services\.web\.image +$REF +$REF@$D1 " "$ERR"
expect_match '^Wrote standard output: 1 image pinned to verified digests$' "$ERR"
expect_eq "$(cat "$T/w/compose.yml")" "$(cat "$T/compose.orig")" "gate -o -: the workload is untouched"
expect_eq "$(ls -A "$T/w")" "compose.yml" "gate -o -: no file named - and nothing else"
expect_eq "$(find "$T" -maxdepth 2 -name 'signet-gate.*' | wc -l)" 0 "gate -o -: no temporary left"
mkdir "$T/tmp"
expect_exit 0 -- env TMPDIR="$T/tmp" "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --json \
	-o - "$T/w/compose.yml"
expect_eq "$(jq -r '.[0].Pinned' "$ERR")" "$REF@$D1" "gate --json -o -: the report on stderr"
expect_eq "$(ls -A "$T/tmp")" "" "gate -o -: its temporary directory under TMPDIR is removed"
expect_match "image: $REF@$D1" "$OUT"
# Denied: nothing on stdout, the report and the reason on stderr.
expect_exit 1 -- "$SIGNET" gate --policy "$T/reject.json" --tls-verify=false -o - "$T/w/compose.yml"
expect_eq "$(wc -c <"$OUT")" 0 "gate -o - denied: stdout"
expect_match "^denied +services\.web\.image +$REF " "$ERR"
expect_match 'nothing written' "$ERR"
expect_eq "$(ls -A "$T/w")" "compose.yml" "gate -o - denied: no file named -"
# ./- is still a file named "-", written atomically.
(cd "$T/w" && "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false -q -o ./- compose.yml) ||
	fail "gate -o ./- failed"
expect_eq "$(cat "$T/w/-")" "$(printf 'services:\n  web:\n    image: %s@%s  # kept' "$REF" "$D1")" \
	"gate -o ./-: a file named -"
rm -f "$T/w/-"

echo "# standalone-sign -o -, contract images -o -, policy export -o - refused"
expect_exit 0 -- "$SIGNET" standalone-sign "$T/m.json" "$REF" --gpg-key "$FPR_A" -o -
cp "$OUT" "$T/stdout.sig"
expect_exit 0 -- "$SIGNET" standalone-verify "$T/m.json" "$REF" "$KEYS/A.asc" "$T/stdout.sig"
expect_eq "$(cat "$OUT")" "Signature verified, digest $D1" "standalone-sign -o -: a signature on stdout"
expect_eq "$(find "$T" -maxdepth 1 -name '-*' | wc -l)" 0 "standalone-sign -o -: no file named -"
expect_exit 0 -- "$SIGNET" contract images --rhs "$REG/test/oci=$KEYS/A.asc"
cp "$OUT" "$T/contract.stdout"
expect_exit 0 -- "$SIGNET" contract images --rhs "$REG/test/oci=$KEYS/A.asc" -o -
expect_eq "$(cat "$OUT")" "$(cat "$T/contract.stdout")" "contract images -o -"
expect_exit 2 -- "$SIGNET" policy export --policy "$T/accept.json" -o -
expect_match '^signet: policy export writes a directory .*not standard output' "$ERR"
expect_eq "$(find "$T" -maxdepth 1 -name '-*' | wc -l)" 0 "policy export -o -: nothing written"

echo "# a plain-HTTP registry reached with TLS: the error says so"
for tls in "" --tls-verify --tls-verify=true; do
	expect_exit 3 -- "$SIGNET" inspect $tls "docker://$REF"
	expect_match "^signet: registry $REG: GET https://$REG/v2/: TLS error: .*(wrong version number|packet length too long|record layer failure) \(the registry may speak plain HTTP, not HTTPS: .*--tls-verify=false\)\$" "$ERR"
done
expect_exit 3 -- "$SIGNET" verify --policy "$T/accept.json" "docker://$REF"
expect_match '--tls-verify=false\)$' "$ERR"
# skopeo says it its own way (docs/differences.md).
expect_exit 1 -- skopeo inspect --raw "docker://$REF"
expect_match 'server gave HTTP response to HTTPS client' "$ERR"
# With --tls-verify=false signet speaks plain HTTP and there is no hint to give.
expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "docker://$REF"
expect_match "^Digest: $D1\$" "$OUT"

echo "# dir: without a version file is read, as skopeo reads it"
skopeo --policy "$T/accept.json" copy -q --src-tls-verify=false "docker://$REF" "dir:$T/dir" \
	>"$T/copy.log" 2>&1 || { cat "$T/copy.log"; die "skopeo could not copy $REF to dir:"; }
gpg_simple_sign "$T/dir/signature-1" "$FPR_A" "$REF" "$D1"
cat >"$T/dir-policy.json" <<EOF
{"default": [{"type": "reject"}], "transports": {"dir": {"": [{"type": "signedBy", "keyType": "GPGKeys",
  "keyPath": "$KEYS/A.asc", "signedIdentity": {"type": "exactReference", "dockerReference": "$REF"}}]}}}
EOF
expect_exit 0 -- "$SIGNET" inspect "dir:$T/dir"
expect_match "^Digest: $D1\$" "$OUT"
rm "$T/dir/version"
expect_exit 0 -- skopeo inspect --format '{{.Digest}}' "dir:$T/dir"
expect_eq "$(cat "$OUT")" "$D1" "skopeo reads dir: without version"
expect_exit 0 -- "$SIGNET" inspect "dir:$T/dir"
expect_match "^Digest: $D1\$" "$OUT"
expect_exit 0 -- "$SIGNET" inspect --json "dir:$T/dir"
expect_eq "$(jq -r .Digest "$OUT")" "$D1" "inspect --json dir: without version"
# Its signature-1 is found.
expect_exit 0 -- "$SIGNET" verify --policy "$T/dir-policy.json" "dir:$T/dir"
expect_match "^Signed by: $FPR_A" "$OUT"
expect_exit 0 -- skopeo --policy "$T/dir-policy.json" copy -q "dir:$T/dir" "dir:$T/dir-copy"
rm "$T/dir/signature-1"
expect_exit 1 -- "$SIGNET" verify --policy "$T/dir-policy.json" "dir:$T/dir"
gpg_simple_sign "$T/dir/signature-1" "$FPR_A" "$REF" "$D1"
# A version file naming a version signet does not know is refused (skopeo
# reads it: docs/differences.md).
echo "Directory Transport Version: 1.2" >"$T/dir/version"
expect_exit 0 -- skopeo inspect --format '{{.Digest}}' "dir:$T/dir"
expect_exit 2 -- "$SIGNET" inspect "dir:$T/dir"
expect_match "^signet: .*$T/dir/version: unsupported directory transport version \(1\.0 and 1\.1 are supported\)\$" "$ERR"
expect_exit 2 -- "$SIGNET" verify --policy "$T/dir-policy.json" "dir:$T/dir"
expect_match "$T/dir/version: unsupported directory transport version" "$ERR"
printf 'Directory Transport Version: 1.0\n' >"$T/dir/version"
expect_exit 0 -- "$SIGNET" verify --policy "$T/dir-policy.json" "dir:$T/dir"
# Neither version nor manifest.json: not a dir: layout.
mkdir "$T/empty"
expect_exit 3 -- "$SIGNET" inspect "dir:$T/empty"
expect_match "^signet: .*$T/empty is not a dir: image layout: neither $T/empty/version nor $T/empty/manifest\.json exists\$" "$ERR"

finish
