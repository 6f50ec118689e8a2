import { ApiError } from "../errors.js";

/** The stable error codes a player may meet, in Chinese. */
const MESSAGES: Record<string, string> = {
  TOKEN_MISSING: "请先登录", TOKEN_INVALID: "登录已过期，请重新登录",
  NO_CHANCES_LEFT: "今天的机会用完了", CAMPAIGN_NOT_OPEN: "活动未开始或已结束",
  CAMPAIGN_NOT_FOUND: "活动不存在", GAME_NOT_ENABLED: "活动暂未开放",
  SOLD_OUT: "已抢光", BUDGET_EXHAUSTED: "活动太火爆，奖品已发完", RATE_LIMITED: "操作太频繁，请稍后再试",
  FRAUD_BLOCKED: "当前账号暂不能参与", ALREADY_CHECKED_IN: "今天已经签到过了",
  MAKE_UP_NOT_ALLOWED: "这天不能补签", POINTS_INSUFFICIENT: "积分不足",
  ALREADY_BOOKED: "已经预约过了", DAY_NOT_BOOKABLE: "这天不能预约", BOOKING_CLOSED: "预约已截止",
  BOOKING_CANCELLED: "预约已取消", CLAIM_LIMIT_REACHED: "已达领取上限", POOL_EMPTY: "券已领完",
  PARTNER_EXHAUSTED: "券已领完", ALREADY_GRABBED: "你已经抢过这个红包了", PACKET_EMPTY: "红包已被抢光",
  PACKET_EXPIRED: "红包已过期", OWN_PACKET: "不能抢自己的红包", PACKET_NOT_FOUND: "红包不存在",
  SELF_HELP: "不能给自己助力", ALREADY_HELPED: "你已经助力过了", TASK_COMPLETED: "助力已完成",
  TASK_EXPIRED: "助力已过期", OPEN_TASK_LIMIT: "进行中的助力太多了", NEW_USERS_ONLY: "仅限新用户助力",
  NETWORK_ERROR: "网络不给力，请重试", SERVICE_UNAVAILABLE: "服务繁忙，请稍后再试",
};

/** What to tell the player about `error`; `messages` first, where an action says more than
 *  the shared text (a make-up's NO_CHANCES_LEFT is the cycle's make-ups, not today's draws). */
export function messageOf(error: unknown, messages: Record<string, string> = {}): string {
  if (error instanceof ApiError) return messages[error.code] ?? MESSAGES[error.code] ?? `出错了（${error.code}）`;
  return "出错了，请重试";
}
