"""Dialog states of documents."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class ReportForm(StatesGroup):
    conclusions = State()  # data: ReportDraft


class RoadmapForm(StatesGroup):
    value = State()  # data: RoadmapEditing


class PeriodForm(StatesGroup):
    span = State()  # data: PeriodDraft


class PeriodDraft(Durable):
    kind: str = "order"
    target: int = 0


class RoadmapEditing(Durable):
    org: int = 0
    stage: int = 0
    field: str = "dates"


class ReportDraft(Durable):
    org: int = 0
