# SPDX-License-Identifier: Apache-2.0
# tests/lib.sh: what the integration tests share.  Source it from a test:
#
#   . "$SRCDIR/tests/lib.sh"
#   need docker-registry skopeo ...
#   start_registry tls; push_images
#   expect_exit 0 -- "$SIGNET" inspect --cert-dir "$REG_CA_DIR" "docker://$REG/test/oci:v1"
#   expect_match '^Digest: sha256:' "$OUT"
#   finish
#
# Environment (set by tests/meson.build): SIGNET, TESTSERVER, SRCDIR.
# Everything lives in one temporary directory, $T, removed on exit; every
# process started here is killed on exit, whatever the reason.

set -Eeuo pipefail

: "${SIGNET:?SIGNET must name the signet binary}"
: "${TESTSERVER:?TESTSERVER must name the signet-testserver binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
[[ -x $SIGNET ]] || { echo "FAIL: SIGNET=$SIGNET is not an executable"; echo "0 passed, 1 failed"; exit 1; }
[[ -x $TESTSERVER ]] || { echo "FAIL: TESTSERVER=$TESTSERVER is not an executable"; echo "0 passed, 1 failed"; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/signet-it.XXXXXX")
PIDS=()		# every background process started here
GPG_HOMES=()	# GnuPG homes made here: their gpg-agents are stopped on exit
PASSED=0
FAILED=0
FINISHED=0
N=0		# commands run by expect_exit; OUT and ERR are the last one's files
OUT=/dev/null
ERR=/dev/null

# Keep skopeo and signet away from the caller's configuration (their
# default auth files live under these).
export HOME="$T/home" XDG_RUNTIME_DIR="$T/run" XDG_CONFIG_HOME="$T/home/.config"
export DOCKER_CONFIG="$T/home/.docker"
unset REGISTRY_AUTH_FILE
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

_cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM ERR
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for pid in "${GPG_HOMES[@]}"; do
		gpgconf --homedir "$pid" --kill all >/dev/null 2>&1 || true
	done
	rm -rf "$T"
	if [[ $FINISHED == 0 ]]; then
		echo "FAIL: the test stopped before its end (exit $rc)"
		echo "$PASSED passed, $((FAILED + 1)) failed"
		exit 1
	fi
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
trap 'echo "lib.sh: command failed (exit $?) at ${BASH_SOURCE[0]}:$LINENO: $BASH_COMMAND" >&2' ERR

# ---- results -----------------------------------------------------------

pass() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

# Aborts the test (counted as a failure) when the harness itself cannot go on.
die() {
	echo "FAIL: $*" >&2
	exit 1
}

# need TOOL...: a missing tool is a failure, never a skip.
need() {
	local tool missing=0
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			fail "required tool '$tool' is not installed (see .ci/run for the Debian packages)"
			missing=1
		fi
	done
	[[ $missing == 0 ]] || die "cannot run without the tools above"
}

_show() {
	echo "  --- stdout ($1)"; sed -n '1,40s/^/  | /p' "$1"
	echo "  --- stderr ($2)"; sed -n '1,40s/^/  | /p' "$2"
}

# expect_exit CODE -- CMD...: runs CMD with stdout in $OUT and stderr in
# $ERR; passes if it exits with CODE, else fails and shows both.
expect_exit() {
	local want=$1 rc=0 shown
	shift
	[[ ${1-} == -- ]] && shift
	N=$((N + 1))
	OUT="$T/out.$N" ERR="$T/err.$N"
	shown="$*"
	shown=${shown//"$SIGNET"/signet}
	shown=${shown//"$T"/\$T}
	"$@" >"$OUT" 2>"$ERR" </dev/null || rc=$?
	if [[ $rc == "$want" ]]; then
		pass "exit $want: $shown"
	else
		fail "exit $rc, expected $want: $shown"
		_show "$OUT" "$ERR"
	fi
}

# expect_match REGEX FILE: an extended regex matches a line of FILE.
expect_match() {
	if grep -Eq -- "$1" "$2"; then
		pass "matches /$1/"
	else
		fail "no line of ${2##*/} matches /$1/"
		sed -n '1,40s/^/  | /p' "$2"
	fi
}

# expect_no_match REGEX FILE
expect_no_match() {
	if grep -Eq -- "$1" "$2"; then
		fail "${2##*/} matches /$1/ and should not"
		grep -E -- "$1" "$2" | sed -n '1,10s/^/  | /p'
	else
		pass "does not match /$1/"
	fi
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	if [[ "$1" == "$2" ]]; then
		pass "$3 = ${2//$'\n'/ | }"
	else
		fail "$3: got '${1//$'\n'/ | }', expected '${2//$'\n'/ | }'"
	fi
}

# finish: the summary line; exit status 1 if anything failed.
finish() {
	FINISHED=1
	echo "$PASSED passed, $FAILED failed"
	exit $((FAILED > 0))
}

# ---- processes and ports -------------------------------------------------

# free_port: a loopback TCP port nothing listens on, below the ephemeral
# range and not handed out before in this test.
free_port() {
	local p i
	touch "$T/ports"
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 12000))
		grep -qx "$p" "$T/ports" && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p" >>"$T/ports"
			echo "$p"
			return 0
		fi
	done
	die "no free loopback port found"
}

# start_bg LOG CMD...: starts CMD in the background (its output in LOG),
# remembers its pid in PIDS and sets BG_PID.
start_bg() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 </dev/null &
	BG_PID=$!
	PIDS+=("$BG_PID")
}

