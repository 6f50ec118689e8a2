"""The player's address behind the edge (GamesEdge, CloudFront, in template.yaml).

A function behind the edge sees the edge's address as the source, so velocity limits per IP
would count every player of a city as one. The edge's routing function sends the player's
address in `X-Mgames-Viewer-Ip` and the edge adds `X-Mgames-Edge`, a secret (EdgeSecret): the
address is believed only with the secret, since anyone can call a function URL directly and
send any header. Without `MGAMES_EDGE_SECRET_ARN` (the local stack, tests) or without the
proof, the source address stands; the secret is read only for a request that claims the edge.
"""

from __future__ import annotations

import hmac
import os

from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

__all__ = ["client_ip"]


def client_ip(event: LambdaFunctionUrlEvent) -> str:
    """The player's address: the edge's word for it when the edge proves itself, else the source."""
    source: str = event.request_context.http.source_ip
    secret_arn = os.environ.get("MGAMES_EDGE_SECRET_ARN")
    proof = event.headers.get("x-mgames-edge")
    viewer = event.headers.get("x-mgames-viewer-ip")
    if not (secret_arn and proof and viewer):
        return source
    from plugins.secret_store import read_secret

    return viewer if hmac.compare_digest(proof.encode(), read_secret(secret_arn).encode()) else source
