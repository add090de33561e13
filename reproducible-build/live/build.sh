#!/usr/bin/env bash
# Builds the byok-ceremony live image: a hybrid ISO/USB image that boots on BIOS and UEFI machines
# into a RAM-only system holding the static binary, the operator scripts, busybox and a Debian
# kernel, with no network and no swap.
#   reproducible-build/live/build.sh OUT_DIR   ->  OUT_DIR/byok-ceremony-live.img (+ .manifest),
#                                                  its SHA-256 printed as the last line
# Environment:
#   BYOK_BINARY=PATH        use this static binary instead of building it with ../build.sh
#   BYOK_LIVE_CACHE=DIR     where the pinned .deb files are kept (default ~/.cache/byok-live)
#   SOURCE_DATE_EPOCH=N     every date in the image (default: the time of the HEAD commit)
# As root it installs its own missing build tools with apt-get (for CI).
set -euo pipefail
export LC_ALL=C TZ=UTC
umask 022
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUT_DIR}

# --- Pinned inputs: the .deb files that end up in the image, by version AND SHA-256. ---------------
# To move to a newer kernel: apt-get download linux-image-<abi>-amd64, sha256sum it, change all three.
KERNEL_PKG=linux-image-6.1.0-57-amd64
KERNEL_VER=6.1.192-3
KERNEL_SHA256=14d219d01e1283261817d961dbb3895cb5b4288d0de10e0ba0632a0d993e15bf
KERNEL_ABI=6.1.0-57-amd64
BUSYBOX_PKG=busybox-static
BUSYBOX_VER=1:1.35.0-4+deb12u1+b1
BUSYBOX_SHA256=3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744
# Build tools whose version shapes the bytes of the image (GRUB's boot code and modules are copied
# in). A different version still builds, with a warning, but will not give the published SHA-256.
TOOLS="grub-common=2.06-13+deb12u2 grub-pc-bin=2.06-13+deb12u2 grub-efi-amd64-bin=2.06-13+deb12u2
xorriso=1.5.4-4 mtools=4.0.33-1+really4.0.32-1 cpio=2.13+dfsg-7.1 gzip=1.12-1 kmod=30+20221128-1"

# Kernel drivers in the initramfs, loaded in this order (dependencies are added by modprobe below):
# USB host controllers and storage, USB keyboards, the filesystems a stick may carry. No network,
# SATA or NVMe driver: the machine's own disks and network cards stay invisible.
MODULES="xhci_pci ehci_pci ohci_pci uhci_hcd usb_storage uas sd_mod usbhid hid_generic
vfat nls_cp437 nls_ascii nls_iso8859_1 nls_utf8 exfat ext4"
# Busybox applets linked in /bin: no network tool (ip, ifconfig, udhcpc, wget, nc, telnet, ping),
# no swapon/mkswap.
APPLETS="sh ash cat cp mv rm ls mkdir rmdir ln chmod chown touch echo printf test [ [[ grep egrep
fgrep sed awk cut tr sort uniq head tail wc tee find xargs sha256sum sha1sum sha512sum md5sum base64
hexdump od xxd stat du df free mount umount blockdev findfs insmod lsmod dmesg sync poweroff reboot
halt init sleep usleep seq date uname hostname mktemp readlink realpath dirname basename env id
less more vi clear reset stty tty cttyhack setsid ps kill uptime true false expr diff cmp fold
nl swapoff lsscsi fatattr"

log() { echo "live: $*" >&2; }
die() { echo "live: $*" >&2; exit 1; }

# --- Build tools ----------------------------------------------------------------------------------
missing=()
for t in $TOOLS; do
  pkg=${t%%=*}
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing build tools: apt-get install ${missing[*]} (as root), then run again"
  log "installing ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
tool_versions=""
for t in $TOOLS; do
  pkg=${t%%=*} want=${t#*=}
  have=$(dpkg-query -W -f='${Version}' "$pkg")
  tool_versions+="tool $pkg $have"$'\n'
  [ "$have" = "$want" ] || log "WARNING: $pkg is $have, pinned $want: the image will not match the published SHA-256"
done

# --- SOURCE_DATE_EPOCH ----------------------------------------------------------------------------
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct 2>/dev/null) ||
    die "not a git checkout: set SOURCE_DATE_EPOCH (the commit time, git log -1 --format=%ct)"
