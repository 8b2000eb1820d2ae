# SPDX-License-Identifier: Apache-2.0
# tests/integration/gate.sh: the pre-pull gate end to end against a real
# docker-registry: `signet gate` on a docker compose file, a multi-document
# pod YAML, an HPCR workload section whose compose file is a base64 tar.gz,
# and a contract holding that section; and docs/example/prepull (libsignet
# as a guest runtime uses it, with one verifier and with one per thread).
#
# Images are signed with `signet sign --gpg-key` into a file:// lookaside
# that a registries.d names; the contract pins key A with `signet contract
# images`.  A workload with one image signed only by B is denied as a whole
# and nothing is written; once A signs that image too, the workload is
# written with every image pinned to the digest skopeo sees (the platform
# instance for a multi-platform index), and every other byte as it was:
# each expected file is the template the input was made from, filled with
# the pinned references instead.  In place, the file keeps its permissions
# and a symbolic link stays a link, but the file is a new inode (a hard link
# keeps the old content); in an archive, every tar header and block is kept
# but the compose file's (new size and checksum), and the gzip stream is
# made anew (docs/gate.md).  Compose projects: an override file, a
# COMPOSE_FILE entry, an extends target or a ${IMAGE} from .env naming an
# unsigned image denies the archive, naming the member, and nothing is
# written; a signed ${IMAGE} is written back as the literal pinned
# reference; what the gate cannot evaluate exits 2.  Then a tag is moved
# behind the gated file's back: the file still names the digest that was
# verified.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need docker-registry skopeo umoci gpg gpgconf jq curl sha256sum cmp diff tar gzip base64 ldd nm
: "${PREPULL:?PREPULL must name the docs/example/prepull binary}"
[[ -x $PREPULL ]] || die "PREPULL=$PREPULL is not an executable"

make_gpg_keys
start_registry http
LA="$T/lookaside"
RD="$T/registries.d"
mkdir -p "$LA"
registries_d "$RD" "$REG" "file://$LA"
W="$T/work"	# the workloads; nothing else is ever written here
mkdir -p "$W"

# The images, all in repositories the contract pins to A:
#   app/web:v1     v1      signed by A
#   app/web:latest v1      signed by A; a compose service names it without a tag
#   app/db:v1      amd64   unsigned; the workloads name it by digest
#   app/cache:v1   v2      signed by B (A signs it too, half-way through)
#   app/init:v1    arm64   signed by A
#   app/multi:v1   multi   an index of two platforms; A signs the index
push_image v1 app/web:v1
push_image v1 app/web:latest
push_image amd64 app/db:v1
push_image v2 app/cache:v1
push_image arm64 app/init:v1
push_image multi app/multi:v1 --all
push_image amd64 app/unsigned:v1	# no key pinned for it: prepull denies it

# sign IMAGE FPR: `signet sign` of docker://$REG/IMAGE into the lookaside.
sign() {
	"$SIGNET" sign -q --gpg-key "$2" --registries.d "$RD" --tls-verify=false "docker://$REG/$1" \
		>"$T/sign.log" 2>&1 || { cat "$T/sign.log"; die "signet sign of $1 by $2 failed"; }
}
sign app/web:v1 "$FPR_A"
sign app/web:latest "$FPR_A"
sign app/cache:v1 "$FPR_B"
sign app/init:v1 "$FPR_A"
sign app/multi:v1 "$FPR_A"

# What each image must be pinned to: the digest skopeo reports, except for
# the index, whose platform instance is what gets pulled.
D_WEB=$(skopeo_digest app/web:v1)
D_LATEST=$(skopeo_digest app/web:latest)
D_DB=$(skopeo_digest app/db:v1)
D_CACHE=$(skopeo_digest app/cache:v1)
D_INIT=$(skopeo_digest app/init:v1)
D_INDEX=$(skopeo_digest app/multi:v1)
D_MULTI=$(instance_digest app/multi:v1)
[[ $D_MULTI != "$D_INDEX" ]] || die "the index and its instance have the same digest"

WEB="$REG/app/web:v1"
DB="$REG/app/db@$D_DB"
CACHE="$REG/app/cache:v1"
INIT="$REG/app/init:v1"
MULTI="$REG/app/multi:v1"
# as written in the workloads, and pinned
LATEST="$REG/app/web"	# no tag: pinned as repo@digest
INDEX="$REG/app/multi@$D_INDEX"	# an index by digest: pinned to the platform instance
AS_WRITTEN=(WEB="$WEB" DB="$DB" CACHE="$CACHE" INIT="$INIT" MULTI="$MULTI" LATEST="$LATEST" INDEX="$INDEX")
PINNED=(WEB="$WEB@$D_WEB" DB="$DB" CACHE="$CACHE@$D_CACHE" INIT="$INIT@$D_INIT" MULTI="$MULTI@$D_MULTI"
	LATEST="$LATEST@$D_LATEST" INDEX="$REG/app/multi@$D_MULTI")

"$SIGNET" contract images --rhs "$REG/app/web=$KEYS/A.asc" --rhs "$REG/app/db=$KEYS/A.asc" \
	--rhs "$REG/app/cache=$KEYS/A.asc" --rhs "$REG/app/init=$KEYS/A.asc" \
	--rhs "$REG/app/multi=$KEYS/A.asc" \
	>"$T/images.yaml" 2>"$T/images.err" || { cat "$T/images.err"; die "signet contract images failed"; }
# The contracts: PINS only pins the keys (its workload runs nothing, so it
# vouches for no digest); CON (written once the archive is made, below) is
# the contract of this deployment: the same pins, and a workload whose
# compose archive names app/db by digest, which it thereby vouches for.
PINS="$T/pins.yaml"
{
	echo "workload:"
	echo "  type: workload"
	sed 's/^/  /' "$T/images.yaml"
	echo "env:"
	echo "  type: env"
} >"$PINS"
CON="$T/contract.yaml"

