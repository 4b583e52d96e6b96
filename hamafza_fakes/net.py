"""Two ways for a platform to be unreachable, for the tests of what "nothing was sent"
looks like: a port nobody listens on (connection refused at once), and a listener whose
queue is full, so a new connection is never accepted (the connect timeout fires)."""

from __future__ import annotations

import contextlib
import socket
import time


def refused_url() -> str:
    """An http:// origin on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def unanswered_connect():
    """An http:// origin whose connections hang in the handshake (Linux drops the SYN
    of a connection to a listener whose backlog is full)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
