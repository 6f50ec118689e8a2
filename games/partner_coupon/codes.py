"""Partner codes as files carry them: the formats, the limits, and reading them as a stream.

Limits (docs/games/partner-coupon.md, "Uploading codes"):
- a code is 1 to `MAX_CODE_LENGTH` (64) characters of `A-Z a-z 0-9 _ . : / + = -`;
- one upload (`upload_pool`, the console's route) holds 1 to `MAX_CODES` (5,000) codes, each
  once; a file of more is uploaded in parts of that size (`games.partner_coupon.file_upload`);
- CSV: the first column of each row, an optional `code` header, blank rows skipped; JSON: a
  list of strings, or an object whose `codes` is one. Both UTF-8 (a byte-order mark is fine).

`read_codes` yields `(number, code)` one at a time from a text stream, whatever its size: the
row number of a CSV file, the entry number of a JSON list. JSON is walked value by value
(`json.JSONDecoder.raw_decode` over a sliding window), never loaded whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, TextIO

from games.partner_coupon.errors import CodesInvalidError, DuplicateCodesError
from plugins.errors import MalformedRequestError

__all__ = ["CODE", "FORMATS", "MAX_CODES", "MAX_CODE_LENGTH", "Format", "checked", "codes_digest",
           "duplicates", "malformed", "parse_codes", "read_codes"]

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
MAX_CODE_LENGTH = 64
CODE = re.compile(rf"^[A-Za-z0-9_.:/+=-]{{1,{MAX_CODE_LENGTH}}}$")
MAX_CODES = 5000
SHOWN = 20
"""At most this many lines named in one refusal (it stays one readable line)."""
BLOCK = 1 << 16
MAX_TOKEN = 1 << 16
"""Characters a single JSON value may take: far above any code; a runaway value is refused."""


def duplicates(lines: dict[str, list[int]]) -> str:
    """`A1 on lines 2, 4; B2 on lines 3, 9`, the first SHOWN codes."""
    named = [f"{code} on lines {', '.join(map(str, at))}" for code, at in list(lines.items())[:SHOWN]]
    more = len(lines) - SHOWN
    return "; ".join(named) + (f"; and {more} more" if more > 0 else "")


def malformed(numbers: Sequence[int], count: int) -> CodesInvalidError:
    """The refusal naming the first malformed lines, `count` in all."""
    named = ", ".join(f"line {n}" for n in numbers[:SHOWN])
    more = f" and {count - SHOWN} more" if count > SHOWN else ""
    return CodesInvalidError(f"malformed codes (1-{MAX_CODE_LENGTH} of A-Z a-z 0-9 _ . : / + = -) "
                             f"on {named}{more}")


def codes_digest(codes: Iterable[str]) -> str:
    """What an upload holds, in a few characters: the same codes in the same order, the same."""
    digest = hashlib.sha256()
    for i, code in enumerate(codes):
        digest.update(("\n" + code if i else code).encode())
    return digest.hexdigest()


def _csv_codes(stream: TextIO) -> Iterator[tuple[int, str]]:
    rows = csv.reader(stream)
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            cell = row[0].strip() if row else ""
            if cell and not (number == 1 and cell.lower() == "code"):
                yield number, cell
    except csv.Error as exc:
        raise CodesInvalidError(f"not CSV after line {number}: {exc}") from None


class _JsonWindow:
    """A JSON text read in blocks, with just enough of a tokenizer to walk a list of strings."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.text, self.at, self.ended = stream, "", 0, False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        block = "" if self.ended else self.stream.read(BLOCK)
        self.ended = not block
        self.text, self.at = self.text[self.at:] + block, 0
        return bool(block)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
                self.at += 1
            if self.at < len(self.text) or not self._more():
                return self.text[self.at:self.at + 1]

    def take(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise CodesInvalidError(f"not JSON: expected {char!r}, found {found or 'the end'!r}")
        self.at += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.at)
            except json.JSONDecodeError as exc:
                if len(self.text) - self.at > MAX_TOKEN or not self._more():
                    raise CodesInvalidError(f"not JSON: {exc.msg}") from None
                continue
            if end < len(self.text) or not self._more():  # a number may go on in the next block
                self.at = end
                return value


SHAPE = 'JSON must be a list of codes or {"codes": [...]}'


def _json_list(window: _JsonWindow) -> Iterator[tuple[int, str]]:
    window.take("[")
    if window.peek() == "]":
        window.take("]")
        return
    for number in itertools.count(1):
        code = window.value()
        if not isinstance(code, str):
            raise CodesInvalidError(f"{SHAPE}; entry {number} is not a string")
        yield number, code.strip()
        if window.peek() != ",":
            window.take("]")
            return
        window.take(",")


def _json_codes(stream: TextIO) -> Iterator[tuple[int, str]]:
    window = _JsonWindow(stream)
    if window.peek() == "[":
        yield from _json_list(window)
    elif window.peek() == "{":
        window.take("{")
        found = False
        while window.peek() != "}":
            key = window.value()
            window.take(":")
            if key == "codes" and window.peek() == "[" and not found:
                found = True
                yield from _json_list(window)
            else:
                window.value()
            if window.peek() != "}":
                window.take(",")
        window.take("}")
        if not found:
            raise CodesInvalidError(SHAPE)
    else:
        window.value()  # not JSON (refused as such), or JSON of another shape
        raise CodesInvalidError(SHAPE)
    if window.peek():
        raise CodesInvalidError("not JSON: extra data after the codes")


def read_codes(stream: TextIO, fmt: str) -> Iterator[tuple[int, str]]:
    """`(number, code)` of each code of a CSV or JSON stream, read as it goes (codes are
    stripped, not yet checked); CodesInvalidError on a stream of another format."""
    if fmt == "csv":
        return _csv_codes(stream)
    if fmt == "json":
        return _json_codes(stream)
    raise MalformedRequestError(f"format must be csv or json, not {fmt!r}")


def parse_codes(text: str, fmt: Format, limit: int | None = MAX_CODES) -> list[str]:
    """The codes of one upload's CSV or JSON text, at most `limit` of them (None: no limit);
    CodesInvalidError / DuplicateCodesError name the lines."""
    found = list(read_codes(io.StringIO(text), fmt))
    return checked([code for _, code in found], [number for number, _ in found], limit)


def checked(codes: Sequence[str], lines: Sequence[int], limit: int | None = MAX_CODES) -> list[str]:
    """Codes well formed and unique within the upload, else an error naming the lines."""
    if not codes:
        raise CodesInvalidError("the upload holds no code")
    if limit is not None and len(codes) > limit:
        raise CodesInvalidError(f"at most {limit} codes per upload, got {len(codes)}: "
                                "split the file (`mgames partner upload` does)")
    bad = [line for line, code in zip(lines, codes, strict=True) if not CODE.match(code)]
    if bad:
        raise malformed(bad, len(bad))
    seen: dict[str, list[int]] = {}
    for line, code in zip(lines, codes, strict=True):
        seen.setdefault(code, []).append(line)
    twice = {code: at for code, at in seen.items() if len(at) > 1}
    if twice:
        raise DuplicateCodesError(f"codes repeated in the upload: {duplicates(twice)}")
    return list(codes)
