"""Drives byok-ceremony on a pseudo-terminal, as the operators would at the start of a ceremony.

usage: hardening_terminal.py ack y|n BIN ARGS...
           answers each environment warning ("[y/N] ") with y or n, then waits for the end
       hardening_terminal.py ctrlc PROMPT BIN ARGS...
           accepts the warnings, waits for PROMPT (a secret typed with echo off), types a few
           characters, presses Ctrl-C and reads the terminal's echo flag again
Prints what it saw as `key: value` lines; exits non-zero on a timeout."""
import os, pty, re, select, sys, termios, time

mode, arg, binary, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary] + rest)
buf = b""
everything = b""


def until(pattern, seconds=120):
    """Reads until `pattern` (returns what was read) or the end of the output (returns None)."""
    global buf, everything
    end = time.time() + seconds
    while time.time() < end:
        m = re.search(pattern, buf)
        if m:
            seen, buf = buf[: m.end()], buf[m.end():]
            return seen
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                return None
            buf += data
            everything += data
    sys.exit("timeout waiting for %r; last output: %r" % (pattern, buf[-400:]))


def send(text):
    os.write(fd, text.encode() + b"\n")


def echo():
    return "on" if termios.tcgetattr(fd)[3] & termios.ECHO else "off"


def warnings(answer):
    """Answers the warnings until `stop` shows; returns what was read up to it."""
    while True:
        seen = until(rb"(\[y/N\] |" + stop + rb")")
        if seen is None or not seen.endswith(b"[y/N] "):
            return seen
        name = re.findall(rb"WARNING (\w+):", seen)[-1].decode()
        print("warning: " + name)
        send(answer)


if mode == "ack":
    stop = rb"Ceremony:"
    warnings(arg)
    until(rb"\Z-never", 300)
else:
    stop = arg.encode()
    if warnings("y") is None:
        sys.exit("exited early; last output: %r" % buf[-400:])
    time.sleep(0.5)  # the prompt is printed just before echo goes off
    print("echo while typing: " + echo())
    os.write(fd, b"secret")
    time.sleep(0.5)
    os.write(fd, b"\x03")
    until(rb"\Z-never", 60)
    print("echo after ctrl-c: " + echo())
for line in re.findall(rb"byok-ceremony: error: [^\r\n]*", everything):
    print(line.decode())
_, status = os.waitpid(pid, 0)
print("exit: %d" % os.waitstatus_to_exitcode(status))
