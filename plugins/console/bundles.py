"""The console's built scripts: `sdk/scripts/build.mjs` bundles the web console and the
report's charts (Chart.js from npm, with esbuild) into `plugins/console/assets/`, which the
Lambda artifact carries as package data (pyproject.toml) and `infra/deploy/build.py` builds
before the wheel. Nothing is fetched at run time: pages get the script inline."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["ASSETS", "bundle", "inline_script", "script_json"]

ASSETS = Path(__file__).with_name("assets")
_CLOSING = re.compile(r"</(script)", re.IGNORECASE)


def bundle(name: str) -> str:
    """The text of built asset `name` (`report.js`, `console.js`), read on each call so a
    rebuilt asset is served at once locally (a few hundred kilobytes: no cost next to a scan)."""
    path = ASSETS / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing: build the console's scripts "
                                "(scripts/setup, or node sdk/scripts/build.mjs)") from None


def inline_script(code: str) -> str:
    """`code` as an inline `<script>`: a `</script` inside it cannot end the element."""
    return "<script>" + _CLOSING.sub(r"<\\/\1", code) + "</script>"


def script_json(element_id: str, value: str) -> str:
    """JSON text `value` as an inline data block; `<` escaped, so no text in it closes it."""
    return (f'<script type="application/json" id="{element_id}">'
            + value.replace("<", "\\u003c") + "</script>")
