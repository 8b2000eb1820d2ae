# SPDX-License-Identifier: Apache-2.0
# tests/integration/creds_scope.sh: --creds are for one registry host, as
# skopeo's --creds are for the one image's registry.
#
# Two registries that ask every client for Basic credentials and log
# whether one came (signet-testserver hostile --basic, "PORT METHOD PATH
# auth=0|1 STATUS"), and a lookaside on a third port (files mode, same log):
#  - gate of a workload on both hosts with --creds: refused with exit 2
#    before any request (both logs empty), naming both hosts and the ways
#    to give credentials per host; nothing written;
#  - the same workload with --authfile naming one host: allowed; only that
#    host saw an Authorization header;
#  - a workload on one host with --creds: the credentials go there;
#  - verify with --creds and a lookaside on another host: the registry gets
#    them, the lookaside never sees an Authorization header;
#  - audit with --creds: its source's host gets them, no other.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need gpg gpgconf base64

make_gpg_keys
p1=$(free_port)
p1b=$(free_port)
p2=$(free_port)
p2b=$(free_port)
pf=$(free_port)
start_testserver "$T/h1.out" hostile --basic --port "$p1" --port2 "$p1b" --log "$T/h1.log"
start_testserver "$T/h2.out" hostile --basic --port "$p2" --port2 "$p2b" --log "$T/h2.log"
mkdir -p "$T/sigs"
start_testserver "$T/files.out" files --port "$pf" --root "$T/sigs" --log "$T/files.log"
H1="127.0.0.1:$p1"
H2="127.0.0.1:$p2"
touch "$T/h1.log" "$T/h2.log" "$T/files.log"
# A named policy that accepts anything: the registries decide nothing here.
printf '%s\n' '{"default":[{"type":"insecureAcceptAnything"}]}' >"$T/accept.json"
W="$T/work"
mkdir -p "$W"

# lines FILE: how many requests a server logged
lines() { wc -l <"$1" | tr -d ' '; }
# reset_logs: forget what the servers logged so far
reset_logs() { : >"$T/h1.log"; : >"$T/h2.log"; : >"$T/files.log"; }

echo "# a workload on two registry hosts with --creds: refused before any request"
printf '%s\n' "services:" "  one:" "    image: $H1/good/image:v1" "  two:" "    image: $H2/good/image:v1" \
	"  again:" "    image: $H1/good/image:v2" >"$W/two-hosts.yml"
cp "$W/two-hosts.yml" "$T/two-hosts.orig"
expect_exit 2 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --creds "user:hunter2" \
	"$W/two-hosts.yml" -o "$W/out.yml"
expect_match "^signet: workload $(sed 's/[.[\*^$/]/\\&/g' <<<"$W")/two-hosts\.yml names images on 2 registry hosts \($H1, $H2\)" "$ERR"
expect_match "\(--creds\) are for one registry" "$ERR"
expect_match "give each host its own with --authfile or the contract's workload\.auths" "$ERR"
expect_no_match 'hunter2' "$ERR"
expect_eq "$(wc -c <"$OUT")" 0 "stdout bytes of the refused gate (no report: nothing was checked)"
expect_eq "$(lines "$T/h1.log")/$(lines "$T/h2.log")" "0/0" "requests to $H1/$H2"
expect_eq "$(test -e "$W/out.yml" && echo exists || echo absent)" absent "output of the refused gate"
expect_exit 0 -- cmp "$W/two-hosts.yml" "$T/two-hosts.orig"
# in place, --json: the same refusal
expect_exit 2 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --creds "user:hunter2" --json \
	"$W/two-hosts.yml"
expect_match "names images on 2 registry hosts" "$ERR"
expect_exit 0 -- cmp "$W/two-hosts.yml" "$T/two-hosts.orig"
expect_eq "$(lines "$T/h1.log")/$(lines "$T/h2.log")" "0/0" "requests to $H1/$H2 (in place)"

