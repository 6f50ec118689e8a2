"""Campaign config: the marketer's YAML, its validation, its versions and their cache."""

from plugins.campaigns.files import read_campaign_file
from plugins.campaigns.model import Campaign, CampaignConfig, GameConfig, parse_campaign
from plugins.campaigns.repository import ConfigCache, apply_campaign, list_versions, load_current

__all__ = [
    "Campaign",
    "CampaignConfig",
    "ConfigCache",
    "GameConfig",
    "apply_campaign",
    "list_versions",
    "load_current",
    "parse_campaign",
    "read_campaign_file",
]
