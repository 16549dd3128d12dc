"""Dialog states of speed sessions."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SpeedForm(StatesGroup):
    topic = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()
    audience = State()  # data: speed (the draft)
    move = State()  # data: speed_session