# stop_pid PID: stops one process started by start_bg.
stop_pid() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# wait_for WHAT PID LOG CMD...: retries CMD for up to 15 s while PID lives.
wait_for() {
	local what=$1 pid=$2 log=$3 i
	shift 3
	for i in $(seq 1 150); do
		"$@" >/dev/null 2>&1 && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "--- $log"; tail -n 20 "$log" || true
			die "$what exited before it was ready"
		fi
		sleep 0.1
	done
	echo "--- $log"; tail -n 20 "$log" || true
	die "$what was not ready within 15 s"
}

# start_testserver LOG ARGS...: runs $TESTSERVER ARGS and waits for "ready".
start_testserver() {
	local log=$1
	shift
	start_bg "$log" "$TESTSERVER" "$@" --lifetime 300
	TS_PID=$BG_PID
	wait_for "signet-testserver $1" "$TS_PID" "$log" grep -qx ready "$log"
}

# ---- certificates ---------------------------------------------------------

# make_ca: a test CA in $T/ca (ca.crt, ca.key), once per test.
make_ca() {
	[[ -f "$T/ca/ca.crt" ]] && return 0
	mkdir -p "$T/ca"
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=signet test CA" -keyout "$T/ca/ca.key" -out "$T/ca/ca.crt" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		2>"$T/ca/openssl.log" || { cat "$T/ca/openssl.log"; die "openssl could not make the test CA"; }
}

# make_cert DIR CN ec|rsa EXT: a key and a certificate signed by the test CA.
make_cert() {
	local dir=$1 cn=$2 ext=$4
	local -a key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	[[ $3 == rsa ]] && key=(-newkey rsa:2048)
	make_ca
	mkdir -p "$dir"
	printf '%s\n' "basicConstraints=CA:FALSE" "$ext" >"$dir/ext.cnf"
	{ openssl req -new "${key[@]}" -nodes -subj "/CN=$cn" -keyout "$dir/$cn.key" -out "$dir/$cn.csr" &&
	  openssl x509 -req -in "$dir/$cn.csr" -CA "$T/ca/ca.crt" -CAkey "$T/ca/ca.key" -CAcreateserial \
		-days 2 -extfile "$dir/ext.cnf" -out "$dir/$cn.crt"; } >"$dir/openssl.log" 2>&1 ||
		{ cat "$dir/openssl.log"; die "openssl could not make the certificate $cn"; }
}

