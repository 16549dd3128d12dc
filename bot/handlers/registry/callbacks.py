"""Callback data of the buttons of registry. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class RegistryFilter(StrEnum):
    """Who a registry page lists: everyone, one role, or those who blocked the bot."""

    ALL = "all"
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"
    HEAD = "head"
    UNREACHABLE = "unreachable"


class RegistryCb(CallbackData, prefix="rg"):
    org: int
    role: RegistryFilter
    page: int
    search: bool  # use the query kept in the dialog data


class RegistrySearchCb(CallbackData, prefix="rs"):
    org: int
    role: RegistryFilter


class PersonCardCb(CallbackData, prefix="rp"):
    org: int
    person: int
    role: RegistryFilter
    page: int
    search: bool
