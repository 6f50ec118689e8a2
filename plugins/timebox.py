"""Deadlines for work that must end before its function's timeout: a worker run, each job's
share of it, and each outside call a job makes. Monotonic time: a clock change cannot
stretch them."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["UNBOUNDED", "Deadline", "call_within"]

T = TypeVar("T")


@dataclass(frozen=True)
class Deadline:
    """A moment on `time.monotonic()`'s clock after which work stops and leaves the rest."""

    at: float

    @classmethod
    def within(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + max(seconds, 0.0))

    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.0)

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def share(self, parts: int) -> Deadline:
        """One of `parts` equal shares of what remains: what an earlier part leaves unused
        goes to the parts after it, and no part can take theirs."""
        return self if math.isinf(self.at) else Deadline.within(self.remaining() / parts)


UNBOUNDED = Deadline(math.inf)
"""No deadline: a job called directly (a test, an operator) runs to the end."""


def call_within(seconds: float, call: Callable[[], T]) -> T:
    """`call()`'s answer, or TimeoutError once `seconds` have passed in all.

    A socket timeout bounds each wait of a call, not the call: a server that trickles its
    answer a byte at a time holds it for ever. So the call runs on a daemon thread, left to
    end by its own socket timeouts if the caller stops waiting.
    """
    result: list[T] = []
    error: list[Exception] = []

    def run() -> None:
        try:
            result.append(call())
        except Exception as exc:
            error.append(exc)

    thread = threading.Thread(target=run, name="call-within", daemon=True)
    thread.start()
    thread.join(seconds)
    if result:
        return result[0]
    if error:
        raise error[0]
    raise TimeoutError(f"no answer within {seconds:.1f} s")
