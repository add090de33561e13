"""Drives byok-ceremony on a pseudo-terminal, as a custodian and an operator would.

usage: escrow_terminal.py handout BIN ARGS...   (generate; confirms each share, one wrong word first)
       escrow_terminal.py typed BIN SHARE_FILE...  (shares check, the shares typed by 4-letter prefixes;
                                                   says whether memory was locked at the first prompt)
       escrow_terminal.py refused BIN ARGS...      (a command that must stop before any prompt)
Prints what it saw as `key: value` lines; exits non-zero on a timeout or an early exit."""
import os, pty, re, select, sys, time

mode, binary, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
argv = [binary] + (["shares", "check", "--allow-unlocked-memory"] if mode == "typed" else rest)
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, argv)
buf = b""


def until(pattern, seconds=120):
    global buf
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                sys.exit("exited early; last output: %r" % buf[-400:])
            buf += data
            m = re.search(pattern, buf)
            if m:
                seen, buf = buf[: m.end()], buf[m.end():]
                return seen
    sys.exit("timeout waiting for %r; last output: %r" % (pattern, buf[-400:]))


def send(text):
    os.write(fd, text.encode() + b"\n")


def answer_two(words, wrong=False):
    for _ in range(2):
        asked = until(rb"word (\d+): ")
        pos = int(re.findall(rb"word (\d+): ", asked)[-1])
        send("zzzz" if wrong else words[pos][:4].upper())
        if wrong:
            return


if mode == "handout":
    n = 0
    while True:
        seen = until(rb"(Press Enter to show the share: |Audit later with|\[y/N\] )")
        if seen.endswith(b"[y/N] "):
            send("y")  # the operators accept an environment warning (e.g. --allow-network)
            continue
        if seen.endswith(b"Audit later with"):
            print("summary: " + ("cleared" if b"\x1b[2J" in seen else "not cleared"))
            break
        n += 1
        send("")
        screen = until(rb"press Enter to hide them: ")
        words = {int(i): w.replace(b" ", b"").decode().lower()
                 for i, w in re.findall(rb"(\d+)\. \x1b\[1m((?:[A-Z] )+)", screen)}
        print("share %d: %d words, qr %s" % (n, len(words), "yes" if "█".encode() in screen else "no"))
        send("")
        if n == 1:
            answer_two(words, wrong=True)
            again = until(rb"show the share again: ")
            print("wrong word: " + ("refused" if b"That is not word" in again else "accepted"))
            send("")
            until(rb"press Enter to hide them: ")
            send("")
        answer_two(words)
        print("share %d: confirmed" % n)
elif mode == "refused":
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        try:
            data = os.read(fd, 65536) if ready else b""
        except OSError:
            data = b""
        if not data:
            break
        buf += data
    print("prompted: " + ("yes" if b"word 1: " in buf else "no"))
    print("error: " + [l for l in buf.decode().splitlines() if "error:" in l][-1].strip())
else:
    first = True
    for path in rest:
        mnemonic = [l for l in open(path).read().splitlines() if l and not l.startswith("#")][0]
        for word in mnemonic.split():
            until(rb"word \d+: ")
            if first:
                # The shares are typed into locked memory (VmLck of the process, in kB).
                status = open("/proc/%d/status" % pid).read()
                locked = int(re.search(r"VmLck:\s+(\d+)", status).group(1))
                print("locked at the first prompt: " + ("yes" if locked > 0 else "no"))
                first = False
            send(word[:4])
    until(rb"word 1: ")
    send("")
    out = until(rb"key check value:  [0-9a-f]{6}")
    print("kcv: " + out[-6:].decode())
_, status = os.waitpid(pid, 0)
print("exit: %d" % os.waitstatus_to_exitcode(status))
