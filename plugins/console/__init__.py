"""The console API for marketers, store staff and partners: Chalice blueprints, the error
envelope, role checks, partner signatures, the campaign report and the kill switch."""

from plugins.console.campaigns import campaigns
from plugins.console.staff import staff
from plugins.console.web import MARKETER, STAFF, console_view

__all__ = ["MARKETER", "STAFF", "campaigns", "console_view", "staff"]
