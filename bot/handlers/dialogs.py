"""Typed dialog data: a small model per dialog, loaded from and saved to aiogram's FSM context.

`Durable` data go to the dialog storage (Redis or the database) and survive a restart. `Volatile`
data must never be written anywhere durable (survey answers in progress would tie answers to a
person; a message held for a choice is a person's text): they live in this process's memory
(`PrivateStorage.volatile`, bot/telegram/storage.py), a restart or another worker loses them, and
they are forgotten when the dialog ends (its state cleared)."""
from __future__ import annotations

from typing import Self

from aiogram.fsm.context import FSMContext
from pydantic import BaseModel, ConfigDict

from bot.telegram.storage import VolatileStore


class Durable(BaseModel):
    """A dialog's data in the dialog storage. Unknown keys are ignored and missing fields take their
    defaults, so a dialog begun by an older version of the bot goes on."""

    model_config = ConfigDict(extra="ignore")

    @classmethod
    async def load(cls, state: FSMContext) -> Self:
        return cls.model_validate(await state.get_data())

    async def save(self, state: FSMContext, *, replace: bool = False) -> None:
        """Write the model's fields into the dialog data; `replace`: drop whatever else was there (one write)."""
        data = self.model_dump(mode="json")
        await (state.set_data(data) if replace else state.update_data(data))


class Volatile(BaseModel):
    """A dialog's data kept in this process's memory only, one entry per model and chat."""

    model_config = ConfigDict(extra="forbid")

    @staticmethod
    def _store(state: FSMContext) -> VolatileStore:
        store = getattr(state.storage, "volatile", None)
        if not isinstance(store, VolatileStore):
            raise TypeError("volatile dialog data need the bot's PrivateStorage (bot/telegram/storage.py)")
        return store

    @classmethod
    async def load(cls, state: FSMContext) -> Self | None:
        """None when there is nothing: never saved, dropped, the dialog ended, or the process restarted."""
        data = cls._store(state).get(state.key, cls.__name__)
        return None if data is None else cls.model_validate(data)

    async def save(self, state: FSMContext) -> None:
        self._store(state).put(state.key, type(self).__name__, self.model_dump(mode="json"))

    @classmethod
    async def drop(cls, state: FSMContext) -> None:
        cls._store(state).drop(state.key, cls.__name__)
