# SPDX-License-Identifier: Apache-2.0
# tests/integration/audit_render.sh: the outputs of `signet audit` on
# recorded JSON Lines, without a registry: `signet audit render --table`
# (the human table), `signet audit render --html` (one self-contained,
# escaped page) and `signet audit merge` (shards back into the byte-exact
# output of one unsharded run), and how each refuses bad input.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need cmp grep sed jq chromium

R=127.0.0.1:5000
H40() { printf '%040d' 0 | tr 0 "$1"; }
H64() { printf '%064d' 0 | tr 0 "$1"; }
FF=$(H40 F) AA=$(H40 A) BB=$(H40 B)
D1=sha256:$(H64 1) D2=sha256:$(H64 2) D3=sha256:$(H64 3) D4=sha256:$(H64 4) D5=sha256:$(H64 5) D9=sha256:$(H64 9)
EVIL="$R/evil<script>alert(1)</script>"
MT=application/vnd.oci.image.manifest.v1+json

# sig VALID SIGNER NAME: one signature object as the library writes it.
sig() {
	local signer=null
	[[ $2 == null ]] || signer="\"$2\""
	printf '{"kind":"simple-signing","store":"lookaside","location":"http://lookaside.example/sig-1","valid":%s,"signer":%s,"signerName":"%s","identity":"x","identityMatches":true,"timestamp":1700000000,"problem":null}' \
		"$1" "$signer" "$3"
}
# image REPO TAG DIGEST VERDICT REASON SIGS: one image record (DIGEST and
# REASON as JSON).
image() {
	printf '{"type":"image","repository":"%s","tag":"%s","reference":"%s:%s","digest":%s,"mediaType":"%s","platforms":[],"verdict":"%s","reason":%s,"pinned":null,"signatures":[%s]}\n' \
		"$1" "$2" "$1" "$2" "$3" "$MT" "$4" "$5" "$6"
}
orphan() {
	printf '{"type":"orphan","repository":"%s","digest":"%s","store":"attachment","location":"docker://%s:sha256-%s.sig"}\n' \
		"$1" "$2" "$1" "${2#sha256:}"
}
# summary IMAGES ALLOWED DENIED ERRORS ORPHANS FOREIGN BYSIGNER SHARD: the
# summary record as the library writes it; $UNLOOKED (orphansNotLookedFor,
# default null) and $POLICY (default: --policy /etc/signet/policy.json).
POLICY_NAMED='{"kind":"policy","files":["/etc/signet/policy.json"],"named":true}'
summary() {
	printf '{"type":"summary","images":%s,"allowed":%s,"denied":%s,"errors":%s,"orphans":%s,"orphansNotLookedFor":%s,"foreignIdentity":%s,"bySigner":%s,"policy":%s,"shard":%s}\n' \
		"$1" "$2" "$3" "$4" "$5" "${UNLOOKED:-null}" "$6" "$7" "${POLICY:-$POLICY_NAMED}" "$8"
}
# old_summary ...: as summary, as signet wrote it before orphansNotLookedFor
# and policy existed.
old_summary() {
	printf '{"type":"summary","images":%s,"allowed":%s,"denied":%s,"errors":%s,"orphans":%s,"foreignIdentity":%s,"bySigner":%s,"shard":%s}\n' "$@"
}

# Three repositories in audit order: app (shard 1), evil<script> (shard 2),
# lib (shard 1).  Signers first seen in the order FF, AA, BB: neither sorted
# nor the order of either shard, as the library's bySigner keeps it.
APP1=$(image "$R/app" v1 "\"$D1\"" allowed null "$(sig true "$FF" 'Ops <ops@example.com>')")
APP2=$(image "$R/app" v2 "\"$D2\"" denied '"no valid signature by a trusted key: \u001b[31mred\u001b[0m"' "$(sig false null '')")
APPO=$(orphan "$R/app" "$D9")
EV1=$(image "$EVIL" a "\"$D3\"" allowed null "$(sig true "$AA" '\"><img src=x onerror=alert(1)>')")
EV2=$(image "$EVIL" b null error '"manifest unknown: <b>bold</b> & co"' "")
LIB1=$(image "$R/lib" v1 "\"$D4\"" allowed null "$(sig true "$BB" 'B'),$(sig true "$FF" 'Ops <ops@example.com>')")
LIB2=$(image "$R/lib" v2 "\"$D5\"" allowed null "$(sig true "$FF" 'Ops')")

