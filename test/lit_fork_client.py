"""`pypto-opt` for the fast lane's lit cases: asks lit_fork_server.py (at $PYPTO_OPT_SERVER) to
run it with this process's arguments, standard streams, working directory and environment, and
exits as that run did. Started with `python -S`, so it imports no site packages: a few
milliseconds instead of `pypto-opt`'s start-up. Without a server it becomes the real tool.

    python -S lit_fork_client.py /path/to/pypto-opt ARGS...
"""

import json
import os
import signal
import socket
import sys


def main() -> None:
    tool, args = sys.argv[1], sys.argv[2:]
    path = os.environ.get("PYPTO_OPT_SERVER")
    try:
        if not path:
            raise OSError("no server")
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        conn.connect(path)
    except OSError:
        os.execv(tool, [tool, *args])
    request = {"argv": [tool, *args], "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    reply = conn.recv(64)  # one message (a sequenced-packet socket keeps them whole)
    if not reply:
        sys.exit("lit_fork_client: the fork server closed without an exit status")
    code = int(reply)
    if code < 0:  # the run died of a signal: so does this process, as the shell would see it
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


main()
