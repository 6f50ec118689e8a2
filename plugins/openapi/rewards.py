"""Typed rewards in the documents: `IssuedReward`, what a player gets from an action, is the
union of every installed issuer's `issued_model`; `RewardOffer`, a reward as a page shows it
before it is won (`Issuer.describe`), the union of their `spec_model`s. Both are discriminated
by `type`, the issuer's name, so a third-party issuer's rewards are typed as soon as it is
installed."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, WithJsonSchema

from plugins.registry import issuers

REF = "#/components/schemas/{model}"
IssuedReward = Annotated[dict[str, Any],
                         WithJsonSchema({"allOf": [{"$ref": REF.format(model="IssuedReward")}]})]
"""A reward issued to the player, typed in the document by `reward_components`."""
RewardOffer = Annotated[dict[str, Any],
                        WithJsonSchema({"allOf": [{"$ref": REF.format(model="RewardOffer")}]})]
"""A reward as a page offers it, typed in the document by `reward_components`."""


def _local_times(node: Any) -> None:
    """A config's times are the campaign's local wall clock, without an offset: not RFC 3339."""
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            node.pop("format")
            node["description"] = "the campaign's local time, ISO 8601 without an offset"
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def _union(models: dict[str, type[BaseModel]], title: str, schemas: dict[str, Any]) -> dict[str, Any]:
    mapping = {}
    for kind, model in sorted(models.items()):
        found = model.model_json_schema(ref_template=REF, mode="serialization")
        if title == "RewardOffer":
            _local_times(found)
        schemas.update(found.pop("$defs", {}))
        name = f"{title}{model.__name__}"
        found["properties"]["type"] = {"type": "string", "const": kind}
        found["required"] = sorted({*found.get("required", []), "type"})
        schemas[name] = found
        mapping[kind] = REF.format(model=name)
    return {"title": title, "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "type", "mapping": mapping}}


def reward_components() -> dict[str, Any]:
    """The schemas of `IssuedReward`, `RewardOffer` and every model they name."""
    installed = issuers()
    schemas: dict[str, Any] = {}
    issued = {name: issuer.issued_model for name, issuer in installed.items() if issuer.issued_model}
    schemas["IssuedReward"] = _union(issued, "IssuedReward", schemas)
    schemas["RewardOffer"] = _union({name: issuer.spec_model for name, issuer in installed.items()},
                                    "RewardOffer", schemas)
    return schemas