reg_re() { echo "${REG//./\\.}"; }
R=$(reg_re)

# gate_with CONTRACT CODE WORKLOAD [ARGS...]: signet gate with CONTRACT;
# REPORT is a file with its stdout and stderr together.
gate_with() {
	local contract=$1 code=$2 workload=$3
	shift 3
	expect_exit "$code" -- "$SIGNET" gate --contract "$contract" --registries.d "$RD" --tls-verify=false \
		"$workload" "$@"
	REPORT="$T/report.$N"
	cat "$OUT" "$ERR" >"$REPORT"
}
# gate CODE WORKLOAD [ARGS...]: signet gate with the contract CON.
gate() {
	gate_with "$CON" "$@"
}

# only_files NAME...: $W holds exactly these files (no temporary left over,
# no output written by a denied gate).
only_files() {
	expect_eq "$(cd "$W" && find . -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ')" \
		"$(printf '%s\n' "$@" | sort | tr '\n' ' ')" "files in the work directory"
}

# same FILE EXPECTED WHAT: FILE is byte for byte EXPECTED (a diff if not).
same() {
	if cmp -s "$1" "$2"; then
		pass "$3: byte for byte as expected"
	else
		fail "$3: differs from what was expected"
		{ diff -u "$2" "$1" || true; } | sed -n '1,40s/^/  | /p'
	fi
}

# lists_all "IMAGE...": the report of the last gate names each IMAGE.
lists_all() {
	local i
	for i in $1; do
		expect_match "${i//./\\.}" "$REPORT"
	done
}

# ---- the workloads --------------------------------------------------------

# A compose file with comments, three quoting styles, a flow mapping, an
# image named twice, an image by digest, one without a tag, and image-like
# text outside any services.*.image (an environment value, a comment, a
# block scalar).
cat >"$T/compose.tmpl" <<EOF
# The signet gate test workload.  Comments stay as they are,
# even when they name an image: $WEB
name: "gate-test"
services:
  web:
    image: @WEB@    # signed by the pinned key
    ports:
      - "8080:80"
    environment:
      UPSTREAM_IMAGE: "$WEB"
  db:
    image: "@DB@"
    command: ["postgres", "-c", "log_min_messages=warning"]

  cache:
    image: '@CACHE@'
    depends_on: [web, db]
  platforms:
    image: @MULTI@
  worker: {image: @WEB@, restart: always}
  edge:
    image: @LATEST@
x-notes: |
  image: $WEB
  is text in a block scalar, not an image.
EOF
fill_template "$T/compose.tmpl" "$W/compose.yml" "${AS_WRITTEN[@]}"
fill_template "$T/compose.tmpl" "$T/compose.pinned" "${PINNED[@]}"
cp "$W/compose.yml" "$T/compose.orig"

# Pods: several documents, initContainers, a ConfigMap whose data holds an
# image-like value, both sequence indentations, an index named by digest.
cat >"$T/pods.tmpl" <<EOF
# pods of the signet gate test
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    example.com/note: "image: $WEB"
spec:
  initContainers:
    - name: init
      image: @INIT@
  containers:
    - name: web
      image: @WEB@
      args: ["--image", "$WEB"]
    - name: db
      image: "@DB@"
    - name: platforms
      image: @INDEX@
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  image: $WEB
---
# the second pod
apiVersion: v1
kind: Pod
metadata:
  name: cache
spec:
  initContainers:
  - name: init-cache
    image: @INIT@
  - name: init-platforms
    image: @MULTI@
  containers:
  - image: '@CACHE@'
    name: cache
EOF
fill_template "$T/pods.tmpl" "$W/pods.yml" "${AS_WRITTEN[@]}"
fill_template "$T/pods.tmpl" "$T/pods.pinned" "${PINNED[@]}"
cp "$W/pods.yml" "$T/pods.orig"

# An HPCR workload section whose compose is an archive made as IBM's
# documentation says (tar czvf - -C DIR . | base64 -w0: members "./",
# "./docker-compose.yml", ...), holding the compose file and another file
# in a subdirectory; and a whole contract holding that section as a mapping.
mkdir -p "$T/archive/config"
fill_template "$T/compose.tmpl" "$T/archive/docker-compose.yml" "${AS_WRITTEN[@]}"
printf 'LOG_LEVEL=info\nimage=%s\n' "$WEB" >"$T/archive/config/app.env"
chmod 0640 "$T/archive/config/app.env"
touch -d 2024-02-03T04:05:06Z "$T/archive/config/app.env"
# (--sort=name only fixes the order of the members: ./, ./config/,
# ./config/app.env, ./docker-compose.yml; the compose file's header is the
# fifth 512-byte block.)
ARCHIVE=$(tar --sort=name -czf - -C "$T/archive" . | base64 -w0)
base64 -d <<<"$ARCHIVE" | gzip -dc >"$T/archive.tar"
[[ $(dd if="$T/archive.tar" bs=512 skip=4 count=1 2>/dev/null | head -c 20) == ./docker-compose.yml ]] ||
	die "the compose file's tar header is not the fifth block of the archive"
{
	echo "# the workload section of an HPCR contract"
	echo "type: workload"
	echo "compose:"
	echo "  archive: $ARCHIVE"
	cat "$T/images.yaml"
} >"$W/workload.yml"
cp "$W/workload.yml" "$T/workload.orig"
{
	echo "# an HPCR contract, its workload section a mapping"
	echo "workload:"
	echo "  type: workload"
	echo "  compose:"
	echo "    archive: $ARCHIVE"
	sed 's/^/  /' "$T/images.yaml"
	echo "env:"
	echo "  type: env"
} >"$W/contract.yml"
cp "$W/contract.yml" "$T/contract.orig"
WORKLOADS=(compose.yml pods.yml workload.yml contract.yml)
# contract_of FILE COMPOSE: a contract with the pins of images.yaml whose
# workload runs COMPOSE (compose.archive: a tar.gz holding it, in base64).
contract_of() {
	local dir="$T/contract_of.$N"
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$2" "$dir/docker-compose.yml"
	{
		echo "workload:"
		echo "  type: workload"
		echo "  compose:"
		echo "    archive: $(tar -czf - -C "$dir" . | base64 -w0)"
		sed 's/^/  /' "$T/images.yaml"
		echo "env:"
		echo "  type: env"
	} >"$1"
}
# The contract of the deployment: the same workload section.
{
	echo "# the contract the gates below trust"
	echo "workload:"
	echo "  type: workload"
	echo "  compose:"
	echo "    archive: $ARCHIVE"
	sed 's/^/  /' "$T/images.yaml"
	echo "env:"
	echo "  type: env"
} >"$CON"

