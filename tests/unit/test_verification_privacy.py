"""Who sees a draw's identity in the public verification: its member whole, others masked."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.draws import shown_to

ANSWER: dict[str, Any] = {"draw": {"member_id": "13800138000", "key": "spin-0001", "number": "ab"},
                          "seed": "00", "commitment": "11", "matches": True, "reasons": []}


@pytest.mark.parametrize(("caller", "member", "key"), [
    (None, "13*******00", None), ("13900139000", "13*******00", None),
    ("13800138000", "13800138000", "spin-0001"),
])
def test_only_the_draws_member_sees_its_member_id_and_key(caller: str | None, member: str,
                                                         key: str | None) -> None:
    shown = shown_to(ANSWER, caller)
    assert (shown["draw"]["member_id"], shown["draw"]["key"], shown["identity_shown"]) == (
        member, key, caller == "13800138000")
    assert {k: v for k, v in shown.items() if k not in ("draw", "identity_shown")} == {
        k: v for k, v in ANSWER.items() if k != "draw"}
    assert shown["draw"]["number"] == "ab" and ANSWER["draw"]["member_id"] == "13800138000"  # not mutated