# ---- docker-registry --------------------------------------------------------

REG_N=0

# start_registry MODE: MODE is http | tls | htpasswd | token.  Starts a
# docker-registry on 127.0.0.1 and exports REG (host:port), REG_MODE,
# REG_DIR, REG_CA_DIR (a --cert-dir with ca.crt; TLS modes), REG_USER and
# REG_PASS (htpasswd and token), and the array REG_FLAGS (the signet flags
# that reach it with the right credentials).
start_registry() {
	local mode=$1 port dir tokenport
	need docker-registry openssl curl
	REG_N=$((REG_N + 1))
	dir="$T/registry.$REG_N"
	port=$(free_port)
	mkdir -p "$dir/storage"
	export REG="127.0.0.1:$port" REG_MODE=$mode REG_DIR=$dir REG_CA_DIR="" REG_USER="" REG_PASS=""
	REG_FLAGS=()
	{
		echo "version: 0.1"
		echo "log:"
		echo "  level: warn"
		echo "  accesslog:"
		echo "    disabled: true"
		# Debian's own /etc/docker/registry/config.yml keeps blob
		# descriptors in memory: so does this one.
		echo "storage:"
		echo "  cache:"
		echo "    blobdescriptor: inmemory"
		echo "  filesystem:"
		echo "    rootdirectory: $dir/storage"
		echo "  delete:"
		echo "    enabled: true"
		echo "http:"
		echo "  addr: 127.0.0.1:$port"
		echo "  secret: signet-test-secret"
	} >"$dir/config.yml"

	if [[ $mode != http ]]; then
		make_cert "$dir/tls" localhost ec \
			"subjectAltName=IP:127.0.0.1,DNS:localhost"
		mkdir -p "$dir/certs"
		cp "$T/ca/ca.crt" "$dir/certs/ca.crt"
		export REG_CA_DIR="$dir/certs"
		REG_FLAGS=(--cert-dir "$REG_CA_DIR")
		{
			echo "  tls:"
			echo "    certificate: $dir/tls/localhost.crt"
			echo "    key: $dir/tls/localhost.key"
		} >>"$dir/config.yml"
	fi

	case $mode in
	http) REG_FLAGS=(--tls-verify=false) ;;
	tls) ;;
	htpasswd)
		need htpasswd
		export REG_USER=alice REG_PASS="s3cret-$RANDOM"
		htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$dir/htpasswd" 2>/dev/null || die "htpasswd failed"
		printf '%s\n' "auth:" "  htpasswd:" "    realm: signet-test" "    path: $dir/htpasswd" \
			>>"$dir/config.yml"
		REG_FLAGS+=(--creds "$REG_USER:$REG_PASS")
		;;
	token)
		export REG_USER=bob REG_PASS="t0ken-$RANDOM"
		tokenport=$(free_port)
		make_cert "$dir/token" token-signer rsa "keyUsage=critical,digitalSignature"
		# The realm is HTTPS too: signet will not send credentials over plain
		# HTTP while it verifies TLS.
		printf '%s\n' "auth:" "  token:" "    realm: https://127.0.0.1:$tokenport/token" \
			"    service: signet-test-registry" "    issuer: signet-test-issuer" \
			"    rootcertbundle: $T/ca/ca.crt" >>"$dir/config.yml"
		start_testserver "$dir/tokenserver.log" token --port "$tokenport" \
			--key "$dir/token/token-signer.key" --cert "$dir/token/token-signer.crt" \
			--issuer signet-test-issuer --service signet-test-registry \
			--user "$REG_USER" --password "$REG_PASS" --log "$dir/token-requests.log" \
			--tls-cert "$dir/tls/localhost.crt" --tls-key "$dir/tls/localhost.key"
		REG_TOKEN_PID=$TS_PID
		REG_FLAGS+=(--creds "$REG_USER:$REG_PASS")
		;;
	*) die "start_registry: unknown mode '$mode'" ;;
	esac

	# docker-registry reads REGISTRY_* variables as configuration: none here.
	# timeout(1) passes our TERM on, and bounds its life if we are killed.
	start_bg "$dir/registry.log" timeout -k 5 600 env -i PATH="$PATH" HOME="$HOME" \
		docker-registry serve "$dir/config.yml"
	REG_PID=$BG_PID
	if [[ $mode == http ]]; then
		wait_for "docker-registry ($mode)" "$REG_PID" "$dir/registry.log" \
			curl -sf -o /dev/null "http://$REG/v2/"
	else
		# 200, or 401 with auth: either way it answers.
		wait_for "docker-registry ($mode)" "$REG_PID" "$dir/registry.log" \
			curl -s -o /dev/null --cacert "$REG_CA_DIR/ca.crt" "https://$REG/v2/"
	fi
	echo "# docker-registry ($mode) on $REG"
}

