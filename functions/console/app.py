"""The console API (Chalice, on API Gateway): marketers, store staff and partners.

Routes live in `plugins.console` blueprints, registered here with their prefixes; every
view answers errors with the shared envelope (see `plugins.console.web`).
"""

from __future__ import annotations

from chalice import Chalice

from plugins.console import campaigns, partners, staff

app = Chalice(app_name="marketing-games-console")
app.register_blueprint(campaigns, url_prefix="/campaigns")
app.register_blueprint(staff)
app.register_blueprint(partners)
