"""Callback data factories. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ConsentCb(CallbackData, prefix="cs"):
    accept: bool


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


class InviteRoleCb(CallbackData, prefix="ir"):
    org: int
    role: str


class OrgPickCb(CallbackData, prefix="op"):
    org: int
    purpose: str


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


class WithdrawCb(CallbackData, prefix="wd"):
    org: int
    confirm: bool


class LanguageCb(CallbackData, prefix="lg"):
    code: str


NOOP = "noop"  # a button that only shows state (current page, current filter)
KEEP_CONSENT = "wdk"  # "no, keep my consent"
