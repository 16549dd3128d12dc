"""Callback data of the buttons of summary. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SummaryRequestCb(CallbackData, prefix="sr"):
    request: int


class DigestCb(CallbackData, prefix="dg"):
    org: int
    day: int  # -1: choose the day; 0..6 Monday..Sunday; 7: off
    hour: int  # -1: choose the hour


class StaffCb(CallbackData, prefix="sx"):
    org: int



class SettingCb(CallbackData, prefix="sg"):
    """A curator's pairing setting: `name` "" shows them, otherwise toggles that one."""
    org: int
    name: str
