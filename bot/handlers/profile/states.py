"""Dialog states of profile."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ProfileForm(StatesGroup):
    step = State()  # data: queue (steps left), mode (onboarding | edit), selected (topic ids)
