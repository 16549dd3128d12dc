"""The garbage collector, tuned for a process that serves updates for weeks.

CPython's cyclic collector now and then walks every object the process holds. A running bot holds
about 300,000 of them from start-up alone (aiogram's hundreds of pydantic models, SQLAlchemy's
mappers, the handlers), none of which ever becomes garbage, and a full pass over them stopped the
event loop for about 220 ms, nine times in a half-minute benchmark: every update in flight waited
(bench/updates.py, 24 November: p99 at 100 updates/s 554 ms with the pauses; without them 56-157 ms,
and no full pass at all while serving).

So once the bot is built, `settle()` collects what start-up left behind and moves everything still
alive into the permanent generation (`gc.freeze()`), which the collector no longer walks; and it
raises the young generation's threshold from 700 to 10,000 new container objects (an update makes
about 1,500: the collector no longer runs a few times for each one). Objects made later are
collected as before; what start-up made and frees later by reference counting is freed as before.
"""
from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)
YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Call once the application is built, before serving (polling or a webhook worker)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    log.info("start-up's %d objects frozen out of the garbage collector's way", gc.get_freeze_count())
