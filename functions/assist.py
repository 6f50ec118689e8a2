"""Lambda entry point of referral assist, behind its own function URL."""

from plugins.web import build_handler

handler = build_handler("assist")
