"""Every key of the single table, in one place (documented in docs/store.md).

Partitions: `C#<campaign>` for campaign config, `C#<campaign>#A#<allowance>#<shard>` for
sharded stock and budget (one partition per shard, so a rush spreads), `M#<member>` for
everything a player owns (actions, quotas, coupons, points), `V#…` for velocity windows,
`BL#…` for the blacklist and `C#<campaign>#BLOCKS#<shard>` for the fraud audit.
"""

from __future__ import annotations

from datetime import UTC, datetime

CONFIG_CURRENT = "CFG#CURRENT"
ALLOWANCE_SK = "A"
BLACKLIST_SK = "BL"
HARASS_OPEN = "HRS#OPEN"
POINTS_BALANCE = "PTS"
CASH_BALANCE = "CASH"
COUPON_PREFIX = "CPN#"
BLOCK_COUNT_PREFIX = "N#"
BLOCK_SAMPLE_PREFIX = "S#"
VISIT_PREFIX = "VIS#"
DRAW_SK = "DRAW"


def campaign(campaign_id: str) -> str:
    return f"C#{campaign_id}"


def operations(campaign_id: str) -> str:
    """The campaign's log of operators' writes: who did what, in time order."""
    return f"C#{campaign_id}#LOG"


OPERATION_ENTRY = "LOG#"


def operation_entry(at: str, suffix: str) -> str:
    return f"{OPERATION_ENTRY}{at}#{suffix}"


CONFIG_VERSION = "CFG#v"


def config_version(version: int) -> str:
    return f"{CONFIG_VERSION}{version:08d}"


def allowance(campaign_id: str, name: str, shard: int) -> str:
    """Partition of one shard of a stock (`P#<pool>#<prize>`) or of the budget (`BUDGET`)."""
    return f"C#{campaign_id}#A#{name}#{shard}"


def member(member_id: str) -> str:
    return f"M#{member_id}"


def action_prefix(campaign_id: str, game: str) -> str:
    return f"ACT#{campaign_id}#{game}#"


def action(campaign_id: str, game: str, key: str) -> str:
    return action_prefix(campaign_id, game) + key


def operation(kind: str, key: str) -> str:
    """A staff, partner or marketer write's record under its caller (`M#<caller>`)."""
    return f"OPS#{kind}#{key}"


def quota(campaign_id: str, name: str, period: str) -> str:
    """A player's counter `name` for `period` (a date, or ALL for the whole campaign)."""
    return f"Q#{campaign_id}#{name}#{period}"


def velocity(campaign_id: str, kind: str, value: str) -> str:
    return f"V#{campaign_id}#{kind}#{value}"


def blacklist(kind: str, value: str) -> str:
    return f"BL#{kind}#{value}"


def blocks(campaign_id: str, shard: int) -> str:
    """One of the fraud audit's partitions: blocks spread over them at random."""
    return f"C#{campaign_id}#BLOCKS#{shard}"


def block_count(hour: str, rule: str) -> str:
    """The counter of one rule's blocks in one UTC hour (`yyyy-mm-ddThh`)."""
    return f"{BLOCK_COUNT_PREFIX}{hour}#{rule}"


def block_count_rule(sort_key: str) -> str:
    """The rule a `block_count` key counts (a rule may hold `#`: it comes last)."""
    return sort_key.split("#", 2)[2]


def block_sample(hour: str, rule: str, slot: int) -> str:
    """The details of one of the first blocks of a rule in an hour (`slot` from 1)."""
    return f"{BLOCK_SAMPLE_PREFIX}{hour}#{rule}#{slot:02d}"


def coupon(coupon_id: str) -> str:
    return COUPON_PREFIX + coupon_id


def draw(campaign_id: str, draw_id: str) -> str:
    """A draw's verifiable record: one partition per draw, found by the draw id alone."""
    return f"C#{campaign_id}#DRAW#{draw_id}"


def harass_type(type_id: str, period: str) -> str:
    return f"HRS#{type_id}#{period}"


POINTS_LEDGER = "PTS#"


def segments(campaign_id: str) -> str:
    """A member's uploaded lists of a campaign (under `M#<member>`): one item, whatever their size."""
    return f"SEG#{campaign_id}"


def points_ledger(at: datetime, reference: str) -> str:
    """A ledger line: in time order (UTC, to the second) under the member, then what moved it."""
    return f"{POINTS_LEDGER}{at.astimezone(UTC):%Y%m%d%H%M%S}#{reference}"


def cash_ledger(reference: str) -> str:
    return f"CASH#{reference}"


def aggregates(campaign_id: str) -> str:
    """The campaign's aggregated figures: one partition, days x games x slots items."""
    return f"C#{campaign_id}#AGG"


def aggregate_row(day: str, game: str, slot: int) -> str:
    """One slot of the figures of one local day (or ALL: the whole campaign) and one game
    (or * for all games); slots keep concurrent aggregators off each other's items."""
    return f"D#{day}#{game}#{slot}"


def aggregate_applied(event_id: str) -> str:
    """The mark that one stream record was counted (it expires after the stream's 24 h)."""
    return f"AGG#EV#{event_id}"


def aggregate_seen(campaign_id: str, figure: str, day: str, game: str) -> str:
    """Under the member: he is already counted in this distinct figure, day and game."""
    return f"AGG#{campaign_id}#{figure}#{day}#{game}"


def visit(campaign_id: str, day: str) -> str:
    """Under the member: he opened a page of the campaign on this local day (the visitors)."""
    return f"{VISIT_PREFIX}{campaign_id}#{day}"
