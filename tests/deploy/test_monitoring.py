"""The stack tells someone when it goes wrong and protects its public URLs: alarms on every
function and on the table, one dashboard, the secrets it creates, reserved concurrency."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.deploy.conftest import TEMPLATE, TEMPLATE_PATH, resources

FUNCTIONS = resources(TEMPLATE, "AWS::Serverless::Function")
GAMES = sorted(fn for fn, r in FUNCTIONS.items() if "FunctionUrlConfig" in r["Properties"])
ALARMS = resources(TEMPLATE, "AWS::CloudWatch::Alarm")
GLOBALS = TEMPLATE["Globals"]["Function"]
TABLE_OPERATIONS = {"GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem",
                    "DeleteItem", "TransactWriteItems"}


def _alarms_on(function: str) -> dict[str, dict[str, Any]]:
    """The function's alarms by metric name."""
    found = {}
    for alarm in ALARMS.values():
        props = alarm["Properties"]
        if props.get("Dimensions") == [{"Name": "FunctionName", "Value": {"Ref": function}}]:
            found[props["MetricName"]] = props
    return found


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_alarms_on_errors_throttles_and_duration_near_its_timeout(function: str) -> None:
    alarms = _alarms_on(function)
    expected = ({"Errors", "Throttles", "Duration"} | ({"Url5xxCount"} if function in GAMES else set())
                | ({"IteratorAge"} if function == "AggregatorFunction" else set()))
    assert set(alarms) == expected
    timeout_ms = 1000 * FUNCTIONS[function]["Properties"].get("Timeout", GLOBALS["Timeout"])
    assert alarms["Duration"]["ExtendedStatistic"] == "p99"
    assert alarms["Duration"]["Threshold"] == pytest.approx(0.8 * timeout_ms)
    for name in ("Errors", "Throttles", *(["Url5xxCount"] if function in GAMES else [])):
        assert (alarms[name]["Statistic"], alarms[name]["Threshold"]) == ("Sum", 1)


