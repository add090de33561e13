#!/bin/sh
# For auditors, on any machine: checks a ceremony directory twice, with byok-ceremony and without it.
#
#   ceremony/audit.sh DIR [--expect-signer SHA256:...] [--expect-head HEX] [other `audit` flags:
#                         --kek FILE, --share FILE, --binary FILE, --allowed-signers FILE]
#
# 1. `byok-ceremony audit DIR ...` (BYOK_BIN, or byok-ceremony on PATH; skipped if absent).
# 2. The tool-independent path (docs/log-format.md), with standard tools only: the hash chain of
#    ceremony.log line by line (sha256sum), the seal, the signature (`ssh-keygen -Y verify`), the
#    signer (`ssh-keygen -lf`) and log head against the paper values, `sha256sum -c SHA256SUMS`, and
#    no file that SHA256SUMS does not list.
# Exit status: 0 when everything holds; 3 when anything failed (an aborted ceremony whose log is
# intact also gives 3: there is nothing to import); 2 for bad arguments.
set -eu

BYOK_BIN=${BYOK_BIN:-byok-ceremony}
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DIR [--expect-signer SHA256:...] [--expect-head HEX] [byok-ceremony audit flags]" >&2
  exit 2
fi
dir=$1
shift
expect_signer='' expect_head='' prev_arg=''
for a do
  case $prev_arg in
    --expect-signer) expect_signer=$a ;;
    --expect-head) expect_head=$a ;;
  esac
  prev_arg=$a
done

failed=0
ok() { printf '  [ok  ] %s\n' "$*"; }
bad() { printf '  [FAIL] %s\n' "$*"; failed=$((failed + 1)); }
skip() { printf '  [skip] %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
sha() { sha256sum | cut -c1-64; }

echo "== 1. byok-ceremony audit =="
tool_rc=0
if have "$BYOK_BIN"; then
  "$BYOK_BIN" audit "$dir" "$@" || tool_rc=$?
  [ "$tool_rc" -ne 2 ] || exit 2
else
  skip "$BYOK_BIN is not here (set BYOK_BIN): only the tool-independent checks below"
fi

echo
echo "== 2. the tool-independent path (sha256sum, ssh-keygen) =="
log=$dir/ceremony.log
have sha256sum || { bad 'sha256sum is not installed: the checks below need it'; exit 3; }
if [ ! -f "$log" ]; then
  bad "no ceremony.log in $dir"
  exit 3
fi

# The chain: seq 0, 1, 2, ...; each prev is the SHA-256 of the previous line without its newline.
n=0 prev=0000000000000000000000000000000000000000000000000000000000000000 last='' chain_ok=1
if [ "$(tail -c 1 "$log" | od -An -tx1 | tr -d ' ')" != 0a ]; then
  bad 'ceremony.log: no final newline (truncated)'
  chain_ok=0
fi
while IFS= read -r line; do
  want=$(printf '%s' "$line" | sed -n 's/^{"seq":\([0-9]*\),"time":"[^"]*","event":"[a-z0-9_.]*","prev":"\([0-9a-f]\{64\}\)".*/\1 \2/p')
  if [ "$want" != "$n $prev" ]; then
    bad "ceremony.log line $((n + 1)): seq or prev does not match (expected seq $n, prev $prev)"
    chain_ok=0
    break
  fi
  prev=$(printf '%s' "$line" | sha)
  last=$line
  n=$((n + 1))
done <"$log"
if [ "$chain_ok" = 1 ]; then
  case $last in
    *'"event":"ceremony.sealed",'*'"lines_before":'"$((n - 1))"'}')
      ok "log chain: $n lines, each prev the SHA-256 of the line before, sealed (lines_before $((n - 1)))" ;;
    *) bad 'log chain: the last line is not the seal (ceremony.sealed with lines_before)'; chain_ok=0 ;;
  esac
fi
echo "     log head (SHA-256 of the last line): $prev"
if [ -n "$expect_head" ]; then
  want=$(printf '%s' "$expect_head" | tr -d ' :' | tr 'A-F' 'a-f')
  case $want in
    *[!0-9a-f]*) skip 'log head: --expect-head is not hex (PGP words): compare by eye, or use step 1' ;;
    "$prev") ok 'log head equals --expect-head (the paper)' ;;
    *) bad "log head differs from --expect-head ($want)" ;;
  esac
