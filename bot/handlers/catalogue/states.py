"""Dialog states of the catalogue."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class CatalogueForm(StatesGroup):
    title = State()  # data: TitleEditing


class TitleEditing(Durable):
    org: int = 0
    topic: int = 0  # 0: a new entry
