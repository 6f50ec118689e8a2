"""template.yaml is valid offline (cfn-lint, SAM translator), its handlers import and serve a
function-URL event, and infra/tables.py creates the template's tables."""

from __future__ import annotations

import base64
import copy
import importlib
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.tables import TTL_KEY, create_tables, load_template, table_definitions
from tests.deploy.conftest import load_event

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
TEMPLATE = load_template(TEMPLATE_PATH)
DYNAMODB_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",  # transactional deletes (e.g. red-packet expiry index entries)
    "dynamodb:TransactWriteItems",
    "dynamodb:ConditionCheckItem",
}


def _resources(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == type_}


def _trigger(properties: dict[str, Any]) -> str:
    """How a function is invoked: by its function URL, by API Gateway, or on a schedule."""
    if "FunctionUrlConfig" in properties:
        return "url"
    events = properties.get("Events", {}).values()
    return "api" if any(e["Type"] == "Api" for e in events) else "schedule"


def _handlers(trigger: str = "url") -> list[tuple[str, str]]:
    """(logical id, handler) of the functions invoked by `trigger`."""
    default = TEMPLATE.get("Globals", {}).get("Function", {}).get("Handler")
    return [
        (logical_id, resource["Properties"].get("Handler", default))
        for logical_id, resource in _resources(TEMPLATE, "AWS::Serverless::Function").items()
        if _trigger(resource["Properties"]) == trigger
    ]


GAME_FUNCTIONS = [logical_id for logical_id, _ in _handlers()]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- cfn-lint -----------------------------------------------------------------------------


def test_cfn_lint_clean() -> None:
    from cfnlint.api import lint

    matches = lint(TEMPLATE_PATH.read_text(encoding="utf-8"), regions=["us-east-1"])
    problems = [m for m in matches if m.rule.id[0] in "EW"]
    assert not problems, "\n".join(str(m) for m in problems)


# --- SAM translator -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def translated() -> dict[str, Any]:
    from samtranslator.parser.parser import Parser
    from samtranslator.public.translator import ManagedPolicyLoader
    from samtranslator.translator.transform import transform

    class OfflinePolicyLoader(ManagedPolicyLoader):
        """Never calls IAM: the template names no managed policy by name."""

        def __init__(self) -> None:
            pass

        def load(self) -> dict[str, str]:
            return {}

    sam = copy.deepcopy(TEMPLATE)
    # What `sam package` does: local CodeUri -> S3 (the translator accepts only S3 URIs).
    for resource in _resources(sam, "AWS::Serverless::Function").values():
        resource["Properties"]["CodeUri"] = "s3://mgames-artifacts/code.zip"
    Parser.validate_datatypes(sam)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the translator asks boto3 for a region
        return transform(sam, {}, OfflinePolicyLoader())


def test_sam_translates_function_url_with_cors(translated: dict[str, Any]) -> None:
    urls = _resources(translated, "AWS::Lambda::Url")
    assert set(urls) == {f"{fn}Url" for fn in GAME_FUNCTIONS}
    assert {"LuckyWheelFunction", "CheckInFunction", "AssistFunction", "RedPacketFunction"} <= set(
        GAME_FUNCTIONS)
    for logical_id in GAME_FUNCTIONS:
        props = urls[f"{logical_id}Url"]["Properties"]
        assert props["AuthType"] == "NONE"
        assert props["TargetFunctionArn"] == {"Ref": logical_id}
        assert props["Cors"] == {
            "AllowOrigins": {"Ref": "AllowedOrigins"},
            "AllowHeaders": ["Authorization", "Content-Type", "Idempotency-Key"],
            "AllowMethods": ["GET", "POST"],
            "MaxAge": 300,
        }
    # A public URL needs both permissions (lambda:InvokeFunction since October 2025).
    permissions = [
        p["Properties"] for p in _resources(translated, "AWS::Lambda::Permission").values()
    ]
    assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= {
        p["Action"] for p in permissions
    }


def test_sam_translates_function_settings(translated: dict[str, Any]) -> None:
    fn = translated["Resources"]["LuckyWheelFunction"]
    assert fn["Type"] == "AWS::Lambda::Function"
    props = fn["Properties"]
    assert props["Runtime"] == "python3.12"
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == 512
    assert props["Timeout"] == 10
    assert props.get("TracingConfig", {}).get("Mode") != "Active"
    assert props["LoggingConfig"] == {"LogGroup": {"Ref": "LuckyWheelLogGroup"}}
    env = props["Environment"]["Variables"]
    assert env["MGAMES_TABLE"] == {"Ref": "GamesTable"}
    assert env["MGAMES_TOKEN_SECRET_PARAM"] == {"Ref": "TokenSecretParameterName"}
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"
    log_group = translated["Resources"]["LuckyWheelLogGroup"]
    assert log_group["Properties"]["RetentionInDays"] > 0


