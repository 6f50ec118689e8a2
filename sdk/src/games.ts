import type { paths as Assist } from "./api/assist.js";
import type { paths as Booking } from "./api/booking.js";
import type { paths as CheckIn } from "./api/check-in.js";
import type { paths as EventGifts } from "./api/event-gifts.js";
import type { paths as LuckyWheel } from "./api/lucky-wheel.js";
import type { paths as PartnerCoupon } from "./api/partner-coupon.js";
import type { paths as PointsExchange } from "./api/points-exchange.js";
import type { paths as RedPacket } from "./api/red-packet.js";
import type { paths as Wallet } from "./api/wallet.js";
import type { Client } from "./client.js";
import { Game } from "./game.js";

/** Every game's typed API over one client. */
export interface Games {
  luckyWheel: Game<LuckyWheel>;
  checkIn: Game<CheckIn>;
  assist: Game<Assist>;
  redPacket: Game<RedPacket>;
  booking: Game<Booking>;
  partnerCoupon: Game<PartnerCoupon>;
  pointsExchange: Game<PointsExchange>;
  eventGifts: Game<EventGifts>;
  /** The player's own points, ledger and coupons of every game. */
  wallet: Game<Wallet>;
}

/** The games' APIs, each under its path on the client's base URL. */
export function games(client: Client): Games {
  return {
    luckyWheel: new Game(client, "lucky-wheel"),
    checkIn: new Game(client, "check-in"),
    assist: new Game(client, "assist"),
    redPacket: new Game(client, "red-packet"),
    booking: new Game(client, "booking"),
    partnerCoupon: new Game(client, "partner-coupon"),
    pointsExchange: new Game(client, "points-exchange"),
    eventGifts: new Game(client, "event-gifts"),
    wallet: new Game(client, "wallet"),
  };
}
