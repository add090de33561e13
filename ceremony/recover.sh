#!/bin/sh
# The recovery ceremony, step by step under dual control: RUNBOOK.md, "Recovery ceremony". The
# escrow shares of an earlier ceremony are combined in memory, checked against the key check
# value on record, and the key is wrapped for a (new) KEK: a new blob, new shares, a new log.
#
#   ceremony/recover.sh [OPTIONS] KEK_FILE KID LABEL OUT_DIR [SHARE_FILE...]
#
# Options: --original-log OLD_DIR/ceremony.log (its key check value, chain and signature are
# checked), --expect-kcv HEX (from the original transcript, when the old log is not here),
# --shares N --threshold K (new shares; default 5 and 3), --no-escrow, --shares-dir DIR,
# --share-passphrase (the old shares' passphrase, also set on the new ones; typed at the tool's
# prompt). Without SHARE_FILE the custodians type their shares at the tool's prompt.
# The new KEK's fingerprint is typed at the tool's prompt from the paper, never an argument.
# Environment and exit status: as byok-azure.sh.
set -eu
here=$(dirname "$0")
. "$here/lib.sh"

usage() {
  say "usage: $0 [--original-log FILE] [--expect-kcv HEX] [--shares N --threshold K | --no-escrow] [--shares-dir DIR] [--share-passphrase] KEK_FILE KID LABEL OUT_DIR [SHARE_FILE...]" >&2
  exit 2
}

shares=5 threshold=3 no_escrow='' shares_dir='' passphrase='' original_log='' expect_kcv=''
while [ $# -gt 0 ]; do
  case $1 in
    --original-log) [ $# -ge 2 ] || usage; original_log=$2; shift 2 ;;
    --expect-kcv) [ $# -ge 2 ] || usage; expect_kcv=$2; shift 2 ;;
    --shares) [ $# -ge 2 ] || usage; shares=$2; shift 2 ;;
    --threshold) [ $# -ge 2 ] || usage; threshold=$2; shift 2 ;;
    --no-escrow) no_escrow=1; shift ;;
    --shares-dir) [ $# -ge 2 ] || usage; shares_dir=$2; shift 2 ;;
    --share-passphrase) passphrase=1; shift ;;
    --help | -h) usage ;;
    -*) say "unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 4 ] || usage
kek=$1 kid=$2 label=$3 out=$4
shift 4
[ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] &&
  { say "$out exists and is not empty: give a new OUT_DIR (each ceremony has its own)" >&2; exit 2; }
[ -n "$no_escrow" ] || check_escrow_args "$shares" "$threshold"
[ -r "$kek" ] || { say "cannot read the KEK file $kek: insert the KEK stick and give the file on it" >&2; exit 2; }
for f do
  [ -r "$f" ] || { say "cannot read the share file $f: give each custodian's file" >&2; exit 2; }
done

say "byok-ceremony recovery ceremony (Azure): $label"
ask_names
check_binary
check_environment

step 3 "the ceremony's parameters, the KEK stick and the shares"
say "  new KEK file: $kek"
say "  new KEK kid:  $kid"
say "  label:        $label   (the new blob will be $out/$label.byok)"
say "  directory:    $out"
say "  original log: ${original_log:-(not here)}"
say "  kcv on paper: ${expect_kcv:-(not given)}"
if [ -n "$no_escrow" ]; then
  say '  new escrow:   none (--no-escrow)'
else
  say "  new escrow:   $shares SLIP-39 shares, any $threshold recover the key"
fi
if [ $# -gt 0 ]; then
  say "Checking the $# share file(s) together (combined in memory; only the key check value is shown):"
  rc=0
  if [ -n "$passphrase" ]; then
    "$BYOK_BIN" shares check --share-passphrase "$@" || rc=$?
  else
    "$BYOK_BIN" shares check "$@" || rc=$?
  fi
  [ "$rc" -eq 0 ] || stop "$rc" 'the shares do not check (the share named above is wrong)' \
    'Set the share named as wrong aside; fetch another custodian with their share.' \
    'Start the script again from step 1 with the right share files.'
  say 'DO: compare the key check value above with the ORIGINAL transcript.'
else
  say 'The custodians type their shares at the tool'"'"'s prompt, one after the other, at step 4.'
fi
say 'DO: compare the new kid with the paper printout; check the KEK stick is the one signed for.'
say 'IF anything differs: type stop.'
initial

step 4 'the KEK fingerprint equals the paper'
say 'DO: operator A reads the NEW KEK fingerprint from the paper; operator B types it at the prompt.'
say '    The tool refuses unless the key check value of the shares is the one on record.'
say '    Everyone compares what the tool shows, and initials (steps 4, 5, 6).'
n=$#
for f do
  set -- "$@" --share "$f"
done
shift "$n"
set -- recover "$@" --kek "$kek" --kid "$kid" --label "$label" --out "$out" --confirm-steps --no-handout
[ -z "$original_log" ] || set -- "$@" --original-log "$original_log"
[ -z "$expect_kcv" ] || set -- "$@" --expect-kcv "$expect_kcv"
if [ -n "$no_escrow" ]; then
  set -- "$@" --no-escrow
else
  set -- "$@" --shares "$shares" --threshold "$threshold"
  [ -z "$shares_dir" ] || set -- "$@" --shares-dir "$shares_dir"
fi
[ -z "$passphrase" ] || set -- "$@" --share-passphrase
eval "set -- \"\$@\" $(people_flags)"
set -f
# shellcheck disable=SC2086 # BYOK_EXTRA_FLAGS is a list of flags
set -- "$@" $BYOK_EXTRA_FLAGS
set +f
rc=0 IN_TOOL=1
"$BYOK_BIN" "$@" || rc=$?
IN_TOOL=''
[ "$rc" -eq 0 ] || ceremony_failed "$rc" "$out"

say 'DO: the old shares still recover the key: destroy them witnessed, or keep them as safely as before.'
if [ -n "$no_escrow" ]; then
  finish "$out" ''
else
  finish "$out" "${shares_dir:-$out/shares}"
fi
