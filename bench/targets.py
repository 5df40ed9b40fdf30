#!/usr/bin/env python3
"""Every row of arshif's speed targets, measured and printed beside its
target, all with one binary:

- bench/run.sh at 10,000 and 100,000 articles (arshif against Hugo):
  clean builds, rebuilds with nothing changed and after one edit, and
  the output's size;
- bench/preview.py on the 100,000-article corpus: save → page served;
- bench/large.sh at 500,000 and 100,000 articles on disk: the clean
  build's time, memory and time per article.

About two hours on 2 CPUs, and 25 GB of disk for the 500,000 articles;
needs what those scripts need. Progress goes to stderr, the table to
stdout.

Usage: bench/targets.py [--scale K]
  --scale K   divides every article count by K: a quick run of the
              script itself, whose figures mean nothing
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def say(msg):
    print(f"[targets] {msg}", file=sys.stderr, flush=True)


def run(args, env=None):
    say(" ".join(str(a) for a in args))
    done = subprocess.run(
        [str(a) for a in args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"targets: {' '.join(map(str, args))} failed ({done.returncode})")
    return done.stdout


def find(pattern, text, what):
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"targets: no {what} in:\n{text}")
    return m.groups()


def versus_hugo(report):
    """The figures of a bench/run.sh report."""
    ratio = find(r"\| clean build \| \*\*ratio arshif / Hugo\*\* \| \| \*\*([\d.]+)×", report, "ratio")[0]
    wall, rss = find(r"\| clean build \| arshif [^|]*\| \d+ \| ([\d.]+) [^|]*\| [\d.]+ \| (\d+) \|", report, "clean build")
    hugo = find(r"\| clean build \| Hugo [^|]*\| \d+ \| ([\d.]+) ", report, "Hugo's clean build")[0]
    same = find(r"\| rebuild, nothing changed \| arshif [^|]*\| \d+ \| ([\d.]+) ", report, "nothing-changed rebuild")[0]
    edit = find(r"\| rebuild, one article edited \| arshif [^|]*\| \d+ \| ([\d.]+) ", report, "one-edit rebuild")[0]
    size, unit = find(r"\| files, total size \| [\d,]+, ([\d.]+) (MiB|GiB) \|", report, "output size")
    mib = float(size) * (1024 if unit == "GiB" else 1)
    return {
        "ratio": f"{ratio}× ({wall} s / {hugo} s)",
        "rss": int(rss),
        "same": float(same),
        "edit": float(edit),
        "mib": mib,
    }


def alone(report):
    """The clean build of a bench/large.sh report."""
    wall, cpu, rss, per = find(
        r"\| clean build \| ([\d.]+) \| ([\d.]+) \| (\d+) MiB \| (\d+) µs \|", report, "clean build"
    )
    return {"wall": float(wall), "rss": int(rss), "per": int(per)}


def main(args):
    scale = 1
    if args[:1] == ["--scale"] and len(args) == 2 and args[1].isdigit() and int(args[1]) > 0:
        scale = int(args[1])
    elif args:
        sys.exit(__doc__)
    n10, n100, n500 = 10_000 // scale, 100_000 // scale, 500_000 // scale

    say("building arshif: cargo build --release")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = str((target if target.is_absolute() else ROOT / target) / "release" / "arshif")
    env = {"ARSHIF_BIN": binary}

    small = versus_hugo(run(["bench/run.sh", n10, 3], env))
    big = versus_hugo(run(["bench/run.sh", n100, 1], {**env, "BENCH_KEEP": "1"}))
    work = Path(f"/dev/shm/arshif-bench-{n100}")
    if not work.is_dir():
        work = BENCH / "work" / str(n100)
    try:
        preview = run([sys.executable, BENCH / "preview.py", binary, work / "arshif", 9])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    served = find(r"write → page served with the edit \| (\d+) ms \(([^)]*)\)", preview, "preview time")
    huge = alone(run(["bench/large.sh", n500], env))
    large = alone(run(["bench/large.sh", n100], env))

    per_article = small["mib"] * 1024 / n10
    rows = [
        (f"clean build, {n10:,} articles", "≤ 0.12× Hugo, ≤ 250 MiB", f"{small['ratio']}, {small['rss']} MiB"),
        (f"clean build, {n100:,} articles", "≤ 0.12× Hugo, ≤ 800 MiB", f"{big['ratio']}, {big['rss']} MiB"),
        (
            f"clean build, {n500:,} articles (on disk)",
            f"≤ 100 s, ≤ 3 GB, time per article within 10 % of the {n100:,} run",
            f"{huge['wall']:.1f} s, {huge['rss']:,} MiB, {huge['per']} µs per article "
            f"against {large['per']} µs at {n100:,} ({huge['per'] / large['per']:.2f}×)",
        ),
        (f"rebuild with nothing changed, {n100:,}", "≤ 0.5 s", f"{big['same']:.2f} s"),
        (f"one article edited, {n100:,}", "≤ 1.0 s", f"{big['edit']:.2f} s"),
        (f"preview, save → page served, {n100:,}", "< 100 ms", f"{served[0]} ms ({served[1]})"),
        ("output per article (benchmark corpus)", "≤ 20 KB", f"{per_article:.1f} KB"),
    ]
    print(f"## Speed targets ({binary}; --scale {scale})\n")
    print("| figure | target | measured |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
