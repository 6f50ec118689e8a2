"""What a person other than the member may see of him (share pages, reports)."""

from __future__ import annotations

import re

MOBILE = re.compile(r"1\d{10}")


def mask(member_id: str) -> str:
    """A mobile number as 138****5678 (the usual form in China); any other id its first and
    last characters from six characters on, its first from three, nothing below."""
    if MOBILE.fullmatch(member_id):
        return member_id[:3] + "****" + member_id[-4:]
    if len(member_id) >= 6:
        return member_id[0] + "***" + member_id[-1]
    return member_id[0] + "***" if len(member_id) >= 3 else "***"
