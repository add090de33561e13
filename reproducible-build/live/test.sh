#!/usr/bin/env bash
# Boots the live image in qemu (no KVM needed, no network card) and checks it end to end:
#   reproducible-build/live/test.sh IMAGE
# For each firmware (BYOK_LIVE_FIRMWARE=both|bios|uefi, default both) it boots IMAGE as a disk,
# asks GRUB for the self-test through an SMBIOS OEM string (byok.test=1 on the kernel command
# line), and the image runs `selftest`, `preflight --json` and `demo`, then copies the demo
# directory to a USB stick (an emulated xhci usb-storage disk, FAT, label BYOKTEST) and powers off.
# The harness reads the serial console, takes the demo directory off the stick with mtools, checks
# it against the hashes the VM printed, and runs the peer check (../shared/tools/interop-check)
# with the binary taken out of the image. Exits 0 only if everything passed.
# Console transcripts are kept in BYOK_LIVE_LOGS (default: a temporary directory, printed).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
img=$(realpath "${1:?usage: test.sh IMAGE}")
firmware=${BYOK_LIVE_FIRMWARE:-both}
peer=$repo/../shared/tools/interop-check
ovmf=/usr/share/ovmf/OVMF.fd
timeout_s=${BYOK_LIVE_TIMEOUT:-600}

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v mcopy >/dev/null || need+=(mtools)
command -v mkfs.vfat >/dev/null || need+=(dosfstools)
command -v xorriso >/dev/null || need+=(xorriso)
command -v cpio >/dev/null || need+=(cpio)
[ "$firmware" = bios ] || [ -f "$ovmf" ] || need+=(ovmf)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "test: missing ${need[*]}: apt-get install them (as root)" >&2; exit 1; }
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
[ -x "$peer" ] || { echo "test: the peer check $peer is missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/byok-live-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
logs=${BYOK_LIVE_LOGS:-$work/logs}
mkdir -p "$logs"
passed=0 failed=0 skipped=0
ok() { echo "PASS $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }

# The binary inside the image, for the peer check's `qr join`.
xorriso -osirrox on -indev "$img" -extract /boot/initrd.gz "$work/initrd.gz" >/dev/null 2>&1
(mkdir -p "$work/initrd" && cd "$work/initrd" && gzip -dc "$work/initrd.gz" | cpio -id --quiet bin/byok-ceremony)
bin=$work/initrd/bin/byok-ceremony
[ -x "$bin" ] && ok "binary taken out of the image ($(sha256sum < "$bin" | cut -c1-16)...)" ||
  { bad "no bin/byok-ceremony in the image's initramfs"; exit 1; }

field() { # KEY: the rest of the first "BYOK-TEST KEY ..." line
  sed -n "s/^BYOK-TEST $1 //p" "$con" | head -n 1
}

boot() { # FIRMWARE
  local fw=$1 run=$work/$1 t0 t_begin= t_end=
  mkdir -p "$run"
  con=$logs/console-$fw.log
  mkfs.vfat -n BYOKTEST -C "$run/stick.img" 65536 >/dev/null
  local args=(-m 1024 -nic none -display none -monitor none -serial stdio -no-reboot
    -smbios type=11,value=byok.test=1
    -drive "file=$img,format=raw,if=virtio,snapshot=on"
    -device qemu-xhci,id=xhci -drive "if=none,id=stick,format=raw,file=$run/stick.img"
    -device usb-storage,bus=xhci.0,drive=stick)
  [ "$fw" = uefi ] && args+=(-bios "$ovmf")
  echo "== $fw: booting $(basename "$img") in qemu (TCG, -nic none)"
  t0=$EPOCHREALTIME
  # Each console line with the host's seconds since qemu started.
  timeout "$timeout_s" qemu-system-x86_64 "${args[@]}" </dev/null 2>"$run/qemu.err" |
    while IFS= read -r line; do
      printf '%s %s\n' "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" "${line%$'\r'}"
    done > "$con.timed" || true
  sed 's/^[0-9.]* //' "$con.timed" > "$con"
  t_begin=$(awk '$2 == "BYOK-TEST" && $3 == "begin" { print $1; exit }' "$con.timed")
  t_end=$(awk '$2 == "BYOK-TEST" && $3 == "end" { print $1; exit }' "$con.timed")
  if [ -z "$t_end" ]; then
    bad "$fw: the self-test did not finish (console: $con)"
    tail -n 30 "$con"; cat "$run/qemu.err" >&2
    return
  fi
  ok "$fw: booted to the self-test in ${t_begin}s (kernel uptime $(field uptime)s), done in ${t_end}s"

  local rc
  rc=$(field selftest)
  if [ "$rc" = rc=0 ]; then ok "$fw: selftest"
  elif grep -q '^BYOK-TEST selftest-out .*not implemented' "$con"; then
    skip "$fw: selftest not yet available in this binary ($rc: $(field selftest-out))"
  else bad "$fw: selftest $rc"; grep '^BYOK-TEST selftest-out' "$con" | head -n 20; fi

  local pj
  pj=$(field preflight-json)
  [ "$(field preflight)" = rc=0 ] && ok "$fw: preflight passed" ||
    { bad "$fw: preflight $(field preflight)"; grep '^BYOK-TEST preflight-out' "$con"; }
  echo "$pj" | grep -q '"name":"network","status":"pass"' && ok "$fw: preflight: no network interface up" ||
    bad "$fw: preflight network check: $pj"
  echo "$pj" | grep -q '"name":"swap","status":"pass"' && ok "$fw: preflight: no swap" ||
    bad "$fw: preflight swap check: $pj"
  [ "$(field interfaces)" = "lo " ] || [ -z "$(field interfaces)" ] && ok "$fw: no network device at all ($(field interfaces))" ||
    bad "$fw: network devices: $(field interfaces)"

  [ "$(field demo)" = rc=0 ] && ok "$fw: demo" ||
    { bad "$fw: demo $(field demo)"; grep '^BYOK-TEST demo-out' "$con" | tail -n 20; }
  [ "$(field kek-readonly)" = rc=0 ] && ok "$fw: kek-mount is read-only" || bad "$fw: kek-mount read-only: $(field kek-readonly)"
  [ "$(field export)" = rc=0 ] && ok "$fw: demo copied to the stick" || { bad "$fw: export $(field export)"; return; }

  mcopy -s -n -i "$run/stick.img" ::demo "$run/" 2>"$run/mcopy.err" || { bad "$fw: mcopy: $(cat "$run/mcopy.err")"; return; }
  sed -n 's/^BYOK-TEST demo-sha256 //p' "$con" > "$run/demo.sha256"
  if [ -s "$run/demo.sha256" ] && (cd "$run/demo" && sha256sum --quiet -c "$run/demo.sha256"); then
    ok "$fw: $(wc -l < "$run/demo.sha256") files off the stick match the hashes printed in the VM"
  else bad "$fw: the files off the stick differ from the VM's hashes"; fi

  echo "-- peer check ($fw)"
  if "$peer" "$run/demo" --kek-private "$run/demo/demo-kek.private.pem" --bin "$bin" > "$run/peer.out" 2>&1; then
    ok "$fw: peer check ($(tail -n 1 "$run/peer.out"))"
  else
    bad "$fw: peer check"; cat "$run/peer.out"
  fi
}

case $firmware in
  both) boot bios; boot uefi ;;
  bios | uefi) boot "$firmware" ;;
  *) echo "test: BYOK_LIVE_FIRMWARE must be both, bios or uefi" >&2; exit 2 ;;
esac
echo "console transcripts: $logs"
[ "$logs" = "$work/logs" ] && echo "(set BYOK_LIVE_LOGS=DIR to keep them)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
