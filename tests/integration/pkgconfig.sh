# SPDX-License-Identifier: Apache-2.0
# tests/integration/pkgconfig.sh: a program written against the public API
# builds against the build tree with nothing but what meson's uninstalled
# pkg-config file says (docs/example/prepull.c, compiled here with cc), and
# runs; the prepull meson builds itself (PREPULL, used by gate.sh) is
# checked against it.
. "${SRCDIR:?SRCDIR must name the source tree}/tests/lib.sh"
need cc pkg-config ldd
: "${BUILDDIR:?BUILDDIR must name the meson build directory}"
: "${PREPULL:?PREPULL must name the docs/example/prepull binary}"

PCDIR="$BUILDDIR/meson-uninstalled"
[[ -f $PCDIR/signet-uninstalled.pc ]] || die "$PCDIR/signet-uninstalled.pc: meson did not generate it"

expect_exit 0 -- env PKG_CONFIG_PATH="$PCDIR" pkg-config --cflags --libs signet
FLAGS=$(cat "$OUT")
# The headers are included as <signet/signet.h>: the directory above them.
expect_match "(^| )-I$SRCDIR/include( |$)" "$OUT"
expect_match "(^| )-lsignet( |$)" "$OUT"

# shellcheck disable=SC2086 # the flags are words
expect_exit 0 -- cc -std=c11 -Wall -Wextra -Werror -o "$T/prepull" "$SRCDIR/docs/example/prepull.c" \
	$FLAGS -lpthread
[[ -x $T/prepull ]] || die "cc made no prepull"

# It runs against the build tree's libsignet, and says what the one meson
# built says.
export LD_LIBRARY_PATH="$BUILDDIR"
expect_match "libsignet\.so\.0 => $BUILDDIR/libsignet\.so\.0" <(ldd "$T/prepull")
expect_exit 0 -- "$T/prepull" --help
expect_match '^Usage: prepull --contract FILE' "$OUT"
cp "$OUT" "$T/help.cc"
expect_exit 0 -- "$PREPULL" --help
expect_eq "$(cat "$OUT")" "$(cat "$T/help.cc")" "--help of the cc-built and the meson-built prepull"
expect_exit 2 -- "$T/prepull" --no-such-option
expect_exit 2 -- "$T/prepull"
expect_match '^Usage: prepull' "$ERR"

finish
