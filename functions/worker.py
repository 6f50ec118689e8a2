"""Lambda entry point of the worker: every game's scheduled jobs, on an EventBridge schedule,
within a time budget below the function's timeout (`plugins.jobs.run_deadline`)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from plugins.jobs import run_deadline, run_jobs
from plugins.runtime import runtime
from plugins.web import logger, metrics


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    handled = run_jobs(runtime.clock(), run_deadline(context))
    for count in handled.values():
        if count >= 0:
            metrics.add_metric(name="JobItems", unit=MetricUnit.Count, value=count)
        else:
            metrics.add_metric(name="JobFailures", unit=MetricUnit.Count, value=1)
    logger.info("jobs ran", extra={"handled": handled})
    return {"handled": handled}
