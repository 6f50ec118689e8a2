"""schemathesis run operation by operation: valid and invalid requests (positive and negative
generation), `EXAMPLES` per operation and mode, derandomized so a run repeats itself, with
the path parameters and headers a test supplies so requests reach the logic."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

EXAMPLES = 12


Conform = Callable[[Any, Any], list[str]]
"""`conform(case, response)`: where an answer departs from the document (none: [])."""


def server_errors(schema: Any, ids: dict[str, str], authorization: Callable[[str], str],
                  conform: Conform | None = None) -> tuple[list[str], list[tuple[str, int]]]:
    """Run every operation of `schema` with `ids` for the path parameters it has, the
    `authorization` header for its path and a fresh Idempotency-Key; return the 5xx answers
    and, with `conform`, the answers that depart from the document (as curl commands with
    their answer), and every (route, status) seen."""
    loaded = list(schema.get_all_operations())
    operations = [result.ok() for result in loaded if isinstance(result, Ok)]
    assert operations and len(operations) == len(loaded)  # every operation's schema is valid
    failures: list[str] = []
    seen: list[tuple[str, int]] = []
    for operation, mode in itertools.product(operations, GenerationMode):
        wanted = {p.name for p in operation.path_parameters}
        strategy = operation.as_strategy(
            mode, headers={"authorization": authorization(operation.path)},
            path_parameters={name: value for name, value in ids.items() if name in wanted})

        @given(strategy)
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.headers = {**(case.headers or {}), "idempotency-key": f"st-{secrets.token_hex(8)}"}
            response = case.call()
            seen.append((f"{case.method} {case.path}", response.status_code))
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {case.as_curl_command()} -> {response.text}")
            elif conform is not None and (found := conform(case, response)):
                failures.append(f"{found} {case.as_curl_command()} -> {response.text}")

        try:
            check()
        except Unsatisfiable:  # nothing of it can be invalid once the overrides are applied
            assert mode is GenerationMode.NEGATIVE
    return failures, seen