def test_every_alarm_notifies_the_topic_and_ignores_silence() -> None:
    for name, alarm in ALARMS.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == props["OKActions"] == [{"Ref": "AlarmTopic"}], name
        assert props["TreatMissingData"] == "notBreaching", name
    assert len(ALARMS) == 4 * len(GAMES) + 4 + 4 + 5 + 2  # games, console, worker, aggregator, table
    subscription = TEMPLATE["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"


def test_the_console_alarms_on_its_api_answering_5xx() -> None:
    alarm = next(a["Properties"] for a in ALARMS.values()
                 if a["Properties"].get("Namespace") == "AWS/ApiGateway")
    api_name = TEMPLATE["Resources"]["ConsoleApi"]["Properties"]["Name"]
    assert alarm["MetricName"] == "5XXError"
    assert alarm["Dimensions"] == [{"Name": "ApiName", "Value": api_name}]


def test_job_failures_are_alarmed_with_the_dimensions_powertools_emits() -> None:
    alarm = ALARMS["WorkerJobFailuresAlarm"]["Properties"]
    worker_env = {**GLOBALS["Environment"]["Variables"],
                  **FUNCTIONS["WorkerFunction"]["Properties"].get("Environment", {}).get("Variables", {})}
    assert alarm["Namespace"] == worker_env["POWERTOOLS_METRICS_NAMESPACE"]
    # functions/worker.py adds no dimension of its own: Powertools adds `service`
    assert alarm["Dimensions"] == [{"Name": "service", "Value": worker_env["POWERTOOLS_SERVICE_NAME"]}]


# Lambda's init, as the template sets it up: the environment first, then the module.
FAILING_RUN = """
import functions.worker as worker
from tests.deploy.conftest import FakeLambdaContext
worker.run_jobs = lambda now, deadline: {"booking:expire_due": -1}
worker.handler({}, FakeLambdaContext())
"""


def test_job_failures_reach_cloudwatch_with_only_the_service_dimension() -> None:
    namespace = GLOBALS["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": "mgames-prod", "POWERTOOLS_METRICS_NAMESPACE": namespace,
           "POWERTOOLS_METRICS_DISABLED": "false"}
    done = subprocess.run([sys.executable, "-c", FAILING_RUN], cwd=TEMPLATE_PATH.parent, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    emitted = [json.loads(line) for line in done.stdout.splitlines() if '"_aws"' in line]
    (failure,) = [m for m in emitted if "JobFailures" in m]
    (directive,) = failure["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == namespace == ALARMS["WorkerJobFailuresAlarm"]["Properties"]["Namespace"]
    assert (directive["Dimensions"], failure["service"]) == ([["service"]], "mgames-prod")


def test_the_table_alarms_on_throttling_and_system_errors_of_every_operation() -> None:
    throttles = ALARMS["TableThrottlesAlarm"]["Properties"]["Metrics"]
    assert {m["MetricStat"]["Metric"]["MetricName"] for m in throttles if "MetricStat" in m} == {
        "ReadThrottleEvents", "WriteThrottleEvents"}
    errors = ALARMS["TableSystemErrorsAlarm"]["Properties"]["Metrics"]
    (expression,) = [m for m in errors if "Expression" in m]
    stats = [m for m in errors if "MetricStat" in m]
    operations = {d["Value"] for m in stats for d in m["MetricStat"]["Metric"]["Dimensions"]
                  if d["Name"] == "Operation"}
    assert operations == TABLE_OPERATIONS
    assert set(re.findall(r"\w+", expression["Expression"])) - {"SUM"} == {m["Id"] for m in stats}
    assert all(m["ReturnData"] is False for m in stats)


def test_the_dashboard_is_json_with_a_row_per_game_and_known_references() -> None:
    body = TEMPLATE["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    references = set(re.findall(r"\$\{([^}]+)\}", body))
    known = set(TEMPLATE["Resources"]) | set(TEMPLATE["Parameters"]) | {"AWS::Region", "AWS::StackName"}
    assert references <= known
    widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))["widgets"]
    assert len(widgets) == 3 * len(GAMES) + 6
    graphed = {json.dumps(w["properties"]["metrics"]) for w in widgets}
    for game in GAMES:  # its requests and its duration
        assert body.count(f'"${{{game}}}"') == 2, game
    for metric in ("Url4xxCount", "Url5xxCount", "ConsumedWriteCapacityUnits", "WriteThrottleEvents",
                   "JobFailures", "5XXError"):
        assert any(metric in g for g in graphed), metric


def test_game_functions_reserve_concurrency_unless_told_not_to() -> None:
    parameter = TEMPLATE["Parameters"]["GameReservedConcurrency"]
    assert (parameter["Default"], parameter["MinValue"]) == (50, 0)
    assert TEMPLATE["Conditions"]["ReserveGameConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "GameReservedConcurrency"}, "0"]}]}
    for game in GAMES:
        assert FUNCTIONS[game]["Properties"]["ReservedConcurrentExecutions"] == {"Fn::If": [
            "ReserveGameConcurrency", {"Ref": "GameReservedConcurrency"}, {"Ref": "AWS::NoValue"}]}
    for other in set(FUNCTIONS) - set(GAMES):
        assert "ReservedConcurrentExecutions" not in FUNCTIONS[other]["Properties"]


def test_the_stack_creates_its_secrets_and_says_where_they_are() -> None:
    for ring in ("PlayerKeysSecret", "ConsoleKeysSecret"):  # two trust domains, two key rings
        spec = TEMPLATE["Resources"][ring]["Properties"]["GenerateSecretString"]
        assert spec["PasswordLength"] >= 32 and spec["ExcludePunctuation"] is True
        assert json.loads(spec["SecretStringTemplate"]) == {"current": spec["GenerateStringKey"]}
        assert TEMPLATE["Outputs"][ring + "Arn"]["Value"] == {"Ref": ring}
    assert TEMPLATE["Resources"]["PartnerKeysSecret"]["Properties"]["SecretString"] == "{}"
    outputs = TEMPLATE["Outputs"]
    assert outputs["PartnerKeysSecretArn"]["Value"] == {"Ref": "PartnerKeysSecret"}
    assert "Dashboard" in json.dumps(outputs["DashboardUrl"]["Value"])
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": "AlarmTopic"}
    assert "TokenSecretParameterName" not in TEMPLATE["Parameters"]
