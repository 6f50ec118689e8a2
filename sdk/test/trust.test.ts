import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { identity, recheck } from "../src/trust/recheck.js";

// The worked example of docs/verifiable-draws.md: alice's draw of spring-bne, re-derived there
// by Python's hashlib and hmac.
const SEED = "e6586fb0958d0d4ff5e57cae6b45fcb523f11d70ab1cec16eaa19441a4bb4b06";
const COMMITMENT = "39270f6c2d1dc36051fb570f74cf9d9c570ec30ffb592bd61ae5eacd28be630f";
const DRAW = { member_id: "alice", key: "3f6c2a9e-docs-0001", draw_id: "2026120413494456ccead55be7",
               number: "2f1969929281f13c88e18b56d78ea4f8c7c89a3f91174ae31194fea5730bf8a4" };

describe("a draw re-checked in the browser", () => {
  it("hashes the seed to the commitment and re-derives the number, as the server does", async () => {
    const found = await recheck("spring-bne", SEED, COMMITMENT, COMMITMENT, DRAW);
    assert.deepEqual(found, { seedHash: COMMITMENT, seedMatches: true, published: true,
                              number: DRAW.number, numberMatches: true });
  });

  it("catches a changed number, a seed that is not the day's, and another published commitment", async () => {
    const tampered = await recheck("spring-bne", SEED, COMMITMENT, "0".repeat(64), { ...DRAW, number: "00" });
    assert.equal(tampered.numberMatches, false);
    assert.equal(tampered.published, false);
    const otherSeed = await recheck("spring-bne", "00".repeat(32), COMMITMENT, COMMITMENT, DRAW);
    assert.equal(otherSeed.seedMatches, false);
  });

  it("says nothing of the published list for a day it no longer lists", async () => {
    const found = await recheck("spring-bne", SEED, COMMITMENT, null, DRAW);
    assert.equal(found.published, null);
    assert.equal(found.seedMatches, true);
  });

  it("leaves the number alone when the identity was not shown (someone else's draw)", async () => {
    const found = await recheck("spring-bne", SEED, COMMITMENT, COMMITMENT, { ...DRAW, member_id: "al*ce", key: null });
    assert.equal(found.seedMatches, true);
    assert.equal(found.number, null);
    assert.equal(found.numberMatches, null);
  });

  it("writes the identity as Python's json.dumps with separators (',', ':') does", () => {
    // json.dumps(["c", "a\x7f", "é😀", "\n\x01"], separators=(",", ":"))
    assert.equal(identity("c", "a\u007f", "é😀", "\n\u0001"),
                 '["c","a\\u007f","\\u00e9\\ud83d\\ude00","\\n\\u0001"]');
  });
});
