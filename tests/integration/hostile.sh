# SPDX-License-Identifier: Apache-2.0
# tests/integration/hostile.sh: `signet inspect` against a registry that lies
# (signet-testserver hostile): wrong bytes for a digest, a lying
# Docker-Content-Digest, oversized and endless manifests, malformed JSON,
# a redirect to another host while holding credentials, 503s to retry, and
# tags-list pages whose next-page links go round.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need jq curl /usr/bin/time

port=$(free_port)
port2=$(free_port)
start_testserver "$T/hostile.out" hostile --port "$port" --port2 "$port2" --log "$T/hostile.log"
hostile_pid=$TS_PID
H="127.0.0.1:$port"
inspect=("$SIGNET" inspect --tls-verify=false)

# count REGEX FILE: how many lines match
count() { grep -Ec -- "$1" "$2" || true; }

# A control: the same server's honest answer is accepted.
expect_exit 0 -- "${inspect[@]}" "docker://$H/good/image:latest"
good=$(sed -n 's/^Digest: //p' "$OUT")
expect_eq "$good" "$(sha256_of <(curl -sf "http://$H/v2/good/image/manifests/latest"))" "good/image digest"
# This server closes a TLS connection unanswered: the https attempt fails
# without telling what the port speaks, so plain HTTP is probed (GET /v2/).
expect_eq "$(head -n 2 "$T/hostile.log" | tr '\n' ' ')" \
	"$port GET /v2/ auth=0 200 $port GET /v2/good/image/manifests/latest auth=0 200 " \
	"requests after a TLS attempt closed unanswered"

# --tls-verify takes the booleans skopeo takes (Go's strconv.ParseBool):
# false in any of its spellings reaches this plain-HTTP server; true does not.
for no in 0 f F FALSE false False; do
	expect_exit 0 -- "$SIGNET" inspect "--tls-verify=$no" "docker://$H/good/image:latest"
done
for yes in 1 t T TRUE true True; do
	expect_exit 3 -- "$SIGNET" inspect "--tls-verify=$yes" "docker://$H/good/image:latest"
	expect_match "^signet: .*TLS" "$ERR"
done
for bad in yes no 2 tRuE ""; do
	expect_exit 2 -- "$SIGNET" inspect "--tls-verify=$bad" "docker://$H/good/image:latest"
	expect_match "^signet: --tls-verify takes true or false \(or 1, t, T, TRUE, True, 0, f, F, FALSE, False, as skopeo\), not \"$bad\"$" "$ERR"
done

# Bytes that do not hash to the digest asked for: refused (1), names the digest.
expect_exit 1 -- "${inspect[@]}" "docker://$H/bad/digest@$good"
expect_match '^signet: .*digest' "$ERR"
expect_match "${good#sha256:}" "$ERR"

# A Docker-Content-Digest that is not the digest of the bytes: refused (1).
expect_exit 1 -- "${inspect[@]}" "docker://$H/bad/digest:latest"
expect_match '^signet: .*[Dd]igest' "$ERR"
expect_no_match '^Digest:' "$OUT"

# A manifest one byte over the limit: bad input (2), names the limit.
expect_exit 2 -- "${inspect[@]}" "docker://$H/big/manifest:latest"
expect_match '^signet: .*manifest' "$ERR"
expect_match '4194304|4 MiB' "$ERR"

# 256 MiB without Content-Length: refused at the limit, memory stays bounded.
start=$SECONDS
expect_exit 2 -- /usr/bin/time -f %M -o "$T/rss" "${inspect[@]}" "docker://$H/huge/stream:latest"
expect_match '^signet: .*manifest' "$ERR"
expect_match '4194304|4 MiB' "$ERR"
rss_kib=$(tail -n 1 "$T/rss")
if [[ $rss_kib =~ ^[0-9]+$ ]] && ((rss_kib < 64 * 1024)); then
	pass "peak RSS ${rss_kib} KiB < 64 MiB"
else
	fail "peak RSS '${rss_kib}' KiB, expected < 65536"
fi
if ((SECONDS - start < 30)); then
	pass "the endless manifest was cut off in $((SECONDS - start)) s"
else
	fail "the endless manifest took $((SECONDS - start)) s"
fi

# Malformed JSON with a manifest Content-Type and a true digest: bad input (2).
expect_exit 2 -- "${inspect[@]}" "docker://$H/bad/json:latest"
expect_match '^signet: .*(JSON|json)' "$ERR"

