"""Callback data of the buttons of profile. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class StepChoiceCb(CallbackData, prefix="pc"):
    step: str
    value: str


class StepTopicCb(CallbackData, prefix="pt"):
    step: str
    topic: int  # 0 means "done"


class StepSkipCb(CallbackData, prefix="ps"):
    step: str


class ProfileEditCb(CallbackData, prefix="pe"):
    step: str
