"""Callback data of the buttons of speed sessions. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class SpeedAction(StrEnum):
    SHOW = "show"
    NEW = "new"
    JOIN = "join"
    LEAVE = "leave"
    ATTENDANCE = "attendance"
    MOVE = "move"
    CANCEL = "cancel"


class SpeedCb(CallbackData, prefix="sp"):
    session: int
    action: SpeedAction


class SpeedAttendCb(CallbackData, prefix="sa"):
    session: int
    person: int  # 0: attendance is final


class SpeedFeedbackCb(CallbackData, prefix="sf"):
    session: int
    rating: int


class SpeedAudienceCb(CallbackData, prefix="su"):
    value: str  # all | category.<value> | topic.<id> (":" separates callback fields)
