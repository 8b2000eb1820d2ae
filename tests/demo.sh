#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's demo: a throwaway registry on loopback (TLS with a CA made
# here), a small image built offline and pushed with skopeo, then signet
# resolving it to a verified digest.  Run after .ci/setup.
set -euo pipefail
cd "$(dirname "$0")/.."
export SRCDIR=$PWD
export SIGNET=${SIGNET:-$PWD/build/cli/signet}
export TESTSERVER=${TESTSERVER:-$PWD/build/tests/signet-testserver}
. tests/lib.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "start a throwaway docker-registry with TLS on loopback"
start_registry tls

step "build a small image offline with umoci and push it with skopeo"
push_image v1 demo/hello:v1
echo "pushed docker://$REG/demo/hello:v1"

step "signet inspect: resolve the tag to a digest computed locally"
"$SIGNET" inspect --cert-dir "$REG_CA_DIR" "docker://$REG/demo/hello:v1"

step "skopeo agrees on the digest"
skopeo inspect --cert-dir "$REG_CA_DIR" --format '{{.Digest}}' "docker://$REG/demo/hello:v1"

step "without the test CA the registry is not trusted (exit 3)"
rc=0
"$SIGNET" inspect "docker://$REG/demo/hello:v1" || rc=$?
echo "exit code: $rc"
[[ $rc == 3 ]] || die "expected exit 3 from an untrusted registry, got $rc"

FINISHED=1
echo
echo "demo: done"
