#!/usr/bin/env bash
# libsignet exports exactly the symbols libsignet.map lists, every one of
# them signet_*, and each public header compiles on its own.
set -euo pipefail
: "${LIBSIGNET:?}" "${SRCDIR:?}"
fail=0

exported=$(nm -D --defined-only "$LIBSIGNET" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort)
listed=$(sed -n 's/^[[:space:]]*\(signet_[a-z0-9_]*\);$/\1/p' "$SRCDIR/libsignet.map" | sort)
if [ "$exported" != "$listed" ]; then
	echo "FAIL: exported symbols differ from libsignet.map:"
	diff <(echo "$listed") <(echo "$exported") || true
	fail=1
fi
if echo "$exported" | grep -v '^signet_'; then
	echo "FAIL: symbols above are exported without the signet_ prefix"
	fail=1
fi
n_exported=$(echo "$exported" | wc -l)

for h in "$SRCDIR"/include/signet/*.h; do
	if ! printf '#include <signet/%s>\nint signet_header_check;\n' "$(basename "$h")" |
		cc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I "$SRCDIR/include" -x c -; then
		echo "FAIL: $(basename "$h") does not compile on its own"
		fail=1
	fi
done

if [ "$fail" = 0 ]; then
	echo "exports: $n_exported symbols match libsignet.map; headers self-contained"
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit "$fail"
