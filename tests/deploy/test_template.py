"""template.yaml is valid offline (cfn-lint on it and on its translation, the SAM translator,
`sam validate --lint`), grants each function only real actions it needs, its handlers import
and serve an event, and infra/tables.py creates the template's tables."""

from __future__ import annotations

import base64
import importlib
import json
import os
import runpy
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import boto3
import pytest
from moto import mock_aws

from infra.tables import TTL_KEY, create_tables, load_template, table_definitions
from plugins.registry import get_game, table_actions
from tests.deploy.conftest import TEMPLATE, TEMPLATE_PATH, load_event, resources, translate

T = TypeVar("T")

ROOT = TEMPLATE_PATH.parent
# What each kind of function does to the table. Transactions are authorized per part (there
# is no dynamodb:TransactWriteItems action): their puts, updates, deletes and condition checks.
READS = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
WORKER_ACTIONS = READS | WRITES  # sweeps: query due-lists, settle what expired
CONSOLE_ACTIONS = READS | WRITES  # no player action; the report is one Query of its figures
AGGREGATOR_ACTIONS = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem",
                      "dynamodb:UpdateItem",  # config, marks read; marks and figures written
                      "dynamodb:ConditionCheckItem"}  # a webhook event queued unless delivered already


def _game_actions(function: str) -> set[str]:
    """A game function's: the platform's reads and transaction parts, plus its game's own."""
    game = TEMPLATE["Resources"][function]["Properties"]["Environment"]["Variables"]["MGAMES_GAME"]
    return set(table_actions(get_game(game)))


def _trigger(properties: dict[str, Any]) -> str:
    """How a function is invoked: by its function URL, by API Gateway, by the table's stream,
    or on a schedule."""
    if "FunctionUrlConfig" in properties:
        return "url"
    kinds = {e["Type"] for e in properties.get("Events", {}).values()}
    return "api" if "Api" in kinds else "stream" if "DynamoDB" in kinds else "schedule"


def _handlers(trigger: str = "url") -> list[tuple[str, str]]:
    """(logical id, handler) of the functions invoked by `trigger`."""
    default = TEMPLATE.get("Globals", {}).get("Function", {}).get("Handler")
    return [
        (logical_id, resource["Properties"].get("Handler", default))
        for logical_id, resource in resources(TEMPLATE, "AWS::Serverless::Function").items()
        if _trigger(resource["Properties"]) == trigger
    ]


