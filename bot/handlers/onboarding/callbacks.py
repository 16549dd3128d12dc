"""Callback data of the buttons of onboarding. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ConsentCb(CallbackData, prefix="cs"):
    accept: bool
