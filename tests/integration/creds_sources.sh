# SPDX-License-Identifier: Apache-2.0
# tests/integration/creds_sources.sh: where credentials come from without
# --creds, against docker-registry behind htpasswd (over TLS): each auth file
# of containers-auth.json(5)'s search alone, their order, namespace keys,
# --authfile alone, and docker credential helpers (credHelpers, credsStore)
# written here as scripts.  skopeo, run with the same environment, is the
# oracle wherever it reads the same thing (it does not read credsStore and,
# in Debian 12's 1.9, still searches after --authfile: docs/differences.md).
# Exit codes: 0 read, 3 refused (401) or a helper that failed or hung,
# 2 a malformed auth file, a helper reply over the limit, an identity token.
# -v names the source and never shows the password.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci openssl htpasswd base64

start_registry htpasswd
push_image v1 test/oci:v1
img="docker://$REG/test/oci:v1"
tls=(--cert-dir "$REG_CA_DIR")
reg_re=${REG//./\\.}
RIGHT="$REG_USER:$REG_PASS"
WRONG="$REG_USER:wrong-pw"

RAF="$T/registry-auth.json"
XDG_FILE="$XDG_RUNTIME_DIR/containers/auth.json"
CFG_FILE="$XDG_CONFIG_HOME/containers/auth.json"
DOCKER_FILE="$DOCKER_CONFIG/config.json"
HOME_DOCKER_FILE="$HOME/.docker-home-test/.docker/config.json"
LEGACY_FILE="$HOME/.dockercfg"

# entry KEY USER:PASS: one auths entry
entry() { printf '"%s":{"auth":"%s"}' "$1" "$(printf '%s' "$2" | base64 -w0)"; }
# authfile FILE ENTRY...: a containers auth.json / docker config.json
authfile() {
	local f=$1
	shift
	mkdir -p "$(dirname "$f")"
	printf '{"auths":{%s}}\n' "$(IFS=,; echo "$*")" >"$f"
}
clean() { rm -f "$RAF" "$XDG_FILE" "$CFG_FILE" "$DOCKER_FILE" "$HOME_DOCKER_FILE" "$LEGACY_FILE"; }

# both CODE [VAR=VALUE | -u VAR]...: signet inspect exits CODE (0 or 3) and
# skopeo inspect, with the same environment, agrees (0, or 1 for 3).
both() {
	local want=$1
	shift
	expect_exit "$want" -- env "$@" "$SIGNET" inspect "${tls[@]}" "$img"
	SIGNET_ERR=$ERR
	expect_exit "$([[ $want == 0 ]] && echo 0 || echo 1)" -- \
		env "$@" skopeo inspect --raw --cert-dir "$REG_CA_DIR" "$img"
}
# verbose CODE [ENV...]: signet -v; $ERR has the log
verbose() {
	local want=$1
	shift
	expect_exit "$want" -- env "$@" "$SIGNET" inspect -v "${tls[@]}" "$img"
	expect_no_match "$REG_PASS" "$ERR"
	expect_no_match "$REG_PASS" "$OUT"
}

echo "# no source: 401, and -v says nothing was found"
clean
both 3
expect_match "^signet: .*$reg_re.*401, no credentials given" "$SIGNET_ERR"
verbose 3
expect_match "no credentials for $reg_re/test/oci in the auth files searched" "$ERR"

echo "# each source alone"
authfile "$RAF" "$(entry "$REG" "$RIGHT")"
both 0 REGISTRY_AUTH_FILE="$RAF"
verbose 0 REGISTRY_AUTH_FILE="$RAF"
expect_match "credentials for $reg_re/test/oci from auth file $RAF, auths\[\"$reg_re\"\]" "$ERR"
clean
authfile "$XDG_FILE" "$(entry "$REG" "$RIGHT")"
both 0
verbose 0
expect_match "from auth file $XDG_FILE, auths\[\"$reg_re\"\]" "$ERR"
clean
authfile "$CFG_FILE" "$(entry "$REG" "$RIGHT")"
both 0
both 0 -u XDG_CONFIG_HOME # the same file, as \$HOME/.config/containers/auth.json
verbose 0
expect_match "from auth file $CFG_FILE" "$ERR"
clean
authfile "$DOCKER_FILE" "$(entry "$REG" "$RIGHT")"
both 0
verbose 0
expect_match "from auth file $DOCKER_FILE" "$ERR"
clean
# ~/.docker/config.json when DOCKER_CONFIG is unset (HOME elsewhere, so
# that nothing else of this test's home is read)
authfile "$HOME_DOCKER_FILE" "$(entry "$REG" "$RIGHT")"
both 0 -u DOCKER_CONFIG -u XDG_CONFIG_HOME HOME="$HOME/.docker-home-test"
verbose 0 -u DOCKER_CONFIG -u XDG_CONFIG_HOME HOME="$HOME/.docker-home-test"
expect_match "from auth file $HOME_DOCKER_FILE" "$ERR"
# with DOCKER_CONFIG set, ~/.docker/config.json is not read
both 3 -u XDG_CONFIG_HOME DOCKER_CONFIG="$T/elsewhere" HOME="$HOME/.docker-home-test"
clean
# ~/.dockercfg: the legacy format, the auths map at the top level
printf '{%s}\n' "$(entry "https://$REG/v1/" "$RIGHT")" >"$LEGACY_FILE"
both 0
verbose 0
expect_match "from auth file $LEGACY_FILE, \[\"https://$reg_re/v1/\"\]" "$ERR"
clean

echo "# the order: the first file with an entry for the registry wins, right or wrong"
# REGISTRY_AUTH_FILE takes the primary (runtime-dir) file's place
his=("$RAF" "$XDG_FILE" "$CFG_FILE" "$DOCKER_FILE")
los=("$CFG_FILE" "$CFG_FILE" "$DOCKER_FILE" "$LEGACY_FILE")
# put FILE USER:PASS [KEY]: one entry in FILE, in the format of that file
put() {
	if [[ $1 == "$LEGACY_FILE" ]]; then
		printf '{%s}\n' "$(entry "${3:-$REG}" "$2")" >"$1"
	else
		authfile "$1" "$(entry "${3:-$REG}" "$2")"
	fi
}
for i in 0 1 2 3; do
	hi=${his[$i]} lo=${los[$i]} env=()
	[[ $hi == "$RAF" ]] && env=(REGISTRY_AUTH_FILE="$RAF")
	echo "# ${hi#"$T"/} before ${lo#"$T"/}"
	put "$hi" "$WRONG"
	put "$lo" "$RIGHT"
	both 3 "${env[@]}"
	expect_match "401" "$SIGNET_ERR"
	expect_no_match "wrong-pw" "$SIGNET_ERR"
	put "$hi" "$RIGHT"
	put "$lo" "$WRONG"
	both 0 "${env[@]}"
	# a higher file with no entry for this registry, or none at all, passes on
	put "$hi" "$WRONG" "other.example:5000"
	put "$lo" "$RIGHT"
	both 0 "${env[@]}"
	rm -f "$hi"
	both 0 "${env[@]}"
	clean
done
# with REGISTRY_AUTH_FILE set, the runtime-dir file is not read
put "$XDG_FILE" "$RIGHT"
both 3 REGISTRY_AUTH_FILE="$RAF"
clean
# an entry without credentials (docker's {}) passes on too
mkdir -p "$(dirname "$XDG_FILE")"
printf '{"auths":{"%s":{}}}\n' "$REG" >"$XDG_FILE"
authfile "$CFG_FILE" "$(entry "$REG" "$RIGHT")"
both 0
clean

echo "# a malformed file in the search path is an error naming it and the JSON path"
authfile "$CFG_FILE" "$(entry "$REG" "$RIGHT")"
echo '{"auths": {' >"$XDG_FILE"
expect_exit 2 -- "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "^signet: auth file $XDG_FILE: invalid JSON" "$ERR"
expect_exit 1 -- skopeo inspect --raw --cert-dir "$REG_CA_DIR" "$img"
expect_match "$XDG_FILE" "$ERR"
printf '{"auths":{"%s":{"auth":"not base64!"}}}\n' "$REG" >"$XDG_FILE"
expect_exit 2 -- "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "^signet: auth file $XDG_FILE: auths\[\"$reg_re\"\]\.auth: invalid base64" "$ERR"
clean

echo "# namespace keys: the most specific key of a file wins; files still in order"
authfile "$XDG_FILE" "$(entry "$REG" "$WRONG")" "$(entry "$REG/test" "$RIGHT")"
both 0
verbose 0
expect_match "from auth file $XDG_FILE, auths\[\"$reg_re/test\"\]" "$ERR"
authfile "$XDG_FILE" "$(entry "$REG" "$RIGHT")" "$(entry "$REG/test/oci" "$WRONG")"
both 3
# a host key in a higher file beats a namespace key in a lower one
authfile "$XDG_FILE" "$(entry "$REG" "$WRONG")"
authfile "$CFG_FILE" "$(entry "$REG/test" "$RIGHT")"
both 3
clean

echo "# --authfile: that file alone; --creds beat everything"
authfile "$XDG_FILE" "$(entry "$REG" "$RIGHT")"
authfile "$T/given.json" "$(entry "$REG" "$WRONG")"
expect_exit 3 -- "$SIGNET" inspect "${tls[@]}" --authfile "$T/given.json" "$img"
expect_match '401' "$ERR"
# no entry in it: nothing else is searched (skopeo 1.9 would go on searching)
authfile "$T/given.json" "$(entry "other.example:5000" "$RIGHT")"
expect_exit 3 -- "$SIGNET" inspect -v "${tls[@]}" --authfile "$T/given.json" "$img"
expect_match "401, no credentials given" "$ERR"
expect_match "no credentials for $reg_re/test/oci in the auth file $T/given.json" "$ERR"
expect_no_match "$XDG_FILE" "$ERR"
authfile "$XDG_FILE" "$(entry "$REG" "$WRONG")"
expect_exit 0 -- "$SIGNET" inspect "${tls[@]}" --creds "$RIGHT" "$img"
clean

echo "# credential helpers"
HB="$T/helper-bin"
mkdir -p "$HB"
# docker-credential-test: answers as CH_MODE says; keeps its arguments and
# standard input.  The password reaches it only through this file.
cat >"$HB/docker-credential-test" <<EOF
#!/bin/sh
echo "\$@" >"$T/helper.args"
cat >"$T/helper.stdin"
case "\${CH_MODE:-ok}" in
ok) printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$(cat "$T/helper.stdin")" '$REG_USER' '$REG_PASS' ;;
wrong) printf '{"ServerURL":"x","Username":"%s","Secret":"wrong-pw"}\n' '$REG_USER' ;;
notfound) echo 'credentials not found in native keychain'; exit 1 ;;
fail) echo 'the keyring is locked ($REG_PASS)'; exit 1 ;;
token) printf '{"ServerURL":"x","Username":"<token>","Secret":"%s"}\n' '$REG_PASS' ;;
big) printf '{"ServerURL":"x","Username":"%s","Secret":"' '$REG_USER'; head -c 70000 /dev/zero | tr '\\0' x; printf '"}' ;;
hang) exec sleep 61.25 ;;
esac
EOF
chmod +x "$HB/docker-credential-test"
HPATH="$HB:$PATH"

