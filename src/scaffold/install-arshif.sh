#!/usr/bin/env bash
# Installs arshif VERSION for the Pages workflow, the fastest way there is:
# nothing when that version is already on PATH (a cached install), else the
# release binary checked against its published SHA-256, else `cargo install`.
#
# Usage: install-arshif.sh VERSION
# ARSHIF_RELEASES: where release assets are (default: GitHub releases);
# ARSHIF_BIN_DIR: where to put the binary (default: ~/.cargo/bin).
set -euo pipefail

version="$1"
releases="${ARSHIF_RELEASES:-https://github.com/arshif/arshif/releases/download}"
bin_dir="${ARSHIF_BIN_DIR:-$HOME/.cargo/bin}"
mkdir -p "$bin_dir"
# Later steps find it there.
if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin_dir" >>"$GITHUB_PATH"; fi
export PATH="$bin_dir:$PATH"

installed() {
    command -v arshif >/dev/null &&
        [ "$(arshif --version | awk '{print $2}')" = "$version" ]
}
if installed; then
    echo "arshif $version is installed"
    exit 0
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    *) target="" ;;
esac

if [ -n "$target" ]; then
    name="arshif-$version-$target"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    if curl --fail --silent --show-error --location --retry 3 \
        --output "$work/$name.tar.gz" "$releases/v$version/$name.tar.gz" &&
        curl --fail --silent --show-error --location --retry 3 \
            --output "$work/$name.tar.gz.sha256" "$releases/v$version/$name.tar.gz.sha256"; then
        # A binary that does not match its checksum is never run.
        if ! (cd "$work" && sha256sum --check --strict "$name.tar.gz.sha256"); then
            echo "error: $name.tar.gz does not match its published SHA-256; not installing it" >&2
            exit 1
        fi
        tar -xzf "$work/$name.tar.gz" -C "$work"
        install -m 755 "$work/$name/arshif" "$bin_dir/arshif"
        installed && echo "installed arshif $version from $name.tar.gz" && exit 0
        echo "error: the binary in $name.tar.gz is not arshif $version" >&2
        exit 1
    fi
    echo "no release binary of arshif $version for $target; building it with cargo" >&2
fi
cargo install arshif --version "=$version" --locked --root "$(dirname "$bin_dir")"
installed
