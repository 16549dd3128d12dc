"""Dialog states of mentorships."""
from __future__ import annotations

from datetime import date

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable
from db.models import MentoringForm, ProgramChangeKind, TrainingKind


class PairForm(StatesGroup):
    building = State()  # data: PairBuilding


class DeclineForm(StatesGroup):
    reason = State()  # data: Declining


class ProgramForm(StatesGroup):
    goals = State()  # data: ProgramDraft
    months = State()


class ItemForm(StatesGroup):
    activity = State()  # data: ItemDraft
    due = State()
    expected = State()


class ItemDoneForm(StatesGroup):
    note = State()  # data: ItemClosing


class ItemEditForm(StatesGroup):
    value = State()  # data: ItemEditing


class GoalsForm(StatesGroup):
    goals = State()  # data: GoalsEditing


class TrainingForm(StatesGroup):
    held_on = State()  # data: TrainingDraft


class PairBuilding(Durable):
    pair_org: int = 0
    pair_mentees: list[int] = []
    pair_mentor: int | None = None
    pair_form: MentoringForm | None = None


class Declining(Durable):
    mentorship: int = 0


class ProgramDraft(Durable):
    mentorship: int = 0
    goals: str = ""


class ItemDraft(Durable):
    program: int = 0
    mentorship: int = 0
    activity: str = ""
    due: date | None = None


class ItemClosing(Durable):
    item: int = 0
    mentorship: int = 0


class ItemEditing(Durable):
    item: int = 0
    mentorship: int = 0
    field: ProgramChangeKind = ProgramChangeKind.ITEM_ACTIVITY


class GoalsEditing(Durable):
    mentorship: int = 0


class TrainingDraft(Durable):
    org: int = 0
    person: int = 0
    kind: TrainingKind = TrainingKind.ORIENTATION
