"""The README's first command, for real: `mgames local` in its own process (atomic, and with
`--realistic`), played over HTTP, a campaign re-applied from another process and picked up,
then Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.local_process import MGAMES, ROOT, clean_env, start_local, stop_local


def request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, Any]:
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def first_group(pattern: str, out: str) -> str:
    """The first group of `pattern` in `out`, which must be there."""
    found = re.search(pattern, out)
    assert found is not None, out
    return found.group(1)


@pytest.fixture(scope="module", params=[[], ["--realistic", "--faults", "seed=1,latency=0.001"]],
                ids=["atomic", "realistic"])
def stack(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    env = clean_env(MGAMES_CONFIG_TTL_SECONDS="1")
    proc, out = start_local(request.param, env)
    assert f"DynamoDB (moto, {'realistic' if request.param else 'atomic'})" in out, out
    found = {
        "games": first_group(r"lucky-wheel\s+(http://\S+)/lucky-wheel/", out),
        "dynamodb": first_group(r"DynamoDB \S+ \S+\s+(http://\S+)", out),
        "env": json.dumps(env),
    }
    yield found
    rest = stop_local(proc)
    assert proc.returncode == 0, rest
    assert "stopped" in rest


def test_the_demo_is_served_and_playable(stack: dict[str, str]) -> None:
    env = json.loads(stack["env"])
    token = subprocess.run([*MGAMES, "token", "alice", "--device", "phone-1"], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    status, page = request(f"{stack['games']}/lucky-wheel/campaigns/demo", headers=auth)
    assert status == 200
    assert page["open"] and page["chances"]["left_today"] == 3
    headers = auth | {"Idempotency-Key": "e2e-draw-0001"}
    status, first = request(f"{stack['games']}/lucky-wheel/campaigns/demo/draws", "POST", headers)
    assert status == 201
    assert request(f"{stack['games']}/lucky-wheel/campaigns/demo/draws", "POST", headers)[1] == first
    status, error = request(f"{stack['games']}/lucky-wheel/campaigns/demo/draws", "POST", auth)
    assert (status, error["error"]["code"]) == (400, "IDEMPOTENCY_KEY_MISSING")


def test_an_apply_from_another_process_is_picked_up(stack: dict[str, str], tmp_path: Path) -> None:
    doc = yaml.safe_load((ROOT / "examples" / "demo.yaml").read_text())
    doc["name"] = "Renamed by apply"
    changed = tmp_path / "demo.yaml"
    changed.write_text(yaml.safe_dump(doc))
    env = json.loads(stack["env"])
    applied = subprocess.run([*MGAMES, "apply", str(changed), "--endpoint", stack["dynamodb"]],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    assert "version 2" in applied.stdout
    deadline = time.monotonic() + 10
    name = ""
    while time.monotonic() < deadline and name != "Renamed by apply":
        name = request(f"{stack['games']}/lucky-wheel/campaigns/demo")[1]["name"]
        time.sleep(0.2)
    assert name == "Renamed by apply"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_ctrl_c_and_sigterm_stop_it_even_when_started_with_sigint_ignored(signum: int) -> None:
    """A parent may start it with SIGINT ignored, which a child inherits (Python then installs
    no KeyboardInterrupt handler): it still stops, cleanly, on Ctrl-C and on SIGTERM."""
    proc, _ = start_local(["--jobs-every", "0"], clean_env(),
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    rest = stop_local(proc, signum)
    assert proc.returncode == 0, rest
    assert "stopped" in rest


def test_a_bad_fault_spec_is_refused_before_anything_starts() -> None:
    refused = subprocess.run([*MGAMES, "local", "--realistic", "--faults", "lost_rate=lots"],
                             cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)
    assert refused.returncode == 2
    assert "lost_rate: 'lots' is not a float" in refused.stderr
