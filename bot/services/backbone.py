"""The notification backbone: leader election, the scheduler and the sender, started and stopped
with the dispatcher."""
from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import I18n
from bot.services.clock import Clock
from bot.services.leader import LeaderLock
from bot.services.scheduler import ClockedScheduler, JobRuntime, add_standing_jobs, create_scheduler, set_runtime
from bot.services.sender import NotificationSender
from bot.settings import Settings

log = logging.getLogger(__name__)
LEADER_RETRY_SECONDS = 5.0


class NotificationBackbone:
    def __init__(self, settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession],
                 bot: Bot, clock: Clock, i18n: I18n) -> None:
        self.sender = NotificationSender(sessionmaker, bot, settings.notify, clock)
        self.scheduler: ClockedScheduler = create_scheduler(settings.db.url, clock)
        self.leader = LeaderLock(engine)
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.i18n = i18n
        self._task: asyncio.Task | None = None
        self.leading = asyncio.Event()

    def wake(self) -> None:
        self.sender.wake()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="notification-backbone")

    async def _run(self) -> None:
        while not await self.leader.try_acquire():
            await asyncio.sleep(LEADER_RETRY_SECONDS)
        set_runtime(JobRuntime(self.sessionmaker, self.clock, self.sender.wake, self.i18n))
        self.scheduler.start()
        add_standing_jobs(self.scheduler)
        self.leading.set()
        await self.sender.run()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            set_runtime(None)
        await self.leader.release()
        self.leading.clear()
