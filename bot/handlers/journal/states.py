"""Dialog states of journal."""
from __future__ import annotations

from datetime import date

from aiogram.fsm.state import State, StatesGroup
from pydantic import BaseModel

from bot.handlers.dialogs import Durable
from db.models import MeetingFormat


class MeetingForm(StatesGroup):
    date = State()  # data: LogDialog
    duration = State()
    format = State()
    channel = State()
    topic = State()
    summary = State()
    next_steps = State()
    item = State()
    comment = State()  # data: Commenting (a mentee's comment)


class MeetingLog(BaseModel):
    """The meeting as typed so far, step by step."""

    held_on: date | None = None
    duration: int | None = None
    format: MeetingFormat | None = None
    channel: str | None = None
    topic: str = ""
    summary: str = ""
    next_steps: str | None = None


class LogDialog(Durable):
    log_mentorship: int = 0
    log: MeetingLog = MeetingLog()
    planned: int = 0  # the planned meeting this entry records (prefilled from it), 0 for none
    planned_item: int | None = None


class Commenting(Durable):
    meeting: int = 0