printf '%s\n' "$APP1" "$APP2" "$APPO" "$EV1" "$EV2" "$LIB1" "$LIB2" >"$T/full.jsonl"
summary 6 4 1 1 1 0 "{\"$FF\":3,\"$AA\":1,\"$BB\":1}" null >>"$T/full.jsonl"
printf '%s\n' "$APP1" "$APP2" "$APPO" "$LIB1" "$LIB2" >"$T/s1.jsonl"
summary 4 3 1 0 1 0 "{\"$FF\":3,\"$BB\":1}" '"1/2"' >>"$T/s1.jsonl"
printf '%s\n' "$EV1" "$EV2" >"$T/s2.jsonl"
summary 2 1 0 1 0 0 "{\"$AA\":1}" '"2/2"' >>"$T/s2.jsonl"

# ---- the terminal report -----------------------------------------------------

# aligned FILE COLS WHAT: in the image table of a terminal report (from its
# VERDICT heading to the next blank line) every cell starts under its
# heading, after two spaces, and no line is wider than COLS characters.
aligned() {
	(
		export LC_ALL=C.UTF-8
		local head line offs=() h bad=0 rows=0 wide=0 o
		head=$(grep -m1 '^VERDICT  ' "$1")
		for h in REFERENCE DIGEST SIGNERS REASON; do
			o=${head%%"$h"*}
			offs+=("${#o}")
		done
		while IFS= read -r line; do
			rows=$((rows + 1))
			((${#line} <= $2)) || wide=$((wide + 1))
			for o in "${offs[@]}"; do
				[[ ${line:o-2:2} == '  ' && ${line:o:1} != ' ' ]] || { bad=$((bad + 1)); break; }
			done
		done < <(sed -n '/^VERDICT  /,/^$/p' "$1" | sed '1d;/^$/d')
		[[ $rows -gt 0 && $bad == 0 && $wide == 0 && ${#head} -le $2 ]]
	) && pass "$3: columns aligned under their headings, within $2 columns" ||
		{ fail "$3: the image table is not aligned within $2 columns"; sed -n '/^VERDICT  /,/^$/s/^/  | /p' "$1"; }
}

export COLUMNS=80
expect_exit 1 -- "$SIGNET" audit render --table "$T/full.jsonl"
TABLE=$OUT
# The summary first: what, under which policy, the counts; the images after.
expect_eq "$(head -n 3 "$TABLE" | cut -d: -f1 | tr '\n' ' ')" "Audited Policy Started " "the report's first lines"
expect_match '^Policy: /etc/signet/policy\.json$' "$TABLE"
expect_match '^Images: 6 \(4 allowed, 1 denied, 1 errors\)$' "$TABLE"
expect_match '^Signatures: 6 simple-signing \(5 valid\), 0 sigstore \(0 valid\); images without any: 1$' "$TABLE"
expect_match '^Orphan signatures: 1$' "$TABLE"
expect_match '^Signatures claiming another repository: 0$' "$TABLE"
line_of() { grep -n -m1 -E "$1" "$TABLE" | cut -d: -f1; }
(($(line_of '^Images: ') < $(line_of '^VERDICT  '))) && pass "the counts come before the image table" ||
	fail "the image table comes before the counts"
# Denials and errors grouped by reason, numbered, the image named once; the
# rows refer to the group.
expect_match '^Denied, by reason \(\[N\] images: reason\):$' "$TABLE"
expect_match '^  \[1\] 1  no valid signature by a trusted key: \?\[31mred\?\[0m$' "$TABLE"
expect_match '^         e\.g\. 127\.0\.0\.1:5000/app:v2$' "$TABLE"
expect_match '^  \[2\] 1  manifest unknown: <b>bold</b> & co$' "$TABLE"
expect_match '^denied   127\.0\.0\.1:5000/app:v2  222222222222  -  +\[1\] no valid signa' "$TABLE"
expect_match '^error    127\.0\.0\.1:5000/evil<…  -  +-  +\[2\] manifest' "$TABLE"
# Signers by name and short key id, each key once with its count.
expect_match '^Valid signatures by signer \(signatures: signer\):$' "$TABLE"
expect_match '^  3  Ops <ops@example\.com> \(FFFF…F{16}\)$' "$TABLE"
expect_match '^  1  B \(BBBB…B{16}\)$' "$TABLE"
expect_eq "$(grep -c 'FFFF…F\{16\})$' "$TABLE")" 1 "lines naming signer FF in the signer list"
expect_match '^allowed  127\.0\.0\.1:5000/lib:v1  444444444444  B \(BBBB' "$TABLE"
aligned "$TABLE" 80 "COLUMNS=80"
expect_no_match $'\x1b' "$TABLE"
expect_match '^Orphan signatures \(for digests no tag names\):$' "$TABLE"
expect_match "^  $R/app  $D9  attachment  docker://$R/app:sha256-9{64}\\.sig\$" "$TABLE"
(($(line_of '^(allowed|denied|error) ') < $(line_of '^Orphan signatures \('))) &&
	pass "orphans after the images" || fail "orphans before the images"
# Wider: the whole reason fits, still aligned.
COLUMNS=200 expect_exit 1 -- "$SIGNET" audit render --table "$T/full.jsonl"
aligned "$OUT" 200 "COLUMNS=200"
expect_match '^denied   127\.0\.0\.1:5000/app:v2 +222222222222  - +\[1\] no valid signature by a trusted key: \?\[31mred\?\[0m$' "$OUT"
# The summary line ends the run on stderr.
expect_eq "$(tail -n 1 "$ERR")" "signet audit: 6 images: 4 allowed, 1 denied, 1 errors (policy: /etc/signet/policy.json)" \
	"render: the summary line on stderr"
# exit codes as the audit's: some image denied 1 (above), else unreadable 3
expect_exit 3 -- "$SIGNET" audit render --table "$T/s2.jsonl"
expect_match '^Audited: .*, shard 2/2$' "$OUT"

# ---- HTML -------------------------------------------------------------------
expect_exit 1 -- "$SIGNET" audit render --html "$T/report.html" "$T/full.jsonl"
expect_eq "$(wc -c <"$OUT")" 0 "bytes on stdout with render --html"
HTML=$T/report.html
expect_match '^<!DOCTYPE html>' "$HTML"
expect_match "default-src 'none'" "$HTML"
# nothing loaded from anywhere: no attribute naming a resource, no CSS import
expect_no_match '<[^>]*[[:space:]](src|href|srcset|action|xlink:href)[[:space:]]*=' "$HTML"
expect_no_match '(url\(|@import|<link|<iframe|<object|<embed)' "$HTML"
sed 's|http://lookaside\.example/sig-1||g' "$HTML" >"$T/report.stripped"
expect_no_match 'https?://' "$T/report.stripped"
# the registry's strings are escaped: no tag of theirs survives
expect_match '<td>127\.0\.0\.1:5000/evil&lt;script&gt;alert\(1\)&lt;/script&gt;</td>' "$HTML"
expect_no_match '<script>alert' "$HTML"
expect_no_match '<img' "$HTML"
expect_no_match '<b>bold' "$HTML"
expect_match 'manifest unknown: &lt;b&gt;bold&lt;/b&gt; &amp; co' "$HTML"
expect_match '&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;' "$HTML"
expect_eq "$(grep -c '<script>' "$HTML")" 1 "script elements (the table sorter)"
expect_eq "$(grep -c '<tr class="v-' "$HTML")" 6 "image rows"
expect_match "<td class=\"mono\">sha256:9{64}</td>" "$HTML"
expect_match 'class="summary"' "$HTML"
expect_match '<dd class="policy">/etc/signet/policy\.json</dd>' "$HTML"
expect_match '<td class="orphans">1</td>' "$HTML"
expect_match '<circle [^>]*stroke="#c62828"[^>]*><title>denied: 1</title>' "$HTML"
expect_match "<div class=\"label\" title=\"$FF\">Ops &lt;ops@example\\.com&gt; \\(FFFF…F{16}\\)</div>" "$HTML"
expect_eq "$(ls "$T" | grep -c 'report\.html\.tmp' || true)" 0 "temporary files left"

# ---- HTML at a laptop's width, in Chromium ----------------------------------
# Long, real-looking values: a deep repository path, 64-hex digests, a
# denial reason of several signatures, a signer with a long user id, a
# cosign key and its keyPath.  The page must fit a 1400x900 window: no
# horizontal scrolling (the table used to be 2,600 px wide, its Reason
# column off screen, and the cosign key's label ran into its bar).
LONG="registry.example.com:5000/platform/confidential-computing/hyper-protect/workloads/payments-gateway-service-backend"
DL=sha256:3f1b6c0a9d2e4f5b7a8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c
COS=SHA256:cf4b998e6ece78b9052fcfc8f7995778e55817028e00378d8073f43aba3eb634
long_sig() {
	jq -cn --arg kind "$1" --arg signer "$2" --arg name "$3" --arg d "${DL#sha256:}" \
		'{kind: $kind, store: "lookaside", valid: true, signer: $signer, signerName: $name,
		  location: ("https://sigstore.example.com/signatures/platform/confidential-computing/hyper-protect@sha256=" + $d + "/signature-1"),
		  identity: "x", identityMatches: true, timestamp: 1700000000, problem: null}'
}
SIGS="$(long_sig simple-signing "$FF" 'Hyper Protect Release Engineering <release-engineering@example.com>'),$(long_sig simple-signing "$FF" 'Hyper Protect Release Engineering <release-engineering@example.com>'),$(long_sig sigstore "$COS" 'keyPath /etc/containers/keys/hyper-protect-cosign-production-signing-key.pub')"
for i in 1 2 3 4 5 6; do
	tag=release-2026.12.01-rc$i verdict=allowed reason=null
	if ((i > 4)); then
		verdict=denied
		reason=$(jq -cn --arg ref "$LONG:$tag" --arg r "$R" --arg b "$BB" '$ref + ": denied: requirement 1 of 2 (signedBy, policy /etc/containers/policy.d/hyper-protect-production-workloads.json: transports.docker.\"" + $r + "/platform\"[0]) not met: no valid signature among 3: signature-1: signature: made by key " + $b + ", which is not one of the pinned keys; signature-2: the signature claims identity \"" + $r + "/platform/other:latest\", which does not match " + $ref + " (matchRepository); signature-3: the key expired on 2026-01-01"')
	fi
	image "$LONG" "$tag" "\"$DL\"" "$verdict" "$reason" "$SIGS"
done >"$T/long.jsonl"
orphan "$LONG" "$D9" >>"$T/long.jsonl"
printf '{"type":"summary","images":6,"allowed":4,"denied":2,"errors":0,"orphans":1,"orphansNotLookedFor":null,"foreignIdentity":0,"bySigner":{"%s":12,"%s":6,"%s":1},"policy":{"kind":"policy","files":["/etc/containers/policy.d/hyper-protect-production-workloads.json"],"named":true},"shard":null,"source":"docker://%s","started":"2026-12-05T04:13:13Z","signetVersion":"0.1.0"}\n' \
	"$FF" "$COS" "$BB" "$R" >>"$T/long.jsonl"
expect_exit 1 -- "$SIGNET" audit render --html "$T/long.html" "$T/long.jsonl"
# the header: what was audited, under which policy, when, by which signet
expect_match "<dd class=\"source\">docker://$R \\(a registry: every repository of its catalog\\)</dd>" "$T/long.html"
expect_match '<dd class="policy">/etc/containers/policy\.d/hyper-protect-production-workloads\.json</dd>' "$T/long.html"
expect_match '<dd class="started">2026-12-05T04:13:13Z</dd>' "$T/long.html"
expect_match '<dd class="version">0\.1\.0</dd>' "$T/long.html"
# long values: cut, the whole on hover
expect_match "<td class=\"mono\" title=\"$DL\">sha256:3f1b6c0a9d2e…</td>" "$T/long.html"
expect_match "<div class=\"label\" title=\"$COS\">cosign key SHA256:cf4b998e6ece78b9… \\(keyPath " "$T/long.html"
expect_match '<td>denied</td><td>2</td><td>requirement 1 of 2 \(signedBy, transports\.docker' "$T/long.html"
read -r WIDTH VIEWPORT < <(chromium_width "$T/long.html") || true
if [[ -n ${WIDTH-} && -n ${VIEWPORT-} ]] && ((VIEWPORT > 1300 && WIDTH <= VIEWPORT)); then
	pass "Chromium at 1400x900: the page is $WIDTH px wide, the viewport $VIEWPORT px"
else
	fail "Chromium at 1400x900: the page is '${WIDTH-}' px wide, the viewport '${VIEWPORT-}' px (page wider, or no answer)"
fi
chromium_run --screenshot="$T/long.png" "file://$T/long.html" || true
expect_eq "$(head -c 8 "$T/long.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "screenshot: PNG signature"
[[ -n ${SIGNET_KEEP_SHOTS-} ]] && cp "$T/long.png" "$T/long.html" "$SIGNET_KEEP_SHOTS/"

# ---- merge ------------------------------------------------------------------
expect_exit 1 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/s2.jsonl"
if cmp -s "$OUT" "$T/full.jsonl"; then pass "merge --json of 2 shards = the unsharded run, byte for byte"
else fail "merge --json differs from the unsharded run"; diff "$OUT" "$T/full.jsonl" | sed -n '1,20s/^/  | /p' || true; fi
expect_exit 1 -- "$SIGNET" audit merge --json "$T/s2.jsonl" "$T/s1.jsonl"
cmp -s "$OUT" "$T/full.jsonl" && pass "merge does not depend on the order of the files" || fail "merge of s2 s1 differs"
COLUMNS=80 expect_exit 1 -- "$SIGNET" audit merge "$T/s1.jsonl" "$T/s2.jsonl"
cmp -s "$OUT" "$TABLE" && pass "merge table = render --table of the unsharded run" || fail "merge table differs"
expect_exit 1 -- "$SIGNET" audit merge --html "$T/merged.html" "$T/s1.jsonl" "$T/s2.jsonl"
cmp -s "$T/merged.html" "$HTML" && pass "merge --html = render --html of the unsharded run" || fail "merge --html differs"

# ---- refusals ---------------------------------------------------------------
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl"
expect_match 'shard 2/2 is missing' "$ERR"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/s1.jsonl"
expect_match 'shard 1/2 given twice|in both' "$ERR"
printf '%s\n' "$LIB1" >"$T/s2-overlap.jsonl"
summary 1 1 0 0 0 0 "{\"$BB\":1,\"$FF\":1}" '"2/2"' >>"$T/s2-overlap.jsonl"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/s2-overlap.jsonl"
expect_match "repository \"$R/lib\" is in both .*s1\\.jsonl and .*s2-overlap\\.jsonl: the shards overlap" "$ERR"
{ image "$R/zz" v1 "\"$D1\"" allowed null ""; image "$R/yy" v1 "\"$D2\"" allowed null ""; } >"$T/unsorted.jsonl"
summary 2 2 0 0 0 0 '{}' '"2/2"' >>"$T/unsorted.jsonl"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/unsorted.jsonl"
expect_match "unsorted\\.jsonl:2: repository \"$R/yy\" after \"$R/zz\": the file is not in audit order" "$ERR"
head -n -1 "$T/s2.jsonl" >"$T/truncated.jsonl"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/truncated.jsonl"
expect_match 'truncated\.jsonl: no summary record at the end' "$ERR"
summary 2 1 0 1 0 0 "{\"$AA\":1}" '"2/3"' >"$T/other-split.jsonl"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/other-split.jsonl"
expect_match 'shard 2/3 of another split' "$ERR"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/full.jsonl"
expect_match 'full\.jsonl: the summary names no shard' "$ERR"
{ cat "$T/s2.jsonl"; echo "$EV1"; } >"$T/after.jsonl"
expect_exit 2 -- "$SIGNET" audit render --table "$T/after.jsonl"
expect_match 'after\.jsonl:4: a record after the summary' "$ERR"
printf '%s\n' '{"type":"orphan","repository":"a","repository":"b","digest":"x"}' >"$T/dup.jsonl"
expect_exit 2 -- "$SIGNET" audit render --html "$T/dup.html" "$T/dup.jsonl"
expect_match 'dup\.jsonl:1: not JSON: duplicate object key' "$ERR"
[[ ! -e $T/dup.html ]] && pass "no HTML file for refused input" || fail "dup.html written"
expect_eq "$(ls "$T" | grep -c 'dup\.html\.tmp' || true)" 0 "temporary files left after a refusal"
printf '%s\n' '{"type":"image","repository":"a","tag":"t","verdict":"maybe"}' >"$T/verdict.jsonl"
expect_exit 2 -- "$SIGNET" audit render --table "$T/verdict.jsonl"
expect_match 'verdict\.jsonl:1: image record without .*a verdict \(allowed, denied, error\)' "$ERR"
printf '%s\n' '{"type":"summary","images":-1}' >"$T/neg.jsonl"
expect_exit 2 -- "$SIGNET" audit render --table "$T/neg.jsonl"
expect_match 'neg\.jsonl:1: summary record: "images" is not a count' "$ERR"
expect_exit 2 -- "$SIGNET" audit render --table --html "$T/x.html" "$T/full.jsonl"
expect_match 'one of --table and --html' "$ERR"
expect_exit 3 -- "$SIGNET" audit render --table "$T/absent.jsonl"
expect_match 'absent\.jsonl: No such file' "$ERR"
expect_exit 2 -- "$SIGNET" audit --shard 3/2 --key /dev/null docker://127.0.0.1:1
expect_match '--shard takes K/N with 1 <= K <= N' "$ERR"
expect_exit 2 -- "$SIGNET" audit -j 0 --key /dev/null docker://127.0.0.1:1
expect_match '-j takes a number of parallel requests from 1 to' "$ERR"

# ---- orphans not looked for, the policy, in render and merge ----------------
# s1 could not look in lib's lookaside (a control character and markup in
# the reason, as a hostile configuration might put there; \u001B as
# jansson writes it), s2 in evil's.
UN1='{"repositories":1,"repository":"'"$R/lib"'","reason":"the lookaside http://la.example/<b>\u001B[31m cannot be listed"}'
UN2=$(jq -cn --arg r "$EVIL" '{repositories: 1, repository: $r, reason: "the lookaside https://x cannot be listed"}')
printf '%s\n' "$APP1" "$APP2" "$APPO" "$LIB1" "$LIB2" >"$T/u1.jsonl"
UNLOOKED=$UN1 summary 4 3 1 0 null 0 "{\"$FF\":3,\"$BB\":1}" '"1/2"' >>"$T/u1.jsonl"
printf '%s\n' "$EV1" "$EV2" >"$T/u2.jsonl"
UNLOOKED=$UN2 summary 2 1 0 1 null 0 "{\"$AA\":1}" '"2/2"' >>"$T/u2.jsonl"
expect_exit 1 -- "$SIGNET" audit render --table "$T/u1.jsonl"
expect_eq "$(grep '^Orphan signatures: ' "$OUT")" \
	"Orphan signatures: not looked for in $R/lib (the lookaside http://la.example/<b>?[31m cannot be listed); 1 found where they could be looked for" \
	"render: the orphans line, not looked for (control characters cleaned)"
expect_exit 1 -- "$SIGNET" audit merge --json "$T/u2.jsonl" "$T/u1.jsonl"
expect_eq "$(tail -n 1 "$OUT" | jq -c '[.orphans, .orphansNotLookedFor, .shard]')" \
	"$(jq -cn --arg r "$EVIL" '[null, {repositories: 2, repository: $r,
		reason: "the lookaside https://x cannot be listed"}, null]')" \
	"merge of two shards not looked in: [orphans, orphansNotLookedFor (summed, the first repository), shard]"
# one shard looked everywhere, the other not: not looked for in the merge
expect_exit 1 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/u2.jsonl"
expect_eq "$(tail -n 1 "$OUT" | jq -c '[.orphans, .orphansNotLookedFor]')" "[null,$UN2]" \
	"merge of a shard that looked and one that did not"
if cmp -s <(head -n -1 "$OUT") <(head -n -1 "$T/full.jsonl"); then pass "merge: the records themselves unchanged"
else fail "merge: the records differ from the unsharded run's"; fi
expect_exit 1 -- "$SIGNET" audit merge --html "$T/u.html" "$T/u1.jsonl" "$T/u2.jsonl"
expect_match "<td class=\"orphans\">not looked for in 2 repositories \\(the first, 127\\.0\\.0\\.1:5000/evil&lt;script&gt;alert\\(1\\)&lt;/script&gt;: the lookaside https://x cannot be listed\\); 1 found where they could be looked for</td>" "$T/u.html"
expect_no_match 'None: every signature belongs' "$T/u.html"
expect_no_match '<b>' "$T/u.html"
# Shards judged by different policies are not one audit.
printf '%s\n' "$EV1" "$EV2" >"$T/p2.jsonl"
POLICY='{"kind":"policy","files":["/etc/containers/policy.json"],"named":false}' \
	summary 2 1 0 1 0 0 "{\"$AA\":1}" '"2/2"' >>"$T/p2.jsonl"
expect_exit 2 -- "$SIGNET" audit merge --json "$T/s1.jsonl" "$T/p2.jsonl"
expect_match 'p2\.jsonl: judged by another policy than .*s1\.jsonl: not shards of one audit' "$ERR"
expect_exit 3 -- "$SIGNET" audit render --table "$T/p2.jsonl"
expect_eq "$(grep '^Policy: ' "$OUT")" "Policy: /etc/containers/policy.json (a default location, not named with --policy)" \
	"render: the policy line of a default policy.json"
printf '%s\n' "$EV1" >"$T/k.jsonl"
POLICY='{"kind":"keys","files":["a.asc","b.asc"],"named":true}' summary 1 1 0 0 0 0 "{\"$AA\":1}" null >>"$T/k.jsonl"
expect_exit 0 -- "$SIGNET" audit render --table "$T/k.jsonl"
expect_eq "$(grep '^Policy: ' "$OUT")" "Policy: keys a.asc, b.asc" "render: the policy line of --key a.asc --key b.asc"
# A report written before these fields: still read, the policy not claimed.
printf '%s\n' "$EV1" >"$T/old.jsonl"
old_summary 1 1 0 0 0 0 "{\"$AA\":1}" null >>"$T/old.jsonl"
expect_exit 0 -- "$SIGNET" audit render --table "$T/old.jsonl"
expect_eq "$(grep -E '^(Policy|Orphan signatures): ' "$OUT" | tr '\n' '|')" \
	"Policy: not recorded (a report written before signet recorded it)|Orphan signatures: 0|" "render: an older report"
# Summaries that contradict themselves are refused.
for bad in '"orphans":null,"orphansNotLookedFor":null' '"orphans":3,"orphansNotLookedFor":{"repositories":1,"repository":"r","reason":"x"}' \
	'"orphans":null,"orphansNotLookedFor":{"repositories":0,"repository":"r","reason":"x"}' '"orphans":"none"' \
	'"orphans":0,"policy":{"kind":"trust-me","files":[],"named":true}' '"orphans":0,"policy":{"kind":"keys","files":[1],"named":true}' \
	'"orphans":0,"policy":{"kind":"policy","files":[],"named":true}' '"orphans":0,"policy":{"kind":"contract","files":["c"]}'; do
	printf '{"type":"summary","images":0,"allowed":0,"denied":0,"errors":0,%s,"foreignIdentity":0,"bySigner":{},"shard":null}\n' \
		"$bad" >"$T/bad.jsonl"
	expect_exit 2 -- "$SIGNET" audit render --html "$T/bad.html" "$T/bad.jsonl"
	expect_match 'bad\.jsonl:1: summary record: "(orphans|orphansNotLookedFor|policy)"' "$ERR"
	[[ ! -e $T/bad.html ]] && pass "no HTML file for a refused summary" || fail "bad.html written"
done

finish
