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

__all__ = ["CampaignFileError", "read_campaign_file"]


class CampaignFileError(ConfigInvalidError):
    """The file cannot be read as a campaign at all: missing, unreadable, not UTF-8, not YAML,
    not a mapping; the message names the file."""


def read_campaign_file(path: str | Path) -> Any:
    """The document in a YAML (or JSON) campaign file, ready to validate and to store."""
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CampaignFileError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CampaignFileError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise CampaignFileError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise CampaignFileError(f"{path}: a campaign file is a mapping of fields")

    def plain(value: Any) -> str:
        if isinstance(value, date):  # datetime too
            return value.isoformat()
        raise CampaignFileError(f"{path}: unsupported YAML value {value!r} (plain values only)")

    return json.loads(json.dumps(raw, default=plain))
