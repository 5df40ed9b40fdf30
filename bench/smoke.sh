#!/usr/bin/env bash
# A quick check that the benchmark still works, for CI: generates the
# 200-article corpus, checks that the generator still writes the very same
# articles (the figures in bench/README.md depend on it), builds the corpus
# with an already-built arshif and checks the output. No timing, no Hugo;
# a few seconds with a debug build.
#
# Usage: bench/smoke.sh [ARSHIF_BINARY]     (default: target/debug/arshif)
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
BIN=${1:-$ROOT/target/debug/arshif}

# sha256 of `sha256sum` over the sorted content/ files of `gen_corpus.py -n 200`
# (either format gives its own; this is --format plain). Change it only on purpose:
# a different corpus makes new figures incomparable with the old ones.
CORPUS_200_SHA256=7a44672d241aab549038392b782a5a8b839ee084159e2205ea9e83e26aec68d0

fail() { printf 'bench smoke: FAILED: %s\n' "$*" >&2; exit 1; }

[ -x "$BIN" ] || fail "no arshif binary at $BIN (run cargo build first, or pass its path)"
command -v python3 >/dev/null || fail "python3 is missing"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SITE="$TMP/site"

python3 "$BENCH/gen_corpus.py" -n 200 --format plain --out "$SITE" || fail "gen_corpus.py failed"
[ -f "$SITE/site.yaml" ] || fail "gen_corpus.py --format plain wrote no site.yaml"
sum=$(cd "$SITE" && find content -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d ' ' -f 1)
[ "$sum" = "$CORPUS_200_SHA256" ] || fail "gen_corpus.py -n 200 no longer writes the same articles (sha256 $sum)"

status=0
"$BIN" build --root "$SITE" --quiet || status=$?
[ "$status" -eq 0 ] || fail "arshif build exited with status $status on the 200-article corpus"

for f in index.html 404.html atom.xml sitemap.xml tags/index.html archive/index.html; do
    [ -s "$SITE/public/$f" ] || fail "public/$f is missing or empty"
done
articles=$(python3 "$BENCH/count_pages.py" "$SITE/public" --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["kinds"].get("article", 0))')
[ "$articles" = 200 ] || fail "expected 200 article pages, found $articles"

echo "bench smoke: ok (200 articles built by $BIN)"
