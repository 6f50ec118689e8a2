"""A wheel draw made on a day that is over, for a running `mgames local` (which runs on the
real clock): the lucky wheel's own handler, in this process, on the stack's table, with only
the clock moved back a day. Its record is what a draw made yesterday would have left, so its
day's seed is revealed now. `--tamper` then changes the recorded number, as someone editing
the table would.

    python -m tests.browser.past_draw DYNAMODB_URL CAMPAIGN MEMBER [--tamper DRAW_ID]

prints the draw's answer (or the tampered record) as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

from infra.local.stack import LOCAL_ENV


def main(endpoint: str, campaign: str, member: str, tamper: str | None = None) -> dict[str, object]:
    os.environ.update(LOCAL_ENV | {"AWS_ENDPOINT_URL_DYNAMODB": endpoint})
    from plugins.clock import utc_now
    from plugins.store import DrawItem, bind_table, keys

    bind_table("mgames-local", host=endpoint)
    if tamper is not None:
        item = DrawItem.get(keys.draw(campaign, tamper), keys.DRAW_SK)
        proof = dict(item.proof)
        proof["number"] = f"{(int(str(proof['number']), 16) + 1) % 2 ** 256:064x}"
        item.proof = proof
        item.save()
        return proof
    from infra.local.events import LambdaContext, function_url_event
    from plugins.identity.tokens import mint_player
    from plugins.runtime import runtime
    from plugins.web import build_handler

    yesterday = utc_now() - timedelta(days=1)
    runtime.clock = lambda: yesterday
    token = mint_player(member, now=utc_now(), ttl=timedelta(hours=1), device_id=f"browser-{member}")
    event = function_url_event("POST", f"/campaigns/{campaign}/draws", body="{}", headers={
        "authorization": f"Bearer {token}", "idempotency-key": f"past-{member}-{yesterday:%Y%m%d%H%M%S}",
        "content-type": "application/json"})
    answer = build_handler("lucky-wheel")(event, LambdaContext(function_name="lucky-wheel"))
    assert answer["statusCode"] == 201, answer
    drawn: dict[str, object] = json.loads(answer["body"])
    return drawn


if __name__ == "__main__":
    endpoint, campaign, member, *rest = sys.argv[1:]
    print(json.dumps(main(endpoint, campaign, member, tamper=rest[1] if rest[:1] == ["--tamper"] else None)))