def test_sam_translates_table_with_ttl_and_pitr(translated: dict[str, Any]) -> None:
    tables = _resources(translated, "AWS::DynamoDB::Table")
    assert set(tables) == {"GamesTable"}
    table = tables["GamesTable"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert "GlobalSecondaryIndexes" not in props


def test_iam_is_least_privilege(translated: dict[str, Any]) -> None:
    roles = _resources(translated, "AWS::IAM::Role")
    managed = _resources(translated, "AWS::IAM::ManagedPolicy")
    statements = [
        statement
        for role in roles.values()
        for policy in role["Properties"].get("Policies", [])
        for statement in _as_list(policy["PolicyDocument"]["Statement"])
    ] + [
        statement
        for policy in managed.values()
        for statement in _as_list(policy["Properties"]["PolicyDocument"]["Statement"])
    ]
    # every game function gets the table and the token secret; the worker only the table
    for logical_id in GAME_FUNCTIONS:
        attached = roles[f"{logical_id}Role"]["Properties"]["ManagedPolicyArns"]
        assert {"Ref": "GamesTableAccessPolicy"} in attached
        assert {"Ref": "TokenSecretReadPolicy"} in attached
    worker = roles["WorkerFunctionRole"]["Properties"]["ManagedPolicyArns"]
    assert {"Ref": "GamesTableAccessPolicy"} in worker
    assert {"Ref": "TokenSecretReadPolicy"} not in worker
    # only the console may Scan (its report), through a policy of its own
    scanners = [name for name, role in roles.items()
                if {"Ref": "ConsoleReportPolicy"} in role["Properties"].get("ManagedPolicyArns", [])]
    assert scanners == ["ConsoleFunctionRole"]
    report = managed["ConsoleReportPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Action"] for s in report] == [["dynamodb:Scan"]]
    statements = [s for s in statements if s not in report]
    dynamodb = [
        s for s in statements if any(a.startswith("dynamodb:") for a in _as_list(s["Action"]))
    ]
    assert dynamodb, "no DynamoDB statement found"
    for statement in dynamodb:
        resources = _as_list(statement["Resource"])
        assert "*" not in resources and "arn:aws:dynamodb:*" not in resources
        assert resources == [{"Fn::GetAtt": ["GamesTable", "Arn"]}]
        assert set(_as_list(statement["Action"])) <= DYNAMODB_ACTIONS
    granted = {a for s in dynamodb for a in _as_list(s["Action"])}
    assert granted == DYNAMODB_ACTIONS

    ssm = [s for s in statements if "ssm:GetParameter" in _as_list(s["Action"])]
    # each parameter read is granted on that one parameter: the token secret, and the
    # partners' key secrets (the console only)
    assert sorted(s["Resource"]["Fn::Sub"] for s in ssm) == sorted(
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${" + name + "}"
        for name in ("PartnerKeysParameterName", "TokenSecretParameterName")
    )
    partner_keys = [
        name for name, role in roles.items()
        for policy in role["Properties"].get("Policies", [])
        if "PartnerKeysParameterName" in json.dumps(policy)
    ]
    assert partner_keys == ["ConsoleFunctionRole"]
    assert all("*" not in json.dumps(s["Action"]) for s in statements)


# --- handlers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("logical_id", "handler"), _handlers(), ids=[h[0] for h in _handlers()])
def test_handler_serves_openapi(
    logical_id: str,
    handler: str,
    offline_aws_env: dict[str, str],
    function_url_get_event: dict[str, Any],
    lambda_context: Any,
) -> None:
    module_name, _, attr = handler.rpartition(".")
    with mock_aws():
        create_tables(boto3.client("dynamodb"), {"GamesTable": offline_aws_env["MGAMES_TABLE"]})
        module = importlib.import_module(module_name)
        response = getattr(module, attr)(function_url_get_event, lambda_context)

    assert response["statusCode"] == 200, response
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    document = json.loads(body)
    assert str(document["openapi"]).startswith("3.1"), document.get("openapi")


@pytest.mark.parametrize(("logical_id", "handler"), _handlers("schedule"),
                         ids=[h[0] for h in _handlers("schedule")])
def test_scheduled_handler_runs(
    logical_id: str, handler: str, offline_aws_env: dict[str, str], lambda_context: Any,
) -> None:
    from plugins.store import bind_table

    module_name, _, attr = handler.rpartition(".")
    try:
        with mock_aws():
            create_tables(boto3.client("dynamodb"), {"GamesTable": offline_aws_env["MGAMES_TABLE"]})
            bind_table(offline_aws_env["MGAMES_TABLE"])
            module = importlib.import_module(module_name)
            result = getattr(module, attr)(load_event("scheduled"), lambda_context)
    finally:
        bind_table(offline_aws_env["MGAMES_TABLE"])  # drop the client made under the mock
    assert all(count >= 0 for count in result["handled"].values()), result


