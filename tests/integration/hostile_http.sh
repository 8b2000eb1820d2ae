# SPDX-License-Identifier: Apache-2.0
# tests/integration/hostile_http.sh: `signet inspect` against a registry
# whose HTTP/1.1 answers lie about their own framing (signet-testserver
# hostile, the h1/CASE/x repositories): each lie is refused with the exit
# code and the reason it deserves, in bounded time, memory and requests;
# each oddity HTTP/1.1 allows gives the manifest and its true digest.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need curl /usr/bin/time

port=$(free_port)
port2=$(free_port)
start_testserver "$T/hostile.out" hostile --port "$port" --port2 "$port2" --log "$T/hostile.log"
hostile_pid=$TS_PID
H="127.0.0.1:$port"
LOG="$T/hostile.log"
SCHEME=http
INSPECT=("$SIGNET" inspect --tls-verify=false)

# Sanity bounds, not timing assertions: a case must not take more than
# this many seconds nor a peak RSS above this many KiB.
MAX_CASE_S=30
MAX_RSS_KIB=$((64 * 1024))
# A GET of a manifest is sent at most once and retried SIGNET_MAX_RETRIES
# (3) times.
MAX_GETS=4

good=$(curl -sf "http://$H/v2/good/image/manifests/latest" | sha256sum | cut -d' ' -f1)
[[ $good =~ ^[0-9a-f]{64}$ ]] || die "no digest of the good manifest"
good="sha256:$good"

# count REGEX FILE: how many lines match
count() { grep -Ec -- "$1" "$2" || true; }

# gets_of CASE: how many GETs of the manifest of h1/CASE/x the server saw
gets_of() { count "^${H#*:} GET /v2/h1/$1/x/manifests/latest " "$LOG"; }

# inspect CODE CASE [SIGNET OPTIONS...]: signet inspect of h1/CASE/x exits
# with CODE, within MAX_CASE_S seconds and MAX_RSS_KIB, after at most
# MAX_GETS requests for the manifest.
inspect() {
	local want=$1 c=$2 start=$SECONDS took rss gets
	shift 2
	expect_exit "$want" -- /usr/bin/time -f %M -o "$T/rss.$c" "${INSPECT[@]}" "$@" "docker://$H/h1/$c/x:latest"
	took=$((SECONDS - start))
	rss=$(tail -n 1 "$T/rss.$c")
	if ((took <= MAX_CASE_S)) && [[ $rss =~ ^[0-9]+$ ]] && ((rss <= MAX_RSS_KIB)); then
		pass "h1/$c: $took s, peak RSS $rss KiB"
	else
		fail "h1/$c: $took s (at most $MAX_CASE_S), peak RSS '$rss' KiB (at most $MAX_RSS_KIB)"
	fi
	gets=$(gets_of "$c")
	if ((gets >= 1 && gets <= MAX_GETS)); then
		pass "h1/$c: $gets request(s) for the manifest"
	else
		fail "h1/$c: $gets requests for the manifest, expected 1 to $MAX_GETS"
	fi
}

# refused CODE CASE REASON [OPTIONS...]: refused with CODE; the message
# names the manifest's URL and says REASON (an extended regex).  A
# malformed answer is not retried; a connection that broke is, up to
# SIGNET_MAX_RETRIES times.
refused() {
	inspect "$1" "$2" "${@:4}"
	expect_match "^signet: .*$SCHEME://$H/v2/h1/$2/x/manifests/latest: .*($3)" "$ERR"
	expect_no_match '^Digest:' "$OUT"
	case $3 in
	"malformed HTTP answer"*) expect_eq "$(gets_of "$2")" 1 "GETs of h1/$2 (not retried)" ;;
	"the connection "*) expect_eq "$(gets_of "$2")" "$MAX_GETS" "GETs of h1/$2 (retried)" ;;
	esac
}

