"""Others see a member masked: never a short id in full, a mobile number the usual way."""

from __future__ import annotations

import pytest

from plugins.privacy import mask


@pytest.mark.parametrize(("member", "shown"), [
    ("13812345678", "138****5678"),
    ("friend-0", "f***0"),
    ("alice1", "a***1"),
    ("alice", "a***"),
    ("bob", "b***"),
    ("ab", "***"),
    ("a", "***"),
])
def test_masks(member: str, shown: str) -> None:
    assert mask(member) == shown


@pytest.mark.parametrize("member", ["ab", "abc", "abcd", "abcde", "abcdef", "a" * 64, "13812345678"])
def test_never_more_than_two_thirds_of_an_id(member: str) -> None:
    visible = sum(c != "*" for c in mask(member))
    assert visible * 3 <= len(member) * 2 and mask(member) != member