echo "# one image signed by another key: the whole workload is denied, nothing is written"
gate 1 "$W/compose.yml" -o "$W/out.yml"
only_files "${WORKLOADS[@]}"
same "$W/compose.yml" "$T/compose.orig" "compose.yml after a denial"
expect_match "$R/app/cache:v1.*$FPR_B|$FPR_B.*$R/app/cache:v1" "$REPORT"
expect_match "services\.cache\.image" "$REPORT"
lists_all "$WEB $DB $CACHE $MULTI"
# the same report for machines
gate 1 "$W/compose.yml" -o "$W/out.yml" --json
expect_eq "$(jq -c '[.[] | [.Where, .Allowed, .Pinned]]' "$OUT")" \
	"$(jq -nc --arg d "$DB" --arg pw "$WEB@$D_WEB" --arg pm "$MULTI@$D_MULTI" --arg pl "$LATEST@$D_LATEST" \
		'[["services.web.image", true, $pw], ["services.db.image", true, $d],
		  ["services.cache.image", false, null], ["services.platforms.image", true, $pm],
		  ["services.worker.image", true, $pw], ["services.edge.image", true, $pl]]')" \
	"--json: where, allowed, pinned"
expect_match "$FPR_B" <(jq -r '.[] | select(.Where == "services.cache.image") | .Reason' "$OUT")
only_files "${WORKLOADS[@]}"
# without -o: the file itself is left alone
gate 1 "$W/compose.yml"
only_files "${WORKLOADS[@]}"
same "$W/compose.yml" "$T/compose.orig" "compose.yml after a denied in-place gate"

gate 1 "$W/pods.yml" -o "$W/out.yml"
only_files "${WORKLOADS[@]}"
same "$W/pods.yml" "$T/pods.orig" "pods.yml after a denial"
expect_match "$R/app/cache:v1.*$FPR_B|$FPR_B.*$R/app/cache:v1" "$REPORT"
expect_match "documents\[2\]\.spec\.containers\[0\]\.image" "$REPORT"
expect_match "documents\[2\]\.spec\.initContainers\[1\]\.image" "$REPORT"
lists_all "$WEB $DB $CACHE $INIT $MULTI $INDEX"

for f in workload contract; do
	gate 1 "$W/$f.yml" -o "$W/out.yml"
	only_files "${WORKLOADS[@]}"
	same "$W/$f.yml" "$T/$f.orig" "$f.yml after a denial"
	expect_match "$R/app/cache:v1.*$FPR_B|$FPR_B.*$R/app/cache:v1" "$REPORT"
	expect_match "compose\.archive\[(\./)?docker-compose\.yml\]\.services\.cache\.image" "$REPORT"
	lists_all "$WEB $DB $CACHE $MULTI"
done

echo "# a workload that does not parse: exit 2, naming the file and the YAML path"
printf '%s\n' "services:" "  web:" "    image: [\"$WEB\", \"$CACHE\"]" >"$T/bad-compose.yml"
expect_exit 2 -- "$SIGNET" gate --contract "$CON" --registries.d "$RD" --tls-verify=false \
	"$T/bad-compose.yml" -o "$T/bad-out.yml"
expect_match "$T/bad-compose\.yml" "$ERR"
expect_match "services\.web\.image" "$ERR"
expect_eq "$(test -e "$T/bad-out.yml" && echo exists || echo absent)" absent \
	"output of a workload that does not parse"

