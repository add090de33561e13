#!/usr/bin/env bash
# Bounded fuzzing of every target: replays the checked-in corpus, then fuzzes for SECONDS each
# (default 30), with new inputs going to a scratch directory. Any crash fails the run; the crashing
# input is left in fuzz/artifacts/TARGET/ to become a regression test and a corpus seed.
#   fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo +nightly fuzz build
for t in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$t"
  if ! cargo +nightly fuzz run "$t" "$scratch/$t" "corpus/$t" -- -max_total_time="$seconds" \
      >"$scratch/$t.log" 2>&1; then
    echo "FAIL fuzz $t:" >&2
    grep -E -A15 'panicked|ERROR|SUMMARY' "$scratch/$t.log" | head -40 >&2
    exit 1
  fi
  echo "fuzz $t: $(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$scratch/$t.log" | tail -n 1)"
done
