# Shared by byok-azure.sh and recover.sh (POSIX sh; sourced, not run).
#
# Steps are numbered as in RUNBOOK.md and in the log's witness.ack events (docs/log-format.md).
# Every step: what to do (DO), the command, then every operator and witness initials it. Initials
# of steps 1 to 3 go into the log as --ack entries; the tool itself asks at steps 4, 5 and 6
# (--confirm-steps); steps 7 to 9 come after the log is sealed, so their initials go on paper.
# Nothing secret ever passes through this file: the fingerprint, shares and passphrases are typed
# at the tool's own prompts.

BYOK_BIN=${BYOK_BIN:-byok-ceremony}
BYOK_EXTRA_FLAGS=${BYOK_EXTRA_FLAGS:-}
STEP=0
STEPS=9
PEOPLE=''   # one "role:name" per line: the operators, then the witnesses
ACKS=''     # one --ack value per line (steps 1 to 3)

say() { printf '%s\n' "$*"; }

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# step N TITLE: starts step N.
step() {
  STEP=$1
  say ''
  say "=== Step $1 of $STEPS: $2 ==="
}

# stop CODE MESSAGE ADVICE...: ends the script at the current step, with what to do next.
stop() {
  code=$1 message=$2
  shift 2
  at_step="at step $STEP"
  [ "$STEP" -gt 0 ] || at_step='before step 1'
  say '' >&2
  say "STOPPED $at_step: $message" >&2
  say "What to do now:" >&2
  for line in "$@"; do say "  - $line" >&2; done
  say "  - Write 'STOPPED $at_step', the time ($(now)) and the reason on the transcript; both operators initial it." >&2
  exit "$code"
}

# Ctrl-C (or SIGTERM) ends the script with the STOPPED advice. While the tool runs it gets the
# signal too (same process group), stops at once, seals its log and exits 130 or 143: the script
# survives and ceremony_failed explains.
IN_TOOL=''
on_signal() {
  [ -n "$IN_TOOL" ] && return 0
  stop "$1" 'interrupted (Ctrl-C or a signal)' \
    'Start the script again from step 1 (a new OUT_DIR if the tool had started).'
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# ask QUESTION: prints QUESTION and reads one line from the terminal into $REPLY.
ask() {
  printf '%s' "$1"
  IFS= read -r REPLY || stop 1 'the terminal closed' 'Start the script again from step 1.'
}

# Checks typed initials as the tool does (1 to 8 letters or digits, '.' and '-' allowed, at least
# one letter or digit).
initials_ok() {
  case $1 in '' | *[[:space:]]*) return 1 ;; esac
  rest=$(printf '%s' "$1" | tr -d '.-')
  case $rest in '' | *[[:punct:][:cntrl:]]*) return 1 ;; esac
  [ "${#1}" -le 8 ]
}

# check_escrow_args SHARES THRESHOLD: refuses, before step 1, what the tool would refuse at step 4
# (as `generate` does: 1 to 16 shares, a threshold from 2 to SHARES, or 1 of 1).
check_escrow_args() {
  case $1 in '' | *[!0-9]*) say "--shares '$1' is not a number: give 1 to 16" >&2; exit 2 ;; esac
  case $2 in '' | *[!0-9]*) say "--threshold '$2' is not a number: give 2 to the share count" >&2; exit 2 ;; esac
  if [ "$1" -lt 1 ] || [ "$1" -gt 16 ]; then
    say "--shares $1: SLIP-39 makes 1 to 16 shares" >&2; exit 2
  fi
  if [ "$2" -lt 1 ] || [ "$2" -gt "$1" ]; then
    say "--threshold $2 must be between 1 and --shares ($1)" >&2; exit 2
  fi
  if [ "$2" -eq 1 ] && [ "$1" -gt 1 ]; then
    say "--threshold 1 with several shares gives every custodian the whole key: use --threshold 2 or more, or --shares 1" >&2
    exit 2
  fi
}

# folded NAME: the comparison form of a name (lower case, single spaces), as the tool compares.
folded() {
  printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//'
}

