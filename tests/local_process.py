"""`mgames local` in its own process, as the README's first command runs it: started on free
ports and read until it is serving, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MGAMES = [sys.executable, "-m", "infra.cli"]
STOP_WAIT = 30.0
"""Seconds a stack has to exit after Ctrl-C before the test fails with its threads' stacks."""


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what tests set for in-process stacks and clients
    (`AWS_*`, `MGAMES_*`), plus `extra`; faulthandler on, so a hung stack can show its threads."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MGAMES_"))}
    return env | {"PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"} | extra


def start_local(args: list[str], env: dict[str, str],
                preexec_fn: Callable[[], object] | None = None) -> tuple[subprocess.Popen[str], str]:
    """`mgames local ARGS` on free ports; answer the process and what it printed up to
    "Ctrl-C stops" (the test fails if that never comes within 60 s)."""
    proc = subprocess.Popen([*MGAMES, "local", "--port", "0", "--dynamodb-port", "0", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, preexec_fn=preexec_fn)
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Ctrl-C stops" in line:
            break
    out = "".join(lines)
    if "Ctrl-C stops" not in out:
        proc.kill()
        pytest.fail(f"mgames local did not start:\n{out}{proc.communicate()[0]}")
    return proc, out


def stop_local(proc: subprocess.Popen[str], signum: int = signal.SIGINT) -> str:
    """Ctrl-C (or `signum`); answer what the stack printed after it started. A stack still
    running `STOP_WAIT` s later gets SIGABRT, and the test fails with every thread's stack."""
    proc.send_signal(signum)
    try:
        return proc.communicate(timeout=STOP_WAIT)[0]
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        rest = proc.communicate(timeout=10)[0]
        pytest.fail(f"mgames local still ran {STOP_WAIT:.0f} s after signal {signum}:\n{rest[-30000:]}")
