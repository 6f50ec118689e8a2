/** What the games' H5 pages share: their start, DOM helpers, sharing and Chinese messages. */
export { boot, type PageContext, start, trustLink, when, yuan } from "./boot.js";
export { h, show, toast } from "./dom.js";
export { messageOf } from "./messages.js";
export { createAndShare, shareLink, showShareLink } from "./share.js";
