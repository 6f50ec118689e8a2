"""Progress bars for the CLI's long work (uploads, reports, simulations), drawn on stderr.

One look for every command: `rich`'s bar with the count, the rate and the time left. On a
terminal it redraws in place; piped or in CI (stderr not a terminal) it prints nothing but
the final line, so logs stay readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

__all__ = ["progress"]


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A bar for `total` units (None: unknown); yields `advance(n)`. The final state is printed
    once when the work ends, also when stderr is not a terminal."""
    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TaskProgressColumn(), TimeRemainingColumn(), console=console,
                   disable=not console.is_terminal)
    task = bar.add_task(description, total=total)
    with bar:
        yield lambda n: bar.advance(task, n)
    if not console.is_terminal:
        done = int(bar.tasks[0].completed)
        console.print(f"{description}: {done}" + (f"/{total}" if total is not None else ""),
                      highlight=False)
