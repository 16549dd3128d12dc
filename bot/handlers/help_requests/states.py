"""Dialog states of help requests."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class HelpForm(StatesGroup):
    text = State()  # data: help_topic
    comment = State()  # data: help_rated