# stop_registry: stops the registry (and its token server) started last.
stop_registry() {
	stop_pid "$REG_PID"
	if [[ $REG_MODE == token ]]; then
		stop_pid "$REG_TOKEN_PID"
	fi
}

# ---- images ---------------------------------------------------------------

# make_images: builds the fixture images once per test into $IMAGES
# (an OCI layout with tags v1, v2, amd64, arm64 and the index "multi").
make_images() {
	IMAGES="$T/images"
	[[ -f "$IMAGES/index.json" ]] && return 0
	need umoci jq sha256sum
	bash "$SRCDIR/fixtures/make-images.sh" "$IMAGES" >"$T/make-images.log" 2>&1 ||
		{ cat "$T/make-images.log"; die "fixtures/make-images.sh failed"; }
}

# _skopeo_flags src|dest: sets SKOPEO_FLAGS, the skopeo flags that reach $REG.
_skopeo_flags() {
	local dir=$1
	SKOPEO_FLAGS=()
	if [[ $REG_MODE == http ]]; then
		SKOPEO_FLAGS+=("--$dir-tls-verify=false")
	else
		SKOPEO_FLAGS+=("--$dir-cert-dir" "$REG_CA_DIR")
	fi
	if [[ -n $REG_USER ]]; then
		SKOPEO_FLAGS+=("--$dir-creds" "$REG_USER:$REG_PASS")
	fi
}

# push_referrer REPO DIGEST BUNDLE-FILE: pushes BUNDLE (a Sigstore bundle
# v0.3) as a referrer of DIGEST in REPO of $REG the way cosign v3 does on a
# registry without the referrers API (the artifact manifest, then the
# sha256-<hex> tag's index with it added); prints the referrer's digest.
push_referrer() {
	local repo=$1 digest=$2 bundle=$3 f bd md idx tag
	local MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
	local MT_INDEX=application/vnd.oci.image.index.v1+json
	local MT_BUNDLE=application/vnd.dev.sigstore.bundle.v0.3+json
	local MT_EMPTY=application/vnd.oci.empty.v1+json SIGN_PREDICATE=https://sigstore.dev/cosign/sign/v1
	f=$(mktemp "$T/ref.XXXXXX")
	printf '{}' >"$f.empty"
	reg_put_blob "$repo" "$f.empty" >/dev/null
	bd=$(reg_put_blob "$repo" "$bundle")
	reg_manifest "$repo" "$digest" >"$f.subject"
	jq -cn --arg mt "$MT_MANIFEST" --arg at "$MT_BUNDLE" --arg em "$MT_EMPTY" \
		--arg ed "$(sha256_of "$f.empty")" --arg bd "$bd" --argjson bs "$(stat -c %s "$bundle")" \
		--arg sd "$digest" --argjson ss "$(stat -c %s "$f.subject")" --arg p "$SIGN_PREDICATE" \
		'{schemaVersion: 2, mediaType: $mt, artifactType: $at,
		  config: {mediaType: $em, digest: $ed, size: 2},
		  layers: [{mediaType: $at, digest: $bd, size: $bs}],
		  subject: {mediaType: $mt, digest: $sd, size: $ss},
		  annotations: {"dev.sigstore.bundle.content": "dsse-envelope",
		                "dev.sigstore.bundle.predicateType": $p}}' | tr -d '\n' >"$f"
	md=$(sha256_of "$f")
	reg_put_manifest "$repo" "$md" "$f"
	tag=${digest/:/-}
	idx=$(reg_manifest "$repo" "$tag" "$MT_INDEX" 2>/dev/null) ||
		idx="{\"schemaVersion\":2,\"mediaType\":\"$MT_INDEX\",\"manifests\":[]}"
	jq -c --arg mt "$MT_MANIFEST" --arg at "$MT_BUNDLE" --arg md "$md" --argjson ms "$(stat -c %s "$f")" \
		--arg p "$SIGN_PREDICATE" \
		'.manifests += [{mediaType: $mt, digest: $md, size: $ms, artifactType: $at,
		                 annotations: {"dev.sigstore.bundle.predicateType": $p}}]' <<<"$idx" |
		tr -d '\n' >"$f.index"
	reg_put_manifest "$repo" "$tag" "$f.index" "$MT_INDEX"
	echo "$md"
}

