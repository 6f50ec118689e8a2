"""The project's own code stays ruff- and mypy-clean (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)


def test_ruff_is_clean() -> None:
    result = run("ruff", "check", "functions", "games", "plugins", "infra", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_keep_their_contracts() -> None:
    """No import cycle; the platform imports no game; no game imports another
    (`[tool.importlinter]` in pyproject.toml)."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_over_300_lines() -> None:
    long = {str(path.relative_to(ROOT)): lines
            for package in ("functions", "games", "plugins", "infra")
            for path in (ROOT / package).rglob("*.py")
            if (lines := len(path.read_text().splitlines())) > 300}
    assert not long, f"split these modules: {long}"
