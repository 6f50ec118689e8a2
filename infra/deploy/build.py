"""The Lambda artifact: the project, its dependencies and the deployment's games, installed
for the runtime's Python and architecture, with their distribution metadata.

Entry points (how games and issuers are found) resolve only from `*.dist-info`, so the
project goes in as a built wheel, never as a source tree. The console's scripts (the web
console, the report's charts) are bundled from `sdk/` first, with Node.js and esbuild, into
`plugins/console/assets/`, the wheel's package data: built, never fetched at run time. pip
installs for another platform (`--platform`, `--python-version`, `--only-binary=:all:`), so
no Docker and no runtime Python are needed. What the Lambda runtime already provides (boto3
and its dependencies) is left out, and so are the dependencies of Chalice's command line:
the console needs only `chalice.app`, which uses the standard library alone.

`python -m infra.deploy.build DEST` is what the Makefile runs for `sam build`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from filelock import FileLock
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from infra.deploy.config import Deployment, load_deployment
from infra.deploy.interpreter import find_python

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".aws-sam" / "artifacts"
SDK = ROOT / "sdk"
SOURCES = ("pyproject.toml", "functions", "games", "plugins", "infra")
KEEP_BUILDS = 3
# In the Lambda Python runtime already (and kept out, so the runtime's copy is the one used).
RUNTIME_PROVIDED = frozenset(canonicalize_name(name) for name in (
    "boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"))
# Installed without their own dependencies, which serve only their command line.
WITHOUT_DEPENDENCIES = frozenset({canonicalize_name("chalice")})
GAMES_GROUP = "marketing_games.games"
Progress = Callable[[str], None]


class BuildError(Exception):
    """The artifact could not be built, or would not work where it runs."""


@dataclass(frozen=True)
class Platform:
    """A Lambda runtime: its Python version and CPU architecture (Amazon Linux 2023, glibc 2.34)."""

    python: str = "3.12"
    machine: str = "aarch64"

    @property
    def pip_args(self) -> list[str]:
        tags = [f"manylinux_2_{minor}_{self.machine}" for minor in (34, 28, 17)]
        return [*(arg for tag in tags for arg in ("--platform", tag)),
                "--python-version", self.python, "--implementation", "cp",
                "--only-binary=:all:"]

    def marker_environment(self) -> dict[str, str]:
        """What environment markers see on the runtime (for walking requirements)."""
        env: dict[str, str] = {name: str(value) for name, value in default_environment().items()}
        env.update(python_version=self.python, python_full_version=f"{self.python}.0",
                   platform_machine=self.machine, sys_platform="linux", platform_system="Linux",
                   os_name="posix", implementation_name="cpython",
                   platform_python_implementation="CPython")
        return env


LAMBDA = Platform()
"""The template's runtime: python3.12 on arm64."""


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BuildError(f"pip {args[0]} failed:\n{done.stderr.strip() or done.stdout.strip()}")


def _roots(packages: Iterable[str], scratch: Path) -> list[str]:
    """The project (and any local game source tree) as wheels; other requirements as given.

    The project is built from a copy of its sources: setuptools reuses its `build/` folder,
    where files deleted since would still reach the wheel.
    """
    source = scratch / "source"
    source.mkdir()
    for name in (*SOURCES, "README.md"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, source / name)
        else:
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = scratch / "wheels"
    local = [source, *(Path(p) for p in packages if Path(p).is_dir())]
    _pip("wheel", "--no-deps", "--wheel-dir", str(wheels), *(str(p) for p in local))
    built = sorted(str(w) for w in wheels.glob("*.whl"))
    return built + [p for p in packages if not Path(p).is_dir()]


def _resolve(roots: list[str], platform: Platform, scratch: Path) -> list[dict[str, Any]]:
    """pip's resolution of the roots for the platform: every distribution it would install."""
    report = scratch / "report.json"
    _pip("install", "--dry-run", "--ignore-installed", "--report", str(report),
         "--target", str(scratch / "unused"), *platform.pip_args, *roots)
    found: list[dict[str, Any]] = json.loads(report.read_text(encoding="utf-8"))["install"]
    return found


def select(resolved: list[dict[str, Any]], platform: Platform) -> list[dict[str, Any]]:
    """The distributions the artifact needs: the closure of the requested ones, stopping at
    what the runtime provides and not following the dependencies of WITHOUT_DEPENDENCIES."""
    by_name: dict[str, dict[str, Any]] = {canonicalize_name(d["metadata"]["name"]): d for d in resolved}
    environment = platform.marker_environment()
    wanted: dict[str, set[str]] = {name: set(d.get("requested_extras") or ())
                                   for name, d in by_name.items() if d.get("requested")}
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in WITHOUT_DEPENDENCIES:
            continue
        for line in by_name[name]["metadata"].get("requires_dist") or ():
            requirement = Requirement(line)
            dep = canonicalize_name(requirement.name)
            if dep in RUNTIME_PROVIDED or not any(
                    requirement.marker is None or requirement.marker.evaluate({**environment, "extra": e})
                    for e in (wanted[name] or {""})):
                continue
            extras = set(requirement.extras)
            if dep not in wanted or not extras <= wanted[dep]:
                wanted[dep] = wanted.get(dep, set()) | extras
                todo.append(dep)
    return [by_name[name] for name in sorted(wanted) if name not in RUNTIME_PROVIDED]


