"""Lambda entry point of the aggregator: the games table's stream, in batches, into each
campaign's figures (`plugins.aggregates`), each record counted exactly once, and its webhook
events into the outbox (`plugins.webhooks`), each recorded once.

A batch the store keeps refusing answers its first uncounted record as the batch's failure
(`ReportBatchItemFailures`): the stream hands that record and the ones after it back, and the
ones already counted are skipped by their marks.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aws_lambda_powertools.metrics import MetricUnit

from plugins.aggregates import apply_changes, changes_of
from plugins.errors import CampaignNotFoundError
from plugins.runtime import runtime
from plugins.web import logger, metrics
from plugins.webhooks import record_events

UTC_ZONE = ZoneInfo("UTC")


def campaign_zone(campaign_id: str) -> ZoneInfo:
    """The campaign's time zone (its local days); UTC for a campaign no longer found."""
    try:
        return runtime.configs.get(campaign_id).config.zone
    except CampaignNotFoundError:
        return UTC_ZONE


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    changes = changes_of(event)
    try:
        queued = record_events(changes, runtime.clock())
    except Exception:  # the store refused or a conflict outlasted its retries: the whole batch
        # comes back (nothing of it is counted yet; deliveries already queued are skipped then)
        logger.warning("webhook events not recorded, batch handed back", exc_info=True)
        return {"batchItemFailures": [{"itemIdentifier": changes[0].sequence}] if changes else []}
    metrics.add_metric(name="WebhooksQueued", unit=MetricUnit.Count, value=queued)
    failed = apply_changes(changes, campaign_zone, runtime.clock())
    metrics.add_metric(name="StreamRecords", unit=MetricUnit.Count, value=len(changes))
    if failed is None:
        return {"batchItemFailures": []}
    logger.warning("batch not counted, handed back", extra={"from": failed.sequence})
    return {"batchItemFailures": [{"itemIdentifier": failed.sequence}]}
