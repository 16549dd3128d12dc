"""The notification backbone: leader election, the scheduler and the sender, started and stopped
with the dispatcher. It outlives database trouble: when the sender stops on an error (the database
restarted, say) or the leader lock is lost with its connection, it stands down and, a few seconds
later, runs the election again and starts over (rows left `sending` go back to the queue)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import I18n
from bot.runtime.leader import LeaderLock
from bot.runtime.scheduler import JobRuntime, JobScheduler, add_standing_jobs, create_scheduler, set_runtime
from bot.runtime.sender import NotificationSender
from bot.services.clock import Clock
from bot.settings import Settings
from bot.waits import finish, wait_set
from db.engine import create_sessionmaker

log = logging.getLogger(__name__)
LEADER_RETRY_SECONDS = 5.0
LEADER_CHECK_SECONDS = 5.0  # how often the leader makes sure it still holds the lock
STOP_SECONDS = 15.0  # the longest a stop waits for the sender to wind down
STOP_GRACE_SECONDS = 5.0  # how long a stop (or a step down) lets the jobs running finish


def _outbox_sessions(engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
                     ) -> async_sessionmaker[AsyncSession]:
    """The sender's sessions. Each of its reads and writes is one statement that stands alone (a row is
    claimed by this process only: the leader sends, one delivery a row at a time), so on PostgreSQL they
    run in autocommit: no BEGIN and COMMIT around each (about 13 round trips a message become 5). SQLite
    begins only before a write anyway, in the bot's own process."""
    if engine.dialect.name != "postgresql":
        return sessionmaker
    return create_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"))


class NotificationBackbone:
    def __init__(self, settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession],
                 bot: Bot, clock: Clock, i18n: I18n) -> None:
        self.sender = NotificationSender(_outbox_sessions(engine, sessionmaker), bot, settings.notify, clock)
        self.scheduler: JobScheduler = create_scheduler(settings.db.url, clock)
        self.leader = LeaderLock(engine)
        self.sessionmaker = sessionmaker
        self.retention = timedelta(days=settings.notify.retention_days)
        self.clock = clock
        self.i18n = i18n
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()
        self.leading = asyncio.Event()

    def wake(self) -> None:
        self.sender.wake()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="notification-backbone")

    async def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    await self._lead()
                except Exception as error:  # noqa: BLE001 - logged; the backbone starts over
                    log.warning("notification backbone stopped (%s: %s); starting again in %.0f s",
                                type(error).__name__, error, LEADER_RETRY_SECONDS)
                await self._step_down()
                await wait_set(self._stopping, LEADER_RETRY_SECONDS)
        finally:
            await self._step_down()

    async def _lead(self) -> None:
        """Win the election, then run the scheduler and the sender until one of them fails or the
        lock is lost."""
        while not await self.leader.try_acquire():
            if await wait_set(self._stopping, LEADER_RETRY_SECONDS):
                return
        set_runtime(JobRuntime(self.sessionmaker, self.clock, self.sender.wake, self.i18n, self.retention))
        if not self.scheduler.running:
            self.scheduler.start()
        add_standing_jobs(self.scheduler)
        self.leading.set()
        sender = asyncio.create_task(self.sender.run(), name="notification-sender")
        try:
            while True:
                done, _ = await asyncio.wait({sender}, timeout=LEADER_CHECK_SECONDS)
                if done:
                    sender.result()  # raises what stopped it
                    return
                if not await self.leader.alive():
                    log.warning("the leader lock was lost with its connection (a database restart?): standing down")
                    return
        finally:
            await finish(sender, STOP_SECONDS)

    async def _step_down(self) -> None:
        self.leading.clear()
        if self.scheduler.running:
            await self.scheduler.stop(STOP_GRACE_SECONDS)
            set_runtime(None)
        with contextlib.suppress(Exception):  # a dead connection: the lock went with it
            await self.leader.release()

    async def stop(self) -> None:
        """Cooperatively: the sender and the jobs running finish what they are doing (a message being
        sent is recorded, a transaction is not cut in half); what has not ended after STOP_SECONDS is
        cancelled."""
        self._stopping.set()
        self.sender.stop()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=STOP_SECONDS)
            if not self._task.done():
                log.warning("the notification backbone did not stop within %.0f s: cancelled", STOP_SECONDS)
            await finish(self._task, STOP_SECONDS)
            self._task = None
        await self._step_down()
