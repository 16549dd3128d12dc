"""Callback data of the coordinator's buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class RegionCb(CallbackData, prefix="cg"):
    page: int  # the page of organisations


class RegionOrgCb(CallbackData, prefix="co"):
    org: int
    page: int  # the page to go back to
