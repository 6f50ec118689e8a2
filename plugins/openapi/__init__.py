"""The exact API contract: OpenAPI 3.1 documents whose error answers, security, headers and
formats are derived from the code (error classes, routes), for the game functions and the
console alike."""

from plugins.openapi.errors import ENVELOPE, HEADERS, error_responses
from plugins.openapi.games import game_document

__all__ = ["ENVELOPE", "HEADERS", "error_responses", "game_document"]
