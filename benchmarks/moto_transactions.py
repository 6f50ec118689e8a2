"""Mean ms per 5-item TransactWriteItems under ``moto.mock_aws``: stock moto vs patched.

Stock moto deep-copies each touched table once per transaction item to be able to roll back,
so a transaction slows down as the table grows; ``infra.local.dynamodb`` snapshots only the
touched items. Both run in turn on the same table at 0, 300 and 1,500 items, through a
boto3 client as tests and the local stack use it, each after a full GC so that neither pays for
the other's garbage.

Run: python benchmarks/moto_transactions.py
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
from moto import mock_aws

from infra.local.dynamodb import patch_moto_transactions, unpatch_moto_transactions

SIZES = (0, 300, 1500)
WARMUP, ROUNDS = 3, 40
TABLE = "Bench"


def _fill(ddb: Any, count: int) -> None:
    for start in range(0, count, 25):
        requests = [
            {"PutRequest": {"Item": {"pk": {"S": f"item{i:05d}"}, "data": {"S": "x" * 100}}}}
            for i in range(start, min(start + 25, count))
        ]
        ddb.batch_write_item(RequestItems={TABLE: requests})


def _transaction(ddb: Any) -> None:
    ddb.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": {"pk": {"S": f"hot{i}"}},
                    "UpdateExpression": "ADD n :one",
                    "ConditionExpression": "attribute_not_exists(n) OR n >= :zero",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"}},
                }
            }
            for i in range(5)
        ]
    )


def _measure(size: int) -> tuple[float, float]:
    """Mean ms per transaction (stock, patched) on a table of ``size`` items."""
    modes: dict[str, Callable[[], None]] = {
        "stock": unpatch_moto_transactions,
        "patched": patch_moto_transactions,
    }
    timings: dict[str, list[float]] = {name: [] for name in modes}
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        ddb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        _fill(ddb, size)
        for name, apply in modes.items():
            apply()
            gc.collect()  # each mode then pays for its own garbage only
            for round_ in range(WARMUP + ROUNDS):
                start = time.perf_counter()
                _transaction(ddb)
                if round_ >= WARMUP:
                    timings[name].append((time.perf_counter() - start) * 1000)
        # Both modes applied every transaction to the same five items.
        item = ddb.get_item(TableName=TABLE, Key={"pk": {"S": "hot0"}})["Item"]
        assert int(item["n"]["N"]) == 2 * (WARMUP + ROUNDS)
    unpatch_moto_transactions()
    return statistics.mean(timings["stock"]), statistics.mean(timings["patched"])


def main() -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    started = time.perf_counter()
    print(f"5-item TransactWriteItems under mock_aws, mean of {ROUNDS} after {WARMUP} warm-up")
    print(f"{'items':>6} {'stock ms':>9} {'patched ms':>11} {'ratio':>7}")
    for size in SIZES:
        stock, patched = _measure(size)
        print(f"{size:>6} {stock:>9.1f} {patched:>11.1f} {stock / patched:>6.1f}x")
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
