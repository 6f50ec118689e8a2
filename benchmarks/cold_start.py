"""Cold import of a game function from the built artifact, against a bare boto3 client.

Issue 7's target: importing a game function (`functions.game`, which also makes its DynamoDB
client) costs at most 1.5x `import boto3; boto3.client("dynamodb")` in the same interpreter
set-up. Every sample is a fresh `python3.12 -I -S` (the runtime's Python version, no
site-packages, no environment) whose path holds only the artifact and boto3 with its
dependencies, as the Lambda runtime provides them; the import is timed inside it, so the
interpreter's own start-up, the same for both, is left out. Both sides are measured with
their bytecode compiled (as built) and with none at all (`-B`, trees copied without
`__pycache__`), interleaved run by run, and reported as medians and ratios.

`--explain` adds where a game function's import goes, layer by layer, each layer timed after
the ones before it in one fresh interpreter (medians): what is shared with the baseline
(botocore), the libraries the platform is built on, the platform, the game, and init.

Run: python benchmarks/cold_start.py [--runs 7] [--artifact DIR] [--explain]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from infra.deploy import load_deployment
from infra.deploy.build import LAMBDA, Platform, build_artifact
from infra.deploy.interpreter import find_python

BOTO = 'import boto3; boto3.client("dynamodb")'
GAME = "import functions.game"
# What Lambda gives a game function: its configuration (template.yaml), and credentials in
# the environment (without them botocore looks further, up to the instance metadata service,
# and PynamoDB makes a new client each time it is asked for one). None is used to call AWS.
ENVIRONMENT = {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1", "LANG": "C.UTF-8",
               "AWS_ACCESS_KEY_ID": "AKIACOLDSTART", "AWS_SECRET_ACCESS_KEY": "cold-start",
               "AWS_SESSION_TOKEN": "cold-start", "MGAMES_TABLE": "mgames",
               "MGAMES_PLAYER_KEYS": "cold-start-player-0123456789abcdef0123",
               "MGAMES_CONSOLE_KEYS": "cold-start-console-0123456789abcdef01",
               "POWERTOOLS_SERVICE_NAME": "mgames", "POWERTOOLS_METRICS_NAMESPACE": "MarketingGames",
               "POWERTOOLS_LOG_LEVEL": "INFO", "POWERTOOLS_TRACE_DISABLED": "true",
               "PYDANTIC_DISABLE_PLUGINS": "__all__"}
SAMPLE = """
import sys, time
sys.path[:0] = {paths}
wall, cpu = time.perf_counter(), time.process_time()
{statement}
print(time.perf_counter() - wall, time.process_time() - cpu)
"""
Sample = tuple[float, float]
# A game function's import, layer by layer (the game's module comes from MGAMES_GAME).
LAYERS = {
    "botocore, urllib3 (as for boto3)": "import botocore.session, botocore.client, urllib3",
    "pydantic (BaseModel)": "from pydantic import BaseModel",
    "Powertools event handler + validation": "import aws_lambda_powertools.event_handler, "
                                             "aws_lambda_powertools.event_handler.middlewares."
                                             "openapi_validation",
    "PyJWT, PynamoDB": "import jwt, pynamodb.models",
    "the platform (plugins.*)": "import plugins.web, plugins.registry, plugins.store",
    "the game (entry point, routes)": "plugins.registry.get_game(os.environ['MGAMES_GAME'])",
    "init: resolver + DynamoDB client": "plugins.web.build_handler(os.environ['MGAMES_GAME']); "
                                        "plugins.store.dynamodb_client()",
}
LAYERED = """
import os, sys, time
sys.path[:0] = {paths}
found = []
for statement in {statements}:
    start = time.perf_counter()
    exec(statement)
    found.append(time.perf_counter() - start)
