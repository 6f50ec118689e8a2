# ruff: noqa: RUF001  (the catalogue is Chinese: its full-width punctuation is meant)
"""Error messages in the caller's language: English by default (each error's own message, which
names the details), Chinese on `Accept-Language: zh…` from a catalogue keyed by the error's
stable code (the code never changes with the language).

`Accept-Language` is parsed here rather than with a library: Babel ships megabytes of locale
data to every function for one header, and werkzeug is only a local-stack dependency; the
header's grammar (RFC 9110 §12.5.4: ranges with optional q-values) is a few lines.
"""

from __future__ import annotations

__all__ = ["CHINESE", "ENGLISH", "ZH", "language_of", "localized"]

ENGLISH = "en"
CHINESE = "zh-CN"
_CHINESE_RANGES = ("zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg", "zh-hans-sg")
"""Ranges answered in simplified Chinese; `zh-TW`, `zh-HK` and `zh-Hant` are not (yet)."""

ZH: dict[str, str] = {
    "BAD_REQUEST": "请求无效",
    "MALFORMED_REQUEST": "请求格式不正确",
    "UNSUPPORTED_MEDIA_TYPE": "请以 UTF-8 编码的 application/json 格式发送请求体",
    "PAYLOAD_TOO_LARGE": "请求体过大",
    "IDEMPOTENCY_KEY_MISSING": "缺少 Idempotency-Key 请求头",
    "IDEMPOTENCY_KEY_REUSED": "该 Idempotency-Key 已用于另一个请求",
    "TOKEN_MISSING": "请先登录",
    "TOKEN_INVALID": "登录凭证无效或已过期，请重新登录",
    "CAMPAIGN_NOT_FOUND": "活动不存在",
    "VERSION_NOT_FOUND": "该活动没有这个配置版本",
    "GAME_NOT_ENABLED": "该活动未开启此玩法",
    "CAMPAIGN_NOT_OPEN": "活动未开始或已结束",
    "NO_CHANCES_LEFT": "参与次数已用完",
    "FRAUD_BLOCKED": "操作存在风险，已被拦截",
    "AUDIENCE_EXCLUDED": "本活动仅限特定会员参与",
    "RATE_LIMITED": "操作过于频繁，请稍后再试",
    "COUPON_NOT_FOUND": "优惠券不存在",
    "COUPON_NOT_REDEEMABLE": "优惠券已使用、已过期或尚未生效",
    "COUPON_NOT_USABLE_HERE": "该优惠券不能在此门店使用",
    "COUPON_TYPE_NOT_FOUND": "优惠券类型不存在",
    "ORDER_REQUIRED": "使用该优惠券需提供订单信息",
    "ORDER_BELOW_THRESHOLD": "订单金额未达到优惠券使用门槛",
    "COUPON_NOT_FOR_THESE_ITEMS": "该优惠券不适用于订单中的商品",
    "CONFIG_INVALID": "活动配置无效",
    "FORECAST_INVALID": "预测参数无效",
    "CONFLICT": "请求冲突，请稍后重试",
    "FORBIDDEN": "无权进行此操作",
    "TASK_NOT_FOUND": "助力任务不存在",
    "TASK_COMPLETED": "助力任务已完成",
    "TASK_EXPIRED": "助力任务已过期",
    "SELF_HELP": "不能为自己助力",
    "ALREADY_HELPED": "您已为该任务助力过",
    "NEW_USERS_ONLY": "仅限新用户助力",
    "OPEN_TASK_LIMIT": "进行中的助力任务已达上限",
    "ALREADY_CHECKED_IN": "当天已签到",
    "MAKE_UP_NOT_ALLOWED": "该日期不可补签",
    "POINTS_INSUFFICIENT": "积分不足",
    "SECRET_UNAVAILABLE": "服务暂时不可用，请稍后重试",
    "SERVICE_UNAVAILABLE": "服务繁忙，请稍后重试",
    "INTERNAL_ERROR": "系统开小差了，请稍后重试",
    "ROUTE_NOT_FOUND": "接口不存在",
    "ALREADY_BOOKED": "您已预约过",
    "ALREADY_PICKED_UP": "已提货",
    "BOOKING_CANCELLED": "预约已取消",
    "BOOKING_CLOSED": "预约已截止",
    "BOOKING_EXPIRED": "预约已过期",
    "BOOKING_NOT_FOUND": "预约不存在",
    "DAY_NOT_BOOKABLE": "该日期不可预约",
    "PICKUP_NOT_OPEN": "未到提货时间",
    "SOLD_OUT": "已抢光",
    "STORE_UNKNOWN": "门店不存在",
    "ALREADY_GRABBED": "您已领取过该红包",
    "OWN_PACKET": "不能领取自己的红包",
    "PACKET_EMPTY": "红包已被领完",
    "PACKET_EXPIRED": "红包已过期",
    "PACKET_NOT_FOUND": "红包不存在",
    "ORDER_NOT_ELIGIBLE": "该订单不满足发红包条件",
    "TRIGGER_NOT_ENABLED": "该活动未开启此红包方式",
    "BUDGET_EXHAUSTED": "活动预算已用完",
    "CLAIM_LIMIT_REACHED": "领取次数已达上限",
    "CODES_INVALID": "券码无效",
    "CODE_NOT_FOUND": "券码不存在",
    "DUPLICATE_CODES": "券码重复",
    "NONCE_REUSED": "请求已被使用（nonce 重复）",
    "PARTNER_AUTH_MISSING": "缺少合作方签名信息",
    "PARTNER_EXHAUSTED": "合作方券已发完",
    "PARTNER_NOT_FOUND": "合作方不存在",
    "POOL_EMPTY": "券码池已空",
    "REQUEST_EXPIRED": "请求已过期，请校准时间后重试",
    "SIGNATURE_INVALID": "签名无效",
    "WEBHOOKS_INVALID": "回调地址配置无效（仅可订阅本方券的发放与核销，编号不可重复）",
    "WEBHOOK_SECRET_NOT_FOUND": "尚无回调签名密钥：请先提交回调地址",
    "ITEM_NOT_FOUND": "兑换商品不存在",
    "ITEM_NOT_ON_SALE": "该商品不在兑换时间内",
    "EXCHANGE_LIMIT_REACHED": "兑换次数已达上限",
    "REWARD_UNAVAILABLE": "该奖励暂时无法发放",
    "DRAW_NOT_FOUND": "抽奖记录不存在",
    "SEED_NOT_REVEALED": "该日的随机种子尚未公布，请在当日结束后再验证",
}
"""Chinese messages by error code (tests check every code of `plugins.errors` and of every
game's `errors` has one)."""


def language_of(header: str | None) -> str:
    """The language to answer in: the highest-weighted range of an `Accept-Language` header
    that is Chinese or English (q=0 refuses it; ties keep the header's order); English when
    the header asks for neither, or is absent or unreadable."""
    best, weight = ENGLISH, 0.0
    for part in (header or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        q = _weight(params)
        language = CHINESE if tag in _CHINESE_RANGES else ENGLISH if tag.split("-")[0] == "en" else None
        if language is not None and q > weight:
            best, weight = language, q
    return best


def _weight(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip().lower() != "q":
        return 1.0
    try:
        q = float(value.strip())
    except ValueError:
        return 0.0
    return q if 0.0 <= q <= 1.0 else 0.0


def localized(code: str, message: str, language: str) -> str:
    """The message of error `code` in `language`: the error's own message in English, the
    catalogue's in Chinese (the English one when the catalogue has none)."""
    return ZH.get(code, message) if language == CHINESE else message
