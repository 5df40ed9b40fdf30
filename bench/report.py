#!/usr/bin/env python3
"""Median table of the timed runs that bench/run.sh recorded.

Usage: bench/report.py TIMES_DIR ARSHIF_LABEL HUGO_LABEL

TIMES_DIR holds one `/usr/bin/time -v -o` file per timed run, named
<build>_<tool>_<round>.time, where build is clean, nochange or edit and tool
is arshif or hugo. Prints a Markdown table: per build and tool, the median of
wall time (with min-max), user+sys CPU time and peak RSS, and the ratio
arshif/Hugo of the clean builds' medians.
"""
import os
import re
import statistics
import sys

BUILDS = [
    ("clean", "clean build"),
    ("nochange", "rebuild, nothing changed"),
    ("edit", "rebuild, one article edited"),
]


def parse_time_v(path):
    """(wall s, cpu s, peak RSS MiB) from one `/usr/bin/time -v` output."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()

    def field(label):
        m = re.search(re.escape(label) + r".*?:\s*(\S+)\s*$", text, re.M)
        if not m:
            sys.exit("report: no %r in %s" % (label, path))
        return m.group(1)

    wall = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss


def load(times_dir):
    runs = {}
    for fn in sorted(os.listdir(times_dir)):
        m = re.match(r"^(clean|nochange|edit)_(arshif|hugo)_(\d+)\.time$", fn)
        if m:
            runs.setdefault((m.group(1), m.group(2)), []).append(
                parse_time_v(os.path.join(times_dir, fn)))
    return runs


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    times_dir, labels = sys.argv[1], {"arshif": sys.argv[2], "hugo": sys.argv[3]}
    runs = load(times_dir)
    med = {}
    rows = ["| build | tool | runs | wall s, median (min–max) | CPU s (user+sys) | peak RSS MiB |",
            "| --- | --- | ---: | ---: | ---: | ---: |"]
    for build, title in BUILDS:
        for tool in ("arshif", "hugo"):
            xs = runs.get((build, tool))
            if not xs:
                continue
            walls = [x[0] for x in xs]
            m = tuple(statistics.median(x[i] for x in xs) for i in range(3))
            med[(build, tool)] = m
            rows.append("| %s | %s | %d | %.2f (%.2f–%.2f) | %.2f | %.0f |" % (
                title, labels[tool], len(xs), m[0], min(walls), max(walls), m[1], m[2]))
        if build == "clean" and ("clean", "arshif") in med and ("clean", "hugo") in med:
            a, h = med[("clean", "arshif")], med[("clean", "hugo")]
            rows.append("| clean build | **ratio arshif / Hugo** | | **%.2f×** | %.2f× | %.2f× |" % (
                a[0] / h[0], a[1] / h[1], a[2] / h[2]))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
