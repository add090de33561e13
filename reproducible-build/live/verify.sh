#!/usr/bin/env bash
# Builds the live image twice under different conditions and compares the SHA-256:
#   A: this source tree, the default .deb cache, umask 022;
#   B: a copy of the tracked files in another directory (no .git), a fresh empty .deb cache (the
#      pinned packages downloaded and checked again), another TMPDIR, umask 002.
# Both use the same static binary (BYOK_BINARY, or one built here with ../build.sh; the binary's own
# reproducibility is what ../verify.sh checks) and the same SOURCE_DATE_EPOCH (the HEAD commit's).
# Prints both hashes; the last line is the image's SHA-256 when they agree.
#   reproducible-build/live/verify.sh [KEEP_DIR]   (KEEP_DIR receives both images)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/byok-live-verify.XXXXXX)
trap 'rm -rf "$work"' EXIT
keep=${1:-$work/keep}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct)}

if [ -z "${BYOK_BINARY:-}" ]; then
  echo "== the static binary (reproducible-build/build.sh)" >&2
  "$src/reproducible-build/build.sh" "$work/bin" >&2
  export BYOK_BINARY=$work/bin/byok-ceremony
fi

echo "== image A: $src" >&2
hash_a=$( (umask 022; "$here/build.sh" "$work/out-a") | tail -n 1)

echo "== image B: copy of the tracked files, fresh .deb cache, umask 002" >&2
mkdir -p "$work/src-b" "$work/cache-b" "$work/tmp-b"
(cd "$src" && git ls-files -z | xargs -0 tar cf -) | tar xf - -C "$work/src-b"
hash_b=$( (umask 002; BYOK_LIVE_CACHE="$work/cache-b" TMPDIR="$work/tmp-b" \
  "$work/src-b/reproducible-build/live/build.sh" "$work/out-b") | tail -n 1)

mkdir -p "$keep"
cp "$work/out-a/byok-ceremony-live.img" "$keep/byok-ceremony-live.a.img"
cp "$work/out-b/byok-ceremony-live.img" "$keep/byok-ceremony-live.b.img"
echo "image A: $hash_a" >&2
echo "image B: $hash_b" >&2
if [ "$hash_a" != "$hash_b" ]; then
  echo "MISMATCH: the two images differ (manifests below; compare with cmp -l, or diffoscope)" >&2
  diff "$work/out-a/byok-ceremony-live.manifest" "$work/out-b/byok-ceremony-live.manifest" >&2 || true
  cmp -l "$keep/byok-ceremony-live.a.img" "$keep/byok-ceremony-live.b.img" | head -n 20 >&2 || true
  exit 1
fi
echo "reproducible: both images give the same SHA-256" >&2
echo "$hash_a"
