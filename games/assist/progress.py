"""A task's progress toward its target, as pure functions of what the task item holds: what
`helps.Help` turns into the conditions and updates of a help's transaction, and what the
forecast (`games.assist.forecast`) plays in memory.

Helpers and cut modes count down `left` (the helps still needed); cards mode removes the
card a help drew from `missing` (the cards not yet held).
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["completes", "helped"]


def completes(mode: str, left: int | None, missing: Collection[str] | None, card: str | None) -> bool:
    """Whether a help (that drew `card`, in cards mode) completes the task: it was the last
    help needed, or its card is the last one missing."""
    if mode == "cards":
        return card is not None and set(missing or ()) == {card}
    return left == 1


def helped(mode: str, left: int | None, missing: frozenset[str] | None,
           card: str | None) -> tuple[int | None, frozenset[str] | None]:
    """The task's `left` and `missing` after one more help."""
    if mode == "cards":
        return left, frozenset(missing or ()) - {card}
    return (left or 0) - 1, missing
