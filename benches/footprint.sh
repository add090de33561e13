#!/usr/bin/env bash
# Peak memory of a whole AES-256 ceremony: prints peak RSS (VmHWM) and peak locked memory (VmLck)
# of the `byok-ceremony generate` process, sampled from /proc/PID/status while it runs.
# The figures are printed, not checked; docs/hardening.md records them. The goal is to stay well
# under 8 MiB of locked memory, the default RLIMIT_MEMLOCK since Linux 5.16, so a ceremony runs
# without privileges.
#
# usage: benches/footprint.sh [RUNS]        (default 3 runs)
#   BIN=path/to/byok-ceremony   the binary to measure (default: target/release/byok-ceremony,
#                               built with `cargo build --release --locked` when missing)
# Run as root with setpriv and prlimit installed, it also runs each ceremony as uid 65534 under
# an 8 MiB RLIMIT_MEMLOCK, as an unprivileged operator would.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${1:-3}
bin=${BIN:-target/release/byok-ceremony}
if [ ! -x "$bin" ]; then
    echo "building $bin (cargo build --release --locked)" >&2
    cargo build --release --locked >&2
fi
kek=tests/data/kek/wycheproof-2048.pub.pem
fpr=ba3b161e0c65708ecfb9ef2bbea7fdf032b74444abab54e35efef67edd694111
kid=https://contoso.managedhsm.azure.net/keys/bench/0123456789abcdef0123456789abcdef
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0777 "$work"

# Runs one ceremony (`$@` prefixes the binary, e.g. setpriv ... prlimit ...) into $work/$name and
# prints "peak_rss_kb peak_locked_kb exit_code milliseconds". /proc/PID/status stays readable (mode
# 0444) although the ceremony makes itself not dumpable; VmHWM only grows, so its last sample is
# the peak up to the last 5 ms of the run.
measure() {
    local name=$1
    shift
    local started pid hwm=0 lck=0 line key value rc
    started=$(date +%s%N)
    "$@" "$bin" generate --kek "$kek" --kek-fingerprint "$fpr" --kid "$kid" --key-type aes-256 \
        --shares 5 --threshold 3 --label bench --out "$work/$name" \
        --operator "Bench One" --operator "Bench Two" --allow-network --allow-swap --no-handout \
        </dev/null >/dev/null 2>"$work/$name.stderr" &
    pid=$!
    while [ -r "/proc/$pid/status" ]; do
        while IFS=$' \t' read -r key value _; do
            case $key in
                VmHWM:) [ "$value" -gt "$hwm" ] && hwm=$value ;;
                VmLck:) [ "$value" -gt "$lck" ] && lck=$value ;;
            esac
        done <"/proc/$pid/status" 2>/dev/null || true
        sleep 0.005
    done
    rc=0
    wait "$pid" || rc=$?
    echo "$hwm $lck $rc $((($(date +%s%N) - started) / 1000000))"
}

# Runs the ceremony $runs times with the prefix "$2..." and prints one line per run.
report() {
    local who=$1 result hwm lck rc ms
    shift
    for i in $(seq 1 "$runs"); do
        tag=run$((++count))
        result=$(measure "$tag" "$@")
        read -r hwm lck rc ms <<<"$result"
        printf '%-32s run %d: peak RSS %6d kB  peak locked %6d kB  exit %d  %5d ms\n' \
            "$who" "$i" "$hwm" "$lck" "$rc" "$ms"
        if [ "$rc" != 0 ]; then
            sed 's/^/    /' "$work/$tag.stderr" | tail -3
        fi
    done
}

count=0
echo "byok-ceremony footprint: $("$bin" version 2>/dev/null | sed -n 1p) ($bin)"
echo "kernel $(uname -r), RLIMIT_MEMLOCK of this shell: $(ulimit -l) KiB; AES-256 key, 5 shares (3 needed), RSA-2048 KEK"
report "as $(id -un)"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
    report "uid 65534, RLIMIT_MEMLOCK 8 MiB" setpriv --reuid=65534 --regid=65534 --clear-groups \
        prlimit --memlock=8388608
fi
