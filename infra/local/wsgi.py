"""Serving moto's WSGI app one request at a time: the lock, and whole answers.

moto's DynamoDB backend reads, checks and writes without a lock (ARCHITECTURE.md, "Known
traps"), and its state is process-wide: every app here applies requests under `MOTO_LOCK`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

MOTO_LOCK = threading.Lock()
"""moto's state is process-wide, so is the lock that applies one request at a time to it."""


@dataclass(frozen=True)
class Response:
    """A WSGI app's whole answer, kept to be sent (or replayed, or dropped) later."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes

    def send(self, start_response: StartResponse) -> list[bytes]:
        start_response(self.status, self.headers)
        return [self.body]


def read_body(environ: WSGIEnvironment) -> bytes:
    """Read the request body (so a slow client stalls nobody else) and put it back as a stream."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    return bytes(body)


class AtomicWSGIApp:
    """Apply each request to a WSGI app under one lock, so a threaded server stays atomic.

    The request body is read before taking the lock, so a slow client cannot stall the others;
    the app call and its whole response body run under it.
    """

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.lock = MOTO_LOCK

    def apply(self, environ: WSGIEnvironment) -> Response:
        """Run the app under the lock, its body included; the answer is sent later."""
        answer: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
            answer[:] = [status, headers]
            return lambda data: None

        with self.lock:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return Response(answer[0], list(answer[1]), body)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        read_body(environ)
        return self.apply(environ).send(start_response)
