/** The marketing games' SDK: one client for every game, typed from their OpenAPI documents. */
export { Client, type ClientOptions, type RequestOptions, type TokenSource } from "./client.js";
export { ApiError, NETWORK_ERROR, retryAfterSeconds, type Problem } from "./errors.js";
export { Game, fill, type Answer, type BodyOf, type ItemOf, type Params } from "./game.js";
export { allItems, pageOf, pageQuery, type Page, type PageOptions } from "./pages.js";
export { DEFAULT_RETRY, retryable, type RetryPolicy } from "./retry.js";
export { memberOf, playerToken, saveToken, TOKEN_KEY, type TokenStorage } from "./token.js";
export { games, type Games } from "./games.js";
