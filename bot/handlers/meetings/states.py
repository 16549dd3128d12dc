"""Dialog states of meetings."""
from __future__ import annotations

from datetime import date

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class PlanForm(StatesGroup):
    day = State()  # data: PlanDialog
    at = State()
    duration = State()
    format = State()
    place = State()
    topic = State()
    item = State()
    repeat = State()


class RetimeForm(StatesGroup):
    day = State()  # data: RetimeDialog
    at = State()


class PlanDialog(Durable):
    mentorship: int = 0
    day: date | None = None
    at: str | None = None  # «ЧЧ:ММ»
    duration: int | None = None
    format: str | None = None
    place: str | None = None
    topic: str = ""
    item: int | None = None


class RetimeDialog(Durable):
    meeting: int = 0
    day: date | None = None
