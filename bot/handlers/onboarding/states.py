"""Dialog states of onboarding."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    consent = State()  # data: token; nothing is stored in the database yet
