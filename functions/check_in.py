"""Lambda entry point of the check-in game, behind its own function URL."""

from plugins.web import build_handler

handler = build_handler("check-in")
