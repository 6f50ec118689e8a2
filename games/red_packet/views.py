"""What pages see of packets: money in yuan, members masked, the state as of now (lazy expiry)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from games.red_packet.config import GAME, RedPacketConfig
from games.red_packet.items import PacketItem, PacketRefItem
from games.red_packet.rules import PACKETS_QUOTA, WINDOW_COUNTER, window_period
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.privacy import mask
from plugins.registry import get_issuer
from plugins.store import BaseItem, CashItem, CounterItem, get_many, keys
from plugins.types import money, yuan

__all__ = ["mask", "packet_state", "packet_view", "player_status", "red_packet_of", "ref_view",
           "rules_view", "share_path"]


def red_packet_of(campaign: Campaign) -> RedPacketConfig:
    return campaign.section(GAME, RedPacketConfig)


def share_path(campaign_id: str, packet_id: str) -> str:
    return f"/campaigns/{campaign_id}/packets/{packet_id}"


def packet_state(packet: PacketItem, now: datetime) -> str:
    """open, empty (every part grabbed) or expired: an unswept packet past its time is
    already expired to every reader and every grab."""
    if packet.state != "open" or packet.expires <= now.timestamp():
        return "expired"
    if len(packet.taken or ()) >= len(packet.parts):
        return "empty"
    return "open"


def packet_view(packet: PacketItem, now: datetime, zone: tzinfo,
                viewer: str | None = None) -> dict[str, Any]:
    """The share page: parts left, who grabbed how much (masked) and when, the state, its times
    in the campaign's `zone`; the sharer also sees the money side."""
    grabs = list(packet.grabs or [])
    view: dict[str, Any] = {
        "packet_id": packet.packet_id, "campaign_id": packet.campaign_id,
        "sharer": mask(packet.owner), "total": yuan(int(packet.total)),
        "parts": len(packet.parts), "parts_left": len(packet.parts) - len(packet.taken or ()),
        "split": packet.split, "state": packet_state(packet, now),
        "created_at": stamp(packet.created_at, zone), "expires_at": stamp(int(packet.expires), zone),
        "grabs": [{"member": mask(g["m"]), "amount": yuan(int(g["a"])),
                   "at": stamp(datetime.fromisoformat(g["at"]), zone)} for g in grabs],
        "mine": viewer == packet.owner, "my_grab": None,
    }
    for g in grabs:
        if viewer is not None and g["m"] == viewer:
            view["my_grab"] = yuan(int(g["a"]))
    if viewer == packet.owner:
        view |= {"handed_out": yuan(int(packet.handed_out)), "withheld": yuan(int(packet.withheld)),
                 "sharer_bonus_paid": packet.bonus_issued_at is not None,
                 "returned": None if packet.returned is None else yuan(int(packet.returned))}
    return view


def ref_view(ref: PacketRefItem, campaign: Campaign) -> dict[str, Any]:
    """A packet in its owner's or a grabber's own list, its times in the campaign's zone."""
    zone = campaign.config.zone
    view = {"packet_id": ref.packet_id, "amount": yuan(int(ref.amount)), "at": stamp(ref.at, zone),
            "expires_at": stamp(int(ref.expires), zone), "share_path": share_path(campaign.id, ref.packet_id)}
    if ref.kind == "G":
        view["part"] = yuan(int(ref.part or 0))
    else:
        view["source"] = ref.source
    return view


def rules_view(section: RedPacketConfig, zone: tzinfo) -> dict[str, Any]:
    """The rules as the campaign page shows them, its rewards' times in the campaign's `zone`."""
    order, action, dim, bonus = section.order, section.action, section.diminishing, section.sharer_bonus
    return {
        "triggers": section.triggers,
        "order": None if order is None or not order.enabled else {
            "min_amount": money(order.min_amount),
            "fixed": None if order.fixed is None else money(order.fixed),
            "percent": None if order.percent is None else str(order.percent),
            "cap": None if order.cap is None else money(order.cap)},
        "action": None if action is None or not action.enabled else {
            "amount": money(action.amount), "per_day": action.per_day, "total": action.total},
        "parts": section.parts, "split": section.split, "min_part": money(section.min_part),
        "lifetime_hours": section.lifetime_hours, "grabs_per_day": section.grabs_per_day,
        "packets_budget": None if section.packets_budget is None else money(section.packets_budget),
        "diminishing": None if dim is None else {
            "window": dim.window, "factors": [str(f) for f in dim.factors],
            "floor": money(dim.floor)},
        "sharer_bonus": None if bonus is None or bonus.reward is None else {
            "after_grabs": bonus.after_grabs,
            "reward": get_issuer(bonus.reward.type).offer(bonus.reward, zone)},
        "coupon": None if section.coupon is None else get_issuer(section.coupon.type).offer(
            section.coupon, zone),
    }


def player_status(campaign: Campaign, section: RedPacketConfig, member_id: str,
                  now: datetime) -> dict[str, Any]:
    """A player's cash balance, packets left to make, grabs in the window: one BatchGetItem."""
    member, cid = keys.member(member_id), campaign.id
    day = campaign.config.local_day(now).isoformat()
    wanted: list[tuple[type[Any], str, str]] = [
        (CashItem, member, keys.CASH_BALANCE),
        (CounterItem, member, keys.quota(cid, PACKETS_QUOTA, day)),
        (CounterItem, member, keys.quota(cid, PACKETS_QUOTA, "ALL"))]
    if section.diminishing is not None:
        period = window_period(section.diminishing.window, campaign, now)[0]
        wanted.append((CounterItem, member, keys.quota(cid, WINDOW_COUNTER, period)))
    balance, today, total, *window = get_many(wanted)

    def used(item: BaseItem | None) -> int:
        return int(item.n) if isinstance(item, CounterItem) else 0

    action = section.action
    left_total = None if action is None or action.total is None else max(action.total - used(total), 0)
    left_today = None if action is None or action.per_day is None else max(action.per_day - used(today), 0)
    if left_today is not None and left_total is not None:
        left_today = min(left_today, left_total)
    return {"cash_balance": yuan(int(balance.cents) if isinstance(balance, CashItem) else 0),
            "packets_left_today": left_today, "packets_left_total": left_total,
            "grabs_in_window": used(window[0]) if window else None}
