"""Error messages in Chinese on request: every error code has one, and `Accept-Language` is
read with its q-values; `Retry-After` follows one rule over every error class."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from plugins.errors import GameError
from plugins.messages import CHINESE, ENGLISH, ZH, language_of, localized

ROOT = Path(__file__).resolve().parents[2]
ERROR_MODULES = ["plugins.errors", *sorted(
    f"games.{path.parent.name}.errors" for path in (ROOT / "games").glob("*/errors.py"))]


def error_classes() -> list[type[GameError]]:
    found: list[type[GameError]] = []
    for name in ERROR_MODULES:
        module = importlib.import_module(name)
        found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, GameError) and cls.__module__ == name]
    return found


def test_every_error_code_has_a_chinese_message() -> None:
    classes = error_classes()
    assert len(ERROR_MODULES) >= 4 and len(classes) > 50
    missing = sorted({cls.code for cls in classes} - set(ZH))
    assert not missing, f"add these codes to plugins/messages.py ZH: {missing}"
    assert {"INTERNAL_ERROR", "ROUTE_NOT_FOUND"} <= set(ZH)  # the envelopes built without a class


@pytest.mark.parametrize(("header", "language"), [
    ("zh-CN", CHINESE), ("zh", CHINESE), ("zh-Hans", CHINESE), ("ZH-cn", CHINESE),
    ("fr, zh-CN;q=0.5", CHINESE), ("en;q=0.4, zh;q=0.8", CHINESE),
    ("en-US, zh;q=0.9", ENGLISH), ("zh;q=0.9, en;q=0.95", ENGLISH), ("zh;q=0", ENGLISH),
    ("zh-TW", ENGLISH), ("*", ENGLISH), ("", ENGLISH), (None, ENGLISH), ("zh;q=abc", ENGLISH),
])
def test_accept_language_is_read_with_its_q_values(header: str | None, language: str) -> None:
    assert language_of(header) == language


def test_english_keeps_the_errors_own_message() -> None:
    assert localized("SOLD_OUT", "item x is sold out", ENGLISH) == "item x is sold out"
    assert localized("SOLD_OUT", "item x is sold out", CHINESE) == ZH["SOLD_OUT"]
    assert localized("NOT_A_CODE", "as is", CHINESE) == "as is"


def test_retry_after_is_on_every_retryable_error_and_on_no_final_answer() -> None:
    """429, 503 and the 409 CONFLICT (a race lost: the same request may succeed) carry
    `Retry-After`; a business-rule 409 (SOLD_OUT, ALREADY_PICKED_UP...) is final: none."""
    for cls in error_classes():
        retryable = cls.status in (429, 503) or cls.code == "CONFLICT"
        has_default = cls.retry_after is not None or "retry_after" in inspect.signature(cls).parameters
        assert has_default == retryable, cls
