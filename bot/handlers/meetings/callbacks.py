"""Callback data of the meetings' buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MeetingAnswerCb(CallbackData, prefix="na"):
    meeting: int
    accept: bool
    version: int  # the meeting's sequence when the button was made: a moved meeting is not answered by it


class MeetingAction(StrEnum):
    RETIME = "retime"  # propose another time
    CANCEL = "cancel"  # asks to be sure
    CANCEL_SURE = "sure"
    PLAN = "plan"  # `meeting`: the mentorship to plan one for (0: pick the pair first)


class MeetingCb(CallbackData, prefix="nm"):
    action: MeetingAction
    meeting: int


class PlanField(StrEnum):
    DURATION = "duration"
    FORMAT = "format"
    NO_PLACE = "no_place"
    ITEM = "item"  # value: the item's id, "0" for none
    REPEAT = "repeat"  # value: "0" once, "1" weekly, "2" fortnightly


class PlanChoiceCb(CallbackData, prefix="nc"):
    field: PlanField
    value: str