print(*found)
"""


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stderr or done.stdout}")


def runtime_boto(dest: Path, python: Path) -> Path:
    """boto3 and its dependencies at this venv's versions, for the runtime's Python, compiled:
    they stand for the copy the Lambda runtime provides."""
    _run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
          "--target", str(dest), "--python-version", LAMBDA.python, "--only-binary=:all:",
          f"boto3=={version('boto3')}", f"botocore=={version('botocore')}"])
    _run([str(python), "-m", "compileall", "-q", "-j", "0", str(dest)])
    return dest


def without_bytecode(tree: Path, dest: Path) -> Path:
    return Path(shutil.copytree(tree, dest, ignore=shutil.ignore_patterns("__pycache__")))


def sample(python: Path, paths: list[Path], statement: str, game: str, compiled: bool) -> Sample:
    """Milliseconds (wall, CPU) of `statement` in a fresh isolated interpreter seeing only `paths`."""
    code = SAMPLE.format(paths=json.dumps([str(p) for p in paths]), statement=statement)
    flags = ["-I", "-S"] if compiled else ["-I", "-S", "-B"]
    done = subprocess.run([str(python), *flags, "-c", code], capture_output=True, text=True,
                          env=ENVIRONMENT | {"MGAMES_GAME": game}, check=False, timeout=120)
    if done.returncode:
        raise SystemExit(f"{statement} ({game or 'boto3'}) failed:\n{done.stderr}")
    wall, cpu = (float(value) * 1000 for value in done.stdout.split())
    return wall, cpu


def measure(python: Path, trees: dict[bool, list[Path]], games: list[str],
            runs: int) -> dict[tuple[str, bool], list[Sample]]:
    """Samples by (game, compiled), "" being boto3; interleaved, so a busy spell of the
    machine falls on every case alike."""
    found: dict[tuple[str, bool], list[Sample]] = {}
    for _ in range(runs):
        for compiled in (True, False):
            for game in ["", *games]:
                statement = GAME if game else BOTO
                found.setdefault((game, compiled), []).append(
                    sample(python, trees[compiled], statement, game, compiled))
    return found


def report(found: dict[tuple[str, bool], list[Sample]], games: list[str], runs: int) -> None:
    wall = {key: statistics.median(s[0] for s in samples) for key, samples in found.items()}
    cpu = {key: statistics.median(s[1] for s in samples) for key, samples in found.items()}
    print(f"cold import, median of {runs} fresh `python{LAMBDA.python} -I -S` on "
          f"{platform.machine()}: wall ms (ratio to boto3 + client)")
    print(f"{'':32}{'bytecode cached':>22}{'no bytecode':>22}")
    for game in ["", *games]:
        label = f"game function {game}" if game else "boto3 + dynamodb client"
        cells = [f"{wall[game, c]:>10.1f}" + (f" ({wall[game, c] / wall['', c]:.2f}x)"
                                              if game else " " * 8) for c in (True, False)]
        print(f"{label:<32.32}{cells[0]:>22}{cells[1]:>22}")
    print("CPU-time ratios (steadier on a busy machine), cached / no bytecode: " + ", ".join(
        f"{game} {cpu[game, True] / cpu['', True]:.2f}x / {cpu[game, False] / cpu['', False]:.2f}x"
        for game in games))


def explain(python: Path, paths: list[Path], game: str, runs: int) -> None:
    """Median milliseconds of each layer of `game`'s cold import, bytecode cached."""
    code = LAYERED.format(paths=json.dumps([str(p) for p in paths]),
                          statements=json.dumps(list(LAYERS.values())))
    samples = []
    for _ in range(runs):
        done = subprocess.run([str(python), "-I", "-S", "-c", code], capture_output=True, text=True,
                              env=ENVIRONMENT | {"MGAMES_GAME": game}, check=False, timeout=120)
        if done.returncode:
            raise SystemExit(f"layers of {game} failed:\n{done.stderr}")
        samples.append([float(value) * 1000 for value in done.stdout.split()])
    print(f"\nwhere game function {game}'s cold import goes (median ms of {runs}, bytecode cached):")
    for index, layer in enumerate(LAYERS):
        print(f"  {layer:<40}{statistics.median(s[index] for s in samples):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per measurement")
    parser.add_argument("--artifact", type=Path,
                        help="a built artifact with its bytecode (default: build one for this machine)")
    parser.add_argument("--explain", action="store_true", help="also time each layer of a game function")
    args = parser.parse_args()
    python = find_python(LAMBDA.python)
    if python is None:
        raise SystemExit(f"no Python {LAMBDA.python} on this machine (the Lambda runtime's): "
                         f"install it, e.g. `pyenv install {LAMBDA.python}`")
    games = [game.name for game in load_deployment().games]
    with tempfile.TemporaryDirectory(prefix="mgames-cold-start-") as tmp:
        scratch = Path(tmp)
        artifact = args.artifact or build_artifact(
            scratch / "artifact", platform=Platform(LAMBDA.python, platform.machine()),
            progress=lambda line: print(f"build: {line}", file=sys.stderr))
        boto = runtime_boto(scratch / "boto", python)
        trees = {True: [artifact, boto],
                 False: [without_bytecode(artifact, scratch / "artifact-source"),
                         without_bytecode(boto, scratch / "boto-source")]}
        found = measure(python, trees, games, args.runs)
        report(found, games, args.runs)
        if args.explain:
            explain(python, trees[True], games[0], args.runs)


if __name__ == "__main__":
    main()
