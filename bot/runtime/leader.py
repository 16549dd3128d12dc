"""Only one process runs the scheduler and the sender.

On PostgreSQL a session-level advisory lock decides: the process holding it leads; the others
wait and try again, so one takes over when the leader stops. On SQLite a single bot process is
assumed (see README), so the lock is always granted.
"""
from __future__ import annotations

import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.waits import within

log = logging.getLogger(__name__)
LOCK_KEY = 0x6E617374  # "nast"


class LeaderLock:
    def __init__(self, engine: AsyncEngine, key: int = LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self.engine.dialect.name != "postgresql"

    async def try_acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            return True
        connection = await self.engine.connect()
        try:
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            log.info("this process runs the scheduler and the sender")
            return True
        await connection.close()
        return False

    async def alive(self) -> bool:
        """Whether the lock is still held: on PostgreSQL it lives as long as its connection."""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._connection is None:
            return False
        try:
            await within(self._connection.scalar(text("SELECT 1")), 10)  # in the backbone's loop: no wait_for
            await self._connection.commit()
            return True
        except Exception:  # noqa: BLE001 - any failure means the lock may be gone
            with contextlib.suppress(Exception):
                await self._connection.invalidate()
            self._connection = None
            return False

    async def release(self) -> None:
        if self._connection is None:
            return
        try:
            await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            await self._connection.commit()
        finally:
            await self._connection.close()
            self._connection = None
