"""My wallet [我的]: the player's own points balance, its ledger, and his coupons of the campaign
whatever game issued them (the wheel, check-in, assist, the exchange, the coupon center).

It plays nothing and needs no section in the campaign file: every campaign page can show it.
"""

from games.wallet.routes import router
from plugins.contracts import GameConfig, GamePlugin


class WalletConfig(GameConfig):
    """Nothing to configure: the wallet reads what the games wrote."""


plugin = GamePlugin("wallet", "My wallet", WalletConfig, router, description=__doc__, views_only=True)

__all__ = ["WalletConfig", "plugin"]
