"""Dialog states of onboarding."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Volatile


class Onboarding(StatesGroup):
    consent = State()  # data: Invitation. The state itself is kept in memory only (storage.VOLATILE_STATES)


class Invitation(Volatile):
    """The invite a stranger opened, while they read the consent: nothing about them is stored yet."""

    token: str
