"""The TypeScript SDK (sdk/): its own unit tests under Node's test runner, and its types
generated from the game functions' OpenAPI documents as they are now."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk"


def run(*args: str, cwd: Path = SDK) -> subprocess.CompletedProcess[str]:
    assert (SDK / "node_modules").is_dir(), "sdk/node_modules is missing: run scripts/setup"
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_the_sdk_unit_tests_pass() -> None:
    result = run("npm", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout


def test_the_generated_types_are_current(tmp_path: Path) -> None:
    written = run(sys.executable, "-m", "infra.openapi", str(tmp_path), cwd=ROOT)
    assert written.returncode == 0, written.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == sorted(
        p.stem for p in (SDK / "src" / "api").glob("*.ts"))
    checked = run("node", "scripts/types.mjs", str(tmp_path), "--check")
    assert checked.returncode == 0, checked.stderr + " (regenerate: cd sdk && npm run types)"
