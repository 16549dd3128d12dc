"""Every touch of a library's internals, in one place, applied by `apply()` and switched off by
`SPEEDUPS=off` (the bot then runs on the libraries' public behaviour alone, slower).

Each module says what it changes, why (with the benchmark that showed it) and which test guards it
(tests/test_speedups.py, tests/test_transactions.py, tests/test_heap.py, tests/test_cli.py). The
library versions they touch are pinned in pyproject.toml to what those tests pass on. Figures with
them on and off: docs/performance.md.
"""
from __future__ import annotations

import logging

from aiogram import Dispatcher
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.handlers.render import Keyboard
from bot.speedups import filters, gates, heap, keyboard, responses, transactions

log = logging.getLogger(__name__)

# the libraries whose internals the speed-ups touch, and the minor release their tests guard
TOUCHED = {"aiogram": "3.31", "sqlalchemy": "2.1", "pydantic": "2.13"}


def apply(dispatcher: Dispatcher, engine: AsyncEngine, *, serving: bool) -> list[str]:
    """Apply every speed-up to a dispatcher whose routers are all included and to the bot's engine;
    `serving`: the process is about to serve updates for good (not a test's or a tool's app), so the
    start-up heap is frozen last, once everything else is built. Returns the names applied."""
    applied = ["responses"]
    responses.hold_response_models()  # before the first API call
    keyboard.install(Keyboard)
    applied.append("keyboard")
    gates.add_router_gates(dispatcher)  # before the filters are wrapped: the gates read them as declared
    filters.run_inline(dispatcher)  # the gates' own filters included
    applied += ["gates", "filters"]
    if transactions.applies_to(engine):
        transactions.begin_at_first_write(engine)
        applied.append("transactions")
    if serving:
        heap.settle()
        applied.append("heap")
    log.info("speed-ups applied: %s", ", ".join(applied))
    return applied
