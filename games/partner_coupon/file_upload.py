"""A file of partner codes of any size into a pool: streamed, in parts, resumable.

Two passes over the file, neither holding it:
1. **check**: every code well formed, none repeated anywhere in the file, and the digests:
   the whole file's (the upload's id by default: `cli-` and 24 of its hex digits, so the same
   content is the same upload, whatever the file's name) and each part's;
2. **upload**: one part of at most `MAX_CODES` codes at a time, each an `upload_pool` of its
   own (`<id>.1`, `<id>.2`, ...; the id itself when the file is one part). Before it, one
   Query asks the store which parts of this upload exist: those are skipped, never sent
   again, so running the same command after a crash resumes where it stopped, and running it
   after success replays (`replayed: true`), writing nothing. A part cut short by the crash
   resumes inside `upload_pool` (codes its id stored are skipped): every code lands once.

Memory: the check keeps one hash (a Python int) per distinct code, about 70 bytes each (some
70 MB for 10^6 codes), and one digest per part; the upload holds one part's codes (5,000 at
most) at a time. A repeated hash is confirmed by a third pass that compares the codes
themselves and names their lines, so a collision can never refuse a good file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from games.partner_coupon.codes import CODE, MAX_CODES, SHOWN, codes_digest, duplicates, malformed, read_codes
from games.partner_coupon.errors import CodesInvalidError, DuplicateCodesError
from games.partner_coupon.pool import pool_size, upload_pool, upload_request, uploaded
from plugins.contracts import Campaign
from plugins.errors import IdempotencyKeyReusedError

__all__ = ["FileUpload", "check_file", "upload_file"]

Part = list[tuple[int, str]]
PART = MAX_CODES
"""Codes per part: one upload's most."""


def _parts(path: Path, fmt: str, size: int) -> Iterator[Part]:
    """The file's `(line, code)` in parts of `size`, read as they go."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            part: Part = []
            for entry in read_codes(stream, fmt):
                part.append(entry)
                if len(part) == size:
                    yield part
                    part = []
            if part:
                yield part
    except UnicodeDecodeError as exc:
        raise CodesInvalidError(f"{path.name} is not UTF-8 text ({exc.reason})") from None


def _digest(part: Part) -> str:
    return codes_digest(code for _, code in part)


@dataclass
class FileUpload:
    """What the check found: the codes, the upload id, and each part's digest."""

    path: Path
    fmt: str
    count: int = 0
    digest: str = ""
    parts: list[str] = field(default_factory=list)
    size: int = PART

    def part_id(self, upload_id: str, number: int) -> str:
        return upload_id if len(self.parts) == 1 else f"{upload_id}.{number}"


def check_file(path: Path, fmt: str) -> FileUpload:
    """Pass 1 (and 3 if a code may be repeated): the file's summary, or CodesInvalidError /
    DuplicateCodesError naming the lines, before anything is uploaded."""
    found = FileUpload(path, fmt, size=PART)
    whole = hashlib.sha256()
    seen: set[int] = set()
    again: set[int] = set()
    bad: list[int] = []
    bad_count = 0
    for part in _parts(path, fmt, found.size):
        for line, code in part:
            if not CODE.match(code):
                bad_count += 1
                if len(bad) < SHOWN:
                    bad.append(line)
            key = hash(code)
            if key in seen:
                again.add(key)
            seen.add(key)
            whole.update(("\n" + code if found.count else code).encode())
            found.count += 1
        found.parts.append(_digest(part))
    if bad_count:
        raise malformed(bad, bad_count)
    if not found.count:
        raise CodesInvalidError(f"{path.name} holds no code")
    if again:
        _name_repeats(found, again)
    found.digest = whole.hexdigest()
    return found


def _name_repeats(found: FileUpload, suspects: set[int]) -> None:
    lines: dict[str, list[int]] = {}
    for part in _parts(found.path, found.fmt, found.size):
        for line, code in part:
            if hash(code) in suspects:
                lines.setdefault(code, []).append(line)
    twice = {code: at for code, at in lines.items() if len(at) > 1}
    if twice:
        raise DuplicateCodesError(f"codes repeated in the file: {duplicates(twice)}")


def upload_file(campaign: Campaign, partner: str, type_id: str, found: FileUpload,
                upload_id: str | None, now: datetime,
                advance: Callable[[int], None] = lambda n: None) -> dict[str, Any]:
    """Pass 2: upload the checked file part by part, skipping the parts the store already
    holds (one Query); `advance(n)` as each part's n codes are in the pool."""
    upload_id = upload_id or f"cli-{found.digest[:24]}"
    held = uploaded(campaign.id, partner, type_id, upload_id)
    for number, digest in enumerate(found.parts, start=1):
        part_id = found.part_id(upload_id, number)
        expected = upload_request(campaign, partner, type_id, part_id, digest, now).once.body_hash
        if part_id in held and held[part_id] != expected:
            raise IdempotencyKeyReusedError(f"upload id {part_id!r} was used for other codes: "
                                            "another file needs another --upload-id")
    skipped = loaded = 0
    parts = _parts(found.path, found.fmt, found.size)
    for number, digest in enumerate(found.parts, start=1):
        part = next(parts, [])
        if _digest(part) != digest:
            raise CodesInvalidError(f"{found.path.name} changed while it was uploaded: run again")
        part_id = found.part_id(upload_id, number)
        if part_id in held:
            skipped += 1
        else:
            upload_pool(campaign, partner, type_id, part_id, [code for _, code in part], now,
                        lines=[line for line, _ in part])
            loaded += 1
        advance(len(part))
    if next(parts, None) is not None:
        raise CodesInvalidError(f"{found.path.name} changed while it was uploaded: run again")
    return {"upload_id": upload_id, "parts": len(found.parts), "loaded": loaded,
            "skipped": skipped, "accepted": found.count,
            "pool_size": pool_size(campaign.id, partner, type_id), "replayed": loaded == 0}
