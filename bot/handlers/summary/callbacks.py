"""Callback data of the buttons of summary. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SummaryCb(CallbackData, prefix="sm"):
    org: int  # 0: the coordinator's view
    page: int  # the coordinator's page of organisations


class SummaryRequestCb(CallbackData, prefix="sr"):
    request: int


class DigestCb(CallbackData, prefix="dg"):
    org: int
    day: int  # -1: choose the day; 0..6 Monday..Sunday; 7: off
    hour: int  # -1: choose the hour


class StaffCb(CallbackData, prefix="sx"):
    org: int

