"""An outside call is bounded in all, not per socket wait: a server that trickles its answer
a byte at a time cannot hold the worker past the call's timeout."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from plugins.timebox import UNBOUNDED, Deadline, call_within


@pytest.fixture
def trickling() -> Iterator[str]:
    """A server on 127.0.0.1 that sends its status line one byte every 50 ms."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            for byte in b"HTTP/1.1 200 OK\r\n" * 100:
                if stop.wait(0.05):
                    return
                conn.sendall(bytes([byte]))

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    listener.close()


def test_a_trickling_answer_times_out_at_the_calls_timeout(trickling: str) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        call_within(0.4, lambda: urllib.request.urlopen(trickling, timeout=0.4).read())
    assert 0.35 < time.monotonic() - started < 0.6  # each byte came well within the socket timeout


def test_call_within_answers_or_raises_what_the_call_does() -> None:
    assert call_within(1, lambda: 42) == 42
    with pytest.raises(ValueError, match="bad"):
        call_within(1, lambda: int("bad"))


def test_shares_split_what_remains() -> None:
    run = Deadline.within(1.0)
    assert 0.45 < run.share(2).remaining() <= 0.5
    assert Deadline.within(-1).passed() and not run.passed()
    assert UNBOUNDED.share(3) is UNBOUNDED and not UNBOUNDED.passed()
