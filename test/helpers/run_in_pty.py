#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal (a real TTY for stdin and stdout). ANSWERS_JSON is a list
of [text, keys]: once `text` has appeared on the screen (escape sequences removed; searched in
what came after the previous answer), `keys` are typed. Then it reads until the command closes
the terminal and prints everything the command showed, then its exit status on the last line as
`EXIT <code>`. Nothing here waits on a clock: a prompt that never appears ends the run with a
`PTY: never saw ...` line (the caller's timeout guards a hang). Usage: run_in_pty.py ANSWERS_JSON CMD ARGS..."""
import fcntl, json, os, pty, re, select, struct, sys, termios

answers = json.loads(sys.argv[1])
pid, fd = pty.fork()
SIZE = struct.pack('HHHH', 40, 120, 0, 0)  # rows, columns: a new pty has none, full-screen UIs need one
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, SIZE)
    os.execvp(sys.argv[2], sys.argv[2:])

ESCAPES = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>78]')
out = b''

def read_once():
    """Blocks until the command writes something; False once it has closed the terminal."""
    global out
    select.select([fd], [], [])
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    out += chunk
    return True

def screen(since):
    return ESCAPES.sub('', out[since:].decode('utf-8', 'replace'))

alive = True
since = 0
for text, keys in answers:
    while alive and text not in screen(since):
        alive = read_once()
    if text not in screen(since):
        out += ('\nPTY: never saw %r\n' % text).encode()
        break
    os.write(fd, keys.encode())
    since = len(out)
while alive:
    alive = read_once()
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.stdout.write('\nEXIT %d\n' % os.waitstatus_to_exitcode(status))