echo "# A signs app/cache:v1 too: every workload is written, pinned"
sign app/cache:v1 "$FPR_A"
gate 0 "$W/compose.yml" -o "$W/out.yml"
same "$W/out.yml" "$T/compose.pinned" "the gated compose file"
same "$W/compose.yml" "$T/compose.orig" "compose.yml (input of -o)"
only_files "${WORKLOADS[@]}" out.yml
lists_all "$WEB $DB $CACHE $MULTI"
expect_match "$R/app/cache:v1@$D_CACHE" "$REPORT"
expect_match "$R/app/multi:v1@$D_MULTI" "$REPORT"
# the multi-platform image is pinned to its platform's instance, not the index
expect_no_match "$D_INDEX" "$W/out.yml"
# the gated file names the digests that were verified, and goes into the
# contract (CONP): gated again under that contract, it is allowed as it is
# (the contract vouches for every digest it names, also the platform
# instance, whose publisher signed only the index)
CONP="$T/contract-pinned.yaml"
contract_of "$CONP" "$W/out.yml"
gate_with "$CONP" 0 "$W/out.yml" -o "$W/out2.yml"
same "$W/out2.yml" "$W/out.yml" "the gated compose file gated again"
rm -f "$W/out2.yml"
# under CON, which names the index by tag, nothing vouches for the
# instance digest and no signature is on it (issue 12): denied
gate 1 "$W/out.yml" -o "$W/out2.yml"
expect_match "^denied  +services\.platforms\.image +$R/app/multi:v1@$D_MULTI +.*nothing vouches for its digest" "$OUT"
expect_eq "$(grep -c '^denied  ' "$OUT")" 1 "images denied when the gated file is gated under CON"
expect_eq "$(test -e "$W/out2.yml" && echo exists || echo absent)" absent "output of the denied second gate"
# in place (no -o): the file keeps its permissions, a symbolic link stays a
# link to the rewritten file; the file is replaced by a new one (rename), so
# a hard link to the old one keeps the old content
cp "$W/compose.yml" "$W/inplace.yml"
chmod 0640 "$W/inplace.yml"
ln "$W/inplace.yml" "$T/hardlink.yml"
ln -s inplace.yml "$W/symlink.yml"
gate 0 "$W/symlink.yml"
same "$W/inplace.yml" "$T/compose.pinned" "compose file gated in place (through a symbolic link)"
expect_eq "$(stat -c %a "$W/inplace.yml")" 640 "mode of the file gated in place"
expect_eq "$(readlink "$W/symlink.yml")" inplace.yml "the symbolic link gated in place"
same "$T/hardlink.yml" "$T/compose.orig" "a hard link to the file gated in place"
# with -o, the output gets the input's permissions
gate_with "$CONP" 0 "$W/inplace.yml" -o "$W/inplace.out.yml"
expect_eq "$(stat -c %a "$W/inplace.out.yml")" 640 "mode of the output of -o"
rm -f "$W/inplace.yml" "$W/symlink.yml" "$W/inplace.out.yml" "$T/hardlink.yml"

gate 0 "$W/pods.yml" -o "$W/pods.out.yml"
same "$W/pods.out.yml" "$T/pods.pinned" "the gated pods"
same "$W/pods.yml" "$T/pods.orig" "pods.yml (input of -o)"
lists_all "$WEB $DB $CACHE $INIT $MULTI $INDEX"

# check_archive NAME INDENT: $W/NAME.out.yml is $T/NAME.orig with only the
# compose.archive value (the line INDENT"archive: ") rewritten, and that
# value is the original archive with only docker-compose.yml pinned.
check_archive() {
	local f=$1 key="$2archive: " listing
	if [[ ! -f $W/$f.out.yml ]]; then
		fail "the gated $f was not written"
		return 0
	fi
	grep -v "^$key" "$T/$f.orig" >"$T/$f.orig.rest"
	grep -v "^$key" "$W/$f.out.yml" >"$T/$f.out.rest"
	same "$T/$f.out.rest" "$T/$f.orig.rest" "the gated $f outside compose.archive"
	expect_eq "$(grep -c "^$key" "$W/$f.out.yml" || true)" 1 "archive lines in the gated $f"
	# one line of base64, as base64 -w0 writes it
	expect_match "^$key[A-Za-z0-9+/]+=*\$" "$W/$f.out.yml"
	rm -rf "$T/unpacked"
	mkdir -p "$T/unpacked"
	sed -n "s|^$key||p" "$W/$f.out.yml" >"$T/$f.archive.b64"
	if base64 -d <"$T/$f.archive.b64" >"$T/$f.archive.tgz" && tar -xzf "$T/$f.archive.tgz" -C "$T/unpacked"; then
		pass "the rewritten archive in $f unpacks with base64 -d and tar -xz"
	else
		fail "the rewritten archive in $f does not unpack with base64 -d and tar -xz"
	fi
	same "$T/unpacked/docker-compose.yml" "$T/compose.pinned" "docker-compose.yml in the archive of $f"
	same "$T/unpacked/config/app.env" "$T/archive/config/app.env" "config/app.env in the archive of $f"
	# every tar header as it was (name, order, type, mode, owner, mtime),
	# but the size of the compose file
	listing='{ $3 = ($6 ~ /docker-compose/ ? "SIZE" : $3); print }'
	expect_eq "$({ tar --numeric-owner --full-time -tvzf "$T/$f.archive.tgz" 2>&1 || true; } | awk "$listing")" \
		"$(base64 -d <<<"$ARCHIVE" | tar --numeric-owner --full-time -tvzf - | awk "$listing")" \
		"the tar headers in the archive of $f"
	# the tar stream itself: every block before the compose file's header
	# as it was, and in that header only the size (bytes 124-135) and the
	# checksum (148-155) changed
	gzip -dc <"$T/$f.archive.tgz" >"$T/$f.archive.tar" || true
	expect_exit 0 -- cmp -n 2048 "$T/archive.tar" "$T/$f.archive.tar"
	expect_eq "$({ cmp -l <(dd if="$T/archive.tar" bs=512 skip=4 count=1 2>/dev/null) \
		<(dd if="$T/$f.archive.tar" bs=512 skip=4 count=1 2>/dev/null) || true; } |
		awk '{ o = $1 - 1; if (!((o >= 124 && o < 136) || (o >= 148 && o < 156))) printf "%d ", o }')" "" \
		"bytes changed in the compose file's tar header outside its size and checksum"
	# gated again, under the contract that runs the pinned compose file
	# (for the contract: itself): allowed, and written exactly as it is
	gate_with "$([[ $f == contract ]] && echo "$W/$f.out.yml" || echo "$CONP")" 0 "$W/$f.out.yml" \
		-o "$T/$f.out2.yml"
	same "$T/$f.out2.yml" "$W/$f.out.yml" "the gated $f gated again"
}
gate 0 "$W/workload.yml" -o "$W/workload.out.yml"
same "$W/workload.yml" "$T/workload.orig" "workload.yml (input of -o)"
check_archive workload "  "
gate 0 "$W/contract.yml" -o "$W/contract.out.yml"
same "$W/contract.yml" "$T/contract.orig" "contract.yml (input of -o)"
check_archive contract "    "
only_files "${WORKLOADS[@]}" out.yml pods.out.yml workload.out.yml contract.out.yml