# push_image SRC DEST [SKOPEO-FLAGS...]: skopeo copy SRC (oci:$IMAGES:TAG)
# to docker://$REG/DEST in the registry's mode.
push_image() {
	local src=$1 dest=$2
	shift 2
	need skopeo
	make_images
	_skopeo_flags dest
	printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/skopeo-policy.json"
	skopeo --policy "$T/skopeo-policy.json" copy -q "${SKOPEO_FLAGS[@]}" "$@" "oci:$IMAGES:$src" \
		"docker://$REG/$dest" >"$T/push.log" 2>&1 ||
		{ cat "$T/push.log"; die "skopeo could not push $src to $REG/$dest ($REG_MODE)"; }
}

# push_images: pushes the fixture images to $REG:
#   test/oci:v1     OCI image manifest      (oci:IMAGES:v1)
#   test/oci:v2     OCI image manifest      (oci:IMAGES:v2)
#   test/docker:v1  Docker schema 2         (oci:IMAGES:v1 with --format v2s2)
#   test/multi:v1   OCI index, 2 platforms  (oci:IMAGES:multi with --all)
push_images() {
	push_image v1 test/oci:v1
	push_image v2 test/oci:v2
	push_image v1 test/docker:v1 --format v2s2
	push_image multi test/multi:v1 --all
}

# skopeo_raw IMAGE: the manifest bytes skopeo reads for docker://$REG/IMAGE.
skopeo_raw() {
	_skopeo_flags src
	skopeo inspect --raw "${SKOPEO_FLAGS[@]/--src-/--}" "docker://$REG/$1"
}

# sha256_of FILE: "sha256:<hex>".
sha256_of() {
	echo "sha256:$(sha256sum <"$1" | cut -d' ' -f1)"
}

# ---- OpenPGP keys and signature stores ---------------------------------------

# make_gpg_keys: the keys of fixtures/make-gpg-keys.sh, made once per test
# in $KEYS (A.asc, A.gpg, B.asc, ..., fingerprints); exports GNUPGHOME (the
# home holding every secret key, for signet sign and skopeo --sign-by) and
# sets FPR_A, FPR_B, FPR_C, FPR_C_SUB, FPR_EXPIRED, FPR_REVOKED, FPR_P, FPR_E256,
# FPR_E384 and FPR_R2048.
# debian_default_policy: writes Debian's /etc/containers/policy.json, as
# skopeo installs it (accept anything), where signet looks by default,
# $HOME/.config/containers/policy.json; DEF is its path, DEF_RE the path as
# an extended regular expression.
debian_default_policy() {
	DEF="$HOME/.config/containers/policy.json"
	mkdir -p "${DEF%/*}"
	printf '%s\n' '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}' \
		>"$DEF"
	DEF_RE=$(sed 's/[.[\*^$/]/\\&/g' <<<"$DEF")
}

