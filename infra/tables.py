"""Local DynamoDB tables, created from template.yaml (the one source of truth).

``load_template`` reads the SAM/CloudFormation template (short-form tags become long-form
intrinsic dicts), ``table_definitions`` turns its ``AWS::DynamoDB::Table`` resources into
``create_table`` arguments, and ``create_tables`` creates them idempotently on any boto3
DynamoDB client (moto, a local endpoint, or real AWS).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "DEFAULT_TABLE_NAME",
    "TTL_KEY",
    "create_tables",
    "load_template",
    "table_definitions",
]

TEMPLATE_FILE = "template.yaml"
DEFAULT_TABLE_NAME = "mgames-local"
MAIN_TABLE_ID = "GamesTable"
MAIN_TABLE_ENV = "MGAMES_TABLE"
TABLE_TYPE = "AWS::DynamoDB::Table"
#: Key of the TTL attribute name in a ``table_definitions`` entry (not a create_table argument).
TTL_KEY = "TimeToLiveAttributeName"

# Short-form tag -> long-form key. "!Ref" and "!Condition" have no "Fn::" prefix.
_TAGS: dict[str, str] = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If",
            "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform",
        )
    },
}  # fmt: skip


class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when PyYAML has it: ten times faster on the rendered template)
    that understands CloudFormation short-form intrinsic tags.

    Timestamps are not resolved, so ``Version: 2012-10-17`` stays a string as in CloudFormation.
    """


_CfnLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    key = _TAGS.get(tag_suffix)
    if key is None:
        raise yaml.constructor.ConstructorError(
            None, None, f"unknown CloudFormation tag !{tag_suffix}", node.start_mark
        )
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if key == "Fn::GetAtt" and isinstance(value, str):
            # !GetAtt Resource.Attribute[.More] -> ["Resource", "Attribute[.More]"]
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


_CfnLoader.add_multi_constructor("!", _construct_intrinsic)


def _default_template_path() -> Path:
    """The repo root's template.yaml next to this package, else the one in the cwd."""
    beside_repo = Path(__file__).resolve().parent.parent / TEMPLATE_FILE
    return beside_repo if beside_repo.is_file() else Path.cwd() / TEMPLATE_FILE


def load_template(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Load a CloudFormation/SAM template, turning short-form tags into long-form dicts.

    ``path`` defaults to the repository's ``template.yaml`` (found relative to this file,
    falling back to the current working directory).
    """
    template_path = Path(path) if path is not None else _default_template_path()
    with template_path.open(encoding="utf-8") as fh:
        template = yaml.load(fh, Loader=_CfnLoader)  # a SafeLoader subclass
    if not isinstance(template, dict):
        raise ValueError(f"{template_path}: not a template (top level is not a mapping)")
    return template


def _index(index: dict[str, Any], *, lsi: bool = False) -> dict[str, Any]:
    keys = ["IndexName", "KeySchema", "Projection"] + ([] if lsi else ["ProvisionedThroughput"])
    return {k: index[k] for k in keys if k in index}


def table_definitions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Map each ``AWS::DynamoDB::Table`` logical id to its boto3 ``create_table`` kwargs.

    Each entry holds ``AttributeDefinitions``, ``KeySchema``, ``BillingMode`` and, when the
    template has them, ``ProvisionedThroughput``, ``GlobalSecondaryIndexes``,
    ``LocalSecondaryIndexes`` and ``StreamSpecification`` (no ``TableName``). If TTL is
    enabled, the entry also holds the TTL attribute name under ``TTL_KEY``: pop it before
    calling ``create_table``.
    """
    definitions: dict[str, dict[str, Any]] = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        if not isinstance(resource, dict) or resource.get("Type") != TABLE_TYPE:
            continue
        props: dict[str, Any] = resource.get("Properties") or {}
        definition: dict[str, Any] = {
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        if "ProvisionedThroughput" in props:
            definition["ProvisionedThroughput"] = props["ProvisionedThroughput"]
        if props.get("GlobalSecondaryIndexes"):
            definition["GlobalSecondaryIndexes"] = [
                _index(i) for i in props["GlobalSecondaryIndexes"]
            ]
        if props.get("LocalSecondaryIndexes"):
            definition["LocalSecondaryIndexes"] = [
                _index(i, lsi=True) for i in props["LocalSecondaryIndexes"]
            ]
        stream = props.get("StreamSpecification")
        if stream and "StreamViewType" in stream:
            definition["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        ttl = props.get("TimeToLiveSpecification") or {}
        if ttl.get("Enabled") in (True, "true", "True") and ttl.get("AttributeName"):
            definition[TTL_KEY] = ttl["AttributeName"]
        definitions[logical_id] = definition
    return definitions


def _table_name(logical_id: str, names: dict[str, str] | None) -> str:
    if names and logical_id in names:
        return names[logical_id]
    if logical_id == MAIN_TABLE_ID:
        return os.environ.get(MAIN_TABLE_ENV) or DEFAULT_TABLE_NAME
    # Any further table gets its own default so two tables never share a name.
    return f"{DEFAULT_TABLE_NAME}-{logical_id}"


def create_tables(
    client: DynamoDBClient,
    names: dict[str, str] | None = None,
    *,
    template: dict[str, Any] | None = None,
) -> dict[str, str]:
    """Create every ``AWS::DynamoDB::Table`` of the template; return logical id -> table name.

    The name of a table is ``names[logical_id]`` if given, else ``$MGAMES_TABLE`` for
    ``GamesTable``, else ``mgames-local`` (``mgames-local-<LogicalId>`` for any other table).
    A new table is waited for until active and gets its TTL enabled; a table that already
    exists is left as it is. ``template`` defaults to ``load_template()``.
    """
    definitions = table_definitions(template if template is not None else load_template())
    created: dict[str, str] = {}
    for logical_id, definition in definitions.items():
        table_name = _table_name(logical_id, names)
        created[logical_id] = table_name
        kwargs = dict(definition)
        ttl_attribute = kwargs.pop(TTL_KEY, None)
        try:
            client.create_table(TableName=table_name, **kwargs)
        except client.exceptions.ResourceInUseException:
            continue  # already there (or being created by someone else): leave it alone
        client.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
        )
        if ttl_attribute:
            client.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute},
            )
    return created