mkdir -p "$(dirname "$XDG_FILE")"
printf '{"credHelpers":{"%s":"test"}}\n' "$REG" >"$XDG_FILE"
both 0 PATH="$HPATH"
expect_eq "$(cat "$T/helper.args")" "get" "the helper's arguments"
expect_eq "$(od -An -c "$T/helper.stdin" | tr -s ' ')" "$(printf '%s' "$REG" | od -An -c | tr -s ' ')" \
	"the helper's standard input (the registry host, no newline)"
verbose 0 PATH="$HPATH"
expect_match "credentials for $reg_re/test/oci from helper docker-credential-test \(credHelpers\[\"$reg_re\"\] in auth file $XDG_FILE\)" "$ERR"
# a wrong password from the helper is used, not the next file's
authfile "$CFG_FILE" "$(entry "$REG" "$RIGHT")"
both 3 PATH="$HPATH" CH_MODE=wrong
# "credentials not found": the next file
both 0 PATH="$HPATH" CH_MODE=notfound
verbose 0 PATH="$HPATH" CH_MODE=notfound
expect_match "docker-credential-test: credentials not found for $reg_re" "$ERR"
expect_match "from auth file $CFG_FILE" "$ERR"
rm -f "$CFG_FILE"

# credsStore: docker's default helper (skopeo does not read it)
printf '{"credsStore":"test","auths":{"%s":{}}}\n' "$REG" >"$XDG_FILE"
expect_exit 0 -- env PATH="$HPATH" "$SIGNET" inspect -v "${tls[@]}" "$img"
expect_match "from helper docker-credential-test \(credsStore in auth file $XDG_FILE\)" "$ERR"
expect_no_match "$REG_PASS" "$ERR"
expect_eq "$(cat "$T/helper.stdin")" "$REG" "the credsStore helper's standard input"
# and in the file --authfile names
cp "$XDG_FILE" "$T/given.json"
rm -f "$XDG_FILE"
expect_exit 0 -- env PATH="$HPATH" "$SIGNET" inspect "${tls[@]}" --authfile "$T/given.json" "$img"