# accepted CASE: the manifest, with the digest of its bytes.
accepted() {
	inspect 0 "$1"
	expect_eq "$(sed -n 's/^Digest: //p' "$OUT")" "$good" "h1/$1 digest"
}

began=$SECONDS

# The status line: a status code that is not three digits, a protocol
# that is not HTTP/1.x, nothing at all; an upgrade nobody asked for.
refused 3 status-2oo 'malformed HTTP answer: the status line has no status code of three digits'
refused 3 status-http2 'malformed HTTP answer: the status line does not start with "HTTP/1.x "'
refused 3 status-icy 'malformed HTTP answer: the status line does not start with "HTTP/1.x "'
refused 3 status-empty 'malformed HTTP answer: the status line does not start with "HTTP/1.x "'
refused 3 switching 'malformed HTTP answer: 101 Switching Protocols, which was not asked for'

# Header fields: a bare CR, obsolete line folding, a blank before the colon.
refused 3 bare-cr 'malformed HTTP answer: a bare CR in the answer head'
refused 3 folded 'malformed HTTP answer: .*\(obsolete line folding\)'
refused 3 name-space 'malformed HTTP answer: a header name holds a character not allowed in a token'

# The bounds of one head: its size, its fields, its 1xx answers.
refused 3 head-big 'malformed HTTP answer: the answer head is longer than 65536 bytes \(SN_H1_MAX_HEAD_SIZE\)'
refused 3 headers-many 'malformed HTTP answer: more than 128 header fields \(SN_H1_MAX_HEADERS\)'
refused 3 interim-9 'malformed HTTP answer: more than 8 interim \(1xx\) answers \(SN_H1_MAX_INTERIM\)'

# Framing: codings other than chunked, any in an HTTP/1.0 answer, chunked
# with a length, lengths that disagree or are no length.
refused 3 te-gzip 'malformed HTTP answer: a transfer coding other than chunked alone'
refused 3 http10-chunked 'malformed HTTP answer: Transfer-Encoding in an HTTP/1.0 answer'
refused 3 te-and-cl 'malformed HTTP answer: both Transfer-Encoding and Content-Length'
refused 3 cl-two 'malformed HTTP answer: two different Content-Length values'
refused 3 cl-alpha 'malformed HTTP answer: Content-Length is not a decimal number'
refused 3 cl-negative 'malformed HTTP answer: Content-Length is not a decimal number'
refused 3 cl-plus 'malformed HTTP answer: Content-Length is not a decimal number'
refused 3 cl-20digits 'malformed HTTP answer: Content-Length is too large'

# Chunks: a size that is no hex number, one that overflows 64 bits, a
# size line longer than SN_H1_MAX_CHUNK_LINE, data longer than its size,
# a trailer line longer than SN_H1_MAX_CHUNK_LINE, a trailer section
# longer than SN_H1_MAX_TRAILER_SIZE.
refused 3 chunk-garbage 'malformed HTTP answer: a chunk-size line is not a hexadecimal size'
refused 3 chunk-17hex 'malformed HTTP answer: a chunk size is too large'
refused 3 chunk-longline 'malformed HTTP answer: a chunk-size line is longer than 1024 bytes \(SN_H1_MAX_CHUNK_LINE\)'
refused 3 chunk-nocrlf 'malformed HTTP answer: a chunk is longer than its size'
refused 3 trailer-longline 'malformed HTTP answer: a trailer line is longer than 1024 bytes \(SN_H1_MAX_CHUNK_LINE\)'
refused 3 trailers-big 'malformed HTTP answer: the trailer section is longer than 16384 bytes \(SN_H1_MAX_TRAILER_SIZE\)'

# Answers cut short: a chunk, a Content-Length body, no answer at all.
# Worth retrying (a connection that broke), then reported.
refused 3 chunk-short 'the connection was closed before the end of the body'
refused 3 cl-short 'the connection was closed before the end of the body'
refused 3 no-answer 'the connection was closed before the end of the answer head'

