"""Fixtures for the deployment tests: the template and its offline SAM translation, an offline
AWS env, a function-URL event, a Lambda context."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.tables import load_template

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"
TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"
TEMPLATE = load_template(TEMPLATE_PATH)

# Set before any handler module is imported, so nothing reaches real AWS.
OFFLINE_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "MGAMES_TABLE": "mgames-test",
    "MGAMES_PLAYER_KEYS": "deploy-test-player-key-0123456789abcdef",
    "MGAMES_CONSOLE_KEYS": "deploy-test-console-key-0123456789abcdef",
    "POWERTOOLS_METRICS_NAMESPACE": "Test",
}
# Removed so boto3 neither reads a real profile nor talks to a local endpoint moto cannot see.
UNSET_ENV = (
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_SSM",
)


def resources(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one type, by logical id."""
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == type_}


def translate(template: dict[str, Any]) -> dict[str, Any]:
    """What CloudFormation gets from the SAM transform, computed offline."""
    from samtranslator.parser.parser import Parser
    from samtranslator.public.translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    class OfflinePolicyLoader(ManagedPolicyLoader):
        """Never calls IAM: the template names no managed policy by name."""

        def __init__(self) -> None:
            pass

        def load(self) -> dict[str, str]:
            return {}

    sam = copy.deepcopy(template)
    # What `sam package` does: local CodeUri -> S3 (the translator accepts only S3 URIs).
    for resource in resources(sam, "AWS::Serverless::Function").values():
        resource["Properties"]["CodeUri"] = "s3://mgames-artifacts/code.zip"
    Parser.validate_datatypes(sam)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the translator asks boto3 for a region
        translated: dict[str, Any] = transform(sam, {}, OfflinePolicyLoader())
        return translated


@dataclass
class FakeLambdaContext:
    """The attributes of a Lambda context object that Powertools reads."""

    function_name: str = "LuckyWheelFunction"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:LuckyWheelFunction"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    log_group_name: str = "/aws/lambda/test/prod/lucky-wheel"
    log_stream_name: str = "2025/01/01/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of the JSON event fixture ``tests/events/<name>.json``."""
    with (EVENTS_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return copy.deepcopy(json.load(fh))


@pytest.fixture
def offline_aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Dummy credentials, us-east-1 and test settings; no profile, no custom endpoint."""
    for name in UNSET_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in OFFLINE_ENV.items():
        monkeypatch.setenv(name, value)
    return dict(OFFLINE_ENV)


@pytest.fixture
def function_url_get_event() -> dict[str, Any]:
    """A Lambda function-URL event (payload 2.0): GET /openapi.json."""
    return load_event("function_url_get")


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()
