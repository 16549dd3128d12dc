"""Dialog states of registry."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class RegistryForm(StatesGroup):
    query = State()  # data: org, role
