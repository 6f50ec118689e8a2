"""Lambda entry point of the red packets, behind their own function URL."""

from plugins.web import build_handler

handler = build_handler("red-packet")
