"""Fixtures of the functional tests: plug-in packages installed for one test only."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from plugins import registry
from plugins.registry import GAMES_GROUP


def install(root: Path, dist: str, module: str, source: str, games: str) -> None:
    """Lay out `module` and a `<dist>-0.1.dist-info` declaring `games` entry points in `root`,
    as `pip install` would in site-packages."""
    package = root / module
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(source))
    info = root / f"{dist}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{GAMES_GROUP}]\n{games}\n")


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Undo the test's environment and sys.path first, then forget what was discovered, so
    the next test sees the installed plug-ins only."""
    before = set(sys.modules)
    registry.reset()
    yield monkeypatch
    monkeypatch.undo()
    for name in set(sys.modules) - before:
        if name.split(".")[0].endswith("_pkg"):
            del sys.modules[name]
    importlib.invalidate_caches()
    registry.reset()


@pytest.fixture
def plugin_dir(clean_registry: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    clean_registry.syspath_prepend(str(tmp_path))
    return tmp_path
