"""What every artifact test needs: the runtime's Python, the SDK the runtime provides, the
local DynamoDB (and Secrets Manager) with the stack's secrets, and a way to run one function
of a template from an artifact in an isolated interpreter."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest
from filelock import FileLock

from infra.deploy.build import LAMBDA, Platform, build_artifact
from infra.deploy.interpreter import find_python
from infra.local.dynamodb import LocalDynamoDB
from infra.tables import create_tables, load_template
from plugins.campaigns.files import read_campaign_file
from plugins.identity.keys import KeyRing
from tests.artifact.functions import functions_of

ROOT = Path(__file__).resolve().parents[2]
INVOKE = Path(__file__).with_name("invoke.py")
TEMPLATE = load_template(ROOT / "template.yaml")
TABLE = "mgames-artifact"


def secret_values(template: dict[str, Any]) -> dict[str, str]:
    """A value for every secret the template creates, as CloudFormation would make it: its
    `SecretString`, or a generated string put under `GenerateStringKey` of its template."""
    values = {}
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::SecretsManager::Secret":
            continue
        properties, generated = resource["Properties"], f"artifact-{name}-0123456789abcdef0123"
        if "SecretString" in properties:
            values[name] = properties["SecretString"]
        elif "GenerateStringKey" in (spec := properties["GenerateSecretString"]):
            values[name] = json.dumps(json.loads(spec["SecretStringTemplate"])
                                      | {spec["GenerateStringKey"]: generated})
        else:
            values[name] = generated
    return values


def key_ring(template: dict[str, Any], variable: str) -> KeyRing:
    """The key ring the functions find through `variable`_ARN (MGAMES_PLAYER_KEYS, ...)."""
    refs = {function.properties.get("Environment", {}).get("Variables", {})
            .get(variable + "_ARN", {}).get("Ref") for function in functions_of(template).values()}
    [name] = refs - {None}
    return KeyRing.parse(secret_values(template)[str(name)])


@pytest.fixture(scope="session")
def python() -> Path:
    found = find_python(LAMBDA.python)
    assert found is not None, (f"the artifact test needs Python {LAMBDA.python} (the runtime's): "
                               f"put python{LAMBDA.python} on PATH or install it with pyenv")
    return found


@pytest.fixture(scope="session")
def runtime_sdk() -> Path:
    """boto3 and botocore alone, as the Lambda runtime provides them (kept between runs)."""
    target = ROOT / ".aws-sam" / "runtime-sdk" / botocore.__version__
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(target.parent / f"{target.name}.lock"):  # test workers ask at once
        if not (target / "boto3").is_dir():
            shutil.rmtree(target, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                            "--target", str(target), "--no-compile", f"botocore=={botocore.__version__}",
                            f"boto3=={boto3.__version__}",
                            *Platform(LAMBDA.python, platform.machine()).pip_args],
                           check=True, capture_output=True)
    return target


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    """The local DynamoDB (and Secrets Manager), the table and the stack's secrets: one per
    test module, since other tests of the worker reset moto's (process-wide) state."""
    with LocalDynamoDB() as ddb:
        client = boto3.client("dynamodb", endpoint_url=ddb.endpoint_url)
        create_tables(client, {"GamesTable": TABLE})
        secrets = boto3.client("secretsmanager", endpoint_url=ddb.endpoint_url)
        arns = {name: secrets.create_secret(Name=f"artifact/{name}", SecretString=value)["ARN"]
                for name, value in secret_values(TEMPLATE).items()}
        yield {"endpoint": ddb.endpoint_url, **arns}
        ddb.reset()


@dataclass(frozen=True)
class Runner:
    """Runs a function of `template` from an artifact, as the Lambda runtime would."""

    python: Path
    sdk: Path
    stack: dict[str, str]

    def invoke(self, artifact: Path, template: dict[str, Any], function: str,
               events: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
        """The answers, the AWS calls and the files imported; an error rather than a raise."""
        tmp_path.mkdir(parents=True, exist_ok=True)
        found = functions_of(template)[function]
        env = found.environment(TABLE, self.stack)
        env |= {"AWS_ACCESS_KEY_ID": "artifact", "AWS_SECRET_ACCESS_KEY": "artifact",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB": self.stack["endpoint"],
                "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.stack["endpoint"]}
        spec = {"path": [str(artifact), str(self.sdk)], "env": env, "events": events,
                "handler": found.handler, "out": str(tmp_path / "out.json")}
        (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        done = subprocess.run([str(self.python), "-I", "-S", str(INVOKE), str(tmp_path / "spec.json")],
                              capture_output=True, text=True, timeout=120,
                              env={"PATH": os.environ["PATH"]}, check=False)
        assert done.returncode == 0 and (tmp_path / "out.json").exists(), done.stderr[-3000:]
        result: dict[str, Any] = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
        result["stdout"] = done.stdout
        return result

    def run(self, artifact: Path, template: dict[str, Any], function: str,
            events: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
        """`invoke`, which must succeed importing nothing from outside the artifact and the SDK."""
        result = self.invoke(artifact, template, function, events, tmp_path)
        assert result["error"] is None, f"{function}:\n{result['error']}\n{result['stdout'][-2000:]}"
        stdlib = self.python.parent.parent / "lib" / f"python{LAMBDA.python}"
        outside = [f for f in result["files"]
                   if not f.startswith((str(artifact), str(self.sdk), str(stdlib))) or "site-packages" in f]
        assert not outside, f"{function} imported from outside its artifact: {outside[:5]}"
        return result


@pytest.fixture(scope="module")
def runner(python: Path, runtime_sdk: Path, stack: dict[str, str]) -> Runner:
    return Runner(python, runtime_sdk, stack)


@pytest.fixture(scope="session")
def host_artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same build for this machine's architecture, so that it can run here."""
    machine = platform.machine()
    return build_artifact(tmp_path_factory.mktemp("host") / "artifact",
                          platform=Platform(LAMBDA.python, machine), progress=lambda _: None)


def demo_document() -> dict[str, Any]:
    """The demo campaign, taking bookings at any hour (the test runs at any time of day)."""
    doc: dict[str, Any] = read_campaign_file(ROOT / "examples" / "demo.yaml")
    doc["games"]["booking"]["booking"] |= {"from_hour": 0, "until_hour": 24}
    return doc
