"""Dialog states of speed sessions."""
from __future__ import annotations

from datetime import date, datetime

from aiogram.fsm.state import State, StatesGroup
from pydantic import BaseModel

from bot.handlers.dialogs import Durable


class SpeedForm(StatesGroup):
    topic = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()
    audience = State()  # data: Announcing (the draft, step by step)
    move = State()  # data: Moving


class Draft(BaseModel):
    topic: str = ""
    day: date | None = None  # picked on the calendar, before its time
    starts: datetime | None = None
    duration: int | None = None
    place: str = ""
    capacity: int | None = None


class Announcing(Durable):
    speed: Draft = Draft()


class Moving(Durable):
    speed_session: int = 0
    day: date | None = None