echo "# the same workload with an auth file: each host gets its own credentials"
# for $H1 only: $H2 asks for credentials, gets none, and the gate cannot
# read its image (exit 3), nothing written
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$H1" "$(printf 'user:hunter2' | base64 -w0)" >"$T/auth1.json"
expect_exit 3 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --authfile "$T/auth1.json" \
	"$W/two-hosts.yml" -o "$W/out.yml"
expect_match "^error  +services\.two\.image +$H2/good/image:v1 +registry $H2: authentication failed \(HTTP 401, no credentials given\)" "$OUT"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_match "^$p2 GET /v2/good/image/manifests/v1 auth=0 401\$" "$T/h2.log"
expect_no_match " auth=1 " "$T/h2.log"
expect_eq "$(test -e "$W/out.yml" && echo exists || echo absent)" absent "output of the gate that could not read $H2"
reset_logs
# for both: allowed
printf '{"auths":{"%s":{"auth":"%s"},"%s":{"auth":"%s"}}}\n' "$H1" "$(printf 'user:hunter2' | base64 -w0)" \
	"$H2" "$(printf 'other:pw2' | base64 -w0)" >"$T/auth2.json"
expect_exit 0 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --authfile "$T/auth2.json" \
	"$W/two-hosts.yml" -o "$W/out.yml"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_match "^$p2 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h2.log"
rm -f "$W/out.yml"
reset_logs

echo "# a workload on one host with --creds: they are sent there"
printf '%s\n' "services:" "  one:" "    image: $H1/good/image:v1" "  two:" "    image: \"$H1/good/image:v2\"" \
	>"$W/one-host.yml"
expect_exit 0 -- "$SIGNET" gate --policy "$T/accept.json" --tls-verify=false --creds "user:hunter2" \
	"$W/one-host.yml" -o "$W/out.yml"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_match "^$p1 GET /v2/good/image/manifests/v2 auth=1 200\$" "$T/h1.log"
expect_eq "$(lines "$T/h2.log")" 0 "requests to $H2"
expect_match "^    image: $H1/good/image:v1@sha256:[0-9a-f]{64}\$" "$W/out.yml"
expect_no_match 'hunter2' "$OUT"
expect_no_match 'hunter2' "$ERR"
rm -f "$W/out.yml"
reset_logs

echo "# verify with --creds and a lookaside on another host: no credentials for the lookaside"
expect_exit 1 -- "$SIGNET" verify --key "$KEYS/A.asc" --lookaside "http://127.0.0.1:$pf/sigs" --tls-verify=false \
	--creds "user:hunter2" "docker://$H1/good/image:v1"
expect_match "^signet: $H1/good/image:v1: denied: .*no signatures" "$ERR"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_match "^$pf GET /sigs/good/image@sha256=[0-9a-f]{64}/signature-1 auth=0 404\$" "$T/files.log"
expect_no_match " auth=1 " "$T/files.log"
expect_eq "$(lines "$T/h2.log")" 0 "requests to $H2"
reset_logs
# the lookaside on the other registry's host:port: no credentials there either
expect_exit 1 -- "$SIGNET" verify --key "$KEYS/A.asc" --lookaside "http://$H2/sigs" --tls-verify=false \
	--creds "user:hunter2" "docker://$H1/good/image:v1"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_match "^$p2 GET /sigs/good/image@sha256=[0-9a-f]{64}/signature-1 auth=0 " "$T/h2.log"
expect_no_match " auth=1 " "$T/h2.log"
reset_logs

echo "# audit with --creds: the source's registry gets them"
expect_exit 1 -- "$SIGNET" audit --key "$KEYS/A.asc" --lookaside "http://127.0.0.1:$pf/sigs" \
	--tls-verify=false --creds "user:hunter2" "docker://$H1/good/image:v1"
expect_match "^$p1 GET /v2/good/image/manifests/v1 auth=1 200\$" "$T/h1.log"
expect_no_match " auth=1 " "$T/files.log"
expect_eq "$(lines "$T/h2.log")" 0 "requests to $H2"

finish
