#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal (a real TTY for stdin and stdout), types the given
answers one at a time after the output goes quiet, and prints everything the command showed,
then its exit status on the last line as `EXIT <code>`. Usage: pty.py ANSWERS_JSON CMD ARGS..."""
import fcntl, json, os, pty, select, struct, sys, termios, time

answers = json.loads(sys.argv[1])
pid, fd = pty.fork()
SIZE = struct.pack('HHHH', 40, 120, 0, 0)  # rows, columns: a new pty has none, full-screen UIs need one
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, SIZE)
    os.execvp(sys.argv[2], sys.argv[2:])

out = b''
def pump(quiet=0.6, limit=15.0):
    """Read until nothing arrives for `quiet` seconds (or the child closes the terminal)."""
    global out
    start = last = time.time()
    while time.time() - last < quiet and time.time() - start < limit:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            out += chunk
            last = time.time()
    return True

alive = pump()
for answer in answers:
    if not alive:
        break
    os.write(fd, answer.encode())
    alive = pump()
while alive:
    alive = pump(quiet=2.0)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.stdout.write('\nEXIT %d\n' % os.waitstatus_to_exitcode(status))