# --- infra/tables.py ----------------------------------------------------------------------


def test_load_template_turns_short_form_tags_into_long_form(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Version: 2012-10-17\n"
        "A: !Ref X\n"
        "B: !GetAtt Res.Attr.Nested\n"
        "C: !Sub 'a-${X}'\n"
        "D: !If [Cond, !Select [0, !Split [',', !Join [',', [a, b]]]], !GetAZs '']\n"
        "E: !And [!Equals [a, b], !Not [!Condition C], !Or [!Condition D]]\n"
        "F: !FindInMap [M, K, V]\n"
        "G: !ImportValue {'Fn::Sub': 'x'}\n"
        "H: !Base64 {'Fn::Cidr': [10.0.0.0/16, 2, 8]}\n"
        "I: !Cidr [10.0.0.0/16, 2, 8]\n",
        encoding="utf-8",
    )
    t = load_template(path)
    assert t["Version"] == "2012-10-17"
    assert t["A"] == {"Ref": "X"}
    assert t["B"] == {"Fn::GetAtt": ["Res", "Attr.Nested"]}
    assert t["C"] == {"Fn::Sub": "a-${X}"}
    assert t["D"] == {
        "Fn::If": [
            "Cond",
            {"Fn::Select": [0, {"Fn::Split": [",", {"Fn::Join": [",", ["a", "b"]]}]}]},
            {"Fn::GetAZs": ""},
        ]
    }
    assert t["E"] == {
        "Fn::And": [
            {"Fn::Equals": ["a", "b"]},
            {"Fn::Not": [{"Condition": "C"}]},
            {"Fn::Or": [{"Condition": "D"}]},
        ]
    }
    assert t["F"] == {"Fn::FindInMap": ["M", "K", "V"]}
    assert t["G"] == {"Fn::ImportValue": {"Fn::Sub": "x"}}
    assert t["H"] == {"Fn::Base64": {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}}
    assert t["I"] == {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}


def test_load_template_defaults_to_repo_template() -> None:
    assert load_template() == TEMPLATE
    assert TEMPLATE["Outputs"]["LuckyWheelFunctionUrl"]["Value"] == {
        "Fn::GetAtt": ["LuckyWheelFunctionUrl", "FunctionUrl"]
    }


def test_table_definitions_follow_template() -> None:
    props = TEMPLATE["Resources"]["GamesTable"]["Properties"]
    assert table_definitions(TEMPLATE) == {
        "GamesTable": {
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": "PAY_PER_REQUEST",
            TTL_KEY: "ttl",
        }
    }


def test_create_tables_from_template(offline_aws_env: dict[str, str]) -> None:
    props = TEMPLATE["Resources"]["GamesTable"]["Properties"]
    with mock_aws():
        client = boto3.client("dynamodb")
        assert create_tables(client) == {"GamesTable": "mgames-test"}
        # Idempotent: the existing table is left alone, same answer.
        assert create_tables(client) == {"GamesTable": "mgames-test"}

        table = client.describe_table(TableName="mgames-test")["Table"]
        assert table["TableStatus"] == "ACTIVE"
        assert table["KeySchema"] == props["KeySchema"]
        assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
            props["AttributeDefinitions"], key=lambda a: a["AttributeName"]
        )
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        ttl = client.describe_time_to_live(TableName="mgames-test")["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
        assert client.list_tables()["TableNames"] == ["mgames-test"]


def test_create_tables_names(
    offline_aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MGAMES_TABLE")
    with mock_aws():
        client = boto3.client("dynamodb")
        assert create_tables(client) == {"GamesTable": "mgames-local"}
        assert create_tables(client, {"GamesTable": "other"}) == {"GamesTable": "other"}
        assert sorted(client.list_tables()["TableNames"]) == ["mgames-local", "other"]


@pytest.mark.parametrize(("logical_id", "handler"), _handlers("api"), ids=[h[0] for h in _handlers("api")])
def test_api_handler_answers_with_the_envelope(
    logical_id: str, handler: str, offline_aws_env: dict[str, str], lambda_context: Any,
) -> None:
    module_name, _, attr = handler.rpartition(".")
    app = getattr(importlib.import_module(module_name), attr)
    event = load_event("api_gateway_report")
    response = app(event, lambda_context)
    assert response["statusCode"] == 401, response
    assert json.loads(response["body"])["error"]["code"] == "TOKEN_MISSING"
