"""An embedded, atomic and fast local DynamoDB on moto.

Two moto traps make a plain moto server unfit for the local stack and for concurrency tests
(ARCHITECTURE.md, "Known traps"): its backend reads, checks and writes without a lock, so a threaded
server can interleave two conditional writes and oversell; and its ``TransactWriteItems``
deep-copies every touched table to be able to roll back, so it slows down as tables grow.
``AtomicWSGIApp`` fixes the first, ``patch_moto_transactions`` the second, and
``LocalDynamoDB`` serves both on a local port. Given ``Faults`` it serves the realistic mode
instead (``infra.local.realistic``): conflicts, idempotency tokens and injected faults.

moto keeps its state in process-wide globals: a ``LocalDynamoDB`` shares it with
``moto.mock_aws`` in the same process, and ``mock_aws`` resets it on entry and exit.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import StreamRecord, StreamShard, Table

from infra.local.faults import Faults
from infra.local.queries import patch_moto_queries
from infra.local.realistic import RealisticWSGIApp
from infra.local.wsgi import AtomicWSGIApp

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """``DynamoDBBackend.transact_write_items`` that snapshots items, not tables.

    Upstream deep-copies every table the transaction touches (once per item) to be able to
    roll back, so each transaction costs O(table size). This version saves a deep copy of each
    item (or ``None`` if absent) just before the operation that touches it, plus the length of
    each touched table's stream, and on rollback restores exactly those. Checks, exceptions
    and cancellation reasons are upstream's. Two deliberate differences, both fixing partial
    writes: a ``TransactWriteSingleOpException`` on a later item also rolls back the earlier
    ones, and tables named by ARN are rolled back too.
    """
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    # Snapshot the items (and stream lengths) we touch, in case any of the transactions fail
    original_items: dict[tuple[Table, DynamoType, DynamoType | None], Item | None] = {}
    original_streams: dict[StreamShard, tuple[list[StreamRecord], int]] = {}

    def snapshot(table_name: str, key: dict[str, Any]) -> Item | None:
        table = self.get_table(table_name)
        hash_key, range_key = self.get_keys_value(table, key)
        current = table.get_item(hash_key, range_key)
        if (table, hash_key, range_key) not in original_items:
            original_items[table, hash_key, range_key] = copy.deepcopy(current)
        if (shard := table.stream_shard) is not None and shard not in original_streams:
            original_streams[shard] = (shard.items, len(shard.items))
        return current

    def rollback() -> None:
        for (table, hash_key, range_key), item in original_items.items():
            bucket: dict[Any, Any] = table.items if range_key is None else table.items[hash_key]
            slot = hash_key if range_key is None else range_key
            if item is None:
                bucket.pop(slot, None)
            else:
                bucket[slot] = item
        for shard, (records, length) in original_streams.items():
            del records[length:]  # the list it appended to, even if it was sent to Lambda
            shard.items = records

    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []  # (Code, Message, Item)
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        try:
            # Check transact writes are not performing multiple operations on the same item
            if len(list(item.keys())) > 1:
                raise TransactWriteSingleOpException

            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")

            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            current = snapshot(table_name, key)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression,
                    expression_attribute_names,
                    expression_attribute_values,
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            condition = {"condition_expression": condition_expression,
                         "expression_attribute_names": expression_attribute_names,
                         "expression_attribute_values": expression_attribute_values}
            if op_type == "Put":
                self.put_item(table_name, op["Item"], **condition)
            elif op_type == "Delete":
                self.delete_item(table_name, key, **condition)
            elif op_type == "Update":
                self.update_item(table_name, key, update_expression=op["UpdateExpression"], **condition)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            # Rollback to the original state, and reraise the error
            rollback()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))
        except Exception as e:
            # For other exceptions, capture their details
            errors.append((type(e).__name__, str(e), original_item))

    if any(code is not None for code, _, _ in errors):
        # Rollback to the original state, and reraise the errors
        rollback()
        raise TransactionCanceledException(errors)


_UPSTREAM_TRANSACT_WRITE_ITEMS = DynamoDBBackend.transact_write_items


def patch_moto_transactions() -> None:
    """Make moto's TransactWriteItems snapshot touched items only (idempotent)."""
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def unpatch_moto_transactions() -> None:
    """Restore moto's own TransactWriteItems (for differential tests and benchmarks)."""
    DynamoDBBackend.transact_write_items = _UPSTREAM_TRANSACT_WRITE_ITEMS  # type: ignore[method-assign]


class LocalDynamoDB:
    """moto's server on a local port, atomic per request (or realistic, given `faults`), with
    fast transactions.

    ``with LocalDynamoDB() as ddb: boto3.client("dynamodb", endpoint_url=ddb.endpoint_url)``.
    It serves every moto service, DynamoDB and DynamoDB Streams included. Clients need dummy
    credentials and a region; the server needs none. Servers in one process share moto's state.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self.host = host
        self.port = port
        moto_app = DomainDispatcherApplication(create_backend_app)
        self.app = AtomicWSGIApp(moto_app) if faults is None else RealisticWSGIApp(moto_app, faults)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def mode(self) -> str:
        return "realistic" if isinstance(self.app, RealisticWSGIApp) else "atomic"

    @property
    def stats(self) -> Counter[str]:
        """What the realistic mode served (`conflicts`, `throttled`, ...); empty when atomic."""
        return self.app.stats if isinstance(self.app, RealisticWSGIApp) else Counter()

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalDynamoDB is not started")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self._server.server_port}"

    def start(self) -> LocalDynamoDB:
        """Patch transactions and queries, bind (port 0 picks a free one), serve in a daemon thread."""
        from moto.moto_server.werkzeug_app import MotoRequestHandler
        from werkzeug.serving import make_server

        if self._server is not None:
            return self
        patch_moto_transactions()
        patch_moto_queries()

        class QuietHandler(MotoRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                pass

        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="local-dynamodb", daemon=True
        )
        self._thread.start()
        return self

    def reset(self) -> None:
        """Drop all moto state (every table, every service), between in-flight requests, and
        what the realistic mode remembers and counted."""
        from moto.moto_api._internal import moto_api_backend

        with self.app.lock:
            moto_api_backend.reset()
        if isinstance(self.app, RealisticWSGIApp):
            self.app.reset()

    def stop(self) -> None:
        """Stop serving and free the port; moto's state stays until ``reset()``."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join()
        self._server, self._thread = None, None

    def __enter__(self) -> LocalDynamoDB:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
