"""Typed rewards in the documents: `IssuedReward`, what a player gets from an action, is the
union of every installed issuer's `issued_model`; `RewardOffer`, a reward as a page shows it
before it is won (`Issuer.offer`, its times with the campaign's offset), the union of their
`spec_model`s. Both are discriminated by `type`, the issuer's name, so a third-party issuer's
rewards are typed as soon as it is installed."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, WithJsonSchema

from plugins.registry import GAMES_GROUP, ISSUERS_GROUP, get_issuer, sources

REF = "#/components/schemas/{model}"
IssuedReward = Annotated[dict[str, Any],
                         WithJsonSchema({"allOf": [{"$ref": REF.format(model="IssuedReward")}]})]
"""A reward issued to the player, typed in the document by `reward_components`."""
RewardOffer = Annotated[dict[str, Any],
                        WithJsonSchema({"allOf": [{"$ref": REF.format(model="RewardOffer")}]})]
"""A reward as a page offers it, typed in the document by `reward_components`."""


def _union(models: dict[str, type[BaseModel] | None], title: str, schemas: dict[str, Any]) -> dict[str, Any]:
    mapping = {}
    for kind, model in sorted(models.items()):
        if model is None:  # another game's issuer: a function never imports another game
            schemas[f"{title}-{kind}"] = {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "const": kind}}, "description": "typed in its game's document"}
            mapping[kind] = REF.format(model=f"{title}-{kind}")
            continue
        found = model.model_json_schema(ref_template=REF, mode="serialization")
        schemas.update(found.pop("$defs", {}))
        name = f"{title}{model.__name__}"
        found["properties"]["type"] = {"type": "string", "const": kind}
        found["required"] = sorted({*found.get("required", []), "type"})
        schemas[name] = found
        mapping[kind] = REF.format(model=name)
    return {"title": title, "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "type", "mapping": mapping}}


def reward_components(game: str) -> dict[str, Any]:
    """The schemas of `IssuedReward`, `RewardOffer` and every model they name, in `game`'s
    document: the platform's issuers and the game's own typed in full, another game's issuer
    by its `type` only (loading it would import that game into this game's function)."""
    others = [module for name, module in sources(GAMES_GROUP).items() if name != game]
    loaded = {name: None if any(module == other or module.startswith(f"{other}.") for other in others)
              else get_issuer(name) for name, module in sources(ISSUERS_GROUP).items()}
    schemas: dict[str, Any] = {}
    issued = {name: None if issuer is None else issuer.issued_model for name, issuer in loaded.items()}
    offers: dict[str, type[BaseModel] | None] = {
        name: None if issuer is None else issuer.spec_model for name, issuer in loaded.items()}
    schemas["IssuedReward"] = _union(issued, "IssuedReward", schemas)
    schemas["RewardOffer"] = _union(offers, "RewardOffer", schemas)
    return schemas