def _install(chosen: list[dict[str, Any]], roots: list[str], platform: Platform, dest: Path) -> None:
    local = {canonicalize_name(Path(r).name.split("-")[0]): r for r in roots if r.endswith(".whl")}
    specs = [local.get(canonicalize_name(d["metadata"]["name"]))
             or f"{d['metadata']['name']}=={d['metadata']['version']}" for d in chosen]
    _pip("install", "--no-deps", "--no-compile", "--upgrade", "--target", str(dest),
         *platform.pip_args, *specs)
    shutil.rmtree(dest / "bin", ignore_errors=True)  # console scripts: nothing runs them there


def _compile(dest: Path, platform: Platform, progress: Progress) -> None:
    """Bytecode for the runtime's Python, hash-checked-free: the code is read-only there, so
    whatever is not compiled now is compiled again on every cold start."""
    python = find_python(platform.python)
    if python is None:
        progress(f"no Python {platform.python} here: bytecode not compiled (cold starts are slower)")
        return
    subprocess.run([str(python), "-m", "compileall", "-q", "-j", "0",
                    "--invalidation-mode", "unchecked-hash", str(dest)], check=True)


def check_games(dest: Path, deployment: Deployment) -> None:
    """Every deployed game is found by entry point in the artifact, as the functions find it."""
    found = {ep.name for dist in distributions(path=[str(dest)])
             for ep in dist.entry_points if ep.group == GAMES_GROUP}
    missing = [g.name for g in deployment.games if g.name not in found]
    if missing:
        raise BuildError(f"the artifact registers no game {', '.join(missing)} "
                         f"(found: {', '.join(sorted(found)) or 'none'}); check infra/deploy.yaml")


def build_scripts() -> None:
    """The console's scripts bundled from `sdk/` (with the games' pages: one build script), as
    the tests build them: one build at a time (`sdk/.build.lock`)."""
    node = shutil.which("node")
    if node is None or not (SDK / "node_modules").is_dir():
        raise BuildError("the console's scripts are built with Node.js 20+ and the SDK's packages: "
                         "install Node.js, then run `npm ci` in sdk/ (scripts/setup does both)")
    with FileLock(SDK / ".build.lock"):
        done = subprocess.run([node, "scripts/build.mjs"], cwd=SDK, capture_output=True, text=True,
                              timeout=300, check=False)
    if done.returncode:
        raise BuildError(f"sdk/scripts/build.mjs failed:\n{done.stderr.strip() or done.stdout.strip()}")


def _fingerprint(platform: Platform, deployment: Deployment, compile_bytecode: bool) -> str:
    """What the artifact is made of: the platform, the deployment and the project's sources."""
    digest = hashlib.sha256(repr((platform, deployment, compile_bytecode)).encode())
    local = [Path(p) for p in deployment.packages if Path(p).is_dir()]
    for source in [*(ROOT / s for s in SOURCES), *local]:
        for path in [source] if source.is_file() else sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def build_artifact(dest: Path, *, platform: Platform = LAMBDA, deployment: Deployment | None = None,
                   compile_bytecode: bool = True, progress: Progress = print) -> Path:
    """The artifact in `dest`: built once per fingerprint, then copied (sam build asks once
    per handler, and the tests and benchmarks ask again)."""
    deployment = deployment or load_deployment()
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE / ".lock"):  # sam build --parallel (and test workers) build at once
        progress("bundling the console's scripts (sdk/scripts/build.mjs)")
        build_scripts()
        built = CACHE / _fingerprint(platform, deployment, compile_bytecode)
        if not built.is_dir():
            staging = CACHE / f"{built.name}.partial"
            shutil.rmtree(staging, ignore_errors=True)
            _build(staging, platform, deployment, compile_bytecode, progress)
            staging.rename(built)
        else:
            progress(f"unchanged since the last build: reusing {built.relative_to(ROOT)}")
            built.touch()
        builds = sorted((p for p in CACHE.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in builds[:-KEEP_BUILDS]:
            shutil.rmtree(old)
    shutil.copytree(built, dest, dirs_exist_ok=True)
    return dest


def _build(dest: Path, platform: Platform, deployment: Deployment, compile_bytecode: bool,
           progress: Progress) -> None:
    dest.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="mgames-build-") as tmp:
        scratch = Path(tmp)
        progress(f"building the project wheel{' and game packages' if deployment.packages else ''}")
        roots = _roots(deployment.packages, scratch)
        progress(f"resolving dependencies for Python {platform.python} on {platform.machine}")
        chosen = select(_resolve(roots, platform, scratch), platform)
        progress(f"installing {len(chosen)} distributions into {dest}")
        _install(chosen, roots, platform, dest)
    check_games(dest, deployment)
    if compile_bytecode:
        progress(f"compiling bytecode for Python {platform.python}")
        _compile(dest, platform, progress)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy.build", description=__doc__)
    parser.add_argument("dest", type=Path, help="the artifact directory (sam build's ARTIFACTS_DIR)")
    parser.add_argument("--python", default=LAMBDA.python, help="the runtime's Python version")
    parser.add_argument("--machine", default=LAMBDA.machine, choices=["aarch64", "x86_64"])
    parser.add_argument("--no-compile", action="store_true", help="leave bytecode out")
    args = parser.parse_args(argv)
    try:
        build_artifact(args.dest, platform=Platform(args.python, args.machine),
                       compile_bytecode=not args.no_compile,
                       progress=lambda line: print(f"mgames build: {line}", flush=True))
    except BuildError as exc:
        print(f"mgames build: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
