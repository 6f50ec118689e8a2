"""Calls the platform makes to others (a partner's real-time endpoint) go only where they
should: https, to public addresses, never to loopback, link-local, private or otherwise
non-public ones (the metadata service, the VPC). Checked when a campaign is validated and
again at call time, after DNS resolution, so a name that later resolves inward is refused
too. `MGAMES_OUTBOUND_LOCAL=1` (the local stack, the tests) allows http and loopback, for
fake partners on 127.0.0.1; never set it in a deployed stack."""

from __future__ import annotations

import ipaddress
import os
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit


class OutboundRefusedError(ValueError):
    """A URL the platform must not call."""


def local_mode() -> bool:
    return os.environ.get("MGAMES_OUTBOUND_LOCAL") == "1"


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global or (local_mode() and ip.is_loopback)


def check_url(url: str) -> str:
    """`url` if its scheme and host are fit to call (no DNS lookup), else OutboundRefusedError."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (local_mode() and parts.scheme == "http"):
        raise OutboundRefusedError(f"{url}: only https endpoints are called")
    host = parts.hostname or ""
    if not host or parts.username or parts.password:
        raise OutboundRefusedError(f"{url}: needs a host and no credentials")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        inward = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
        if inward and not local_mode():
            raise OutboundRefusedError(f"{url}: not a public host") from None
        return url
    if not _allowed(str(literal)):
        raise OutboundRefusedError(f"{url}: {literal} is not a public address")
    return url


def resolve_public(url: str) -> None:
    """At call time: every address the host resolves to must be public (OutboundRefusedError)."""
    parts = urlsplit(check_url(url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise OutboundRefusedError(f"{url}: cannot resolve ({exc})") from None
    inward = sorted({str(info[4][0]) for info in found if not _allowed(str(info[4][0]))})
    if inward:
        raise OutboundRefusedError(f"{url}: resolves to non-public {', '.join(inward)}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new call: it could point anywhere, inward too."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post(request: urllib.request.Request, timeout: float) -> Any:
    """Send `request` to its (public, checked now) URL without following redirects."""
    resolve_public(request.full_url)
    return OPENER.open(request, timeout=timeout)


OPENER = urllib.request.build_opener(_NoRedirect)