def _load_handler(logical_id: str, handler: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The function's handler as Lambda's init makes it: the template's literal environment
    (e.g. MGAMES_GAME) set, then its module run afresh if that environment shapes it."""
    variables = TEMPLATE["Resources"][logical_id]["Properties"].get("Environment", {})
    literal = {k: v for k, v in variables.get("Variables", {}).items() if isinstance(v, str)}
    for name, value in literal.items():
        monkeypatch.setenv(name, value)
    module_name, _, attr = handler.rpartition(".")
    if not literal:
        return getattr(importlib.import_module(module_name), attr)
    return runpy.run_module(module_name)[attr]


GAME_FUNCTIONS = [logical_id for logical_id, _ in _handlers()]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- cfn-lint -----------------------------------------------------------------------------


def _lint(text: str) -> list[str]:
    from cfnlint.api import lint

    return [str(m) for m in lint(text, regions=["us-east-1"]) if m.rule.id[0] in "EW"]


def test_cfn_lint_clean() -> None:
    problems = _lint(TEMPLATE_PATH.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


# --- SAM translator -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def translated() -> dict[str, Any]:
    return translate(TEMPLATE)


def test_cfn_lint_clean_on_the_expanded_template(translated: dict[str, Any]) -> None:
    # What CloudFormation receives: plain resources (roles, URLs, permissions, rules), which
    # cfn-lint checks more deeply than the SAM resources it validates by schema.
    problems = _lint(json.dumps(translated))
    assert not problems, "\n".join(problems)


def test_sam_validate_lint_is_clean_offline(tmp_path: Path, sam_cli: Path) -> None:
    sam = sam_cli
    # Offline: dummy credentials, no telemetry, and any HTTP(S) through a proxy that is not
    # there, so a network call would fail at once rather than hang.
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "SAM_CLI_TELEMETRY": "0", "HOME": str(tmp_path),
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    env.pop("AWS_PROFILE", None)
    done = subprocess.run([str(sam), "validate", "--lint", "--template", str(TEMPLATE_PATH)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "is a valid SAM Template" in done.stdout + done.stderr


def test_sam_translates_function_url_with_cors(translated: dict[str, Any]) -> None:
    urls = resources(translated, "AWS::Lambda::Url")
    assert set(urls) == {f"{fn}Url" for fn in GAME_FUNCTIONS}
    assert {"LuckyWheelFunction", "CheckInFunction", "AssistFunction", "RedPacketFunction"} <= set(
        GAME_FUNCTIONS)
    for logical_id in GAME_FUNCTIONS:
        props = urls[f"{logical_id}Url"]["Properties"]
        assert props["AuthType"] == "NONE"
        assert props["TargetFunctionArn"] == {"Ref": logical_id}
        assert props["Cors"] == {
            "AllowOrigins": {"Ref": "AllowedOrigins"},
            "AllowHeaders": ["Accept-Language", "Authorization", "Content-Type", "Idempotency-Key"],
            # a page reads only the headers CORS exposes: a replayed answer, when to retry, the id
            "ExposeHeaders": ["Idempotent-Replayed", "Retry-After", "X-Request-Id"],
            "AllowMethods": ["GET", "POST"],
            "MaxAge": 300,
        }
    # A public URL needs both permissions (lambda:InvokeFunction since October 2025).
    permissions = [
        p["Properties"] for p in resources(translated, "AWS::Lambda::Permission").values()
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
    assert props["Handler"] == "functions.game.handler"
    env = props["Environment"]["Variables"]
    assert env["MGAMES_GAME"] == "lucky-wheel"
    assert env["MGAMES_TABLE"] == {"Ref": "GamesTable"}
    assert env["MGAMES_PLAYER_KEYS_ARN"] == {"Ref": "PlayerKeysSecret"}
    assert env["MGAMES_CONSOLE_KEYS_ARN"] == {"Ref": "ConsoleKeysSecret"}  # staff, brand routes
    assert not {"MGAMES_PLAYER_KEYS", "MGAMES_CONSOLE_KEYS"} & set(env)  # keys: Secrets Manager only
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert props["ReservedConcurrentExecutions"] == {"Fn::If": [
        "ReserveGameConcurrency", {"Ref": "GameReservedConcurrency"}, {"Ref": "AWS::NoValue"}]}
    log_group = translated["Resources"]["LuckyWheelLogGroup"]
    assert log_group["Properties"]["RetentionInDays"] > 0


def test_sam_translates_table_with_ttl_and_pitr(translated: dict[str, Any]) -> None:
    tables = resources(translated, "AWS::DynamoDB::Table")
    assert set(tables) == {"GamesTable"}
    table = tables["GamesTable"]
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert "GlobalSecondaryIndexes" not in props


def _granted(translated: dict[str, Any], role: str) -> dict[str, set[str]]:
    """Action -> the resources (as JSON) a function's role is granted it on."""
    managed = resources(translated, "AWS::IAM::ManagedPolicy")
    props = translated["Resources"][role]["Properties"]
    documents = [p["PolicyDocument"] for p in props.get("Policies", [])] + [
        managed[arn["Ref"]]["Properties"]["PolicyDocument"]
        for arn in props.get("ManagedPolicyArns", []) if isinstance(arn, dict) and "Ref" in arn]
    granted: dict[str, set[str]] = {}
    for document in documents:
        for statement in _as_list(document["Statement"]):
            assert statement["Effect"] == "Allow"
            for action in _as_list(statement["Action"]):
                for resource in _as_list(statement["Resource"]):
                    granted.setdefault(action, set()).add(json.dumps(resource, sort_keys=True))
    return granted


TABLE = json.dumps({"Fn::GetAtt": ["GamesTable", "Arn"]})
LAMBDA_BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
WEBHOOK_SECRETS = ("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:"
                   "secret:mgames/webhooks/*")
PARTY_SECRETS = WEBHOOK_SECRETS.replace("/*", "/parties/*")


@pytest.mark.parametrize(("role", "table_actions", "secrets"), [
    *[(f"{fn}Role", _game_actions(fn), {"PlayerKeysSecret", "ConsoleKeysSecret", "EdgeSecret",
                                                        "DrawSeedSecret"})
      for fn in GAME_FUNCTIONS],
    # the console holds no player key: it refuses player tokens unverified; it reads the draw
    # seeds' key to publish the commitments (and past days' seeds) in a disclosure; it creates,
    # reads and rotates the secrets of partners' own webhook endpoints (only those, test below)
    ("ConsoleFunctionRole", CONSOLE_ACTIONS, {"ConsoleKeysSecret", "PartnerKeysSecret",
                                              "DrawSeedSecret", PARTY_SECRETS}),
    # the worker signs webhook deliveries: only the secrets under mgames/webhooks/
    ("WorkerFunctionRole", WORKER_ACTIONS, {WEBHOOK_SECRETS}),
])
def test_iam_is_least_privilege(
    translated: dict[str, Any], role: str, table_actions: set[str], secrets: set[str],
) -> None:
    granted = _granted(translated, role)
    dynamodb = {action for action in granted if action.startswith("dynamodb:")}
    assert dynamodb == table_actions
    assert all(granted[action] == {TABLE} for action in dynamodb)  # the one table, no index
    assert "dynamodb:TransactWriteItems" not in granted  # not an IAM action
    read_secrets = {json.loads(r).get("Ref") or json.loads(r)["Fn::Sub"]
                    for r in granted.pop("secretsmanager:GetSecretValue", ())}
    assert read_secrets == secrets
    for write in ("secretsmanager:CreateSecret", "secretsmanager:PutSecretValue"):  # create, rotate
        written = {json.loads(r)["Fn::Sub"] for r in granted.pop(write, ())}
        assert written == ({PARTY_SECRETS} if role == "ConsoleFunctionRole" else set()), write
    assert set(granted) == dynamodb  # nothing else, no wildcard
    # besides ours (read above), only the SAM default that lets the function write its logs
    aws_managed = [arn for arn in translated["Resources"][role]["Properties"]["ManagedPolicyArns"]
                   if not (isinstance(arn, dict) and "Ref" in arn)]
    assert aws_managed == [LAMBDA_BASIC]


def test_the_aggregator_reads_the_stream_and_dead_letters_only_to_its_queue(
        translated: dict[str, Any]) -> None:
    role = "AggregatorFunctionRole"
    granted = _granted(translated, role)
    assert {a for a in granted if a.startswith("dynamodb:")} == AGGREGATOR_ACTIONS
    assert all(granted[a] == {TABLE} for a in AGGREGATOR_ACTIONS)
    queue = {json.dumps({"Fn::GetAtt": ["AggregatorDeadLetters", "Arn"]}, sort_keys=True)}
    assert set(granted) - AGGREGATOR_ACTIONS == {"sqs:SendMessage"} and granted["sqs:SendMessage"] == queue
    aws_managed = [arn for arn in translated["Resources"][role]["Properties"]["ManagedPolicyArns"]
                   if not (isinstance(arn, dict) and "Ref" in arn)]
    assert sorted(aws_managed) == sorted([
        LAMBDA_BASIC, "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"])
    mapping = next(r["Properties"] for r in translated["Resources"].values()
                   if r["Type"] == "AWS::Lambda::EventSourceMapping")
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert "StreamArn" in json.dumps(mapping["EventSourceArn"])


def test_every_function_is_built_by_the_makefile_from_the_project_root() -> None:
    for logical_id, resource in resources(TEMPLATE, "AWS::Serverless::Function").items():
        assert resource.get("Metadata") == {"BuildMethod": "makefile"}, logical_id
        assert resource["Properties"]["CodeUri"] == ".", logical_id


# --- handlers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("logical_id", "handler"), _handlers(), ids=[h[0] for h in _handlers()])
def test_handler_serves_openapi(
    logical_id: str,
    handler: str,
    offline_aws_env: dict[str, str],
    function_url_get_event: dict[str, Any],
    lambda_context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plugins.registry import get_game
    from plugins.store import bind_table

    try:
        with mock_aws():
            create_tables(boto3.client("dynamodb"), {"GamesTable": offline_aws_env["MGAMES_TABLE"]})
            serve = _load_handler(logical_id, handler, monkeypatch)
            response = serve(function_url_get_event, lambda_context)
    finally:
        bind_table(offline_aws_env["MGAMES_TABLE"])  # drop the client made under the mock

    assert response["statusCode"] == 200, response
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    document = json.loads(body)
    assert str(document["openapi"]).startswith("3.1"), document.get("openapi")
    # each function serves the game its environment names
    assert document["info"]["title"] == f"{get_game(os.environ['MGAMES_GAME']).title} API"


def _offline(logical_id: str, handler: str, table: str, monkeypatch: pytest.MonkeyPatch,
             run: Callable[[Any], T]) -> T:
    """`run(handler)` under moto, the table made from the template and bound, the handler
    loaded as Lambda's init would."""
    from plugins.aggregates import forget_marks
    from plugins.store import bind_table

    try:
        with mock_aws():
            create_tables(boto3.client("dynamodb"), {"GamesTable": table})
            bind_table(table)
            forget_marks()  # a new table under a name this worker's earlier tests aggregated into
            return run(_load_handler(logical_id, handler, monkeypatch))
    finally:
        bind_table(table)  # drop the client made under the mock


@pytest.mark.parametrize(("logical_id", "handler"), _handlers("schedule"),
                         ids=[h[0] for h in _handlers("schedule")])
def test_scheduled_handler_runs(
    logical_id: str, handler: str, offline_aws_env: dict[str, str], lambda_context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = _offline(logical_id, handler, offline_aws_env["MGAMES_TABLE"], monkeypatch,
                      lambda serve: serve(load_event("scheduled"), lambda_context))
    assert all(count >= 0 for count in result["handled"].values()), result


@pytest.mark.parametrize(("logical_id", "handler"), _handlers("stream"),
                         ids=[h[0] for h in _handlers("stream")])
def test_stream_handler_counts_a_batch(
    logical_id: str, handler: str, offline_aws_env: dict[str, str], lambda_context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plugins.aggregates import read_figures

    def twice(serve: Any) -> tuple[list[Any], Any]:
        event = load_event("dynamodb_stream")
        answers = [serve(event, lambda_context) for _ in range(2)]  # Lambda's retry
        return answers, read_figures("demo").campaign()

    answers, counted = _offline(logical_id, handler, offline_aws_env["MGAMES_TABLE"], monkeypatch, twice)
    assert answers == [{"batchItemFailures": []}] * 2
    assert (counted["plays"], counted["prize:coffee"], counted["cost:prizes"]) == (1, 1, 600)
    assert (counted["players"], counted["winners"]) == (1, 1)


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
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _load_handler(logical_id, handler, monkeypatch)
    event = load_event("api_gateway_report")
    response = app(event, lambda_context)
    assert response["statusCode"] == 401, response
    assert json.loads(response["body"])["error"]["code"] == "TOKEN_MISSING"
