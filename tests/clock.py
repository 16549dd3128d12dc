"""APScheduler reads the test's clock: tests move time forward instead of sleeping.

APScheduler asks `datetime.now()` of its own module for the current time (when it looks for due jobs
and when it adds one); nothing public sets it, so for a test its module's `datetime` is replaced by one
whose `now()` reads the `FrozenClock`. Production code never does this: the scheduler there reads
the system clock, which is what `Clock` reads too."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

import apscheduler.schedulers.base as aps_base

from bot.services.clock import Clock


@contextlib.contextmanager
def scheduler_reads(clock: Clock) -> Iterator[None]:
    class ClockDatetime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            moment = clock.now()
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    original = aps_base.datetime
    aps_base.datetime = ClockDatetime  # type: ignore[misc]
    try:
        yield
    finally:
        aps_base.datetime = original  # type: ignore[misc]
