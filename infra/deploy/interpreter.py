"""Finding an interpreter of the Lambda runtime's Python version on this machine."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def _runs(python: Path, version: str) -> bool:
    try:
        done = subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return False
    return done.returncode == 0 and done.stdout.strip() == version


def find_python(version: str) -> Path | None:
    """`python<version>` on PATH, else pyenv's, else None (a pyenv shim of an inactive
    version is on PATH yet does not run: each candidate is tried)."""
    candidates: list[Path] = []
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
    return next((python for python in candidates if _runs(python, version)), None)
