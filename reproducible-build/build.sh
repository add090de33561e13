#!/usr/bin/env bash
# Builds the static musl release binary with every flag in this one place.
#   reproducible-build/build.sh OUT_DIR   ->  OUT_DIR/byok-ceremony, SHA-256 printed as the last line
# What is pinned: the toolchain (rust-toolchain.toml), crate versions (Cargo.lock, --locked), the
# musl target's bundled libc and linker (rust-lld/self-contained crt), path prefixes (remapped).
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
target_dir=$(mktemp -d)
trap 'rm -rf "$target_dir"' EXIT
mkdir -p "$out"
# RUSTFLAGS replaces any [build] rustflags from config files, so nothing else can add flags.
export RUSTFLAGS="--remap-path-prefix=$src=/build/byok-ceremony --remap-path-prefix=$cargo_home=/cargo -C target-feature=+crt-static -C strip=symbols"
export SOURCE_DATE_EPOCH=0
export CARGO_TARGET_DIR="$target_dir"
export CARGO_INCREMENTAL=0
cd "$src"
cargo build --release --locked --target x86_64-unknown-linux-musl >&2
install -m 0755 "$target_dir/x86_64-unknown-linux-musl/release/byok-ceremony" "$out/byok-ceremony"
sha256sum "$out/byok-ceremony" | cut -d' ' -f1
