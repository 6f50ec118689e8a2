"""What the realistic local DynamoDB does besides applying requests: the settings, from a spec.

A spec is what `mgames local --faults` and `MGAMES_LOCAL_FAULTS` take: comma-separated
`name=value` pairs of the `Faults` fields, e.g. `seed=7,throttle_rate=0.01,lost_rate=0.001`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

MODE_ENV = "MGAMES_LOCAL_DYNAMODB"
"""`atomic` (the default) or `realistic`: which local DynamoDB the tests and benchmarks use."""
FAULTS_ENV = "MGAMES_LOCAL_FAULTS"
"""A `Faults` spec for the realistic mode."""
THROTTLE_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException")


@dataclass(frozen=True)
class Faults:
    """How the realistic mode behaves. With the defaults it injects nothing: transactions hold
    their items for `hold` seconds, so the ones that overlap conflict, and that is all.

    Every random decision comes from one `random.Random(seed)`, drawn in request order: a
    sequential workload meets the same faults run after run.
    """

    hold: float = 0.005
    """Seconds a transaction holds its items before it applies: what lets transactions overlap."""
    seed: int = 0
    throttle_rate: float = 0.0
    """Share of requests refused with `throttle_code`, applied not at all."""
    throttle_code: str = THROTTLE_CODES[0]
    item_writes_per_second: float = 0.0
    """Per item, writes per second above which a write is throttled (0: no limit), like a hot
    partition; a write inside a transaction counts twice, as it costs twice on DynamoDB."""
    latency: float = 0.0
    """Seconds added to every request."""
    hang_rate: float = 0.0
    """Share of requests that wait `hang_seconds` (longer than a client's timeout) first."""
    hang_seconds: float = 60.0
    lost_rate: float = 0.0
    """Share of writes that are applied, then answered by closing the connection."""

    def __post_init__(self) -> None:
        if self.throttle_code not in THROTTLE_CODES:
            raise ValueError(f"throttle_code must be one of {', '.join(THROTTLE_CODES)}")
        for name in ("hold", "throttle_rate", "item_writes_per_second", "latency", "hang_rate",
                     "hang_seconds", "lost_rate"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """`Faults` from a spec (empty: the defaults); an unknown name or a bad value raises
        ValueError naming it."""
        kinds = {f.name: f.type for f in fields(cls)}
        values: dict[str, object] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, _, text = part.partition("=")
            name = name.strip().replace("-", "_")
            if name not in kinds:
                raise ValueError(f"unknown fault setting {name!r}; known: {', '.join(kinds)}")
            kind = {"int": int, "float": float}.get(str(kinds[name]), str)
            try:
                values[name] = kind(text.strip())
            except ValueError:
                raise ValueError(f"{name}: {text.strip()!r} is not a {kind.__name__}") from None
        return replace(cls(), **values)  # type: ignore[arg-type]


def configured_faults() -> Faults | None:
    """The realistic mode's settings if the environment asks for it (`MGAMES_LOCAL_DYNAMODB`),
    else None: the atomic mode."""
    mode = os.environ.get(MODE_ENV, "atomic").strip().lower()
    if mode not in ("atomic", "realistic"):
        raise ValueError(f"{MODE_ENV} must be 'atomic' or 'realistic', not {mode!r}")
    return Faults.parse(os.environ.get(FAULTS_ENV, "")) if mode == "realistic" else None
