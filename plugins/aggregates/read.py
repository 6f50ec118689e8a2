"""The campaign's figures as the aggregator left them: one Query of its one partition, whose
items are proportional to days x games (x `SLOTS`), whatever else the table holds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from plugins.aggregates.apply import ALL_DAYS
from plugins.aggregates.changes import ALL_GAMES
from plugins.store import BaseItem, dynamodb_client, keys

__all__ = ["CampaignFigures", "read_figures"]


@dataclass
class CampaignFigures:
    """Figures per (local day, game), the slots added up; distinct figures per game over the
    campaign (day ALL), and over all games (game *) per day and in all."""

    rows: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    items_read: int = 0

    def row(self, day: str, game: str) -> Counter[str]:
        return self.rows.get((day, game), Counter())

    def days(self) -> list[str]:
        return sorted({day for day, _ in self.rows if day != ALL_DAYS})

    def games(self) -> list[str]:
        return sorted({game for _, game in self.rows if game != ALL_GAMES})

    def game(self, game: str) -> Counter[str]:
        """One game's figures over the campaign: its days added up, and its distinct counts."""
        total: Counter[str] = Counter()
        for day in self.days():
            total.update(self.row(day, game))
        total.update(self.row(ALL_DAYS, game))
        return total

    def day(self, day: str) -> Counter[str]:
        """One day's figures over all games, and its distinct counts over all games."""
        total: Counter[str] = Counter()
        for game in [*self.games(), ALL_GAMES]:
            total.update(self.row(day, game))
        return total

    def campaign(self) -> Counter[str]:
        """Every figure over the campaign: days and games added up, distinct counts over all."""
        total: Counter[str] = Counter()
        for day in self.days():
            total.update(self.day(day))
        for figure in self.row(ALL_DAYS, ALL_GAMES):
            total[figure] = 0  # a distinct figure counts a member once, not once a day
        total.update(self.row(ALL_DAYS, ALL_GAMES))
        return total


def read_figures(campaign_id: str) -> CampaignFigures:
    """Every figures row of the campaign (eventually consistent: the aggregator lags anyway)."""
    figures = CampaignFigures()
    request: dict[str, Any] = {"TableName": BaseItem.Meta.table_name,
                               "KeyConditionExpression": "pk = :pk",
                               "ExpressionAttributeValues": {":pk": {"S": keys.aggregates(campaign_id)}}}
    while True:
        answer = dynamodb_client().query(**request)
        for item in answer["Items"]:
            figures.items_read += 1
            _, day, game, _slot = item["sk"]["S"].split("#", 3)
            row = figures.rows.setdefault((day, game), Counter())
            row.update({name: int(value["N"]) for name, value in item.items() if "N" in value})
        if "LastEvaluatedKey" not in answer:
            return figures
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
