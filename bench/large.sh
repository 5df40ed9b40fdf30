#!/usr/bin/env bash
# arshif alone on a large archive, on disk: a clean build, a rebuild with
# nothing changed and a rebuild after one edit, each timed with
# /usr/bin/time -v. No peer builds archives this size on this machine, so
# none is run; compare the time per article with a run at another N.
#
# Usage: bench/large.sh [N] [SEARCH]   (defaults: 500000 articles, search off)
#   SEARCH=on builds the search index too.
#
# The corpus goes to bench/work/large-N (on disk, not tmpfs: 500,000
# articles and their site are about 20 GB) and is kept for the next run;
# the output and caches are removed at the end. ARSHIF_BIN=PATH times
# that binary instead of building the working tree.
set -euo pipefail

N=${1:-500000}
SEARCH=${2:-off}
say() { printf '[large] %s\n' "$*" >&2; }
die() { printf 'large: %s\n' "$*" >&2; exit 1; }
case "$N" in '' | *[!0-9]* | 0) die "N must be a positive number of articles, not '$N'" ;; esac
case "$SEARCH" in on | off) ;; *) die "SEARCH must be on or off, not '$SEARCH'" ;; esac
[ -x /usr/bin/time ] || die "/usr/bin/time is missing; it measures peak memory. Install it: apt-get install time"

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
if [ -n "${ARSHIF_BIN:-}" ]; then
    ARSHIF=$ARSHIF_BIN
else
    say "building arshif: cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
    ARSHIF="${CARGO_TARGET_DIR:-$ROOT/target}/release/arshif"
fi
[ -x "$ARSHIF" ] || die "no arshif binary at $ARSHIF"

SITE="$BENCH/work/large-$N"
if [ ! -f "$SITE/site.yaml" ]; then
    say "generating $N articles into $SITE (kept for the next run)"
    rm -rf "$SITE"
    python3 "$BENCH/gen_corpus.py" -n "$N" --format plain --out "$SITE" >/dev/null
fi
# The corpus's site.yaml says `search: false`; SEARCH=on turns it on.
sed -i -E "s/^search: .*/search: $([ "$SEARCH" = on ] && echo true || echo false)/" "$SITE/site.yaml"
EDITED=$(find "$SITE/content" -name article-1.md | head -n 1)
[ -n "$EDITED" ] || die "article-1.md not found in $SITE"
cp "$EDITED" "$SITE/.article-1.orig"
TIMES=$(mktemp -d)
cleanup() {
    [ -f "$SITE/.article-1.orig" ] && mv "$SITE/.article-1.orig" "$EDITED"
    rm -rf "$SITE/public" "$SITE"/.public.* "$TIMES"
}
trap cleanup EXIT
rm -rf "$SITE/public" "$SITE"/.public.*

drop_caches() {
    if [ "$(id -u)" -eq 0 ]; then
        sync
        echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
    fi
}
# timed NAME ARGS...: one run of arshif; prints its summary line.
timed() {
    local name=$1
    shift
    drop_caches
    /usr/bin/time -v -o "$TIMES/$name" "$ARSHIF" "$@" --root "$SITE" >"$TIMES/$name.log" 2>&1 \
        || { cat "$TIMES/$name.log" >&2; die "arshif $* failed"; }
}
# field NAME LABEL: a value of /usr/bin/time -v's report.
field() { sed -nE "s/^\s*$2: (.*)$/\1/p" "$TIMES/$1"; }
seconds() {
    # h:mm:ss or m:ss.ss
    echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}
row() {
    local wall cpu rss
    wall=$(seconds "$(field "$1" 'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\)')")
    cpu=$(awk -v u="$(field "$1" 'User time \(seconds\)')" -v s="$(field "$1" 'System time \(seconds\)')" 'BEGIN { printf "%.2f", u + s }')
    rss=$(field "$1" 'Maximum resident set size \(kbytes\)')
    printf '| %s | %s | %s | %s MiB | %s µs |\n' "$2" "$wall" "$cpu" "$((rss / 1024))" \
        "$(awk -v w="$wall" -v n="$N" 'BEGIN { printf "%.0f", w * 1e6 / n }')"
}

# Files changed in the last 2 seconds are not trusted by their stamps: let
# the corpus and site.yaml settle, as an archive's files have.
sleep 3
say "clean build"
timed clean build --quiet
SIZE=$(du -sh "$SITE/public" | cut -f1)
FILES=$(find "$SITE/public" -type f | wc -l)
say "rebuild with nothing changed"
timed same build --quiet
say "rebuild after one edit"
printf '\nسطر أضيف للقياس.\n' >>"$EDITED"
timed edit build --quiet
say "rebuild after another edit (from the site kept by the last one)"
printf '\nسطر آخر أضيف للقياس.\n' >>"$EDITED"
timed again build --quiet

echo "## arshif, $N articles on disk (search $SEARCH)"
echo
echo "- Machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
echo "- arshif: $ARSHIF ($("$ARSHIF" --version 2>/dev/null || echo '?'))"
echo "- Corpus: bench/gen_corpus.py -n $N, $(du -sh "$SITE/content" | cut -f1) of Markdown; site: $FILES files, $SIZE"
echo "- Date: $(date -u +%Y-%m-%d)"
echo
echo "| run | wall s | CPU s | peak memory | wall per article |"
echo "| --- | ---: | ---: | ---: | ---: |"
row clean "clean build"
row same "rebuild, nothing changed"
row edit "rebuild, one article edited"
row again "rebuild, one more edit"