# A head that never ends, one byte every 100 ms: the deadline stops it.
refused 3 slow-head 'deadline of 2000 ms for this image passed' --timeout 2s

# A chunked body without end: cut at SIGNET_MAX_MANIFEST_SIZE.
inspect 2 chunks-endless
expect_match "^signet: manifest $H/h1/chunks-endless/x:latest: larger than the limit of 4194304 bytes \(SIGNET_MAX_MANIFEST_SIZE\)$" "$ERR"

# What HTTP/1.1 allows, however odd: the manifest, its digest true.
for c in chunked chunk-ext trailers te-case bare-lf http10 interim-1 interim-8 early-hints odd-case cl-repeat \
	reason-empty head-large headers-max; do
	accepted "$c"
done

# HEAD (signet audit asks for the tag with a HEAD, then GETs the
# manifest): no body follows a HEAD answer, whatever its head says, and
# the server keeps the connection open after it: a client waiting for a
# body would wait until its deadline.
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/accept.json"
audit=("$SIGNET" audit --tls-verify=false --policy "$T/accept.json" --timeout 20s)
for c in chunked http10 cl-repeat; do
	start=$SECONDS
	expect_exit 0 -- "${audit[@]}" "docker://$H/h1/$c/x:latest"
	expect_match "^Images: 1 \(1 allowed, 0 denied, 0 errors\)" "$OUT"
	if ((SECONDS - start < 10)); then
		pass "audit of h1/$c in $((SECONDS - start)) s"
	else
		fail "audit of h1/$c took $((SECONDS - start)) s: waited for a body after HEAD?"
	fi
done
# The head of cl-short is whole: the HEAD succeeds, the GET is cut short.
expect_exit 3 -- "${audit[@]}" "docker://$H/h1/cl-short/x:latest"
expect_match "^Images: 1 \(0 allowed, 0 denied, 1 errors\)" "$OUT"
expect_match "GET http://$H/v2/h1/cl-short/x/manifests/latest: .*closed before the end of the body" "$OUT"
expect_match "^$port HEAD /v2/h1/cl-short/x/manifests/latest " "$LOG"
# A lie in the head is one for HEAD too.
expect_exit 3 -- "${audit[@]}" "docker://$H/h1/status-2oo/x:latest"
expect_match "HEAD http://$H/v2/h1/status-2oo/x/manifests/latest: malformed HTTP answer: .*status code" "$ERR"

if kill -0 "$hostile_pid" 2>/dev/null; then pass "hostile server survived"; else fail "hostile server died"; fi

# Over TLS (the CA given, no plain HTTP): a close-delimited body cut short
# by a close without close_notify is a truncation (RFC 9112 section 9.8),
# not an answer; framed and close-delimited answers that end properly work.
make_cert "$T/tls" 127.0.0.1 ec "subjectAltName=IP:127.0.0.1"
mkdir -p "$T/certs.d"
cp "$T/ca/ca.crt" "$T/certs.d/ca.crt"
tport=$(free_port)
tport2=$(free_port)
start_testserver "$T/tls.out" hostile --port "$tport" --port2 "$tport2" --tls-cert "$T/tls/127.0.0.1.crt" \
	--tls-key "$T/tls/127.0.0.1.key" --log "$T/tls.log"
tls_pid=$TS_PID
H="127.0.0.1:$tport"
LOG="$T/tls.log"
SCHEME=https
INSPECT=("$SIGNET" inspect --cert-dir "$T/certs.d")
refused 3 tls-cut 'the connection broke before the end of the body'
for c in chunked http10 interim-1 trailers; do
	accepted "$c"
done
if kill -0 "$tls_pid" 2>/dev/null; then pass "TLS hostile server survived"; else fail "TLS hostile server died"; fi

if ((SECONDS - began <= 240)); then
	pass "all cases in $((SECONDS - began)) s"
else
	fail "all cases took $((SECONDS - began)) s (at most 240)"
fi

finish
