"""Drives an operator script (ceremony/byok-azure.sh, ceremony/recover.sh) on a pseudo-terminal,
answering each prompt as the people in the room would: names, initials at every step, the
environment warnings a test machine raises (accepted), the KEK fingerprint read from paper, and each custodian's handout (two words back).

usage: ceremony_script.py TRANSCRIPT FINGERPRINT COMMAND ARGS...
Environment: STOP_AT_STEP=N types 'stop' at the first initials prompt of step N; with
STOP_WITH=ctrl-c it presses Ctrl-C there instead.
Writes everything the terminal showed to TRANSCRIPT; prints one `answered: ...` line per prompt
and `exit: N` last. Exits non-zero itself only on a timeout or an unexpected prompt."""
import fcntl, os, pty, re, select, struct, sys, termios, time

transcript, fingerprint, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
NAMES = {"A": "Alice Example", "B": "Bob Example"}
INITIALS = {"Alice Example": "AE", "Bob Example": "BE", "Carol Witness": "CW"}

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))

seen = b""  # everything shown
pending = b""  # shown but not answered yet
words = {}  # the share on screen: position -> word


def send(text, why):
    print("answered: %s" % why, flush=True)
    os.write(fd, text.encode() + b"\n")


# (pattern, handler): each pattern ends where the program waits for a line.
def on_name(m):
    send(NAMES[m.group(1).decode()], "operator %s name" % m.group(1).decode())


def on_witness(m):
    n = int(m.group(1))
    send("Carol Witness" if n == 1 else "", "witness %d name" % n)


def on_initials(m):
    name = m.group(2).decode()
    step = m.group(3).decode() if m.group(3) else "tool"
    if step == "tool":
        confirms = re.findall(rb"=== Step (\d+): confirm ", seen)
        step = "tool %s" % confirms[-1].decode() if confirms else step
    if os.environ.get("STOP_AT_STEP") and step.split()[-1] == os.environ["STOP_AT_STEP"]:
        if os.environ.get("STOP_WITH") == "ctrl-c":
            print("answered: ctrl-c %s step %s" % (name, step), flush=True)
            os.write(fd, b"\x03")
        else:
            send("stop", "stop %s step %s" % (name, step))
        return
    send(INITIALS[name], "initials %s step %s" % (name, step))


def on_fingerprint(m):
    send(fingerprint, "fingerprint")


def on_accept(m):
    send("y", "accept warning")  # test machines have a network: the script passes --allow-network


def on_show(m):
    send("", "show share")


def on_hide(m):
    screen = m.string[: m.end()]
    words.clear()
    for i, w in re.findall(rb"(\d+)\. \x1b\[1m((?:[A-Z] )+)", screen):
        words[int(i)] = w.replace(b" ", b"").decode().lower()
    send("", "hide share (%d words)" % len(words))


def on_word(m):
    pos = int(m.group(1))
    send(words[pos][:4], "word %d" % pos)


RULES = [
    (rb"Operator (A|B), your name: $", on_name),
    (rb"Witness (\d+), your name \(press Enter alone when every witness is named\): $", on_witness),
    (rb"  (operator|witness) ([^\r\n,]+), your initials(?: for step (\d+))?: $", on_initials),
    (rb"KEK SHA-256 fingerprint from the paper \(64 hex digits, or the 32 PGP words\): $", on_fingerprint),
    (rb"Both operators accept this\? \[y/N\] $", on_accept),
    (rb"Press Enter to show the share: $", on_show),
    (rb"press Enter to hide them: $", on_hide),
    (rb"  word (\d+): $", on_word),
]

status = None
deadline = time.time() + 600
with open(transcript, "wb") as log:
    while True:
        if time.time() > deadline:
            sys.exit("timeout; last output: %r" % pending[-600:])
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        log.write(data)
        log.flush()
        seen += data
        pending += data
        # answer when the output stops at a prompt
        time.sleep(0.05)
        ready, _, _ = select.select([fd], [], [], 0)
        if ready:
            continue
        for pattern, handler in RULES:
            m = re.search(pattern, pending)
            if m:
                pending = b""
                handler(m)
                break
_, status = os.waitpid(pid, 0)
print("exit: %d" % os.waitstatus_to_exitcode(status), flush=True)
