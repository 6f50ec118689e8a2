"""`mgames template`: template.yaml rendered from the hand-written stack and the deployment's games.

The stack (`infra/deploy/stack.yaml`) is a plain SAM template with a line `# @games <section>`
wherever each game adds something; `infra/deploy/game.yaml` holds those sections, written
once with `@Id`, `@name`, `@title` and `@summary` for the game. Rendering is text in, text
out, so the template keeps its comments (they are its documentation; a YAML round trip
through PyYAML would drop them) and a reviewer reads the result as he would the source.
"""

from __future__ import annotations

import difflib
import json
import re
import string
from pathlib import Path

from infra.deploy.config import DEPLOY_FILE, DeployedGame, Deployment, load_deployment
from plugins.errors import ConfigInvalidError

__all__ = ["GAME_FILE", "STACK_FILE", "TEMPLATE_FILE", "render", "render_template", "stale"]

HERE = Path(__file__).resolve().parent
STACK_FILE = HERE / "stack.yaml"
GAME_FILE = HERE / "game.yaml"
TEMPLATE_FILE = HERE.parents[1] / "template.yaml"
MARKER = re.compile(r"^(?P<indent> *)# @games (?P<section>[a-z-]+) *$")
SECTION = re.compile(r"^# @section (?P<name>[a-z-]+) *$")
DESCRIPTION_LIMIT = 256  # Lambda refuses a longer function description


class _Snippet(string.Template):
    """`@name` placeholders: `$` is taken by CloudFormation's `${...}` substitutions."""

    delimiter = "@"


def _escaped(text: str) -> str:
    """`text` for the inside of a double-quoted string, valid in YAML and JSON alike."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def snippet_values(game: DeployedGame) -> dict[str, str]:
    """What the snippet says of a game: title, summary (its description's first paragraph) and table actions
    from its plug-in; a third-party game not installed here gets the deploy file's title (else
    its name) and the platform's actions only."""
    from plugins.registry import PLATFORM_TABLE_ACTIONS, PluginError, get_game, table_actions

    try:
        plugin = get_game(game.name)
    except PluginError:
        title = summary = game.title or game.name
        actions = PLATFORM_TABLE_ACTIONS
    else:
        title, actions = plugin.title, table_actions(plugin)
        summary = plugin.summary or plugin.title
    return {"Id": game.logical_id, "name": game.name, "title": _escaped(title),
            "summary": _escaped(summary[:DESCRIPTION_LIMIT]), "actions": ", ".join(sorted(actions))}


def sections(snippet: str) -> dict[str, str]:
    """The snippet's sections by name, each without its surrounding blank lines."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in snippet.splitlines():
        header = SECTION.match(line)
        if header:
            if header["name"] in found:
                raise ConfigInvalidError(f"{GAME_FILE.name}: section {header['name']!r} repeats")
            current = found[header["name"]] = []
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip("\n") for name, lines in found.items()}


def render(deployment: Deployment, stack: str, snippet: str) -> str:
    """The stack with each `# @games <section>` line replaced by that section, once per
    game in the deployment's order, indented like the marker line."""
    parts = sections(snippet)
    values = [snippet_values(game) for game in deployment.games]
    used: set[str] = set()
    lines: list[str] = []
    for line in stack.splitlines():
        marker = MARKER.match(line)
        if not marker:
            lines.append(line)
            continue
        name, indent = marker["section"], marker["indent"]
        if name not in parts:
            raise ConfigInvalidError(f"{STACK_FILE.name}: no section {name!r} in {GAME_FILE.name}")
        used.add(name)
        for number, game_values in enumerate(values):
            if number:
                lines.append("")
            block = _Snippet(parts[name]).substitute(game_values)
            lines.extend(indent + text if text.strip() else "" for text in block.splitlines())
    if unused := sorted(set(parts) - used):
        raise ConfigInvalidError(f"{GAME_FILE.name}: section(s) {', '.join(unused)} placed nowhere")
    return "\n".join(lines) + "\n"


def render_template(deploy_file: Path = DEPLOY_FILE) -> str:
    """template.yaml as the repository's stack and snippet render it for `deploy_file`."""
    return render(load_deployment(deploy_file), STACK_FILE.read_text(encoding="utf-8"),
                  GAME_FILE.read_text(encoding="utf-8"))


def stale(wanted: str, path: Path = TEMPLATE_FILE) -> list[str]:
    """The unified diff from the file at `path` to `wanted`; empty when it is current."""
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    return list(difflib.unified_diff(current.splitlines(), wanted.splitlines(), str(path),
                                     "rendered", lineterm=""))
