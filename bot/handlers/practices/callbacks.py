"""Callback data of the best-practice bank. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class PracticeAction(StrEnum):
    SHOW = "show"
    FILES = "files"
    APPROVE = "approve"
    RETURN = "return"
    FEATURE = "feature"
    POST = "post"  # to the organisation's channel
    NEW = "new"  # `practice`: 0
    SEARCH = "search"  # `practice`: 0
    PENDING = "pending"  # `practice`: 0, the curator's list


class PracticeCb(CallbackData, prefix="bp"):
    action: PracticeAction
    practice: int


class PracticeStep(StrEnum):
    TOPIC = "topic"  # value: the topic, 0 for none
    PROGRAM = "program"  # value: the mentorship, 0 for none
    DONE = "done"  # no (more) files


class PracticeChoiceCb(CallbackData, prefix="bc"):
    step: PracticeStep
    value: int