# 503 with Retry-After: 1, twice, then 200: retried, succeeds.
expect_exit 0 -- "${inspect[@]}" "docker://$H/slow/x:latest"
expect_eq "$(sed -n 's/^Digest: //p' "$OUT")" "$good" "slow/x digest after retries"
expect_eq "$(count " /v2/slow/x/manifests/latest auth=0 503$" "$T/hostile.log")" 2 "503 answers to slow/x"
expect_eq "$(count " /v2/slow/x/manifests/latest auth=0 200$" "$T/hostile.log")" 1 "200 answers to slow/x"

# Next-page links that go round two pages (first -> a -> b -> a ...): the
# listing stops at the first page it would read twice, and names it.
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"
echo tags/cycle >"$T/cycle.repos"
start=$SECONDS
expect_exit 3 -- timeout 60 "$SIGNET" audit --tls-verify=false --policy "$T/accept.json" --repos "$T/cycle.repos" \
	"docker://$H"
expect_match "^signet: .*tags/cycle.*next-page link goes back to a page already read, http://$H/v2/tags/cycle/tags/list\?n=1&last=a$" \
	"$ERR"
expect_eq "$(count " /v2/tags/cycle/tags/list " "$T/hostile.log")" 3 "requests for the tags of tags/cycle"
if ((SECONDS - start < 30)); then
	pass "the page cycle was stopped in $((SECONDS - start)) s"
else
	fail "the page cycle took $((SECONDS - start)) s"
fi

# Token realms that are not usable http(s) URLs: refused (3) before any
# token request; a realm holding credentials is not quoted.
expect_exit 3 -- "${inspect[@]}" "docker://$H/realm/ftp:latest"
expect_match "^signet: registry $H: token realm \"ftp://127\.0\.0\.1:$port/token/exact\" is not an http\(s\) URL$" "$ERR"
expect_exit 3 -- "${inspect[@]}" "docker://$H/realm/creds:latest"
expect_match "^signet: registry $H: token realm: credentials in the URL \(user:password@host\) are refused$" "$ERR"
expect_no_match 's3cret|realmuser' "$ERR"
expect_eq "$(count " /token/exact " "$T/hostile.log")" 0 "token requests to unusable realms"

# Still up after all that.
if kill -0 "$hostile_pid" 2>/dev/null; then pass "hostile server survived"; else fail "hostile server died"; fi

# A redirect to another host while holding credentials: the credentials go
# to the registry that asked for them (a Basic challenge) and never to the
# host the redirect names.
bport=$(free_port)
bport2=$(free_port)
# This server answers a ClientHello in plain HTTP, as docker-registry does:
# no second probe, the first request learns the Basic challenge (401).
start_testserver "$T/basic.out" hostile --basic --answer-tls --port "$bport" --port2 "$bport2" \
	--log "$T/basic.log"
expect_exit 0 -- "${inspect[@]}" --creds "user:hunter2" "docker://127.0.0.1:$bport/redirect/x:latest"
expect_eq "$(sed -n 's/^Digest: //p' "$OUT")" "$good" "redirected manifest digest"
expect_eq "$(grep "^$bport " "$T/basic.log" | tr '\n' ' ')" \
	"$bport TLS - auth=0 400 $bport GET /v2/redirect/x/manifests/latest auth=0 401 $bport GET /v2/redirect/x/manifests/latest auth=1 307 " \
	"requests to the registry after a plain-HTTP answer to the ClientHello"
expect_match "^$bport2 GET /v2/redirect/x/manifests/latest auth=0 200$" "$T/basic.log"
expect_no_match "^$bport2 .* auth=1 " "$T/basic.log"
expect_no_match 'hunter2' "$ERR"

# A web server that is no registry (404 for /v2/) is named as such, whether
# the https attempt was closed unanswered (the plain-HTTP probe finds it) or
# answered in plain HTTP (the first 404 makes signet ask /v2/ once).
mkdir -p "$T/www"
for answer in "" --answer-tls; do
	wport=$(free_port)
	start_testserver "$T/www$answer.out" files $answer --port "$wport" --root "$T/www" \
		--log "$T/www$answer.log"
	expect_exit 3 -- "${inspect[@]}" "docker://127.0.0.1:$wport/x/y:latest"
	expect_match "^signet: registry 127\.0\.0\.1:$wport: http://127\.0\.0\.1:$wport/v2/ answered HTTP 404: not a registry \(no /v2/ API\)\$" "$ERR"
	expect_eq "$(grep -c "^$wport GET /v2/ auth=0 404\$" "$T/www$answer.log")" 1 "GET /v2/ sent once ($answer)"
done

finish
