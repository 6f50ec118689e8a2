"""moto's Query patched to read one partition answers exactly what upstream answers, and lists
only that partition's items (what made a Query's cost grow with the rest of the table)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.table import Table

from infra.local.queries import patch_moto_queries, unpatch_moto_queries

TABLE = "queries"
QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "P#1"}}},
    {"KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
     "ExpressionAttributeValues": {":p": {"S": "P#1"}, ":s": {"S": "D#2"}}},
    {"KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
     "ExpressionAttributeValues": {":p": {"S": "P#2"}, ":a": {"S": "D#10"}, ":b": {"S": "D#30"}}},
    {"KeyConditionExpression": "pk = :p", "ScanIndexForward": False, "Limit": 7,
     "ExpressionAttributeValues": {":p": {"S": "P#1"}}},
    {"KeyConditionExpression": "pk = :p", "FilterExpression": "n > :n",
     "ExpressionAttributeValues": {":p": {"S": "P#3"}, ":n": {"N": "20"}}},
    {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "nobody"}}},
]


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for local in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"):  # moto in this process, not a
        monkeypatch.delenv(local, raising=False)  # local DynamoDB an earlier test pointed at
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                  {"AttributeName": "sk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                       {"AttributeName": "sk", "KeyType": "RANGE"}])
        for p in range(4):
            for n in range(40):
                client.put_item(TableName=TABLE, Item={"pk": {"S": f"P#{p}"}, "sk": {"S": f"D#{n}"},
                                                       "n": {"N": str(n)}})
        yield client
    patch_moto_queries()  # as every LocalDynamoDB leaves it


def pages(client: Any, query: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Every page of `query`, following LastEvaluatedKey."""
    found, start = [], None
    while True:
        answer = client.query(TableName=TABLE, **query, **({"ExclusiveStartKey": start} if start else {}))
        found.append(answer["Items"])
        start = answer.get("LastEvaluatedKey")
        if start is None:
            return found


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_answers_what_upstream_answers(table: Any, query: dict[str, Any]) -> None:
    unpatch_moto_queries()
    upstream = pages(table, query)
    patch_moto_queries()
    assert pages(table, query) == upstream and upstream


def test_a_query_no_longer_lists_the_whole_table(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    patch_moto_queries()
    listed: list[int] = []
    all_items = Table.all_items

    def counted(self: Table) -> Any:
        items = all_items(self)
        listed.append(len(items))
        return items

    monkeypatch.setattr(Table, "all_items", counted)
    assert len(table.query(TableName=TABLE, **QUERIES[0])["Items"]) == 40
    assert listed == [40]  # the asked partition's items, not the table's 160
