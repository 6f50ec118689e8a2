/** What the games' H5 pages share: their start, DOM helpers and Chinese messages. */
export { boot, type PageContext, shareLink, showShareLink, when, yuan } from "./boot.js";
export { h, show, toast } from "./dom.js";
export { messageOf } from "./messages.js";
