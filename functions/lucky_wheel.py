"""Lambda entry point of the lucky wheel, behind its own function URL."""

from plugins.web import build_handler

handler = build_handler("lucky-wheel")
