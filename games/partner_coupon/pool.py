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

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from games.partner_coupon.codes import MAX_CODES, checked, codes_digest, duplicates, parse_codes
from games.partner_coupon.config import GAME, PartnerCouponType, partner_coupon_of
from games.partner_coupon.errors import CouponTypeNotFoundError, DuplicateCodesError, PartnerNotFoundError
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
from plugins.errors import ConflictError, GameError, MalformedRequestError
from plugins.idempotency import operation
from plugins.store import ActionItem, Transaction, TransactionCancelledError, get_many

__all__ = ["MAX_CODES", "codes_digest", "parse_codes", "pool_heads", "pool_size", "upload_pool",
           "upload_request", "uploaded"]

UPLOAD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
CHUNK = 45  # codes per transaction: 2 items each + the head, under DynamoDB's 100
ATTEMPTS = 8


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


def pool_size(campaign_id: str, partner: str, type_id: str) -> int:
    """Codes ever loaded into the pool (claimed ones included): one BatchGetItem."""
    return sum(int(h.loaded) for h in pool_heads(campaign_id, partner, type_id) if h)


def upload_request(campaign: Campaign, partner_id: str, type_id: str, upload_id: str,
                   digest: str, now: datetime) -> ActionRequest:
    """The upload as an action of the partner: where its record lives and what it holds.

    The partner acts (perform's guards: blacklisting member `partner:<id>` stops it); the
    body holds the codes' digest, so the id of an upload reused for other codes is refused
    (IDEMPOTENCY_KEY_REUSED) rather than answered as if they were loaded."""
    return ActionRequest(campaign=campaign, game=GAME, player=Player(f"partner:{partner_id}"),
                         key=upload_id, body={"partner": partner_id, "type_id": type_id,
                                              "codes": digest},
                         now=now, record=upload_key(campaign.id, partner_id, type_id, upload_id))


def uploaded(campaign_id: str, partner: str, type_id: str, prefix: str) -> dict[str, str]:
    """upload id → the hash of what it holds (`Once.body_hash`), for every upload of the
    coupon type whose id starts with `prefix`: one Query (its pages), read consistently."""
    pk, _ = upload_key(campaign_id, partner, type_id, prefix)
    found = ActionItem.query(pk, ActionItem.sk.startswith(prefix), consistent_read=True,
                             attributes_to_get=["sk", "request_hash"])
    return {str(item.sk): str(item.request_hash) for item in found}


def upload_pool(campaign: Campaign, partner_id: str, type_id: str, upload_id: str,
                codes: list[str], now: datetime, lines: Sequence[int] | None = None) -> dict[str, Any]:
    """Add `codes` to the pool of one coupon type, once per `upload_id`.

    A repeat of an upload id with the same codes answers the first result (`replayed: true`)
    and writes nothing; with other codes it is refused; a code repeated in the upload or
    already in the pool refuses the whole upload, naming its `lines` (by default 1, 2, ...:
    a file uploaded in parts passes its own). A retry after a crash mid-upload resumes:
    codes this upload id already stored are skipped.
    """
    if not UPLOAD_ID.match(upload_id):
        raise MalformedRequestError("upload_id must be 1-64 characters of A-Z a-z 0-9 _ . : -")
    coupon_type(campaign, partner_id, type_id)
    cid = campaign.id
    request = upload_request(campaign, partner_id, type_id, upload_id, codes_digest(codes), now)
    first = recorded(request)
    if first is not None:
        return first.result | {"replayed": True}
    numbers = list(range(1, len(codes) + 1) if lines is None else lines)
    codes = checked(codes, numbers)
    stored = _stored(cid, partner_id, type_id, codes)
    clash = {c: [n] for n, c in zip(numbers, codes, strict=True) if stored.get(c, upload_id) != upload_id}
    if clash:
        raise DuplicateCodesError(f"codes already in the pool: {duplicates(clash)}")
    fresh = [(n, c) for n, c in zip(numbers, codes, strict=True) if c not in stored]
    heads = pool_heads(cid, partner_id, type_id)
    loaded = [int(h.loaded) if h is not None else 0 for h in heads]
    for bucket, share in _spread(fresh, loaded).items():
        for start in range(0, len(share), CHUNK):
            loaded[bucket] = _store(cid, partner_id, type_id, upload_id, bucket,
                                    share[start:start + CHUNK], loaded[bucket])
    result = {"upload_id": upload_id, "partner": partner_id, "type_id": type_id,
              "accepted": len(codes), "pool_size": pool_size(cid, partner_id, type_id),
              "uploaded_at": stamp(now, campaign.config.zone)}
    logged = operation(f"partner:{partner_id}", "partners/uploads", None, None, now, cid,
                       zone=campaign.config.zone)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        logged.put(tx, result)  # who did what, in the campaign's log
        return result, {}

    outcome = perform(request, plan, lambda cancelled: False)
    return outcome.result | {"replayed": outcome.replayed}


def _spread(fresh: list[tuple[int, str]], loaded: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Deal the codes round robin, the emptiest buckets first, so buckets stay even."""
    order = sorted(range(BUCKETS), key=lambda b: (loaded[b], b))
    shares: dict[int, list[tuple[int, str]]] = {b: [] for b in order}
    for i, entry in enumerate(fresh):
        shares[order[i % BUCKETS]].append(entry)
    return {b: s for b, s in shares.items() if s}


def _head(cid: str, partner: str, type_id: str, bucket: int) -> int:
    head = get_many([(PoolHeadItem, *head_key(cid, partner, type_id, bucket))], consistent_read=True)[0]
    return int(head.loaded) if isinstance(head, PoolHeadItem) else 0


def _meanwhile(cid: str, partner: str, type_id: str, upload_id: str,
               clash: list[tuple[int, str]]) -> GameError:
    """Codes stored since this upload read the markers: by another upload (refused), or by
    another run of this very upload (run it again when that one ends: it resumes)."""
    owners = _stored(cid, partner, type_id, [code for _, code in clash])
    if all(owner == upload_id for owner in owners.values()):
        return ConflictError(f"another run of upload {upload_id!r} stored these codes meanwhile: "
                             "run the same command again when it ends (it resumes)")
    return DuplicateCodesError("codes uploaded meanwhile by another upload: "
                               + duplicates({code: [n] for n, code in clash}))


def _store(cid: str, partner: str, type_id: str, upload_id: str, bucket: int,
           chunk: list[tuple[int, str]], loaded: int) -> int:
    """Append one chunk at the end of a bucket, whose head was last seen at `loaded`; a
    concurrent upload moving the head first costs a re-read of the head. The new `loaded`."""
    for _ in range(ATTEMPTS):
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
            return loaded + len(chunk)
        except TransactionCancelledError as exc:
            lines = {int(t.split(":")[1]) for t in exc.failed if t.startswith("marker:")}
            if lines:
                raise _meanwhile(cid, partner, type_id, upload_id,
                                 [(n, c) for n, c in chunk if n in lines]) from None
            loaded = _head(cid, partner, type_id, bucket)
    raise ConflictError("the pool kept moving under this upload; retry with the same upload_id")