fi
export SOURCE_DATE_EPOCH
stamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)

work=$(mktemp -d "${TMPDIR:-/tmp}/byok-live.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# --- The binary -----------------------------------------------------------------------------------
if [ -n "${BYOK_BINARY:-}" ]; then
  [ -x "$BYOK_BINARY" ] || die "BYOK_BINARY=$BYOK_BINARY is not an executable file"
  cp "$BYOK_BINARY" "$work/byok-ceremony"
else
  log "building the static binary with reproducible-build/build.sh"
  "$src/reproducible-build/build.sh" "$work/bin" >&2
  cp "$work/bin/byok-ceremony" "$work/byok-ceremony"
fi
file_out=$(od -An -c -N4 "$work/byok-ceremony" | tr -d ' ')
[ "$file_out" = '177ELF' ] || die "the binary is not an ELF executable"
bin_sha=$(sha256sum "$work/byok-ceremony" | cut -d' ' -f1)

# --- Pinned .deb files ----------------------------------------------------------------------------
cache=${BYOK_LIVE_CACHE:-$HOME/.cache/byok-live}
mkdir -p "$cache"
fetch() { # PKG VERSION SHA256 -> path of the verified .deb
  local pkg=$1 ver=$2 sha=$3 f
  f="$cache/${pkg}_${ver//:/%3a}_amd64.deb"
  if [ ! -f "$f" ] || [ "$(sha256sum < "$f" | cut -d' ' -f1)" != "$sha" ]; then
    rm -f "$f"
    log "downloading $pkg=$ver"
    (cd "$cache" && apt-get download -o APT::Sandbox::User=root "$pkg=$ver" >&2) ||
      die "cannot download $pkg=$ver: run apt-get update; if Debian dropped this version, pin the new one in $0"
  fi
  [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$sha" ] ||
    die "$f does not have the pinned SHA-256 $sha: refusing to use it"
  echo "$f"
}
kernel_deb=$(fetch "$KERNEL_PKG" "$KERNEL_VER" "$KERNEL_SHA256")
busybox_deb=$(fetch "$BUSYBOX_PKG" "$BUSYBOX_VER" "$BUSYBOX_SHA256")
dpkg-deb -x "$kernel_deb" "$work/kernel"
dpkg-deb -x "$busybox_deb" "$work/busybox"
depmod -b "$work/kernel" "$KERNEL_ABI"

# --- The initramfs tree ---------------------------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,etc,proc,sys,dev,tmp,ramdisk,mnt/kek,mnt/transfer,lib/modules,ceremony}
install -m 0755 "$work/busybox/bin/busybox" "$root/bin/busybox"
for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
install -m 0755 "$work/byok-ceremony" "$root/bin/byok-ceremony"
install -m 0755 "$here/rootfs/init" "$root/init"
for f in "$here"/rootfs/bin/*; do install -m 0755 "$f" "$root/bin/${f##*/}"; done
install -m 0644 "$here/rootfs/etc/profile" "$root/etc/profile"
release="byok-ceremony sha256=$bin_sha kernel=$KERNEL_PKG=$KERNEL_VER busybox=$BUSYBOX_VER date=$SOURCE_DATE_EPOCH"
echo "$release" > "$root/etc/byok-release"
sed "s|@RELEASE@|binary SHA-256 $bin_sha|" "$here/rootfs/etc/motd.in" > "$root/etc/motd"
(cd "$src" && find ceremony -type f) | sort | while read -r f; do
  mkdir -p "$root/$(dirname "$f")"
  if [ -x "$src/$f" ]; then install -m 0755 "$src/$f" "$root/$f"; else install -m 0644 "$src/$f" "$root/$f"; fi
done
kmods=$work/kernel/lib/modules/$KERNEL_ABI
for m in $MODULES; do
  modprobe -d "$work/kernel" -S "$KERNEL_ABI" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
  rel=${ko#"$kmods/"}
  mkdir -p "$root/lib/modules/$(dirname "$rel")"
  install -m 0644 "$ko" "$root/lib/modules/$rel"
  echo "$rel"
done > "$root/lib/modules/load.list"
[ -s "$root/lib/modules/load.list" ] || die "no kernel module found"
# Modes set here, whatever the umask and checkout: directories 0755, files 0644 unless executable.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f ! -perm -u+x -exec chmod 0644 {} +
chmod 1777 "$root/tmp"
chmod 0700 "$root/ramdisk"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# newc header of one entry (no data): NAME MODE RDEVMAJOR RDEVMINOR.
newc() {
  local name=$1 mode=$2 maj=$3 min=$4 len
  len=$(( ${#name} + 1 ))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%s\0' \
    0 "$mode" 0 0 1 "$SOURCE_DATE_EPOCH" 0 0 0 "$maj" "$min" "$len" 0 "$name"
  # header (110 bytes) + name padded to a multiple of 4
  head -c $(( (4 - (110 + len) % 4) % 4 )) /dev/zero
}
# /dev/console must exist before /init runs (the kernel opens it for init's stdin and stdout);
# written by hand so that the build needs no root to make a device node.
# It goes in a second archive after the main one: the kernel reads both, and cpio -i (which stops
# at the first trailer) still lists and extracts the main one.
{
  (cd "$root" && find . -mindepth 1 -printf '%P\0' | sort -z |
    cpio --null --create --format=newc --reproducible --owner=0:0 --quiet)
  newc dev/console $((0020600)) 5 1
  newc 'TRAILER!!!' 0 0 0
} | gzip -n -9 > "$work/initrd.gz"
log "initramfs: $(stat -c %s "$work/initrd.gz") bytes"

# --- The image ------------------------------------------------------------------------------------
iso=$work/iso
mkdir -p "$iso/boot/grub"
install -m 0644 "$work/kernel/boot/vmlinuz-$KERNEL_ABI" "$iso/boot/vmlinuz"
install -m 0644 "$work/initrd.gz" "$iso/boot/initrd.gz"
install -m 0644 "$here/grub.cfg" "$iso/boot/grub/grub.cfg"
(cd "$iso/boot" && sha256sum vmlinuz initrd.gz) > "$iso/SHA256SUMS"
echo "$release" >> "$iso/SHA256SUMS"
find "$iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
img=$out/byok-ceremony-live.img
rm -f "$img"
# mformat (which grub-mkrescue calls to make the EFI partition) picks a random FAT volume serial:
# a wrapper first in PATH fixes it, derived from SOURCE_DATE_EPOCH.
mkdir -p "$work/path"
printf '#!/bin/sh\nexec %s -N %08x "$@"\n' "$(command -v mformat)" "$SOURCE_DATE_EPOCH" > "$work/path/mformat"
chmod 0755 "$work/path/mformat"
# GRUB's own files: only the modules grub.cfg needs, no fonts, themes or translations.
PATH="$work/path:$PATH" grub-mkrescue -o "$img" --fonts= --locales= --themes= --compress=xz \
  --install-modules="normal linux search search_fs_uuid search_label iso9660 part_msdos part_gpt fat
    serial terminal smbios test echo gzio all_video configfile" \
  -volid BYOK_CEREMONY -publisher byok-ceremony -preparer "reproducible-build/live/build.sh" \
  --modification-date="$stamp" --set_all_file_dates "$stamp" \
  "$iso" >"$work/mkrescue.log" 2>&1 || { cat "$work/mkrescue.log" >&2; die "grub-mkrescue failed"; }
chmod 0644 "$img"
img_sha=$(sha256sum "$img" | cut -d' ' -f1)
{
  echo "image byok-ceremony-live.img $img_sha $(stat -c %s "$img")"
  echo "binary byok-ceremony $bin_sha"
  echo "initrd initrd.gz $(sha256sum < "$work/initrd.gz" | cut -d' ' -f1)"
  echo "deb $KERNEL_PKG $KERNEL_VER $KERNEL_SHA256"
  echo "deb $BUSYBOX_PKG $BUSYBOX_VER $BUSYBOX_SHA256"
  printf '%s' "$tool_versions"
  echo "source_date_epoch $SOURCE_DATE_EPOCH"
} > "$out/byok-ceremony-live.manifest"
log "image: $img ($(stat -c %s "$img") bytes)"
echo "$img_sha"
