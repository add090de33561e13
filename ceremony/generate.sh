#!/bin/sh
# Dual-control wrapper for `byok-ceremony generate`: runs preflight, asks both operators their names,
# and never passes the
# fingerprint on the command line (the tool asks for it on the terminal, so it is typed from paper).
#   ceremony/generate.sh KEK_FILE KID LABEL OUT_DIR [SHARES THRESHOLD]
set -eu
if [ $# -lt 4 ]; then
  echo "usage: $0 KEK_FILE KID LABEL OUT_DIR [SHARES THRESHOLD]" >&2
  exit 2
fi
kek=$1 kid=$2 label=$3 out=$4 shares=${5:-5} threshold=${6:-3}
bin=${BYOK_CEREMONY:-byok-ceremony}
"$bin" preflight || { echo "preflight failed: fix each FAIL before the ceremony" >&2; exit 4; }
printf 'Operator A, your name: ' >&2; read -r op_a
printf 'Operator B, your name: ' >&2; read -r op_b
exec "$bin" generate --kek "$kek" --kid "$kid" --label "$label" --out "$out" \
  --shares "$shares" --threshold "$threshold" --operator "$op_a" --operator "$op_b"
