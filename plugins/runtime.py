"""Per-process collaborators a request uses: the clock, the random source, the config cache.

One instance serves a warm Lambda; tests swap the clock or the random source on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from plugins.campaigns.repository import ConfigCache
from plugins.clock import Clock, utc_now
from plugins.prize_pool.draw import SYSTEM_RANDOM


@dataclass
class Runtime:
    clock: Clock = utc_now
    rng: Random = SYSTEM_RANDOM
    configs: ConfigCache = field(default_factory=ConfigCache)


runtime = Runtime()
