"""HTTP conventions shared by every game function: app, error envelope, request helpers."""

from plugins.http import idempotency_key
from plugins.web.app import build_app, build_handler, logger, metrics
from plugins.web.request import current_operator, current_player, optional_player

__all__ = [
    "build_app",
    "build_handler",
    "current_operator",
    "current_player",
    "idempotency_key",
    "logger",
    "metrics",
    "optional_player",
]
