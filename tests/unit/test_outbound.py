"""Outbound calls go to public https endpoints only, checked at validation and at call time
after DNS resolution, without following redirects."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from games.partner_coupon.config import PartnerCouponType
from plugins.outbound import OutboundRefusedError, check_url, post, resolve_public


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MGAMES_OUTBOUND_LOCAL", raising=False)


@pytest.mark.parametrize("url", [
    "http://partner.example.com/codes",            # plain http
    "https://127.0.0.1/codes", "https://[::1]/codes", "https://localhost/codes",
    "https://169.254.169.254/latest/meta-data",    # link-local: the metadata service
    "https://10.0.0.8/codes", "https://192.168.1.2/codes", "https://172.16.0.1/codes",
    "https://100.64.0.1/codes",                    # carrier-grade NAT: not public
    "https://vault.internal/codes", "https://user:pw@partner.example.com/codes",
    "ftp://partner.example.com/codes",
])
def test_unsafe_endpoints_are_refused_when_validated(deployed: None, url: str) -> None:
    with pytest.raises(OutboundRefusedError):
        check_url(url)
    with pytest.raises(ValueError):  # a campaign naming it does not validate
        PartnerCouponType.model_validate({
            "type_id": "t", "title": "t", "kind": "cash_voucher", "discount": "1.00",
            "face_value": "1.00", "cost": "1.00", "supply": "realtime", "endpoint": url})


def test_a_public_https_endpoint_passes(deployed: None) -> None:
    assert check_url("https://partner.example.com/codes") == "https://partner.example.com/codes"
    assert check_url("https://8.8.8.8/codes")


def test_a_name_resolving_inward_is_refused_at_call_time(deployed: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def inward(host: str, port: int, **_: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", inward)
    check_url("https://partner.example.com/codes")  # the name alone looks fine
    with pytest.raises(OutboundRefusedError, match=r"10\.1\.2\.3"):
        resolve_public("https://partner.example.com/codes")


def test_local_mode_allows_http_on_loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGAMES_OUTBOUND_LOCAL", "1")
    assert check_url("http://127.0.0.1:8080/codes")
    with pytest.raises(OutboundRefusedError):
        check_url("http://10.0.0.8/codes")


@pytest.fixture
def redirecting() -> Iterator[str]:
    """A local endpoint that answers every POST with a redirect to the metadata service."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/codes"
    server.shutdown()


def test_a_redirect_is_not_followed(redirecting: str) -> None:
    request = urllib.request.Request(redirecting, data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        post(request, timeout=2)
    assert refused.value.code == 302