make_gpg_keys() {
	local name fpr
	KEYS="$T/keys"
	if [[ ! -f $KEYS/fingerprints ]]; then
		need gpg gpgconf
		GPG_HOMES+=("$KEYS/gnupg")
		sh "$SRCDIR/fixtures/make-gpg-keys.sh" "$KEYS" >"$T/make-gpg-keys.log" 2>&1 ||
			{ cat "$T/make-gpg-keys.log"; die "fixtures/make-gpg-keys.sh failed"; }
	fi
	export GNUPGHOME="$KEYS/gnupg"
	while IFS='=' read -r name fpr; do
		printf -v "FPR_$name" '%s' "$fpr"
	done <"$KEYS/fingerprints"
}

# gpg_home DIR KEYFILE...: a GnuPG home holding only these public keys (the
# keyring skopeo reads in standalone-verify).
gpg_home() {
	local dir=$1
	shift
	mkdir -p "$dir"
	chmod 700 "$dir"
	GPG_HOMES+=("$dir")
	GNUPGHOME=$dir gpg --batch --no-tty --quiet --import "$@" >"$dir.log" 2>&1 ||
		{ cat "$dir.log"; die "gpg could not import $* into $dir"; }
}

# make_sig_vectors MANIFEST REFERENCE DIR: fixtures/make-sig-vectors.sh over
# MANIFEST for REFERENCE with the keys of make_gpg_keys, into DIR.
make_sig_vectors() {
	make_gpg_keys
	GPG_HOMES+=("$3/gnupg")
	bash "$SRCDIR/fixtures/make-sig-vectors.sh" "$KEYS" "$1" "$2" "$3" >"$3.log" 2>&1 ||
		{ cat "$3.log"; die "fixtures/make-sig-vectors.sh failed"; }
}

# registries_d DIR SCOPE URL: a registries.d directory whose DIR/x.yaml
# sets lookaside and lookaside-staging of the docker scope SCOPE to URL.
registries_d() {
	mkdir -p "$1"
	printf '%s\n' "docker:" "  $2:" "    lookaside: $3" "    lookaside-staging: $3" >"$1/x.yaml"
}

# lookaside_dir ROOT REPO DIGEST: the directory of a file:// lookaside rooted
# at ROOT that holds signature-N of REPO (no host) @ DIGEST.
lookaside_dir() {
	echo "$1/$2@${3/:/=}"
}

# put_signatures DIR FILE...: replaces the signatures in DIR by FILE... as
# signature-1, signature-2, ...; "-" leaves that number out.
put_signatures() {
	local dir=$1 n=0 f
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in "$@"; do
		n=$((n + 1))
		[[ $f == - ]] || cp "$f" "$dir/signature-$n"
	done
}

# start_files_server ROOT [ARGS...]: signet-testserver files serving ROOT
# over plain HTTP on a free loopback port; sets FILES_URL and FILES_PID.
start_files_server() {
	local root=$1 port
	shift
	port=$(free_port)
	start_testserver "$T/files.$port.out" files --port "$port" --root "$root" \
		--log "$T/files.$port.log" "$@"
	FILES_PID=$TS_PID
	FILES_URL="http://127.0.0.1:$port"
}

# ---- the registry API by hand (http mode) -------------------------------------
# For tests that put what skopeo and signet would never write (broken
# manifests, damaged blobs) and read what they wrote without them.

# reg_manifest REPO REF [ACCEPT]: the manifest bytes on stdout (default
# Accept: OCI image manifest).
reg_manifest() {
	[[ $REG_MODE == http ]] || die "reg_manifest: http mode only"
	curl -sf -H "Accept: ${3:-application/vnd.oci.image.manifest.v1+json}" \
		"http://$REG/v2/$1/manifests/$2"
}