echo "# issue 12: an image named by digest in a workload separate from the contract"
# app/db is unsigned and named by digest.  A contract vouches for a digest
# only when its own workload names it: CON does (its compose archive), PINS
# does not, so under PINS the digest needs a signature like a tag, unless
# the caller opts in with --allow-digest-pinned.
I12="$T/issue12"
mkdir -p "$I12"
printf '%s\n' "services:" "  db:" "    image: $DB" "  web:" "    image: $WEB" >"$I12/digest.yml"
cp "$I12/digest.yml" "$I12/digest.orig"
gate_with "$PINS" 1 "$I12/digest.yml" -o "$I12/out.yml"
expect_match "^denied  +services\.db\.image .*$R/app/db@$D_DB: denied: nothing vouches for its digest \(the contract's own workload does not name it\)" "$OUT"
expect_match "^denied  .*--allow-digest-pinned accepts images named by digest unsigned.*no key is pinned|^denied  .*--allow-digest-pinned accepts images named by digest unsigned.*no signatures" "$OUT"
expect_match "^allowed  +services\.web\.image " "$OUT"
expect_match "^signet: workload .*digest\.yml: 1 of 2 images not allowed, nothing written; services\.db\.image .*nothing vouches for its digest.*--allow-digest-pinned" "$ERR"
expect_eq "$(test -e "$I12/out.yml" && echo exists || echo absent)" absent "output of the gate whose digest nothing vouches for"
same "$I12/digest.yml" "$I12/digest.orig" "digest.yml after the denial"
# in place: nothing written either
gate_with "$PINS" 1 "$I12/digest.yml"
same "$I12/digest.yml" "$I12/digest.orig" "digest.yml after a denied in-place gate"
expect_eq "$(cd "$I12" && find . -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ')" "digest.orig digest.yml " \
	"files next to digest.yml (no temporary left)"
# --json says the same
gate_with "$PINS" 1 "$I12/digest.yml" -o "$I12/out.yml" --json
expect_match "nothing vouches for its digest" <(jq -r '.[] | select(.Where == "services.db.image") | .Reason' "$OUT")
# the caller opts in: every digest passes unsigned, as before issue 12
gate_with "$PINS" 0 "$I12/digest.yml" -o "$I12/out.yml" --allow-digest-pinned
expect_match "^allowed  +services\.db\.image +$R/app/db@$D_DB +$R/app/db@$D_DB  \(no signature required by the policy\)" "$OUT"
expect_match "^    image: $R/app/db@$D_DB\$" "$I12/out.yml"
expect_match "^    image: $R/app/web:v1@$D_WEB\$" "$I12/out.yml"
rm -f "$I12/out.yml"
# --allow-digest-pinned goes with --contract, and not with --strict
expect_exit 2 -- "$SIGNET" gate --contract "$PINS" --strict --allow-digest-pinned --registries.d "$RD" \
	--tls-verify=false "$I12/digest.yml" -o "$I12/out.yml"
expect_match "^signet: --strict and --allow-digest-pinned contradict each other" "$ERR"
expect_exit 2 -- "$SIGNET" gate --key "$KEYS/A.asc" --allow-digest-pinned --registries.d "$RD" \
	--tls-verify=false "$I12/digest.yml" -o "$I12/out.yml"
expect_match "^signet: .*--allow-digest-pinned go with --contract" "$ERR"
expect_eq "$(test -e "$I12/out.yml" && echo exists || echo absent)" absent "output of the refused gates"
# a signed image named by digest is allowed by its signature
printf '%s\n' "services:" "  web:" "    image: $REG/app/web@$D_WEB" >"$I12/signed.yml"
gate_with "$PINS" 0 "$I12/signed.yml" -o "$I12/signed.out.yml"
expect_match "^allowed  +services\.web\.image +$R/app/web@$D_WEB +$R/app/web@$D_WEB  signed by .*$FPR_A" "$OUT"
# the contract that names the digest in its own workload vouches for it
gate_with "$CON" 0 "$I12/digest.yml" -o "$I12/out.yml"
expect_match "^allowed  +services\.db\.image +$R/app/db@$D_DB +$R/app/db@$D_DB  \(no signature required by the policy\)" "$OUT"
rm -f "$I12/out.yml"
# gating the contract itself, with itself: as before
cp "$T/contract.orig" "$I12/self.yml"
gate_with "$I12/self.yml" 0 "$I12/self.yml" -o "$I12/self.out.yml"
expect_match "^allowed  +workload\.compose\.archive\[(\./)?docker-compose\.yml\]\.services\.db\.image +$R/app/db@$D_DB +$R/app/db@$D_DB  \(no signature required by the policy\)" "$OUT"
# verify: a digest named on the command line is not named by the contract
expect_exit 1 -- "$SIGNET" verify --contract "$PINS" --registries.d "$RD" --tls-verify=false "docker://$DB"
expect_match "^signet: $R/app/db@$D_DB: denied: nothing vouches for its digest.*--allow-digest-pinned" "$ERR"
expect_exit 0 -- "$SIGNET" verify --contract "$PINS" --allow-digest-pinned --registries.d "$RD" \
	--tls-verify=false "docker://$DB"
