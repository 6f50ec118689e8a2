"""Run one Lambda handler from a built artifact, as the Lambda runtime would.

Started as `python3.12 -I -S invoke.py SPEC.json`: no site-packages, no PYTHONPATH, only the
standard library until this script puts the artifact and the runtime's SDK (boto3) on the
path. It imports the handler the template names, invokes it with each event, and writes
the answers, and every AWS call the function made (as IAM actions), to the spec's `out`
file: stdout is the function's own (logs, metrics).
"""

import importlib
import json
import os
import sys
import traceback
from typing import Any

TRANSACT_PARTS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                  "ConditionCheck": "ConditionCheckItem"}


class Context:
    """The attributes of a Lambda context that Powertools reads."""

    function_name = "artifact-test"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:artifact-test"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    log_group_name = "/aws/lambda/artifact-test"
    log_stream_name = "2026/01/01/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def iam_actions(service: str, operation: str, params: dict) -> list[str]:
    """The IAM actions a call needs: a transaction is authorized per part."""
    prefix = {"dynamodb": "dynamodb", "secretsmanager": "secretsmanager", "ssm": "ssm"}.get(service, service)
    if operation == "TransactWriteItems":
        parts = {kind for item in params["TransactItems"] for kind in item}
        return sorted(f"dynamodb:{TRANSACT_PARTS[kind]}" for kind in parts)
    if operation == "TransactGetItems":
        return ["dynamodb:GetItem"]
    return [f"{prefix}:{operation}"]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        spec = json.load(fh)
    sys.path[:0] = spec["path"]
    os.environ.update(spec["env"])
    import botocore.client

    calls: list[str] = []
    # a private method, not in botocore-stubs
    make_api_call = botocore.client.BaseClient._make_api_call  # type: ignore[attr-defined]

    def recorded(client: botocore.client.BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls.extend(iam_actions(client.meta.service_model.service_name, operation, params))
        return make_api_call(client, operation, params)

    botocore.client.BaseClient._make_api_call = recorded  # type: ignore[attr-defined]
    result: dict = {"responses": [], "calls": calls, "error": None}
    try:
        module, _, name = spec["handler"].rpartition(".")
        handler = getattr(importlib.import_module(module), name)
        for event in spec["events"]:
            result["responses"].append(handler(event, Context()))
    except Exception:  # the test reports it: an import or invocation that fails in Lambda
        result["error"] = traceback.format_exc()
    result["modules"] = sorted({m.split(".")[0] for m in sys.modules})
    files = {getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}
    result["files"] = sorted(files - {"", __file__})
    with open(spec["out"], "w", encoding="utf-8") as fh:
        json.dump(result, fh)


main()