printf '{"credHelpers":{"%s":"test"}}\n' "$REG" >"$XDG_FILE"
echo "# a reply over SIGNET_MAX_CREDHELPER_REPLY"
expect_exit 2 -- env PATH="$HPATH" CH_MODE=big "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "^signet: credential helper docker-credential-test: reply for $reg_re larger than the limit of 65536 bytes \(SIGNET_MAX_CREDHELPER_REPLY\)" "$ERR"
echo "# a helper that fails: its output (here with the password) is not shown"
expect_exit 3 -- env PATH="$HPATH" CH_MODE=fail "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "^signet: credential helper docker-credential-test: get for $reg_re failed \(exit status 1\)" "$ERR"
expect_no_match "$REG_PASS" "$ERR"
echo "# an identity token: refused, named"
expect_exit 2 -- env PATH="$HPATH" CH_MODE=token "$SIGNET" inspect "${tls[@]}" "$img"
expect_match "identity token .*<token>.* for $reg_re" "$ERR"
expect_no_match "$REG_PASS" "$ERR"
echo "# a helper not in PATH"
printf '{"credHelpers":{"%s":"nonesuch"}}\n' "$REG" >"$XDG_FILE"
both 3
expect_match "^signet: credential helper docker-credential-nonesuch: cannot run it \(not found in PATH\)" "$SIGNET_ERR"
printf '{"credHelpers":{"%s":"test"}}\n' "$REG" >"$XDG_FILE"
echo "# a helper that hangs: killed at SIGNET_CREDHELPER_TIMEOUT_MS (10 s), or at --timeout"
start=$SECONDS
expect_exit 3 -- env PATH="$HPATH" CH_MODE=hang "$SIGNET" inspect "${tls[@]}" "$img"
took=$((SECONDS - start))
expect_match "^signet: credential helper docker-credential-test: no answer for $reg_re within 10000 ms: killed" "$ERR"
expect_eq "$((took >= 9 && took <= 20))" 1 "seconds before the hanging helper was killed ($took)"
start=$SECONDS
expect_exit 3 -- env PATH="$HPATH" CH_MODE=hang "$SIGNET" inspect --timeout 2s "${tls[@]}" "$img"
took=$((SECONDS - start))
expect_match "no answer for $reg_re within [0-9]+ ms: killed" "$ERR"
expect_eq "$((took <= 5))" 1 "seconds before --timeout killed the helper ($took)"
expect_eq "$(pgrep -f "^sleep 61.25$" | wc -l)" 0 "helpers left running"
clean

stop_registry
finish
