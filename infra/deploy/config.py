"""`infra/deploy.yaml`: the games a deployment serves and the packages that bring them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plugins.errors import ConfigInvalidError

DEPLOY_FILE = Path(__file__).resolve().parents[1] / "deploy.yaml"
GAME_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class DeployedGame(BaseModel):
    """One game of the deployment: a function and its function URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=GAME_NAME.pattern, max_length=40)
    package: str | None = Field(default=None, min_length=1,
                                description="pip requirement of a third-party game")
    title: str | None = Field(default=None, min_length=1, max_length=100)

    @property
    def logical_id(self) -> str:
        """The CloudFormation name stem: `lucky-wheel` -> `LuckyWheel`."""
        return "".join(part.capitalize() for part in self.name.split("-"))


class Deployment(BaseModel):
    """Every game the deployment serves, in the file's order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    games: tuple[DeployedGame, ...]

    @property
    def packages(self) -> tuple[str, ...]:
        """The pip requirements of the third-party games, to install beside the project."""
        return tuple(game.package for game in self.games if game.package)


def load_deployment(path: Path = DEPLOY_FILE) -> Deployment:
    """The deployment file, validated, or ConfigInvalidError naming every problem."""
    doc: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    games = doc.get("games") if isinstance(doc, dict) else None
    if not isinstance(games, dict) or not games:
        raise ConfigInvalidError(f"{path}: 'games' must map game names to their settings")
    names = list(games)
    try:
        return Deployment.model_validate(
            {"games": [{**(settings or {}), "name": name} for name, settings in games.items()]})
    except ValidationError as exc:
        problems = [f"{path}: games.{names[int(err['loc'][1])]}"
                    f"{''.join(f'.{p}' for p in err['loc'][2:])}: {err['msg']}"
                    if len(err["loc"]) > 1 else f"{path}: games: {err['msg']}" for err in exc.errors()]
        raise ConfigInvalidError("; ".join(problems), errors=problems) from None
