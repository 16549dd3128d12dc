"""Dialog states of profile."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class ProfileForm(StatesGroup):
    step = State()  # data: ProfileSteps


class ProfileSteps(Durable):
    queue: list[str] = []  # the steps left, the current one first
    mode: str = "onboarding"  # onboarding | edit
    selected: list[int] | None = None  # the difficulties or competencies ticked so far (None: not yet shown)

    @property
    def step(self) -> str | None:
        return self.queue[0] if self.queue else None
