"""Lambda entry point of the hot-item booking, behind its own function URL."""

from plugins.web import build_handler

handler = build_handler("booking")
