"""Dialog states of summary."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class StaffForm(StatesGroup):
    numbers = State()  # data: staff_org
