"""Tests for infra.local.dynamodb: patched transactions match stock moto; the server is atomic."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends

from infra.local.dynamodb import (
    LocalDynamoDB,
    patch_moto_transactions,
    transact_write_items,
    unpatch_moto_transactions,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeDefinitionTypeDef, TransactWriteItemTypeDef

GAMES, LEDGER = "Games", "Ledger"


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dummy credentials, no endpoint override, and the patch state restored afterwards."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    before = DynamoDBBackend.transact_write_items
    yield
    DynamoDBBackend.transact_write_items = before  # type: ignore[method-assign]


def S(v: str) -> dict[str, str]:
    return {"S": v}


def N(v: int) -> dict[str, str]:
    return {"N": str(v)}


class Options(TypedDict, total=False):
    """The optional parts of a transaction item the script uses."""

    ConditionExpression: str
    ExpressionAttributeNames: dict[str, str]
    ExpressionAttributeValues: dict[str, dict[str, str]]
    ReturnValuesOnConditionCheckFailure: Literal["ALL_OLD", "NONE"]


def put(table: str, **attrs: Any) -> TransactWriteItemTypeDef:
    return {"Put": {"TableName": table, "Item": attrs}}


def update(table: str, key: dict[str, Any], expr: str, **kw: Unpack[Options]) -> TransactWriteItemTypeDef:
    return {"Update": {"TableName": table, "Key": key, "UpdateExpression": expr, **kw}}


def check(table: str, key: dict[str, Any], cond: str, **kw: Unpack[Options]) -> TransactWriteItemTypeDef:
    return {"ConditionCheck": {"TableName": table, "Key": key, "ConditionExpression": cond, **kw}}


def delete(table: str, key: dict[str, Any], **kw: Unpack[Options]) -> TransactWriteItemTypeDef:
    return {"Delete": {"TableName": table, "Key": key, **kw}}


def g(pk: str) -> dict[str, Any]:
    return {"pk": S(pk)}


POSITIVE: Options = {"ConditionExpression": "stock > :zero", "ExpressionAttributeValues": {":zero": N(0)}}
DECREMENT: Options = {
    "ConditionExpression": "stock > :zero",
    "ExpressionAttributeValues": {":zero": N(0), ":one": N(1)},
}

# Each transaction either commits, or must leave no trace (earlier items included).
SCRIPT: list[list[TransactWriteItemTypeDef]] = [
    # 0: commits, every operation type, both tables
    [
        put(GAMES, pk=S("new"), stock=N(3)),
        update(GAMES, g("g1"), "SET stock = stock - :one", **DECREMENT),
        delete(GAMES, g("g2"), **POSITIVE),
        check(GAMES, g("g3"), "attribute_exists(pk)"),
        put(LEDGER, pk=S("u1"), sk=S("e1"), amount=N(5)),
    ],
    # 1: cancelled by the middle item, ALL_OLD returns the old item
    [
        put(GAMES, pk=S("x"), stock=N(1)),
        update(GAMES, g("g4"), "SET stock = stock + :n", ExpressionAttributeValues={":n": N(7)}),
        check(
            GAMES,
            g("g5"),
            "stock > :big",
            ExpressionAttributeValues={":big": N(99)},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        delete(GAMES, g("g6")),
        update(
            LEDGER,
            {"pk": S("u2"), "sk": S("e1")},
            "SET amount = :a",
            ExpressionAttributeValues={":a": N(1)},
        ),
    ],
    # 2: cancelled on a missing item (ALL_OLD has nothing to return), updates that create items
    [
        delete(LEDGER, {"pk": S("u1"), "sk": S("e1")}),
        update(GAMES, g("fresh"), "SET stock = :n", ExpressionAttributeValues={":n": N(2)}),
        update(
            GAMES,
            g("missing"),
            "SET stock = :n",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":n": N(2)},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
    ],
    # 3: two failures, one of them on a table that does not exist
    [
        put(GAMES, pk=S("g7"), stock=N(0)),
        check(GAMES, g("g8"), "stock < :zero", ExpressionAttributeValues={":zero": N(0)}),
        check("Nope", g("g8"), "attribute_exists(pk)"),
    ],
    # 4: the same item twice -> ValidationException, after two items were applied
    [
        put(GAMES, pk=S("g7"), stock=N(0)),
        update(GAMES, g("g8"), "SET stock = :n", ExpressionAttributeValues={":n": N(50)}),
        delete(GAMES, g("g7")),
    ],
    # 5: an update that mutates the item, then fails -> ValidationException
    [
        put(GAMES, pk=S("g9"), stock=N(0)),
        update(
            LEDGER,
            {"pk": S("u1"), "sk": S("e1")},
            "SET amount = :n",
            ExpressionAttributeValues={":n": N(0)},
        ),
        update(
            GAMES,
            g("g0"),
            "SET stock = :n ADD #nm :n",
            ExpressionAttributeNames={"#nm": "name"},
            ExpressionAttributeValues={":n": N(1)},
        ),
    ],
    # 6: too many items
    [put(GAMES, pk=S(f"bulk{i}"), stock=N(i)) for i in range(101)],
    # 7: commits after all the failures
    [
        update(GAMES, g(f"g{i}"), "SET stock = stock - :one", **DECREMENT)
        for i in (0, 1, 3, 4, 5, 6, 8, 9)
    ],
]


def _run_script(patched: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run SCRIPT under mock_aws with stock or patched moto; return outcomes and final state."""
    (patch_moto_transactions if patched else unpatch_moto_transactions)()
    assert (DynamoDBBackend.transact_write_items is transact_write_items) is patched
    with mock_aws():
        ddb = boto3.client("dynamodb")
        key: list[AttributeDefinitionTypeDef] = [{"AttributeName": "pk", "AttributeType": "S"}]
        ddb.create_table(
            TableName=GAMES,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=key,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        ddb.create_table(
            TableName=LEDGER,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[*key, {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
        )
        for i in range(10):
            ddb.put_item(
                TableName=GAMES, Item={"pk": S(f"g{i}"), "stock": N(10 + i), "name": S("n")}
            )
        outcomes: list[dict[str, Any]] = []
        for items in SCRIPT:
            try:
                response: dict[str, Any] = dict(ddb.transact_write_items(TransactItems=items))
                response.pop("ResponseMetadata")
                outcomes.append({"ok": response})
            except ClientError as e:
                outcomes.append(
                    {
                        "code": e.response["Error"]["Code"],
                        "message": e.response["Error"]["Message"],
                        "reasons": e.response.get("CancellationReasons"),
                    }
                )
        state: dict[str, Any] = {
            t: sorted(
                ddb.scan(TableName=t)["Items"], key=lambda i: (i["pk"]["S"], str(i.get("sk")))
            )
            for t in (GAMES, LEDGER)
        }
        # Read the stream in-process: moto's DescribeStream is not served under mock_aws.
        shard = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(GAMES).stream_shard
        assert shard is not None
        state["stream"] = [
            {"eventName": r.record["eventName"]}
            | {k: r.record["dynamodb"].get(k) for k in ("Keys", "NewImage", "OldImage")}
            for r in shard.items
        ]
    return outcomes, state


def test_patched_transactions_match_stock_moto() -> None:
    stock = _run_script(patched=False)
    patched = _run_script(patched=True)
    assert patched == stock

    # And the script exercised what it claims to, so that equality means something.
    outcomes, state = patched
    codes = [o.get("code") for o in outcomes]
    cancelled, invalid = "TransactionCanceledException", "ValidationException"
    assert codes == [None, *[cancelled] * 3, *[invalid] * 3, None]
    assert "multiple operations on one item" in outcomes[4]["message"]
    assert "incorrect data type" in outcomes[5]["message"]
    assert "less than or equal to 100" in outcomes[6]["message"]
    failed = "ConditionalCheckFailed"
    reasons = [[r["Code"] for r in o["reasons"]] for o in outcomes[1:4]]
    assert reasons == [
        ["None", "None", failed, "None", "None"],
        ["None", "None", failed],
        ["None", failed, "ResourceNotFoundException"],
    ]
    assert outcomes[1]["reasons"][2]["Item"] == {"pk": S("g5"), "stock": N(15), "name": S("n")}
    assert "Item" not in outcomes[2]["reasons"][2]
    games = {i["pk"]["S"]: int(i["stock"]["N"]) for i in state[GAMES]}
    # Committed: txn 0 and 7 only; every item a failed transaction touched is as before.
    expected = {"new": 3, "g0": 9, "g1": 9, "g3": 12, "g4": 13, "g5": 14, "g6": 15, "g7": 17}
    assert games == expected | {"g8": 17, "g9": 18}
    assert state[LEDGER] == [{"pk": S("u1"), "sk": S("e1"), "amount": N(5)}]
    events = [r["eventName"] for r in state["stream"]]
    assert events == [*["INSERT"] * 11, "MODIFY", "REMOVE", *["MODIFY"] * 8]


@pytest.mark.parametrize("case", ["two ops in one item", "table named by ARN"])
def test_rolls_back_where_upstream_leaves_partial_writes(case: str) -> None:
    """Upstream keeps the first Put in both cases; the patched version keeps nothing."""
    patch_moto_transactions()
    with mock_aws():
        ddb = boto3.client("dynamodb")
        arn = ddb.create_table(
            TableName=GAMES,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )["TableDescription"]["TableArn"]
        second: TransactWriteItemTypeDef
        if case == "two ops in one item":
            second, error = {**put(GAMES, pk=S("b")), **delete(GAMES, g("c"))}, "only contain one of"
            first = put(GAMES, pk=S("a"))
        else:
            second, error = check(arn, g("missing"), "attribute_exists(pk)"), "ConditionalCheckFailed"
            first = put(arn, pk=S("a"))
        with pytest.raises(ClientError, match=error):
            ddb.transact_write_items(TransactItems=[first, second])
        assert ddb.scan(TableName=GAMES)["Items"] == []


def test_patch_is_idempotent_and_reversible() -> None:
    unpatch_moto_transactions()
    stock = DynamoDBBackend.transact_write_items
    assert stock is not transact_write_items
    patch_moto_transactions()
    patch_moto_transactions()
    assert DynamoDBBackend.transact_write_items is transact_write_items
    unpatch_moto_transactions()
    assert DynamoDBBackend.transact_write_items is stock


@pytest.fixture
def local_ddb() -> Iterator[LocalDynamoDB]:
    with LocalDynamoDB() as server:
        server.reset()  # moto state is process-wide: start each test from nothing
        yield server


def _client(server: LocalDynamoDB) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=64, retries={"total_max_attempts": 1}),
    )


def _create_games(ddb: Any) -> None:
    ddb.create_table(
        TableName=GAMES,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )


@pytest.mark.parametrize(
    ("via", "failed"),
    [
        ("update_item", "ConditionalCheckFailedException"),
        ("transact_write_items", "TransactionCanceledException"),
    ],
)
def test_concurrent_conditional_decrements_never_oversell(
    local_ddb: LocalDynamoDB, via: str, failed: str
) -> None:
    """64 racing claims on 20 units: exactly 20 win, with the request lock and fast path."""
    ddb = _client(local_ddb)
    _create_games(ddb)
    ddb.put_item(TableName=GAMES, Item={"pk": S("prize"), "stock": N(20)})
    decrement = update(GAMES, g("prize"), "SET stock = stock - :one", **DECREMENT)["Update"]
    barrier = threading.Barrier(64)
    results: list[str] = []

    def claim(n: int) -> None:
        barrier.wait()
        try:
            if via == "update_item":
                ddb.update_item(**decrement)
            else:
                ddb.transact_write_items(
                    TransactItems=[
                        {"Update": decrement},
                        put(GAMES, pk=S(f"claim{n}")),
                    ]
                )
            results.append("ok")
        except ClientError as e:
            results.append(e.response["Error"]["Code"])

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=claim, args=(n,)) for n in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)

    assert Counter(results) == {"ok": 20, failed: 44}
    items = ddb.scan(TableName=GAMES)["Items"]
    assert {"pk": S("prize"), "stock": N(0)} in items
    assert len(items) == (1 if via == "update_item" else 21)


def test_server_rolls_back_cancelled_transaction_and_resets(local_ddb: LocalDynamoDB) -> None:
    ddb = _client(local_ddb)
    _create_games(ddb)
    ddb.put_item(TableName=GAMES, Item={"pk": S("a"), "stock": N(0)})
    with pytest.raises(ClientError, match="ConditionalCheckFailed"):
        ddb.transact_write_items(
            TransactItems=[
                put(GAMES, pk=S("b")),
                update(GAMES, g("a"), "SET stock = stock - :one", **DECREMENT),
            ]
        )
    assert ddb.scan(TableName=GAMES)["Items"] == [{"pk": S("a"), "stock": N(0)}]
    assert DynamoDBBackend.transact_write_items is transact_write_items

    local_ddb.reset()
    assert ddb.list_tables()["TableNames"] == []
