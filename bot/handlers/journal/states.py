"""Dialog states of journal."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class MeetingForm(StatesGroup):
    date = State()  # data: log_mentorship
    duration = State()
    format = State()
    channel = State()
    topic = State()
    summary = State()
    next_steps = State()
    item = State()
    comment = State()  # data: meeting (a mentee's comment)
