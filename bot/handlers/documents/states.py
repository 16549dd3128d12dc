"""Dialog states of documents."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class ReportForm(StatesGroup):
    conclusions = State()  # data: ReportDraft


class ReportDraft(Durable):
    org: int = 0
