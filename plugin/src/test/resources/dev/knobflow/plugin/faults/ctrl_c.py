"""Runs a command and presses Ctrl-C once a file exists, as a user at a terminal would.

usage: ctrl_c.py pty|pipe STARTED_FILE COMMAND...
  pty   the command runs on a pseudo-terminal (its controlling terminal); Ctrl-C is the byte 0x03
        typed into it, so the terminal sends SIGINT to its foreground process group
  pipe  the command runs with pipes in a new session; SIGINT goes to its process group
Prints what the command printed, then a last line "EXIT <code>".
"""
import os
import select
import signal
import subprocess
import sys
import threading
import time

mode, started, *cmd = sys.argv[1:]
deadline = time.time() + 240


def late():
    return time.time() > deadline


def default_sigint():
    # A command typed at a terminal starts with SIGINT at its default action. This driver may
    # itself run with SIGINT ignored (a background job of a script without job control, as some
    # CI runners start the build), and an ignored SIGINT is inherited through exec, so the JVM
    # would rightly keep ignoring Ctrl-C: give the command the disposition a user's shell gives.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


if mode == "pty":
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        default_sigint()
        os.execvp(cmd[0], cmd)
    out = bytearray()
    sent = False
    while True:
        if not sent and os.path.exists(started):
            os.write(fd, b"\x03")
            sent = True
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not data:
                break
            out += data
        if late():
            os.kill(pid, signal.SIGKILL)
            break
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode("utf-8", "replace"))
    print("\nEXIT", os.waitstatus_to_exitcode(status))
else:
    p = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=default_sigint)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(p.stdout.read()))
    reader.start()
    while not os.path.exists(started) and not late() and p.poll() is None:
        time.sleep(0.05)
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGINT)
    try:
        p.wait(timeout=max(1, deadline - time.time()))
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    reader.join()
    sys.stdout.write(chunks[0].decode("utf-8", "replace"))
    print("\nEXIT", p.returncode)
