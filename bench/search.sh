#!/usr/bin/env bash
# What search costs: clean builds of a site with `search: false` and
# `search: true`, alternating, and the time from a query typed to its
# results shown in Chromium on loopback. See bench/README.md.
#
# Usage: bench/search.sh SITE [ROUNDS] [QUERY...]
#   SITE     a site folder, e.g. one made by bench/run.sh with BENCH_KEEP=1
#   ROUNDS   clean builds of each kind (default 2)
#   QUERY    queries to time, first and later (default: الاقتصاد رويترز)
# Environment: ARSHIF_BIN=PATH times that binary instead of building this one.
set -euo pipefail

SITE=${1:?usage: bench/search.sh SITE [ROUNDS] [QUERY...]}
ROUNDS=${2:-2}
shift $(($# < 2 ? $# : 2))
[ $# -gt 0 ] || set -- الاقتصاد رويترز
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
say() { printf '[search] %s\n' "$*" >&2; }

[ -f "$SITE/site.yaml" ] || { echo "search.sh: $SITE has no site.yaml" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "search.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
if [ -z "${ARSHIF_BIN:-}" ]; then
  say "building arshif (release)"
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
  ARSHIF_BIN=$ROOT/target/release/arshif
fi

YAML=$SITE/site.yaml
ORIG=$(mktemp)
cp "$YAML" "$ORIG"
trap 'cp "$ORIG" "$YAML"; rm -f "$ORIG"' EXIT

build() { # search: true|false
  grep -v '^search:' "$ORIG" >"$YAML"
  echo "search: $1" >>"$YAML"
  rm -rf "$SITE/public" "$SITE"/.public.*
  [ "$(id -u)" = 0 ] && { sync; echo 3 >/proc/sys/vm/drop_caches; }
  local t
  t=$(mktemp)
  /usr/bin/time -v -o "$t" "$ARSHIF_BIN" build --root "$SITE" --quiet >/dev/null 2>&1
  awk -v s="$1" '/Elapsed \(wall/{w=$NF} /User time/{u=$NF} /System time/{y=$NF}
    /Maximum resident/{m=$NF} END{printf "| search: %s | %s | %.2f | %.0f |\n", s, w, u+y, m/1024}' "$t"
  rm -f "$t"
}

echo "| build | wall | CPU s | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: |"
for _ in $(seq "$ROUNDS"); do
  build false
  build true
done
files=$(find "$SITE/public/pagefind" -type f | wc -l)
bytes=$(du -sb "$SITE/public/pagefind" | cut -f1)
articles=$(find "$SITE/content" -name '*.md' | wc -l)
echo
echo "index: $files files, $bytes bytes, $((bytes / articles)) bytes per article ($articles articles), $(cat "$SITE/public/pagefind/parts.json")"

# Query timing, when Chromium and Node.js are here: playwright-core drives
# Debian's chromium; it is installed into bench/.node once.
if [ -x /usr/bin/chromium ] && command -v node >/dev/null; then
  if [ ! -d "$BENCH/.node/node_modules/playwright-core" ]; then
    say "installing playwright-core into bench/.node"
    npm install --silent --prefix "$BENCH/.node" playwright-core@1 >/dev/null
  fi
  PORT=$((20000 + RANDOM % 20000))
  python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE/public" >/dev/null 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null; cp "$ORIG" "$YAML"; rm -f "$ORIG"' EXIT
  for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$PORT/search/" >/dev/null && break
    sleep 0.1
  done
  echo
  NODE_PATH=$BENCH/.node/node_modules node "$BENCH/search_timing.js" "http://127.0.0.1:$PORT/search/" "$@"
else
  say "no /usr/bin/chromium or node: query times not measured"
fi
