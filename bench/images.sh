#!/usr/bin/env bash
# arshif's image benchmark: the corpus of bench/run.sh with a lead image on
# every article, against the same corpus without images. See bench/README.md.
#
# Usage: bench/images.sh [N] [DISTINCT] [RUNS]
#   N         articles, each with its own 2000×1333 JPEG beside it (default 10000)
#   DISTINCT  how many different images there are among them (default 1000):
#             article n's file holds image n mod DISTINCT, so a build with an
#             empty image cache encodes DISTINCT images, and one with a warm
#             cache reads, links and shows all N.
#   RUNS      rounds of the warm builds (default 3)
#
# Environment: ARSHIF_BIN=PATH times that binary instead of building the
# working tree; BENCH_KEEP=1 keeps the work folder (bench/work/images-N).
# Progress goes to stderr, the Markdown report to stdout.
set -euo pipefail

N=${1:-10000}
DISTINCT=${2:-1000}
RUNS=${3:-3}

say() { printf '[images] %s\n' "$*" >&2; }
die() { printf 'bench/images.sh: %s\n' "$*" >&2; exit 1; }
for v in "$N" "$DISTINCT" "$RUNS"; do
    case "$v" in '' | *[!0-9]* | 0) die "arguments are positive numbers (usage: bench/images.sh [N] [DISTINCT] [RUNS])" ;; esac
done
[ "$DISTINCT" -le "$N" ] || die "DISTINCT ($DISTINCT) cannot be more than N ($N)"

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

