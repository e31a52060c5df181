#!/usr/bin/env python3
"""The structure figures of issue 27, measured on src/: the share of
non-test code in render/, the ordering and filtering calls left in
render/, functions over 150 lines, and files over 600 lines whose opening
comment gives no reason. Calls in EXEMPT order no content (each says
why) and are listed apart. Test code is a `tests.rs` file or what follows
`#[cfg(test)]` at the start of a line up to its closing brace.
Usage: bench/structure.py (from the repository root)."""

import collections
import glob
import re

ORDERING = re.compile(r"\.(sort|sort_by|sort_by_key|sort_unstable|sort_unstable_by|sort_unstable_by_key|"
                      r"retain|dedup|dedup_by|dedup_by_key|min_by|max_by|min_by_key|max_by_key|partition)\(")


# Calls that match ORDERING but order no content, each with why: counted
# apart and printed with its reason, so that nothing hides behind it.
EXEMPT = {
    ("src/render/raster.rs", ".min_by_key(|(_, p)| d(p))"):
        "the nearest palette colour to a pixel's (image arithmetic when a "
        "card's palette is full), not an order of anything a page shows",
}


def non_test(lines):
    skip = False
    for line in lines:
        if line.startswith("#[cfg(test)]"):
            skip = True
        if not skip:
            yield line
        elif line == "}":
            skip = False


def long_functions(path, lines, limit=150):
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)(pub(\([a-z]+\))?\s+)?(const\s+)?fn\s+(\w+)", lines[i])
        if not m:
            i += 1
            continue
        indent, name = len(m.group(1)), m.group(5)
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
            j += 1
        if j >= len(lines) or lines[j].rstrip().endswith(";"):
            i = j + 1
            continue
        k = j + 1
        while k < len(lines) and not re.match("^" + " " * indent + r"\}\s*$", lines[k]):
            k += 1
        if k - i + 1 > limit:
            yield (k - i + 1, path, name)
        i = j + 1


per = collections.Counter()
ordering, exempt, longs, unexplained = [], [], [], []
for path in sorted(glob.glob("src/**/*.rs", recursive=True)):
    lines = open(path, encoding="utf-8").read().split("\n")
    top = path.split("/")[1] if path.count("/") > 1 else path
    if not path.endswith("/tests.rs"):
        kept = list(non_test(lines))
        per[top] += len(kept)
        if top == "render":
            for l in kept:
                if not ORDERING.search(l):
                    continue
                why = EXEMPT.get((path, l.strip()))
                if why:
                    exempt.append(f"{path}: {l.strip()} ({why})")
                else:
                    ordering.append(f"{path}: {l.strip()}")
    longs += list(long_functions(path, lines))
    head = "\n".join(l for l in lines[:40] if l.startswith("//!"))
    if len(lines) > 600 and not path.endswith("/tests.rs") and "Over 600 lines" not in head:
        unexplained.append(f"{len(lines)} {path}")

total = sum(per.values())
print(f"render/: {per['render']} of {total} non-test lines ({100 * per['render'] / total:.1f}%)")
print(f"ordering calls in render/: {len(ordering)}")
for o in ordering:
    print("  " + o)
print(f"exempted (not an order of content): {len(exempt)}")
for e in exempt:
    print("  " + e)
print(f"functions over 150 lines: {len(longs)}")
for n, path, name in sorted(longs, reverse=True):
    print(f"  {n} {path} {name}")
print(f"files over 600 lines without a reason: {len(unexplained)}")
for u in unexplained:
    print("  " + u)
