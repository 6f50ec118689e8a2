"""Code pools a partner uploads: parse, reject duplicates with their lines, store each code
as its own item at a position of a bucket (see items.py), idempotent on the upload id.

`upload_pool` is the service the console exposes over HTTP; it writes nothing when it
refuses an upload. Its answer is kept as an action record (`plugins.actions.perform`, keyed
by the upload id under the coupon type), so a repeat answers the first result. Reads before
the writes are unavoidable: that record (a repeat must redo nothing), the codes' markers
(duplicates against what is stored, named by line) and the bucket heads (where the new codes
go). Each chunk of codes is one transaction that also moves its bucket's `loaded` on,
conditional on the head as read, so claims only ever see codes that are fully written; two
concurrent uploads of one code fail on its marker.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from games.partner_coupon.config import GAME, PartnerCouponType, partner_coupon_of
from games.partner_coupon.errors import (
    CodesInvalidError,
    CouponTypeNotFoundError,
    DuplicateCodesError,
    PartnerNotFoundError,
)
from games.partner_coupon.items import (
    BUCKETS,
    CodeItem,
    CodeMarkerItem,
    PoolHeadItem,
    code_key,
    head_key,
    marker_key,
    upload_key,
)
from plugins.actions import ActionRequest, perform, recorded
from plugins.antifraud import Player
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.errors import ConflictError, MalformedRequestError
from plugins.idempotency import operation
from plugins.store import Transaction, TransactionCancelledError, get_many

__all__ = ["MAX_CODES", "codes_digest", "parse_codes", "pool_heads", "upload_pool"]

CODE = re.compile(r"^[A-Za-z0-9_.:/+=-]{1,64}$")
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_CODES = 5000
CHUNK = 45  # codes per transaction: 2 items each + the head, under DynamoDB's 100
ATTEMPTS = 8


def _duplicates(lines: dict[str, list[int]]) -> str:
    return "; ".join(f"{code} on lines {', '.join(map(str, at))}" for code, at in lines.items())


def parse_codes(text: str, fmt: Literal["csv", "json"], limit: int | None = MAX_CODES) -> list[str]:
    """The codes of a CSV (first column, an optional `code` header, blank lines skipped) or a
    JSON list (or `{"codes": [...]}`), at most `limit` of them (one upload's; None: a whole
    file the CLI splits into uploads); CodesInvalidError / DuplicateCodesError name lines."""
    found: list[tuple[int, str]] = []
    if fmt == "csv":
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cell = row[0].strip() if row else ""
            if cell and not (number == 1 and cell.lower() == "code"):
                found.append((number, cell))
    elif fmt == "json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CodesInvalidError(f"not JSON: {exc}") from None
        data = data.get("codes") if isinstance(data, dict) else data
        if not isinstance(data, list) or not all(isinstance(c, str) for c in data):
            raise CodesInvalidError('JSON must be a list of codes or {"codes": [...]}')
        found = [(number, code.strip()) for number, code in enumerate(data, start=1)]
    else:
        raise MalformedRequestError(f"format must be csv or json, not {fmt!r}")
    return _checked([code for _, code in found], [number for number, _ in found], limit)


def codes_digest(codes: Sequence[str]) -> str:
    """What an upload holds, in a few characters: the same codes in the same order, the same."""
    return hashlib.sha256("\n".join(codes).encode()).hexdigest()


def _checked(codes: Sequence[str], lines: Sequence[int], limit: int | None = MAX_CODES) -> list[str]:
    """Codes well formed and unique within the upload, else an error naming the lines."""
    if not codes:
        raise CodesInvalidError("the upload holds no code")
    if limit is not None and len(codes) > limit:
        raise CodesInvalidError(f"at most {limit} codes per upload, got {len(codes)}: "
                                "split the file (`mgames partner upload` does)")
    bad = [f"line {line}" for line, code in zip(lines, codes, strict=True) if not CODE.match(code)]
    if bad:
        raise CodesInvalidError("malformed codes (1-64 of A-Z a-z 0-9 _ . : / + = -) on "
                                + ", ".join(bad[:20]))
    seen: dict[str, list[int]] = {}
    for line, code in zip(lines, codes, strict=True):
        seen.setdefault(code, []).append(line)
    twice = {code: at for code, at in seen.items() if len(at) > 1}
    if twice:
        raise DuplicateCodesError(f"codes repeated in the upload: {_duplicates(twice)}")
    return list(codes)


def coupon_type(campaign: Campaign, partner_id: str, type_id: str) -> PartnerCouponType:
    """The partner's coupon type, or PartnerNotFoundError / CouponTypeNotFoundError."""
    partner = partner_coupon_of(campaign).partner(partner_id)
    if partner is None:
        raise PartnerNotFoundError(f"campaign {campaign.id!r} has no partner {partner_id!r}")
    found = partner.coupon(type_id)
    if found is None:
        raise CouponTypeNotFoundError(f"partner {partner_id!r} has no coupon type {type_id!r}")
    return found


def pool_heads(campaign_id: str, partner: str, type_id: str) -> list[PoolHeadItem | None]:
    """Every bucket's head in one consistent BatchGetItem (None where nothing was loaded)."""
    found = get_many([(PoolHeadItem, *head_key(campaign_id, partner, type_id, b))
                      for b in range(BUCKETS)], consistent_read=True)
    return [h if isinstance(h, PoolHeadItem) else None for h in found]


