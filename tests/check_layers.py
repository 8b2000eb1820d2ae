#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/check_layers.py: the floors of docs/architecture.md, checked.

    check_layers.py SOURCE_DIR BUILD_DIR

Floors from the bottom: base, registry, policy, verify, sign, cli.  A floor
may use its own and the ones below it, never one above; cli/ uses the
public API only (include/signet/ and the signet_* exports).  Two checks:

 1. includes: every #include "dir/..." of a folder's .c and .h files names
    a folder at or below it (cli/: none of the library folders at all);
 2. calls: every undefined symbol of a module's object files (nm -u) that
    the library defines is defined in a floor at or below it (cli/: only
    signet_* symbols).

Prints each violation as "file: what" and exits 1 if there is any.
"""
import os
import re
import subprocess
import sys

FLOORS = ["base", "registry", "policy", "verify", "sign", "cli"]
RANK = {f: i for i, f in enumerate(FLOORS)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def check_includes(src):
    bad = []
    for floor in FLOORS:
        folder = os.path.join(src, floor)
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                top = inc.split("/")[0] if "/" in inc else floor
                if top not in RANK:
                    continue  # config.h, a generated header
                if floor == "cli" and top != "cli":
                    bad.append(f"{floor}/{name}: includes \"{inc}\" (cli/ uses <signet/...> only)")
                elif RANK[top] > RANK[floor]:
                    bad.append(f"{floor}/{name}: includes \"{inc}\" ({floor}/ is below {top}/)")
    return bad


def nm(args, objs):
    """{object: [symbol, ...]} from one nm run over all the objects."""
    out = subprocess.run(["nm", "-A"] + args + objs, check=True, capture_output=True, text=True).stdout
    syms = {obj: [] for obj in objs}
    for line in out.splitlines():
        obj, _, rest = line.rpartition(".o:")
        if rest.split():
            syms[obj + ".o"].append(rest.split()[-1])
    return syms


def objects(build):
    """(floor, path) of every object of the library and of the command."""
    found = []
    lib = os.path.join(build, "libsignet_internal.a.p")
    for name in sorted(os.listdir(lib)):
        floor = name.split("_", 1)[0]  # meson names them <folder>_<file>.c.o
        if name.endswith(".o") and floor in RANK:
            found.append((floor, os.path.join(lib, name)))
    for root, _, files in os.walk(os.path.join(build, "cli")):
        for name in sorted(files):
            if name.endswith(".o"):
                found.append(("cli", os.path.join(root, name)))
    return found


def check_calls(build):
    objs = objects(build)
    if not any(f != "cli" for f, _ in objs):
        return [f"{build}: no library objects found (build first)"]
    paths = [obj for _, obj in objs]
    defined = nm(["--defined-only", "--extern-only"], paths)
    undefined = nm(["--undefined-only"], paths)
    where = {}  # symbol -> lowest floor defining it
    for floor, obj in objs:
        for sym in defined[obj]:
            if sym not in where or RANK[floor] < RANK[where[sym]]:
                where[sym] = floor
    bad = []
    for floor, obj in objs:
        short = os.path.relpath(obj, build)
        for sym in undefined[obj]:
            owner = where.get(sym)
            if owner is None:
                continue  # libc, OpenSSL, jansson, ...
            if floor == "cli":
                if owner != "cli" and not sym.startswith("signet_"):
                    bad.append(f"{short}: calls {sym} of {owner}/ (cli/ uses the public API only)")
            elif RANK[owner] > RANK[floor]:
                bad.append(f"{short}: calls {sym}, defined in {owner}/ ({floor}/ is below it)")
    return bad


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    bad = check_includes(sys.argv[1]) + check_calls(sys.argv[2])
    for line in bad:
        print(line)
    if bad:
        print(f"{len(bad)} use(s) across the floors, against docs/architecture.md")
        return 1
    print("layers: every include and call points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
