"""Callback data of the buttons of registry. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class RegistryCb(CallbackData, prefix="rg"):
    org: int
    role: str  # a Role value or "all"
    page: int
    search: bool  # use the query kept in the dialog data


class RegistrySearchCb(CallbackData, prefix="rs"):
    org: int
    role: str


class PersonCardCb(CallbackData, prefix="rp"):
    org: int
    person: int
    role: str
    page: int
    search: bool
