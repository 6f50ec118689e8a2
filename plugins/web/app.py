"""One function-URL app per game: the game's Router, the error envelope, /openapi.json,
structured logs with the request's correlation id, and Powertools metrics.

Every answer carries `X-Request-Id`: the Lambda context's `aws_request_id`, which is also the
log line's correlation id and the envelope's `error.request_id` (`plugins.conventions`).

Errors of every function share `{"error": {"code": "UPPER_SNAKE", "message": "..."}}`;
`GameError` subclasses carry their status. Each request runs under the store's deadline
(`plugins.store.request_deadline`), so a hanging DynamoDB answers 503, not a function
timeout. CORS is configured on the function URL in template.yaml, never here (a doubled
header breaks browsers).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
import queue
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

from plugins.contracts import GamePlugin
from plugins.conventions import answering, stamped
from plugins.errors import FraudBlockedError, GameError, MalformedRequestError
from plugins.http import Answer, answer_for, checked_json, error_answer
from plugins.openapi import game_document
from plugins.registry import get_game
from plugins.store import request_deadline
from plugins.web.draws import router as draws_router
from plugins.web.request import handling
from plugins.web.visits import router as visits_router

# Reads add no metrics; Powertools would warn about the empty flush on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "marketing-games"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "MarketingGames"))
API_VERSION = "1.0.0"
BODY_LIMIT = 16 * 1024
"""The largest body a game route takes: players and brand systems send a few hundred bytes."""


def _response(answer: Answer) -> Response[str]:
    return Response(status_code=answer.status, content_type="application/json", body=answer.body,
                    headers=answer.headers)


def count_block(game: str, rule: str) -> None:
    """One `Blocks` metric with the rule as a dimension, so dashboards split blocks by rule."""
    with single_metric(name="Blocks", unit=MetricUnit.Count, value=1,
                       namespace=metrics.namespace) as metric:
        metric.add_dimension(name="game", value=game)
        metric.add_dimension(name="rule", value=rule)


def _register_errors(app: LambdaFunctionUrlResolver, game: str) -> None:
    @app.exception_handler(GameError)
    def game_error(exc: GameError) -> Response[str]:
        if isinstance(exc, FraudBlockedError):
            count_block(game, exc.rule)
        metrics.add_metric(name="Rejections", unit=MetricUnit.Count, value=1)
        logger.info("rejected", extra={"code": exc.code, "status": exc.status})
        return _response(answer_for(exc))

    @app.exception_handler(RequestValidationError)
    def invalid(exc: RequestValidationError) -> Response[str]:
        metrics.add_metric(name="Rejections", unit=MetricUnit.Count, value=1)
        return _response(answer_for(exc))

    @app.not_found
    def not_found(exc: NotFoundError) -> Response[str]:
        return _response(error_answer(404, "ROUTE_NOT_FOUND", "no such route on this function"))

    @app.exception_handler(Exception)
    def crash(exc: Exception) -> Response[str]:
        logger.exception("unhandled error")
        metrics.add_metric(name="Errors", unit=MetricUnit.Count, value=1)
        return _response(answer_for(exc))


class FunctionUrlResolver(LambdaFunctionUrlResolver):
    """Powertools' resolver with the current event and context kept per thread."""

    @property  # type: ignore[override]
    def current_event(self) -> LambdaFunctionUrlEvent:
        event: LambdaFunctionUrlEvent = handling.event
        return event

    @current_event.setter
    def current_event(self, value: LambdaFunctionUrlEvent) -> None:
        handling.event = value

    @property
    def lambda_context(self) -> Any:
        return handling.lambda_context

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        handling.lambda_context = value

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        handling.event = LambdaFunctionUrlEvent(dict(event))
        handling.lambda_context = context
        with answering(getattr(context, "aws_request_id", None),
                       handling.event.headers.get("accept-language")) as exchange:
            logger.set_correlation_id(exchange.request_id)
            result = self._answer(event, context)
            result["headers"] = stamped(result.get("headers") or {})
            return result

    def _answer(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        try:
            _check_body(handling.event)
        except GameError as exc:  # before routing: Powertools' own parsing would crash on it
            metrics.add_metric(name="Rejections", unit=MetricUnit.Count, value=1)
            answer = answer_for(exc)
            return {"statusCode": answer.status, "body": answer.body, "isBase64Encoded": False,
                    "headers": {"Content-Type": "application/json", **answer.headers}}
        return super().resolve(event, context)


def _check_body(event: LambdaFunctionUrlEvent) -> None:
    """Refuse a hostile body (size, content type, encoding, depth, numbers) in the envelope."""
    raw = event.body or ""
    try:
        body = base64.b64decode(raw, validate=True) if event.is_base64_encoded else raw.encode()
    except binascii.Error:
        raise MalformedRequestError("the body is not valid base64") from None
    checked_json(event.headers.get("content-type"), body, BODY_LIMIT)


@functools.cache
def document_text(plugin: GamePlugin) -> str:
    """The game function's OpenAPI document (`plugins.openapi`), built once per process."""
    return json.dumps(game_document(build_app(plugin), plugin, API_VERSION), ensure_ascii=False)


def build_app(plugin: GamePlugin) -> LambdaFunctionUrlResolver:
    """The resolver for one game: its routes plus the shared conventions."""
    app = FunctionUrlResolver(enable_validation=True)
    app.include_router(plugin.router)
    app.include_router(visits_router)
    app.include_router(draws_router)
    _register_errors(app, plugin.name)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(status_code=200, content_type="application/json", body=document_text(plugin))

    return app


class AppPool:
    """Resolvers of one game, each used by one request at a time.

    A Powertools resolver keeps per-request state on itself: fine in Lambda (one request
    per process at a time), a race in the threaded local gateway. Lambda only ever builds one.
    """

    def __init__(self, plugin: GamePlugin) -> None:
        self.plugin = plugin
        self._free: queue.SimpleQueue[LambdaFunctionUrlResolver] = queue.SimpleQueue()
        self._free.put(build_app(plugin))

    def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            app = self._free.get_nowait()
        except queue.Empty:
            app = build_app(self.plugin)
        try:
            with request_deadline():
                return app.resolve(event, context)
        finally:
            self._free.put(app)


def build_handler(name: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda entry point of game `name`, as `functions/game.py` exposes it."""
    apps = AppPool(get_game(name))

    @logger.inject_lambda_context
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        metrics.add_dimension(name="game", value=name)
        try:
            return apps.resolve(event, context)
        finally:
            if is_metrics_disabled():
                # Disabled metrics are not flushed, yet keep piling up and print at 100.
                metrics.clear_metrics()

    if os.environ.get("MGAMES_TRACING", "false").lower() == "true":
        from aws_lambda_powertools import Tracer  # costs cold start: only when asked for

        handler = Tracer(service=name).capture_lambda_handler(handler)
    return handler