expect_match "^Signed by: nobody" "$OUT"
expect_exit 0 -- "$SIGNET" verify --contract "$CON" --registries.d "$RD" --tls-verify=false "docker://$DB"
expect_match "^Signed by: nobody" "$OUT"
# and policy explain says which rule decided
expect_exit 1 -- "$SIGNET" policy explain --contract "$PINS" --registries.d "$RD" --tls-verify=false "docker://$DB"
expect_match "^Digest: nothing vouches for it: the contract's own workload does not name $R/app/db@$D_DB" "$OUT"
expect_exit 0 -- "$SIGNET" policy explain --contract "$CON" --registries.d "$RD" --tls-verify=false "docker://$DB"
expect_match "^Requirements: none: the contract's own workload names this digest" "$OUT"

echo "# what compose reads besides the compose file (issue 12): every file of the project is gated"
# In a compose archive: the override files, the files COMPOSE_FILE in .env
# names, the files a service extends, images written ${VAR} and resolved
# from .env.  One of them naming an unsigned image denies the workload,
# naming that member; nothing is written.  $UNSIGNED has no key pinned.
UNSIGNED="$REG/app/unsigned:v1"
P="$T/projects"
mkdir -p "$P"
# project NAME PATH=CONTENT...: $P/NAME.yml, an HPCR workload section whose
# compose.archive holds those files (made as IBM documents: tar czf - -C DIR .)
project() {
	local name=$1 dir="$T/project-$1" f
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in "$@"; do
		mkdir -p "$(dirname "$dir/${f%%=*}")"
		printf '%s' "${f#*=}" >"$dir/${f%%=*}"
	done
	{
		echo "type: workload"
		echo "compose:"
		echo "  archive: $(tar czf - -C "$dir" . | base64 -w0)"
		cat "$T/images.yaml"
	} >"$P/$name.yml"
	sha256sum "$P/$name.yml" >"$P/$name.sum"
}
# untouched NAME: $P/NAME.yml is as project wrote it, and no output exists
untouched() {
	if sha256sum -c --quiet "$P/$1.sum" >/dev/null 2>&1; then
		pass "$1.yml unchanged"
	else
		fail "$1.yml was changed by a gate that did not allow it"
	fi
	expect_eq "$(test -e "$P/$1.out.yml" && echo exists || echo absent)" absent "output of $1.yml"
}
# unpack NAME: the archive of $P/NAME.out.yml, unpacked into $T/unpacked-NAME
unpack() {
	rm -rf "$T/unpacked-$1"
	mkdir -p "$T/unpacked-$1"
	sed -n 's|^  archive: ||p' "$P/$1.out.yml" | base64 -d | tar xzf - -C "$T/unpacked-$1" ||
		fail "the archive of $1.out.yml does not unpack"
}
gate_denied() { # NAME MEMBER-REGEX: exit 1 naming the member and the unsigned image; nothing written
	gate 1 "$P/$1.yml" -o "$P/$1.out.yml"
	expect_match "^denied +compose\.archive\[$2\]\.services\.[a-z]+\.image +$R/app/unsigned:v1 .*no key is pinned" "$REPORT"
	expect_match "^signet: workload .*not allowed, nothing written; compose\.archive\[$2\]" "$ERR"
	untouched "$1"
	gate 1 "$P/$1.yml" # in place: the file stays as it was
	untouched "$1"
}
gate_refused() { # NAME REGEX: exit 2, the message matching REGEX; nothing written
	expect_exit 2 -- "$SIGNET" gate --contract "$CON" --registries.d "$RD" --tls-verify=false \
		"$P/$1.yml" -o "$P/$1.out.yml"
	expect_match "$2" "$ERR"
	untouched "$1"
}

# an override file next to the compose file: compose reads both
project override "compose.yml=services: {web: {image: $WEB}}
" "compose.override.yml=services:
  web: {ports: ['8080:80']}
  sidecar: {image: $UNSIGNED}
"
gate_denied override 'compose\.override\.yml'
expect_match "^allowed +compose\.archive\[compose\.yml\]\.services\.web\.image" "$REPORT"

# .env's COMPOSE_FILE names another file (and the default file is not read)
project compose-file ".env=# which files compose reads
COMPOSE_FILE=compose.yml:./extra.yml
" "compose.yml=services: {web: {image: $WEB}}
" "extra.yml=services: {worker: {image: $UNSIGNED}}
"
gate_denied compose-file 'extra\.yml'

# a service extends one in another file, in a subdirectory
project extends "compose.yml=services:
  web:
    extends: {file: common/base.yml, service: base}
" "common/base.yml=services:
  base: {image: $UNSIGNED, restart: always}
"
gate_denied extends 'common/base\.yml'

# the image written ${IMAGE}, resolved from .env: denied when it names the
# unsigned image ...
project variable ".env=REGISTRY=$REG
IMAGE=\${REGISTRY}/app/unsigned:v1
" "compose.yml=services:
  web:
    image: \${IMAGE}   # set in .env
"
gate_denied variable 'compose\.yml'
# ... and, naming a signed one, allowed and written as the literal pinned
# reference: the runtime's environment can no longer change what is pulled
project variable ".env=REGISTRY=$REG
IMAGE=\${REGISTRY}/app/web:v1
" "compose.yml=services:
  web:
    image: \${IMAGE}   # set in .env
  db:
    image: '\${DB:-$DB}'
"
gate 0 "$P/variable.yml" -o "$P/variable.out.yml"
expect_match "^allowed +compose\.archive\[compose\.yml\]\.services\.web\.image +$R/app/web:v1 +$R/app/web:v1@$D_WEB " "$REPORT"
unpack variable
printf '%s\n' "services:" "  web:" "    image: $WEB@$D_WEB   # set in .env" "  db:" "    image: '$DB'" \
	>"$T/variable.expected"
