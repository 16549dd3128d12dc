"""Where dialog state (aiogram FSM) lives: Redis when REDIS_URL is set (aiogram's RedisStorage, so a
dialog continues on another worker), else the bot's own database. Either way a dialog survives a restart.

Some dialog state must never be written anywhere durable, because it is about a person who has not
agreed to anything yet, or because it would tie answers to a person:
- the whole onboarding dialog (the invite token before consent: nothing about a stranger is stored);
- data keys starting with `v_` (survey answers in progress: anonymity holds for the database too).
`PrivateStorage` keeps those in this process's memory only: a restart or another worker loses them,
and the person opens the invite again or starts the survey again.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import DialogState

VOLATILE_PREFIX = "v_"
VOLATILE_STATES = ("Onboarding:",)  # state names (group:state) kept in memory only
KEYS = DefaultKeyBuilder(with_destiny=True)


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"dialog data must be JSON: {type(value).__name__}")


class DatabaseStorage(BaseStorage):
    """FSM state and data in the `dialog_states` table, one short transaction per call."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def _write(self, key: StorageKey, **values: Any) -> None:
        name = KEYS.build(key)
        for attempt in range(2):  # a concurrent first write for the same key: update it instead
            async with self.sessionmaker() as session:
                row = await session.get(DialogState, name)
                new = row is None
                if row is None:
                    row = DialogState(key=name, state=None, data="{}")
                for field, value in values.items():
                    setattr(row, field, value)
                if row.state is None and row.data == "{}":  # nothing left: no row
                    if not new:
                        await session.delete(row)
                        await session.commit()
                    return
                if new:
                    session.add(row)
                row.updated_at = datetime.now(timezone.utc)
                try:
                    await session.commit()
                    return
                except IntegrityError:
                    if attempt:
                        raise

    async def _read(self, key: StorageKey) -> DialogState | None:
        async with self.sessionmaker() as session:
            return await session.get(DialogState, KEYS.build(key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, state=_state_name(state))

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._read(key)
        return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=json.dumps(dict(data), ensure_ascii=False, default=_json_default))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._read(key)
        return json.loads(row.data) if row else {}

    async def close(self) -> None:
        return None


class PrivateStorage(BaseStorage):
    """A durable storage with a private part in memory (see the module's docstring)."""

    def __init__(self, durable: BaseStorage) -> None:
        self.durable = durable
        self.memory = MemoryStorage()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = _state_name(state)
        if name is not None and name.startswith(VOLATILE_STATES):
            await self.memory.set_state(key, name)
            await self.durable.set_state(key, None)
        else:
            await self.memory.set_state(key, None)
            await self.durable.set_state(key, name)

    async def get_state(self, key: StorageKey) -> str | None:
        return await self.memory.get_state(key) or await self.durable.get_state(key)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        private = await self.memory.get_state(key) is not None
        kept = {k: v for k, v in data.items() if not private and not k.startswith(VOLATILE_PREFIX)}
        await self.memory.set_data(key, {k: v for k, v in data.items() if k not in kept})
        await self.durable.set_data(key, kept)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return {**await self.durable.get_data(key), **await self.memory.get_data(key)}

    async def close(self) -> None:
        await self.durable.close()
        await self.memory.close()


def create_storage(redis_url: str | None,
                   sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[BaseStorage, BaseEventIsolation]:
    """The storage and the lock that keeps one user's updates in order (across workers with Redis)."""
    if redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        redis = RedisStorage.from_url(redis_url, key_builder=KEYS)
        return PrivateStorage(redis), RedisEventIsolation(redis.redis, key_builder=KEYS)
    return PrivateStorage(DatabaseStorage(sessionmaker)), SimpleEventIsolation()