fi

# The signature and its signer.
if ! have ssh-keygen; then
  skip 'ssh-keygen is not installed: signature not checked here'
elif [ ! -f "$dir/ceremony.pub" ] || [ ! -f "$dir/ceremony.log.sig" ]; then
  bad 'ceremony.pub or ceremony.log.sig is missing'
else
  allowed=$(mktemp)
  trap 'rm -f "$allowed"' EXIT
  printf 'ceremony namespaces="byok-ceremony" %s\n' "$(cat "$dir/ceremony.pub")" >"$allowed"
  if ssh-keygen -Y verify -f "$allowed" -I ceremony -n byok-ceremony -s "$dir/ceremony.log.sig" <"$log" >/dev/null 2>&1; then
    ok 'signature: ssh-keygen -Y verify accepts ceremony.log.sig by ceremony.pub (namespace byok-ceremony)'
  else
    bad 'signature: ssh-keygen -Y verify refuses ceremony.log.sig'
  fi
  signer=$(ssh-keygen -lf "$dir/ceremony.pub" | cut -d' ' -f2)
  echo "     signer (ssh-keygen -lf ceremony.pub): $signer"
  case $expect_signer in
    '') echo '     compare it with the paper transcript (or give --expect-signer)' ;;
    SHA256:*) if [ "$expect_signer" = "$signer" ]; then ok 'signer equals --expect-signer (the paper)'; else bad "signer differs from --expect-signer ($expect_signer)"; fi ;;
    *) skip 'signer: --expect-signer is not in SHA256: form: compare by eye, or use step 1' ;;
  esac
fi

# SHA256SUMS: every listed file; share files may be absent (handed out); nothing unlisted.
sums=$dir/SHA256SUMS
if [ ! -f "$sums" ]; then
  if grep -q '"event":"ceremony.aborted"' "$log"; then
    skip 'no SHA256SUMS: the log records an aborted ceremony (no artifact was kept)'
  else
    bad 'SHA256SUMS is missing'
  fi
else
  present=$(mktemp)
  trap 'rm -f "${allowed:-}" "$present"' EXIT
  absent=0 missing=0
  while IFS= read -r l; do
    f=${l#*  }
    f=${f#\*}
    if [ -e "$dir/$f" ]; then
      printf '%s\n' "$l" >>"$present"
    else
      case $f in
        shares/*) absent=$((absent + 1)) ;;
        *) bad "sha256sums: $f is listed but missing"; missing=1 ;;
      esac
    fi
  done <"$sums"
  handed=''
  [ "$absent" -eq 0 ] || handed="; $absent share file(s) absent (handed out)"
  if checked=$(cd "$dir" && sha256sum -c - <"$present" 2>&1); then
    ok "sha256sum -c SHA256SUMS: $(wc -l <"$present" | tr -d ' ') files as listed$handed"
  else
    printf '%s\n' "$checked" | grep -v ': OK$' || true
    bad 'sha256sum -c SHA256SUMS: the file(s) above differ'
  fi
  unlisted=0
  while IFS= read -r f; do
    case $f in '' | SHA256SUMS) continue ;; esac
    cut -c67- "$sums" | sed 's/^\*//' | grep -qxF "$f" ||
      { bad "$f is in the directory but not in SHA256SUMS"; unlisted=1; }
  done <<EOF
$(cd "$dir" && find . -type f | sed 's|^\./||' | sort)
EOF
  [ "$unlisted" = 1 ] || [ "$missing" = 1 ] || ok 'every file in the directory is listed in SHA256SUMS'
fi

echo
if [ "$failed" -gt 0 ]; then
  echo "tool-independent path: $failed check(s) FAILED"
  exit 3
fi
echo 'tool-independent path: everything checked holds'
if [ "$tool_rc" -ne 0 ]; then
  echo "byok-ceremony audit exited $tool_rc (see its report above)"
  exit 3
fi
exit 0
