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
from aiogram.fsm.storage.memory import SimpleEventIsolation
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
    """FSM state and data in the `dialog_states` table, one short transaction per call.

    It has its own engine (its own connection pool): a handler's session holds a connection of the
    bot's pool for the whole update, and a state write from inside the handler must not wait for
    that same pool — under load every connection would be held by a handler waiting for one more."""

    def __init__(self, url: str) -> None:
        from db.engine import create_engine, create_sessionmaker

        self.engine = create_engine(url)
        self.sessionmaker: async_sessionmaker[AsyncSession] = create_sessionmaker(self.engine)

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
        await self.engine.dispose()


class PrivateStorage(BaseStorage):
    """A durable storage with a private part in memory (see the module's docstring). The memory part
    holds entries only while they are needed, so it does not grow with the number of users."""

    def __init__(self, durable: BaseStorage) -> None:
        self.durable = durable
        self._states: dict[str, str] = {}
        self._data: dict[str, dict[str, Any]] = {}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name, memory_key = _state_name(state), KEYS.build(key)
        if name is not None and name.startswith(VOLATILE_STATES):
            self._states[memory_key] = name
            await self.durable.set_state(key, None)
        else:
            self._states.pop(memory_key, None)
            await self.durable.set_state(key, name)

    async def get_state(self, key: StorageKey) -> str | None:
        return self._states.get(KEYS.build(key)) or await self.durable.get_state(key)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        memory_key = KEYS.build(key)
        private = memory_key in self._states
        kept = {k: v for k, v in data.items() if not private and not k.startswith(VOLATILE_PREFIX)}
        volatile = {k: v for k, v in data.items() if k not in kept}
        if volatile:
            self._data[memory_key] = volatile
        else:
            self._data.pop(memory_key, None)
        await self.durable.set_data(key, kept)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return {**await self.durable.get_data(key), **self._data.get(KEYS.build(key), {})}

    async def close(self) -> None:
        await self.durable.close()


def create_storage(redis_url: str | None, db_url: str) -> tuple[BaseStorage, BaseEventIsolation]:
    """The storage and the lock that keeps one user's updates in order (across workers with Redis)."""
    if redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        redis = RedisStorage.from_url(redis_url, key_builder=KEYS)
        return PrivateStorage(redis), RedisEventIsolation(redis.redis, key_builder=KEYS)
    return PrivateStorage(DatabaseStorage(db_url)), SimpleEventIsolation()
