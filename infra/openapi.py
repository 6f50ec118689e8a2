"""`python -m infra.openapi OUTDIR`: each game function's OpenAPI document, as its own
`/openapi.json` route serves it, written to OUTDIR/<game>.json (the SDK's types come from these)."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

from infra.local.events import LambdaContext, function_url_event


def documents() -> dict[str, Any]:
    """Every installed game's OpenAPI document, by game name."""
    from plugins.registry import games
    from plugins.web import build_handler

    found = {}
    for name in games():
        answer = build_handler(name)(function_url_event("GET", "/openapi.json"),
                                     LambdaContext(function_name=name))
        found[name] = json.loads(answer["body"])
    return found


def main(argv: list[str] | None = None) -> None:
    out = Path((argv if argv is not None else sys.argv[1:])[0])
    out.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore", message="Dimension 'game' has already been added")
    for name, document in documents().items():
        (out / f"{name}.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