# reg_blob REPO DIGEST: the blob bytes on stdout.
reg_blob() {
	[[ $REG_MODE == http ]] || die "reg_blob: http mode only"
	curl -sfL "http://$REG/v2/$1/blobs/$2"
}

# reg_put_blob REPO FILE: uploads FILE (POST, then PUT with the digest);
# prints its digest.
reg_put_blob() {
	local repo=$1 file=$2 digest loc
	[[ $REG_MODE == http ]] || die "reg_put_blob: http mode only"
	digest=$(sha256_of "$file")
	loc=$(curl -sf -X POST -D - -o /dev/null "http://$REG/v2/$repo/blobs/uploads/" |
		tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
	[[ -n $loc ]] || die "reg_put_blob: the registry started no upload for $repo"
	[[ $loc == http* ]] || loc="http://$REG$loc"
	[[ $loc == *\?* ]] && loc="$loc&digest=$digest" || loc="$loc?digest=$digest"
	curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
		-o /dev/null "$loc" ||
		die "reg_put_blob: the registry refused $file ($digest) for $repo"
	echo "$digest"
}

# reg_put_manifest REPO REF FILE [MEDIATYPE]: PUTs FILE as the manifest REF.
reg_put_manifest() {
	[[ $REG_MODE == http ]] || die "reg_put_manifest: http mode only"
	curl -sf -X PUT -H "Content-Type: ${4:-application/vnd.oci.image.manifest.v1+json}" \
		--data-binary "@$3" -o "$T/put-manifest.out" "http://$REG/v2/$1/manifests/$2" ||
		die "reg_put_manifest: the registry refused $3 as $1:$2"
}

# reg_blob_file DIGEST: where the registry's storage keeps a blob's bytes
# (to damage them behind its back).
reg_blob_file() {
	local hex=${1#sha256:}
	echo "$REG_DIR/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
}

# cosign_tag DIGEST: the tag of the cosign .sig attachment of DIGEST.
cosign_tag() {
	echo "${1/:/-}.sig"
}

# ---- digests as skopeo sees them, and workload templates --------------------

# skopeo_digest IMAGE: skopeo inspect --format '{{.Digest}}' of
# docker://$REG/IMAGE (for an index: the index's own digest).
skopeo_digest() {
	_skopeo_flags src
	skopeo inspect --format '{{.Digest}}' "${SKOPEO_FLAGS[@]/--src-/--}" "docker://$REG/$1"
}

# instance_digest IMAGE [OS/ARCH]: the digest of the instance an index at
# docker://$REG/IMAGE lists for OS/ARCH (default: linux and this machine's
# architecture), read from the raw index skopeo fetches.
instance_digest() {
	local platform=${2-} arch
	if [[ -z $platform ]]; then
		case $(uname -m) in
		x86_64) arch=amd64 ;;
		aarch64) arch=arm64 ;;
		s390x) arch=s390x ;;
		ppc64le) arch=ppc64le ;;
		*) arch=$(uname -m) ;;
		esac
		platform=linux/$arch
	fi
	skopeo_raw "$1" | jq -er --arg os "${platform%%/*}" --arg arch "${platform#*/}" \
		'[.manifests[] | select(.platform.os == $os and .platform.architecture == $arch)] |
		 if length == 1 then .[0].digest else error("not exactly one instance") end'
}

