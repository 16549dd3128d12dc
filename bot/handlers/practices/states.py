"""Dialog states of the best-practice bank."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class PracticeForm(StatesGroup):
    title = State()  # data: PracticeDialog
    description = State()
    topic = State()
    program = State()
    files = State()


class PracticeSearch(StatesGroup):
    words = State()


class PracticeDialog(Durable):
    title: str = ""
    description: str = ""
    topic: int | None = None
    program: int | None = None
    files: list[list[int]] = []  # [chat id, message id] of each file sent
