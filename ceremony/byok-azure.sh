#!/bin/sh
# The key ceremony for Azure (Managed HSM BYOK), step by step under dual control: RUNBOOK.md,
# "In the room". Two operators run it; the witnesses watch and initial every step.
#
#   ceremony/byok-azure.sh [OPTIONS] KEK_FILE KID LABEL OUT_DIR [SHARES THRESHOLD]
#
# Options: --shares N --threshold K (default 5 and 3; also as the last two arguments),
# --no-escrow, --shares-dir DIR (share files on a RAM disk), --share-passphrase (typed at the
# tool's prompt, echo off), --key-type aes-256|aes-192|aes-128.
# The KEK fingerprint is never an argument: operator A reads it from the paper, B types it at the
# tool's prompt. Environment: BYOK_BIN (the binary, default byok-ceremony on PATH),
# BYOK_EXTRA_FLAGS (test machines only: --allow-network --allow-swap --allow-unlocked-memory).
# Exit status: the failed step's (2 usage, 3 a check failed or someone typed stop, 4 unsafe
# environment, 1 other); 0 when every step is done.
set -eu
here=$(dirname "$0")
. "$here/lib.sh"

usage() {
  say "usage: $0 [--shares N --threshold K | --no-escrow] [--shares-dir DIR] [--share-passphrase] [--key-type TYPE] KEK_FILE KID LABEL OUT_DIR [SHARES THRESHOLD]" >&2
  exit 2
}

shares=5 threshold=3 no_escrow='' shares_dir='' passphrase='' key_type=''
while [ $# -gt 0 ]; do
  case $1 in
    --shares) [ $# -ge 2 ] || usage; shares=$2; shift 2 ;;
    --threshold) [ $# -ge 2 ] || usage; threshold=$2; shift 2 ;;
    --no-escrow) no_escrow=1; shift ;;
    --shares-dir) [ $# -ge 2 ] || usage; shares_dir=$2; shift 2 ;;
    --share-passphrase) passphrase=1; shift ;;
    --key-type) [ $# -ge 2 ] || usage; key_type=$2; shift 2 ;;
    --help | -h) usage ;;
    -*) say "unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -eq 4 ] || [ $# -eq 6 ] || usage
kek=$1 kid=$2 label=$3 out=$4
if [ $# -eq 6 ]; then shares=$5 threshold=$6; fi
[ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] &&
  { say "$out exists and is not empty: give a new OUT_DIR (each ceremony has its own)" >&2; exit 2; }
[ -n "$no_escrow" ] || check_escrow_args "$shares" "$threshold"
[ -r "$kek" ] || { say "cannot read the KEK file $kek: insert the KEK stick and give the file on it" >&2; exit 2; }

say "byok-ceremony key ceremony (Azure): $label"
ask_names
check_binary
check_environment

step 3 "the ceremony's parameters and the KEK stick"
say "  KEK file:   $kek"
say "  KEK kid:    $kid"
say "  label:      $label   (the blob will be $out/$label.byok)"
say "  directory:  $out"
if [ -n "$no_escrow" ]; then
  say '  escrow:     none (--no-escrow): if the HSM loses the key, it is gone'
else
  say "  escrow:     $shares SLIP-39 shares, any $threshold recover the key${passphrase:+, with a passphrase}"
  [ -z "$shares_dir" ] || say "  shares in:  $shares_dir"
fi
say 'DO: compare the kid with the paper printout; check the KEK stick is the one signed for.'
say 'IF anything differs: type stop.'
initial

step 4 'the KEK fingerprint equals the paper'
say 'DO: operator A reads the fingerprint from the paper; operator B types it at the prompt.'
say '    The tool then shows its own fingerprint: everyone compares, and initials (steps 4, 5, 6).'
say 'IF the tool says the fingerprints differ: it stops (exit 3); do NOT retry with another file.'
set -- generate --kek "$kek" --kid "$kid" --label "$label" --out "$out" --confirm-steps --no-handout
if [ -n "$no_escrow" ]; then
  set -- "$@" --no-escrow
else
  set -- "$@" --shares "$shares" --threshold "$threshold"
  [ -z "$shares_dir" ] || set -- "$@" --shares-dir "$shares_dir"
  [ -z "$passphrase" ] || set -- "$@" --share-passphrase
fi
[ -z "$key_type" ] || set -- "$@" --key-type "$key_type"
eval "set -- \"\$@\" $(people_flags)"
set -f
# shellcheck disable=SC2086 # BYOK_EXTRA_FLAGS is a list of flags
set -- "$@" $BYOK_EXTRA_FLAGS
set +f
rc=0 IN_TOOL=1
"$BYOK_BIN" "$@" || rc=$?
IN_TOOL=''
[ "$rc" -eq 0 ] || ceremony_failed "$rc" "$out"

if [ -n "$no_escrow" ]; then
  finish "$out" ''
else
  finish "$out" "${shares_dir:-$out/shares}"
fi
