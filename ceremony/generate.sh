#!/bin/sh
# Kept for older notes and transcripts: the generate ceremony is ceremony/byok-azure.sh (same
# arguments: KEK_FILE KID LABEL OUT_DIR [SHARES THRESHOLD]). BYOK_CEREMONY is still read as BYOK_BIN.
set -eu
if [ -n "${BYOK_CEREMONY:-}" ] && [ -z "${BYOK_BIN:-}" ]; then
  BYOK_BIN=$BYOK_CEREMONY
  export BYOK_BIN
fi
exec "$(dirname "$0")/byok-azure.sh" "$@"