# fill_template TEMPLATE OUT NAME=VALUE...: copies TEMPLATE to OUT with
# each @NAME@ replaced by VALUE, byte for byte otherwise (trailing newlines
# included); dies if a @NAME@ is left.
fill_template() {
	local tmpl=$1 out=$2 s='' kv
	shift 2
	IFS= read -rd '' s <"$tmpl" || true
	for kv in "$@"; do
		s=${s//"@${kv%%=*}@"/"${kv#*=}"}
	done
	printf '%s' "$s" >"$out"
	if grep -Eq '@[A-Z][A-Z0-9_]*@' "$out"; then
		die "fill_template: $out still has $(grep -Eo '@[A-Z][A-Z0-9_]*@' "$out" | head -n 1)"
	fi
}

# ---- many images, many signatures (audit tests and benchmarks) -----------------

# reg_retag REPO FROM TO...: gives the manifest REPO:FROM the tags TO... with
# curl (GET it once with its media type, PUT the same bytes under each tag):
# far faster than one skopeo copy per tag (http mode).
reg_retag() {
	local repo=$1 from=$2 mt to
	shift 2
	[[ $REG_MODE == http ]] || die "reg_retag: http mode only"
	curl -sf -D "$T/retag.headers" -o "$T/retag.manifest" \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.oci.image.index.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
		"http://$REG/v2/$repo/manifests/$from" || die "reg_retag: cannot read $repo:$from"
	mt=$(tr -d '\r' <"$T/retag.headers" | sed -n 's/^[Cc]ontent-[Tt]ype: //p')
	[[ -n $mt ]] || die "reg_retag: $repo:$from has no Content-Type"
	for to in "$@"; do
		reg_put_manifest "$repo" "$to" "$T/retag.manifest" "$mt"
	done
}

# gpg_simple_sign OUT FPR IDENTITY DIGEST [GPG-ARGS...]: a simple signing
# signature (containers/image "atomic container signature") of DIGEST
# claiming IDENTITY, made by gpg itself with the key FPR of $GNUPGHOME
# (make_gpg_keys); neither signet nor skopeo is involved.
gpg_simple_sign() {
	local out=$1 fpr=$2 id=$3 digest=$4
	shift 4
	jq -cn --arg id "$id" --arg d "$digest" \
		'{critical: {identity: {"docker-reference": $id}, image: {"docker-manifest-digest": $d},
		             type: "atomic container signature"}, optional: {}}' | tr -d '\n' >"$out.payload"
	gpg --batch --no-tty --quiet --yes --local-user "$fpr" "$@" --sign -o "$out" "$out.payload" \
		>"$out.log" 2>&1 || { cat "$out.log"; die "gpg could not sign $out.payload by $fpr"; }
	rm -f "$out.payload" "$out.log"
}

# flip_last_byte FILE: damages FILE's last byte (an uncompressed signature
# packet's last byte is the low byte of the signature value).
flip_last_byte() {
	local size last
	size=$(stat -c %s "$1")
	last=$(od -An -tu1 -j $((size - 1)) "$1" | tr -d ' ')
	printf '%b' "\\0$(printf '%03o' $((last ^ 1)))" | dd of="$1" bs=1 seek=$((size - 1)) conv=notrunc status=none
}

# ---- headless Chromium -----------------------------------------------------

# chromium_run ARGS...: headless Chromium (Debian's chromium, no GPU, no
# sandbox, nothing fetched behind the test's back) with a fresh profile
# under $T, at a 1400x900 window (a laptop screen).
chromium_run() {
	local home
	home=$(mktemp -d "$T/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
		--user-data-dir="$home" --window-size=1400,900 "$@" 2>"$home.log"
}

# chromium_width HTML: "SCROLL VIEWPORT", the page's width
# (documentElement.scrollWidth) and the viewport's (clientWidth) as
# Chromium lays HTML out at 1400x900.  A probe script is added to a copy of
# the page only (the page's own Content-Security-Policy allows inline
# scripts); its answer is read back from --dump-dom.
chromium_width() {
	local probe="$1.probe.html"
	[[ $(grep -c '</body>' "$1") == 1 ]] || die "chromium_width: $1 has not exactly one </body>"
	sed 's|</body>|<script>document.body.setAttribute("data-signet-width", document.documentElement.scrollWidth + " " + document.documentElement.clientWidth);</script></body>|' \
		"$1" >"$probe"
	chromium_run --dump-dom "file://$probe" | sed -n 's/.*data-signet-width="\([0-9]* [0-9]*\)".*/\1/p'
}
