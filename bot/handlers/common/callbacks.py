"""Callback data of the buttons of common. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class OrgPickCb(CallbackData, prefix="op"):
    org: int
    purpose: str


class LanguageCb(CallbackData, prefix="lg"):
    code: str


NOOP = "noop"  # a button that only shows state (current page, current filter)
