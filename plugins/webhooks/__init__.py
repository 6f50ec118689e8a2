"""Signed webhooks to the brand's systems: events from the table's stream into an outbox,
delivered at least once with backoff, dead-lettered, replayable (docs/webhooks.md)."""

from plugins.webhooks.operate import (
    deliver_webhooks,
    endpoints_of,
    every_delivery,
    list_deliveries,
    record_events,
    replay,
)
from plugins.webhooks.signing import sign, signed_headers

__all__ = ["deliver_webhooks", "endpoints_of", "every_delivery", "list_deliveries", "record_events", "replay",
           "sign", "signed_headers"]
