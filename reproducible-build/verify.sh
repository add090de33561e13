#!/usr/bin/env bash
# Builds the binary twice under different conditions and compares the SHA-256:
#   A: this source tree, the caller's CARGO_HOME, the caller's user;
#   B: a copy of the tracked files in another directory, a fresh CARGO_HOME (crates fetched again),
#      and, when run as root, another user (nobody) with its own copy of the pinned toolchain.
# Prints both hashes; the last line is the binary's SHA-256 when they agree. On a mismatch it runs
# diffoscope (installing diffoscope-minimal when root) and fails.
#   reproducible-build/verify.sh [KEEP_DIR]   (KEEP_DIR receives both binaries)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
work=$(mktemp -d /tmp/byok-verify.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
keep=${1:-$work/keep}

echo "== build A: $src" >&2
hash_a=$("$here/build.sh" "$work/out-a" | tail -n 1)

echo "== build B: copy of the tracked files, fresh CARGO_HOME" >&2
mkdir -p "$work/src-b" "$work/cargo-b" "$work/home-b" "$work/out-b"
(cd "$src" && git ls-files -z | xargs -0 tar cf -) | tar xf - -C "$work/src-b"
toolchain=$(rustc --print sysroot)
run_b=(env HOME="$work/home-b" CARGO_HOME="$work/cargo-b" PATH="$work/toolchain/bin:/usr/bin:/bin"
       CARGO="$work/toolchain/bin/cargo" RUSTC="$work/toolchain/bin/rustc" TMPDIR="$work/home-b")
# B uses a private copy of the pinned toolchain (so another user can read it), called directly.
cp -a "$toolchain" "$work/toolchain"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  echo "   as user nobody" >&2
  chown -R nobody:nogroup "$work/src-b" "$work/cargo-b" "$work/home-b" "$work/out-b"
  run_b=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${run_b[@]}")
fi
hash_b=$("${run_b[@]}" "$work/src-b/reproducible-build/build.sh" "$work/out-b" | tail -n 1)

mkdir -p "$keep"
cp "$work/out-a/byok-ceremony" "$keep/byok-ceremony.a"
cp "$work/out-b/byok-ceremony" "$keep/byok-ceremony.b"
echo "build A: $hash_a" >&2
echo "build B: $hash_b" >&2
if [ "$hash_a" != "$hash_b" ]; then
  echo "MISMATCH: the two builds differ" >&2
  if ! command -v diffoscope >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq --no-install-recommends diffoscope-minimal >/dev/null 2>&1 || true
  fi
  if command -v diffoscope >/dev/null; then
    diffoscope --text - "$keep/byok-ceremony.a" "$keep/byok-ceremony.b" | head -n 200 >&2 || true
  fi
  exit 1
fi
echo "reproducible: both builds give the same SHA-256" >&2
echo "$hash_a"
