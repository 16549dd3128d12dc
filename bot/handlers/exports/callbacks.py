"""Callback data of the buttons of exports. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ExportPeriod(StrEnum):
    """What an organisation's workbook covers (bot/services/exports.PERIODS), or ASK: offer the choice."""

    MONTH = "month"
    PREV_MONTH = "prev_month"
    YEAR = "year"
    ALL = "all"
    ASK = "ask"


class ExportCb(CallbackData, prefix="ex"):
    org: int  # 0: the coordinator's workbook
    period: ExportPeriod