LOG=$(mktemp)
# On disk: the sources alone are 2 GB at 10,000 articles.
WORK="$BENCH/work/images-$N"
cleanup() {
    rm -f "$LOG"
    if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
quietly() {
    if ! "$@" >"$LOG" 2>&1; then
        cat "$LOG" >&2
        die "failed: $*"
    fi
}

if [ -n "${ARSHIF_BIN:-}" ]; then
    ARSHIF=$ARSHIF_BIN
else
    say "building arshif: cargo build --release"
    (cd "$ROOT" && quietly cargo build --release --quiet)
    ARSHIF="${CARGO_TARGET_DIR:-$ROOT/target}/release/arshif"
fi
[ -x "$ARSHIF" ] || die "no arshif binary at $ARSHIF"

VENV="$BENCH/.venv"
if ! "$VENV/bin/python" -c 'import PIL' 2>/dev/null; then
    say "installing Pillow from PyPI into bench/.venv (it draws the photos)"
    [ -x "$VENV/bin/python" ] || quietly python3 -m venv "$VENV"
    quietly "$VENV/bin/pip" install --quiet --disable-pip-version-check pillow
fi

rm -rf "$WORK"
mkdir -p "$WORK/times"
PLAIN="$WORK/plain"
IMG="$WORK/images"
T="$WORK/times"
say "generating $N articles, twice"
quietly python3 "$BENCH/gen_corpus.py" -n "$N" --format plain --out "$PLAIN"
quietly python3 "$BENCH/gen_corpus.py" -n "$N" --format plain --out "$IMG"
BASES=$(( DISTINCT < 40 ? DISTINCT : 40 ))
say "drawing $BASES photos of 2000×1333 and giving each article one of $DISTINCT images"
quietly "$VENV/bin/python" "$BENCH/photos.py" "$WORK/photos" "$BASES" 2000 1333
# Image k is photo k mod BASES with k in a JPEG comment: DISTINCT files of
# different bytes (so different images to the cache), each as costly to
# encode as a photograph of its own.
quietly "$VENV/bin/python" - "$IMG/content" "$WORK/photos" "$BASES" "$DISTINCT" <<'EOF'
import pathlib, re, sys
content, photos, bases, distinct = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
base = [(photos / f"photo-{i}.jpg").read_bytes() for i in range(bases)]
def image(k):
    data = base[k % bases]
    note = f"arshif bench image {k}".encode()
    return data[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + data[2:]
for md in content.rglob("article-*.md"):
    n = int(re.search(r"article-(\d+)\.md$", md.name).group(1))
    (md.parent / f"article-{n}.jpg").write_bytes(image(n % distinct))
    text = md.read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    md.write_text(f"{head}\nimage: {{src: article-{n}.jpg, caption: صورة المقال {n}}}\n{rest}", encoding="utf-8")
EOF
SOURCE_MB=$(du -sm "$IMG/content" | cut -f1)

timed() {
    local name=$1
    shift
    if ! /usr/bin/time -v -o "$T/$name.time" "$@" >"$T/$name.log" 2>&1; then
        cat "$T/$name.log" >&2
        die "failed: $*"
    fi
}
field() { grep -F "$2" "$T/$1.time" | awk -F': ' '{print $2}'; }
wall() {
    local t
    t=$(field "$1" "Elapsed (wall clock)")
    awk -v t="$t" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f\n", s }'
}
cpu() { awk -v u="$(field "$1" "User time")" -v s="$(field "$1" "System time")" 'BEGIN { printf "%.2f\n", u + s }'; }
rss() { awk -v k="$(field "$1" "Maximum resident set size")" 'BEGIN { printf "%d\n", k / 1024 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

say "cold: the image corpus with no image cache ($DISTINCT images to encode)"
timed cold "$ARSHIF" build --root "$IMG" --quiet
COPIES=$(find "$IMG/.public.images" -maxdepth 1 -name '*.webp' | wc -l)

for r in $(seq 1 "$RUNS"); do
    say "round $r/$RUNS: clean builds with and without images, then rebuilds"
    rm -rf "$PLAIN/public" "$PLAIN"/.public.cache
    timed "plain_clean_$r" "$ARSHIF" build --root "$PLAIN" --quiet
    # --clean ignores the build cache, not the image cache.
    timed "images_clean_$r" "$ARSHIF" build --root "$IMG" --clean --quiet
    timed "plain_rebuild_$r" "$ARSHIF" build --root "$PLAIN" --quiet
    timed "images_rebuild_$r" "$ARSHIF" build --root "$IMG" --quiet
done
"$ARSHIF" build --root "$IMG" --clean >"$T/summary.log" 2>&1

row() {
    local what=$1 key=$2 walls cpus rsss
    walls=$(for r in $(seq 1 "$RUNS"); do wall "${key}_$r"; done | median)
    cpus=$(for r in $(seq 1 "$RUNS"); do cpu "${key}_$r"; done | median)
    rsss=$(for r in $(seq 1 "$RUNS"); do rss "${key}_$r"; done | median)
    echo "| $what | $walls | $cpus | $rsss MiB |"
}
COLD_WALL=$(wall cold)
COLD_CPU=$(cpu cold)
WARM_WALL=$(for r in $(seq 1 "$RUNS"); do wall "images_clean_$r"; done | median)
WARM_CPU=$(for r in $(seq 1 "$RUNS"); do cpu "images_clean_$r"; done | median)
cat <<REPORT
## Images: $N articles with a 2000×1333 lead image each, $DISTINCT different

- arshif: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
- Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average before: $(cut -d' ' -f1-3 /proc/loadavg)
- Corpus: \`bench/gen_corpus.py -n $N\` plus images ($SOURCE_MB MB), on disk (bench/work)
- Each image gives $(( COPIES * 2 / DISTINCT )) copies (WebP and JPEG at each width)

| build | wall s | CPU s (user+sys) | peak RSS |
| --- | ---: | ---: | ---: |
| cold: empty image cache, $DISTINCT images encoded | $COLD_WALL | $COLD_CPU | $(rss cold) MiB |
$(row "clean build (\`--clean\`), warm image cache" images_clean)
$(row "clean build, same corpus without images" plain_clean)
$(row "rebuild, nothing changed, with images" images_rebuild)
$(row "rebuild, nothing changed, without images" plain_rebuild)

Per image encoded: $(awk -v w="$COLD_WALL" -v c="$COLD_CPU" -v ww="$WARM_WALL" -v wc="$WARM_CPU" -v n="$DISTINCT" 'BEGIN { printf "%.0f ms wall, %.0f ms CPU", (w - ww) * 1000 / n, (c - wc) * 1000 / n }') (the cold build less the warm clean build, divided by the images encoded).

Last summary line: $(tail -n 1 "$T/summary.log")
REPORT
