#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/check_layers.sh SOURCE_DIR BUILD_DIR: the floors of docs/architecture.md, checked.
#
# Floors from the bottom: base, registry, policy, verify, sign, cli.  A floor
# may use its own and the ones below it, never one above; cli/ uses the
# public API only (include/signet/ and the signet_* exports).  Two checks:
#  1. includes: every #include "dir/..." of a folder's .c and .h files names
#     a folder at or below it (cli/: none of the library folders at all);
#  2. calls: every undefined symbol of a module's object files (nm -u) that
#     the library defines is defined in a floor at or below it (cli/: only
#     signet_* symbols).
# Prints each violation as "file: what" and exits 1 if there is any.
set -euo pipefail
[[ $# == 2 ]] || { echo "usage: check_layers.sh SOURCE_DIR BUILD_DIR" >&2; exit 2; }
src=$1 build=$2
floors=(base registry policy verify sign cli)
declare -A rank
for i in "${!floors[@]}"; do rank[${floors[$i]}]=$i; done
bad=0
violation() { echo "$1"; bad=$((bad + 1)); }

# 1. includes
for floor in "${floors[@]}"; do
	for path in "$src/$floor"/*.[ch]; do
		while read -r inc; do
			top=${inc%%/*}
			[[ $inc == */* ]] || top=$floor
			[[ -n ${rank[$top]-} ]] || continue # config.h, a generated header
			if [[ $floor == cli && $top != cli ]]; then
				violation "$floor/${path##*/}: includes \"$inc\" (cli/ uses <signet/...> only)"
			elif ((rank[$top] > rank[$floor])); then
				violation "$floor/${path##*/}: includes \"$inc\" ($floor/ is below $top/)"
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$path")
	done
done

# 2. calls: objects are <folder>_<file>.c.o in libsignet_internal.a.p, and cli/'s
objs=()
declare -A floor_of
for obj in "$build"/libsignet_internal.a.p/*.o; do
	f=${obj##*/}
	f=${f%%_*}
	[[ -n ${rank[$f]-} ]] || continue
	objs+=("$obj")
	floor_of[$obj]=$f
done
((${#objs[@]} > 0)) || { echo "$build: no library objects found (build first)"; exit 1; }
while read -r obj; do
	objs+=("$obj")
	floor_of[$obj]=cli
done < <(find "$build/cli" -name '*.o' | sort)

declare -A owner # symbol -> the lowest floor defining it
while read -r obj sym; do
	f=${floor_of[$obj]}
	if [[ -z ${owner[$sym]-} ]] || ((rank[$f] < rank[${owner[$sym]}])); then owner[$sym]=$f; fi
done < <(nm -A --defined-only --extern-only "${objs[@]}" | awk '{ sub(/:[^:]*$/, "", $1); print $1, $NF }')

while read -r obj sym; do
	o=${owner[$sym]-}
	[[ -n $o ]] || continue # libc, OpenSSL, jansson, ...
	f=${floor_of[$obj]}
	short=${obj#"$build"/}
	if [[ $f == cli ]]; then
		[[ $o == cli || $sym == signet_* ]] || violation "$short: calls $sym of $o/ (cli/ uses the public API only)"
	elif ((rank[$o] > rank[$f])); then
		violation "$short: calls $sym, defined in $o/ ($f/ is below it)"
	fi
done < <(nm -A --undefined-only "${objs[@]}" | awk '{ sub(/:[^:]*$/, "", $1); print $1, $NF }')

if ((bad > 0)); then
	echo "$bad use(s) across the floors, against docs/architecture.md"
	exit 1
fi
echo "layers: every include and call points down"
