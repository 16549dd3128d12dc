"""Dialog states of summary."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class StaffForm(StatesGroup):
    numbers = State()  # data: StaffNumbers


class StaffNumbers(Durable):
    staff_org: int = 0
