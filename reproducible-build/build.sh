#!/usr/bin/env bash
# Builds the static musl release binary with every flag in this one place.
#   reproducible-build/build.sh OUT_DIR   ->  OUT_DIR/byok-ceremony, its SHA-256 printed as the last line
# Pinned: the toolchain (rust-toolchain.toml; set RUSTC/CARGO to use a copy of it), the crate
# versions (Cargo.lock, --locked), the musl target's bundled libc and self-contained linker. Path
# prefixes that differ between machines (source tree, CARGO_HOME, target directory) are remapped.
set -euo pipefail
out=${1:?usage: build.sh OUT_DIR}
src=$(cd "$(dirname "$0")/.." && pwd)
cargo_home=${CARGO_HOME:-$HOME/.cargo}
cargo=${CARGO:-cargo}
target=x86_64-unknown-linux-musl
target_dir=$(mktemp -d "${TMPDIR:-/tmp}/byok-build.XXXXXX")
trap 'rm -rf "$target_dir"' EXIT
mkdir -p "$out"
# RUSTFLAGS replaces any [build] rustflags from config files, so nothing else adds flags.
export RUSTFLAGS="--remap-path-prefix=$src=/build/byok-ceremony --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$target_dir=/target -C target-feature=+crt-static -C strip=symbols"
export SOURCE_DATE_EPOCH=0 CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$target_dir" CARGO_HOME="$cargo_home"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_LTO=true
cd "$src"
"$cargo" build --release --locked --target "$target" >&2
install -m 0755 "$target_dir/$target/release/byok-ceremony" "$out/byok-ceremony"
sha256sum "$out/byok-ceremony" | cut -d' ' -f1