same "$T/unpacked-variable/compose.yml" "$T/variable.expected" "compose.yml with \${IMAGE} pinned literally"
same "$T/unpacked-variable/.env" "$T/project-variable/.env" ".env in the gated archive"
gate 0 "$P/variable.out.yml" -o "$P/variable.out2.yml"
same "$P/variable.out2.yml" "$P/variable.out.yml" "the gated project gated again"

# what the gate cannot evaluate: exit 2, naming the file, the YAML path and the reason
project nope ".env=A=1
" "compose.yml=services:
  web:
    image: \${NOPE}
"
gate_refused nope "compose\.archive\[compose\.yml\]: line 3: .*services\.web\.image: \\\$\{NOPE\}: NOPE is not set .*runtime's environment is not known to the gate"
project missing ".env=COMPOSE_FILE=compose.yml:missing.yml
" "compose.yml=services: {web: {image: $WEB}}
"
gate_refused missing "compose\.archive\[\.env\]: line 1: COMPOSE_FILE: missing\.yml is not in the archive"
project badenv ".env=IMAGE=$WEB#signed
" "compose.yml=services: {web: {image: $WEB}}
"
gate_refused badenv "compose\.archive\[\.env\]: line 1: a '#' in an unquoted value"

# A compose file gated on its own reads the .env next to it; another
# compose file compose would read there is refused.
mkdir -p "$P/dir"
printf 'IMAGE=%s\n' "$WEB" >"$P/dir/.env"
printf '%s\n' "services:" "  web:" "    image: \${IMAGE}" >"$P/dir/compose.yml"
gate 0 "$P/dir/compose.yml"
expect_eq "$(cat "$P/dir/compose.yml")" "$(printf '%s\n' "services:" "  web:" "    image: $WEB@$D_WEB")" \
	"dir/compose.yml gated in place"
printf '%s\n' "services:" "  sidecar: {image: $UNSIGNED}" >"$P/dir/compose.override.yml"
sha256sum "$P/dir/compose.yml" >"$P/dir.sum"
expect_exit 2 -- "$SIGNET" gate --contract "$CON" --registries.d "$RD" --tls-verify=false "$P/dir/compose.yml"
expect_match "dir/compose\.yml: the override file .*dir/compose\.override\.yml is next to it" "$ERR"
sha256sum -c --quiet "$P/dir.sum" >/dev/null 2>&1 && pass "dir/compose.yml unchanged" ||
	fail "dir/compose.yml changed by a refused gate"

echo "# docs/example/prepull: one verifier for every image, then one per thread"
# It links libsignet and reaches nothing but its exported signet_* functions.
expect_match 'libsignet\.so\.0 ' <(ldd "$PREPULL")
expect_no_match ' U (sn_|_sn_)' <(nm -u "$PREPULL")
# prepull CODE [ARGS...] IMAGE...: the example with the contract.
prepull() {
	local code=$1
	shift
	expect_exit "$code" -- "$PREPULL" --contract "$CON" --registries.d "$RD" --tls-verify=false "$@"
}
MIXED=("docker://$WEB" "docker://$REG/app/unsigned:v1" "docker://$DB" "docker://$MULTI" "docker://$CACHE"
	"docker://$REG/app/web:missing" "docker://$INIT" "docker://$REG/App/Bad")
prepull 1 "${MIXED[@]}"
cp "$OUT" "$T/prepull.serial"
sed 's/^/  | /' "$OUT"
expect_eq "$(wc -l <"$OUT")" 8 "prepull answers"
expect_eq "$(sed -n 1p "$OUT")" "PULL $REG/app/web@$D_WEB" "prepull line 1"
expect_match "^DENY docker://$R/app/unsigned:v1: .*no key is pinned for this repository" "$OUT"
expect_eq "$(sed -n 3p "$OUT")" "PULL $REG/app/db@$D_DB" "prepull line 3"
expect_eq "$(sed -n 4p "$OUT")" "PULL $REG/app/multi@$D_MULTI" "prepull line 4 (the platform instance)"
expect_eq "$(sed -n 5p "$OUT")" "PULL $REG/app/cache@$D_CACHE" "prepull line 5"
expect_match "^DENY docker://$R/app/web:missing: .*app/web:missing: not found" "$OUT"
expect_eq "$(sed -n 7p "$OUT")" "PULL $REG/app/init@$D_INIT" "prepull line 7"
expect_match "^DENY docker://$R/App/Bad: .*must be lowercase" "$OUT"
expect_eq "$(sed -n 2p "$OUT" | cut -c1-5)$(sed -n 6p "$OUT" | cut -c1-5)$(sed -n 8p "$OUT" | cut -c1-5)" \
	"DENY DENY DENY " "prepull lines 2, 6 and 8"
expect_eq "$(wc -c <"$ERR")" 0 "prepull stderr bytes"
for n in 2 3 8 64; do
	prepull 1 --threads "$n" "${MIXED[@]}"
	same "$OUT" "$T/prepull.serial" "prepull --threads $n"
done
ALLOWED=("docker://$WEB" "docker://$DB" "docker://$MULTI" "docker://$CACHE" "docker://$INIT")
prepull 0 "${ALLOWED[@]}"
cp "$OUT" "$T/prepull.allowed"
expect_eq "$(cut -c1-5 "$OUT" | sort | uniq -c | tr -s ' ')" " 5 PULL " "prepull answers for allowed images"
prepull 0 --threads 3 "${ALLOWED[@]}"
same "$OUT" "$T/prepull.allowed" "prepull --threads 3, every image allowed"
# a contract that does not parse, one that cannot be read, bad usage
printf '%s\n' "workload:" "  type: workload" "env:" "  type: env" "workload:" "  type: workload" \
	>"$T/dup.yaml"