def _stored(campaign_id: str, partner: str, type_id: str,
            codes: list[str]) -> dict[str, str]:
    """code → the upload id that stored it, for the codes the pool already holds."""
    stored: dict[str, str] = {}
    for start in range(0, len(codes), 100):
        batch = codes[start:start + 100]
        found = get_many([(CodeMarkerItem, *marker_key(campaign_id, partner, type_id, c))
                          for c in batch], consistent_read=True)
        stored |= {c: str(m.upload_id) for c, m in zip(batch, found, strict=True)
                   if isinstance(m, CodeMarkerItem)}
    return stored


def upload_pool(campaign: Campaign, partner_id: str, type_id: str, upload_id: str,
                codes: list[str], now: datetime) -> dict[str, Any]:
    """Add `codes` to the pool of one coupon type, once per `upload_id`.

    A repeat of an upload id with the same codes answers the first result (`replayed: true`)
    and writes nothing; with other codes it is refused; a code repeated in the upload or
    already in the pool refuses the whole upload. A retry
    after a crash mid-upload resumes: codes this upload id already stored are skipped.
    """
    if not UPLOAD_ID.match(upload_id):
        raise MalformedRequestError("upload_id must be 1-64 characters of A-Z a-z 0-9 _ . : -")
    coupon_type(campaign, partner_id, type_id)
    cid = campaign.id
    # The partner acts (perform's guards: blacklisting member `partner:<id>` stops it); the
    # body holds the codes' digest, so the id of an upload reused for other codes is refused
    # (IDEMPOTENCY_KEY_REUSED) rather than answered as if they were loaded.
    request = ActionRequest(campaign=campaign, game=GAME, player=Player(f"partner:{partner_id}"),
                            key=upload_id, body={"partner": partner_id, "type_id": type_id,
                                                 "codes": codes_digest(codes)},
                            now=now, record=upload_key(cid, partner_id, type_id, upload_id))
    first = recorded(request)
    if first is not None:
        return first.result | {"replayed": True}
    codes = _checked(codes, range(1, len(codes) + 1))
    stored = _stored(cid, partner_id, type_id, codes)
    clash = {c: [i] for i, c in enumerate(codes, start=1) if stored.get(c, upload_id) != upload_id}
    if clash:
        raise DuplicateCodesError(f"codes already in the pool: {_duplicates(clash)}")
    fresh = [(line, c) for line, c in enumerate(codes, start=1) if c not in stored]
    for bucket, share in _spread(fresh, cid, partner_id, type_id).items():
        for start in range(0, len(share), CHUNK):
            _store(cid, partner_id, type_id, upload_id, bucket, share[start:start + CHUNK], now)
    heads = pool_heads(cid, partner_id, type_id)
    result = {"upload_id": upload_id, "partner": partner_id, "type_id": type_id,
              "accepted": len(codes), "pool_size": sum(int(h.loaded) for h in heads if h),
              "uploaded_at": stamp(now, campaign.config.zone)}
    logged = operation(f"partner:{partner_id}", "partners/uploads", None, None, now, cid,
                       zone=campaign.config.zone)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        logged.put(tx, result)  # who did what, in the campaign's log
        return result, {}

    outcome = perform(request, plan, lambda cancelled: False)
    return outcome.result | {"replayed": outcome.replayed}


def _spread(fresh: list[tuple[int, str]], cid: str, partner: str,
            type_id: str) -> dict[int, list[tuple[int, str]]]:
    """Deal the codes round robin, the emptiest buckets first, so buckets stay even."""
    heads = pool_heads(cid, partner, type_id)
    loaded = [int(h.loaded) if h is not None else 0 for h in heads]
    order = sorted(range(BUCKETS), key=lambda b: (loaded[b], b))
    shares: dict[int, list[tuple[int, str]]] = {b: [] for b in order}
    for i, entry in enumerate(fresh):
        shares[order[i % BUCKETS]].append(entry)
    return {b: s for b, s in shares.items() if s}


def _store(cid: str, partner: str, type_id: str, upload_id: str, bucket: int,
           chunk: list[tuple[int, str]], now: datetime) -> None:
    """Append one chunk at the end of a bucket; a concurrent upload moving the head first
    costs a re-read of the head."""
    for _ in range(ATTEMPTS):
        head = get_many([(PoolHeadItem, *head_key(cid, partner, type_id, bucket))],
                        consistent_read=True)[0]
        loaded = int(head.loaded) if isinstance(head, PoolHeadItem) else 0
        tx = Transaction()
        for offset, (line, code) in enumerate(chunk):
            tx.put("code", CodeItem(*code_key(cid, partner, type_id, bucket, loaded + offset),
                                    code=code, upload_id=upload_id, line=line),
                   CodeItem.pk.does_not_exist())
            tx.put(f"marker:{line}", CodeMarkerItem(*marker_key(cid, partner, type_id, code),
                                                    upload_id=upload_id),
                   CodeMarkerItem.pk.does_not_exist())
        tx.update("head", PoolHeadItem(*head_key(cid, partner, type_id, bucket)),
                  [PoolHeadItem.loaded.add(len(chunk))],
                  PoolHeadItem.loaded == loaded if loaded else PoolHeadItem.loaded.does_not_exist())
        try:
            tx.commit()
            return
        except TransactionCancelledError as exc:
            lines = sorted(int(t.split(":")[1]) for t in exc.failed if t.startswith("marker:"))
            if lines:
                raise DuplicateCodesError(
                    f"codes uploaded meanwhile by another upload on lines {lines}") from None
    raise ConflictError("the pool kept moving under this upload; retry with the same upload_id")