# named NAME: whether someone already named has this name (ignoring case and spacing).
named() {
  f=$(folded "$1")
  while IFS= read -r who; do
    [ -n "$who" ] || continue
    [ "$(folded "${who#*:}")" = "$f" ] && return 0
  done <<EOF
$PEOPLE
EOF
  return 1
}

# ask_names: the two operators and the witnesses, typed by each person.
ask_names() {
  say ''
  say '=== Before step 1: who is present ==='
  say 'DO: each person types their own name, as they will sign the transcript.'
  for who in A B; do
    while :; do
      ask "  Operator $who, your name: "
      [ -n "$REPLY" ] || continue
      named "$REPLY" || break
      say '  That name is already given: each person is named once, with their own name.'
    done
    PEOPLE="${PEOPLE}operator:$REPLY
"
  done
  n=1
  while :; do
    ask "  Witness $n, your name (press Enter alone when every witness is named): "
    if [ -z "$REPLY" ]; then
      [ "$n" -gt 1 ] && break
      say '  At least one witness watches a ceremony: name them.'
      continue
    fi
    if named "$REPLY"; then
      say '  That name is already given (a witness is not an operator): each person is named once.'
      continue
    fi
    PEOPLE="${PEOPLE}witness:$REPLY
"
    n=$((n + 1))
  done
}

# initial: every operator and witness initials the current step, or types 'stop'.
initial() {
  say "DO: each person checks the above, then types their initials (or 'stop')."
  at=$(now)
  while IFS= read -r who <&3; do
    [ -n "$who" ] || continue
    role=${who%%:*} name=${who#*:}
    while :; do
      ask "  $role $name, your initials for step $STEP: "
      case $REPLY in stop | STOP | Stop)
        stop 3 "$name stopped the ceremony" \
          'Say aloud why; fix what was wrong before anything else.' \
          'Start the script again from step 1 (a new OUT_DIR if the tool had started).' ;;
      esac
      initials_ok "$REPLY" && break
      say "  type 1 to 8 letters or digits (dots and hyphens allowed), or 'stop'"
    done
    if [ "$STEP" -le 3 ]; then
      ACKS="${ACKS}$STEP:$name=$REPLY@$at
"
    fi
  done 3<<EOF
$PEOPLE
EOF
  if [ "$STEP" -ge 7 ]; then
    say "  (the log is sealed: write these initials and the time $at on the transcript)"
  fi
}

# check_binary: step 1, the binary's SHA-256 against the transcript.
check_binary() {
  step 1 "the binary's SHA-256 equals the transcript"
  path=$(command -v "$BYOK_BIN" 2>/dev/null) ||
    stop 1 "no $BYOK_BIN here" 'Boot the ceremony USB stick; or set BYOK_BIN to the binary.'
  "$BYOK_BIN" --version || stop 1 "$BYOK_BIN does not run" 'Use the binary of the reproducible build (reproducible-build/).'
  sha256sum "$path"
  say 'DO: operator A reads the SHA-256 above aloud; operator B and the witnesses compare it with the transcript.'
  say 'IF it differs: type stop. The binary is not the one that was built and checked.'
  initial
}

# check_environment: step 2, preflight (overrides only through BYOK_EXTRA_FLAGS, for tests).
check_environment() {
  step 2 'the environment checks (preflight)'
  say 'DO: check the network cable is out and that no line below says FAIL.'
  rc=0
  "$BYOK_BIN" preflight || rc=$?
  case $rc in
    0) ;;
    4)
      case " $BYOK_EXTRA_FLAGS " in
        *' --allow-'*) say "NOTE: BYOK_EXTRA_FLAGS ($BYOK_EXTRA_FLAGS) accepts this; the log records it. Never in a real ceremony." ;;
        *) stop 4 'this machine is not safe for a ceremony' \
          'Fix each FAIL above: unplug the network cable, turn swap off, boot the ceremony USB stick.' \
          'Then start the script again from step 1.' ;;
      esac ;;
    *) stop "$rc" 'preflight could not run' 'Boot the ceremony USB stick and start again from step 1.' ;;
  esac
  initial
}

# people_flags: prints the --operator, --witness and --ack flags, quoted for eval; the caller
# appends them to its positional parameters with: eval "set -- \"\$@\" $(people_flags)".
people_flags() {
  while IFS= read -r who; do
    [ -n "$who" ] || continue
    q=$(printf '%s' "${who#*:}" | sed "s/'/'\\\\''/g")
    case $who in operator:*) printf " --operator '%s'" "$q" ;; witness:*) printf " --witness '%s'" "$q" ;; esac
  done <<EOF
$PEOPLE
EOF
  while IFS= read -r ack; do
    [ -n "$ack" ] || continue
    q=$(printf '%s' "$ack" | sed "s/'/'\\\\''/g")
    printf " --ack '%s'" "$q"
  done <<EOF
$ACKS
EOF
}