expect_exit 2 -- "$PREPULL" --contract "$T/dup.yaml" --tls-verify=false "docker://$WEB"
expect_match "^prepull: .*$T/dup\.yaml: line 5: duplicate key" "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "prepull stdout bytes with a broken contract"
expect_exit 3 -- "$PREPULL" --contract "$T/missing.yaml" --tls-verify=false "docker://$WEB"
expect_match "^prepull: .*$T/missing\.yaml" "$ERR"
expect_exit 2 -- "$PREPULL" --contract "$CON" --threads 0 "docker://$WEB"
expect_exit 2 -- "$PREPULL" --contract "$CON"

echo "# TOCTOU: the tag moves after the gate; the gated file still names what was verified"
cp "$W/out.yml" "$T/out.saved"
push_image v2 app/web:v1
D_MOVED=$(skopeo_digest app/web:v1)
if [[ $D_MOVED != "$D_WEB" ]]; then
	pass "app/web:v1 now resolves to $D_MOVED, not $D_WEB"
else
	fail "app/web:v1 did not move"
fi
same "$W/out.yml" "$T/out.saved" "the gated compose file after the tag moved"
expect_match "^    image: $R/app/web:v1@$D_WEB    # signed by the pinned key\$" "$W/out.yml"
# the verified digest is still there to pull, under either form written
expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "docker://$WEB@$D_WEB"
expect_match "^Digest: $D_WEB\$" "$OUT"
expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "docker://$REG/app/web@$D_WEB"
expect_match "^Digest: $D_WEB\$" "$OUT"
expect_exit 0 -- "$SIGNET" inspect --tls-verify=false "docker://$WEB"
expect_match "^Digest: $D_MOVED\$" "$OUT"
# the gated file is still allowed and unchanged; the original, whose tag now
# names an image nobody signed, is denied
gate_with "$CONP" 0 "$W/out.yml" -o "$W/out2.yml"
same "$W/out2.yml" "$T/out.saved" "the gated compose file gated after the tag moved"
rm -f "$W/out2.yml"
gate 1 "$W/compose.yml" -o "$W/out3.yml"
expect_match "$R/app/web:v1.*no signatures" "$REPORT"
expect_eq "$(test -e "$W/out3.yml" && echo exists || echo absent)" absent "output of the denied gate"
# and so does the runtime: the pinned reference is pulled, the tag is not
prepull 1 "docker://$WEB@$D_WEB" "docker://$WEB"
expect_eq "$(sed -n 1p "$OUT")" "PULL $REG/app/web@$D_WEB" "prepull of the pinned reference"
expect_match "^DENY docker://$R/app/web:v1: .*no signatures" "$OUT"

echo "# a default policy (not named on the command line) does not accept anything (issue 12)"
# Debian's /etc/containers/policy.json as skopeo installs it, found in
# $HOME: app/web:v1 now names an image nobody signed, and the gate must not
# pin it "to verified digests".
debian_default_policy
expect_exit 1 -- "$SIGNET" gate --registries.d "$RD" --tls-verify=false "$W/compose.yml" -o "$W/out4.yml"
expect_match "^denied  " "$OUT"
expect_eq "$(grep -c "^denied  .*$DEF_RE is a default policy, not named on the command line.*pass --policy $DEF_RE to accept images without signatures" "$OUT")" \
	"$(grep -c '^denied  ' "$OUT")" "every denial names the default policy and --policy"
expect_eq "$(grep -c '^allowed  ' "$OUT" || true)" 0 "images allowed by the default policy"
expect_match "^Policy: $DEF_RE \(a default location, not named with --policy\)\$" "$OUT"
expect_match "^signet: .*denied" "$ERR"
expect_eq "$(test -e "$W/out4.yml" && echo exists || echo absent)" absent "output of the gate under the default policy"
expect_exit 1 -- "$SIGNET" gate --registries.d "$RD" --tls-verify=false "$W/compose.yml"
same "$W/compose.yml" "$T/compose.orig" "compose.yml after an in-place gate under the default policy"
expect_exit 1 -- "$SIGNET" gate --json --registries.d "$RD" --tls-verify=false "$W/compose.yml" -o "$W/out4.yml"
expect_eq "$(jq -c '[.[] | .Allowed] | unique' "$OUT")" "[false]" "gate --json verdicts under the default policy"
expect_eq "$(jq -c '[.[] | .Policy] | unique' "$OUT")" \
	"[{\"Kind\":\"policy\",\"Files\":[\"$DEF\"],\"Named\":false}]" "gate --json policy under the default policy"
# the same file named with --policy: an explicit accept-anything is the caller's choice
expect_exit 0 -- "$SIGNET" gate --policy "$DEF" --registries.d "$RD" --tls-verify=false "$W/compose.yml" \
	-o "$T/accept.yml"
expect_match "^Policy: $DEF_RE\$" "$OUT"
expect_match "^Wrote $(sed 's/[.[\*^$/]/\\&/g' <<<"$T/accept.yml"): " "$OUT"
expect_exit 0 -- "$SIGNET" gate --json --policy "$DEF" --registries.d "$RD" --tls-verify=false "$W/compose.yml" \
	-o "$T/accept.yml"
expect_eq "$(jq -c '[.[] | .Policy] | unique' "$OUT")" \
	"[{\"Kind\":\"policy\",\"Files\":[\"$DEF\"],\"Named\":true}]" "gate --json --policy"
# and a contract names itself
gate_with "$CONP" 0 "$W/out.yml" -o "$T/contract-out.yml"
expect_match "^Policy: contract $(sed 's/[.[\*^$/]/\\&/g' <<<"$CONP")\$" "$REPORT"
rm -f "$DEF"

finish
