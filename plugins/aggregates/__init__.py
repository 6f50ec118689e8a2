"""The campaign's figures, aggregated from the table's stream as actions happen: the report
reads days x games items, never scans (docs/report.md)."""

from plugins.aggregates.apply import apply_changes, forget_marks
from plugins.aggregates.changes import Change, Fact, changes_of
from plugins.aggregates.read import CampaignFigures, read_figures

__all__ = ["CampaignFigures", "Change", "Fact", "apply_changes", "changes_of", "forget_marks", "read_figures"]