# ceremony_failed RC OUT_DIR: the advice for a failed `generate` or `recover` (steps 4 to 6).
ceremony_failed() {
  rc=$1 out=$2
  case $rc in
    2) stop 2 'the tool refused a parameter or input (message above); no key was made' \
      'Fix what the message names (at step 3 the parameters were on screen).' \
      "Start the script again from step 1; remove $out first if it is empty." ;;
    3)
      # The tool logs why it stopped (ceremony.aborted); a stop at its own prompt names the step.
      reason=$(sed -n 's/.*"event":"ceremony\.aborted".*"reason":"\([^"]*\)".*/\1/p' "$out/ceremony.log" 2>/dev/null | tail -n 1)
      case $reason in
        'step '[4-6]' was not confirmed: '*)
          STEP=$(printf '%s' "$reason" | sed 's/^step \([4-6]\) .*/\1/')
          who=$(printf '%s' "$reason" | sed 's/^step [4-6] was not confirmed: \(.*\) stopped the ceremony at the prompt.*/\1/')
          stop 3 "$who stopped the ceremony at the tool's prompt" \
            'Say aloud why; write it on the transcript; fix what was wrong before anything else.' \
            "Keep $out: it holds the signed log of this attempt (ceremony/audit.sh $out reports it as aborted, log intact). No key left this machine." \
            'Start the script again from step 1 with a new OUT_DIR.' ;;
        'KEK fingerprint mismatch'*)
          stop 3 'the KEK fingerprint differs from the paper' \
            'Do NOT retry with another KEK file. No key left this machine.' \
            "Keep $out: it holds the signed log of this attempt (ceremony/audit.sh $out reports it as aborted, log intact)." \
            'Go back to the online side: download the KEK again, print its fingerprint again, compare.' \
            'Start a new ceremony with a new OUT_DIR.' ;;
      esac
      stop 3 'a check failed (message above): the KEK fingerprint differs from the paper, the key check value differs from the record, or someone typed stop' \
      'Do NOT retry with another KEK file. No key left this machine.' \
      "Keep $out: it holds the signed log of this attempt (ceremony/audit.sh $out reports it as aborted, log intact)." \
      'Go back to the online side: download the KEK again, print its fingerprint again, compare.' \
      'Start a new ceremony with a new OUT_DIR.' ;;
    4) stop 4 'the environment is not safe (message above)' \
      'Fix each FAIL (network cable out, swap off, the ceremony USB stick), then start again from step 1.' ;;
    130 | 143) stop "$rc" 'interrupted (Ctrl-C or a signal) while the tool ran (steps 4 to 6)' \
      "Every staged file was removed and the log of the attempt sealed in $out." \
      'Start a new ceremony with a new OUT_DIR.' ;;
    *) stop "$rc" "the tool failed (exit $rc, message above)" \
      "Every staged file was removed; $out keeps at most the signed log of the attempt." \
      'Note the message on the transcript; fix the cause (disk full? stick removed?); start again with a new OUT_DIR.' ;;
  esac
}

# finish OUT_DIR SHARES_DIR: steps 7 to 9, after the tool sealed the log (SHARES_DIR empty: no escrow).
finish() {
  out=$1 shares=$2
  step 7 'the transcript is complete'
  say 'DO: copy the summary above onto the transcript: key check value, blob SHA-256, log signer and'
  say '    log head (hex and PGP words). Operator A reads each value aloud, B and the witnesses check.'
  say 'Checking the directory now (audit):'
  rc=0
  "$BYOK_BIN" audit "$out" || rc=$?
  [ "$rc" -eq 0 ] || stop 3 'the new ceremony directory does not audit' \
    'Do not import anything. Keep the directory and the transcript for investigation.' \
    'The shares are not handed out: destroy them witnessed, then start a new ceremony.'
  initial
  step 8 'the shares are handed out'
  if [ -z "$shares" ]; then
    say 'No escrow shares (--no-escrow): the key exists only in the blob and, after import, in the HSM.'
  else
    say 'DO: each custodian in turn looks at the screen alone, writes the words (or takes the printed'
    say '    sheet share-NN-of-MM.html in a sealed envelope) and types back the two words asked for.'
    rc=0
    "$BYOK_BIN" shares handout "$shares"/share-*-of-*.txt || rc=$?
    [ "$rc" -eq 0 ] || stop "$rc" 'the handout stopped' \
      "The share files are still in place: run '$BYOK_BIN shares handout' on them again." \
      'If a share was seen by someone else than its custodian, say so on the transcript.'
    say "DO: delete the share files from the transfer stick now (they are in the log as commitments):"
    say "    rm -f '$shares'/share-*"
  fi
  initial
  step 9 'the machine is powered off'
  say 'DO: take out the transfer stick (the ceremony directory) and the KEK stick; power the machine off.'
  say '    Memory is cleared; the live USB keeps nothing.'
  initial
  say ''
  say "Done. Back online: ceremony/audit.sh $out --expect-signer ... --expect-head ... (RUNBOOK 'Back online')."
}
