"""Callback data of the buttons of consent. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class WithdrawCb(CallbackData, prefix="wd"):
    org: int
    confirm: bool


KEEP_CONSENT = "wdk"  # "no, keep my consent"
