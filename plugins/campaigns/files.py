"""Reading a campaign file: YAML in, a JSON-safe document out (dates become ISO strings).

Only the CLI and the local stack read files: YAML is imported when one is read, not by every
function that imports the campaigns package (it would add ~25 ms to a game function's cold start).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from plugins.errors import ConfigInvalidError


def read_campaign_file(path: str | Path) -> Any:
    """The document in a YAML (or JSON) campaign file, ready to validate and to store."""
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigInvalidError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigInvalidError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ConfigInvalidError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigInvalidError(f"{path}: a campaign file is a mapping of fields")

    def plain(value: Any) -> str:
        if isinstance(value, date):  # datetime too
            return value.isoformat()
        raise ConfigInvalidError(f"{path}: unsupported YAML value {value!r} (plain values only)")

    return json.loads(json.dumps(raw, default=plain))
