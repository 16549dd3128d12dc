"""Callback data of the buttons of journal. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class MeetingConfirmCb(CallbackData, prefix="mc"):
    meeting: int
    comment: bool


class LogPairCb(CallbackData, prefix="lp"):
    mentorship: int


class LogChoiceCb(CallbackData, prefix="lc"):
    field: str  # date | duration | format | item
    value: str


class JournalCb(CallbackData, prefix="jr"):
    mentorship: int
    page: int


class MeetingHeldCb(CallbackData, prefix="nh"):
    """The mentor's answer after a planned meeting: it took place (to the journal) or it did not."""
    meeting: int
    held: bool
