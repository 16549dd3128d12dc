"""Where dialog state (aiogram FSM) lives: Redis when REDIS_URL is set (aiogram's RedisStorage, so a
dialog continues on another worker), else the bot's own database. Either way a dialog survives a restart.

Some dialog state must never be written anywhere durable, because it is about a person who has not
agreed to anything yet, or because it would tie answers to a person:
- the whole onboarding dialog (the invite token before consent: nothing about a stranger is stored);
- a dialog's `Volatile` data (bot/handlers/dialogs.py: survey answers in progress, so that anonymity
  holds for the database too; a message held while its sender picks a request).
`PrivateStorage` keeps those in this process's memory only: a restart or another worker loses them,
and the person opens the invite again or starts the survey again.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.engine import create_engine
from db.models import DialogState

VOLATILE_STATES = ("Onboarding:",)  # state names (group:state) kept in memory only
KEYS = DefaultKeyBuilder(with_destiny=True)
TABLE = DialogState.__table__
EMPTY = "{}"


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"dialog data must be JSON: {type(value).__name__}")


# built once: constructing a statement cost more than running it
READ = select(TABLE.c.state, TABLE.c.data).where(TABLE.c.key == bindparam("key", type_=TABLE.c.key.type))
DELETE = delete(TABLE).where(TABLE.c.key == bindparam("key", type_=TABLE.c.key.type))


def _upsert(insert: Any, column: str) -> Any:
    """Insert the dialog's row, or change only `column` of it: with `shared`, another process may have
    just written the other column."""
    statement = insert(TABLE).values({c: bindparam(c, type_=TABLE.c[c].type)
                                      for c in ("key", "state", "data", "updated_at")})
    return statement.on_conflict_do_update(index_elements=[TABLE.c.key], set_={
        column: statement.excluded[column], "updated_at": statement.excluded.updated_at})


class DatabaseStorage(BaseStorage):
    """FSM state and data in the `dialog_states` table: one statement per change, none for a read of a
    dialog this process already knows.

    Unless `shared` (several processes handle updates without Redis), this process is the only writer
    of dialog state, so it keeps the dialogs it has seen in memory (the most recent `cache_size`) and
    reads the table only for the others: after a restart, or for a dialog not seen for a long time.
    Every change is written at once (an upsert, or a delete when nothing is left), and a write that
    changes nothing is skipped. Each read and write is a single statement, run in autocommit mode (no
    BEGIN and COMMIT around it: one round trip, not three). It has its own engine (its own connection
    pool): a handler's session holds a connection of the bot's pool for the whole update, and a state
    write from inside the handler must not wait for that same pool — under load every connection would
    be held by a handler waiting for one more."""

    def __init__(self, url: str, *, shared: bool = False, cache_size: int = 10_000) -> None:
        self.engine = create_engine(url, autocommit=True)  # a read or a write is one statement
        self.cache: OrderedDict[str, tuple[str | None, str]] | None = None if shared else OrderedDict()
        self.cache_size = cache_size
        insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[self.engine.dialect.name]
        self._upserts = {column: _upsert(insert, column) for column in ("state", "data")}

    def _remember(self, name: str, value: tuple[str | None, str]) -> None:
        if self.cache is None:
            return
        self.cache[name] = value
        self.cache.move_to_end(name)
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)

    async def _current(self, name: str) -> tuple[str | None, str]:
        if self.cache is not None and name in self.cache:
            self.cache.move_to_end(name)
            return self.cache[name]
        async with self.engine.connect() as connection:
            row = (await connection.execute(READ, {"key": name})).first()
        value = (row.state, row.data) if row else (None, EMPTY)
        self._remember(name, value)
        return value

    async def _write(self, key: StorageKey, column: str, value: str | None) -> None:
        name = KEYS.build(key)
        old = await self._current(name)
        new = (value, old[1]) if column == "state" else (old[0], value)
        if new == old and self.cache is not None:
            return
        async with self.engine.begin() as connection:
            if new == (None, EMPTY):  # nothing left: no row
                await connection.execute(DELETE, {"key": name})
            else:
                await connection.execute(self._upserts[column], {"key": name, "state": new[0], "data": new[1],
                                                                 "updated_at": datetime.now(timezone.utc)})
        self._remember(name, new)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, "state", _state_name(state))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._current(KEYS.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, "data", json.dumps(dict(data), ensure_ascii=False, default=_json_default))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._current(KEYS.build(key)))[1])

    async def close(self) -> None:
        await self.engine.dispose()


class VolatileStore:
    """Dialog data in this process's memory only, per chat and model; an entry lives until it is dropped
    or its dialog ends, so the store does not grow with the number of users."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, dict[str, Any]]] = {}

    def get(self, key: StorageKey, name: str) -> dict[str, Any] | None:
        return self._entries.get(KEYS.build(key), {}).get(name)

    def put(self, key: StorageKey, name: str, data: dict[str, Any]) -> None:
        self._entries.setdefault(KEYS.build(key), {})[name] = data

    def drop(self, key: StorageKey, name: str) -> None:
        entries = self._entries.get(KEYS.build(key))
        if entries is not None:
            entries.pop(name, None)
            if not entries:
                del self._entries[KEYS.build(key)]

    def forget(self, key: StorageKey) -> None:
        self._entries.pop(KEYS.build(key), None)

    def __len__(self) -> int:
        return len(self._entries)


class PrivateStorage(BaseStorage):
    """A durable storage with a private part in memory (see the module's docstring): the states listed in
    VOLATILE_STATES with their data, and the dialogs' `volatile` data. The memory part holds entries
    only while they are needed, so it does not grow with the number of users."""

    def __init__(self, durable: BaseStorage) -> None:
        self.durable = durable
        self.volatile = VolatileStore()
        self._states: dict[str, str] = {}
        self._data: dict[str, dict[str, Any]] = {}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name, memory_key = _state_name(state), KEYS.build(key)
        if name is None:
            self.volatile.forget(key)  # the dialog ended
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
        if memory_key in self._states:  # a private state: all of its data stay in memory
            if data:
                self._data[memory_key] = dict(data)
            else:
                self._data.pop(memory_key, None)
            data = {}
        else:
            self._data.pop(memory_key, None)
        await self.durable.set_data(key, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return {**await self.durable.get_data(key), **self._data.get(KEYS.build(key), {})}

    async def close(self) -> None:
        await self.durable.close()


def create_storage(redis_url: str | None, db_url: str, *, shared: bool = False) -> tuple[BaseStorage, BaseEventIsolation]:
    """The storage and the lock that keeps one user's updates in order (across workers with Redis).
    `shared`: several processes handle updates (webhook workers); without Redis they share the table."""
    if redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        redis = RedisStorage.from_url(redis_url, key_builder=KEYS)
        return PrivateStorage(redis), RedisEventIsolation(redis.redis, key_builder=KEYS)
    return PrivateStorage(DatabaseStorage(db_url, shared=shared)), SimpleEventIsolation()
