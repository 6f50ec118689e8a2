"""Write every function's OpenAPI document and the console's to a folder, `<name>.json` each
(`python -m infra.openapi OUTDIR`): what a client generator (the TypeScript SDK's types) reads,
without starting the stack."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def documents() -> dict[str, dict[str, Any]]:
    """Every installed game's document by its name, and the console's as `console`."""
    from functions.console.app import document_text as console_text
    from plugins.registry import games
    from plugins.web.app import document_text

    found = {name: json.loads(document_text(plugin)) for name, plugin in sorted(games().items())}
    return found | {"console": json.loads(console_text())}


def write(outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in documents().items():
        path = outdir / f"{name}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m infra.openapi OUTDIR", file=sys.stderr)
        return 2
    for path in write(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
