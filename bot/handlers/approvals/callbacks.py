"""Callback data of the approvals' buttons. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ApprovalAction(StrEnum):
    SHOW = "show"
    APPROVE = "approve"  # asks how to number the order
    NUMBER_BY_BOT = "auto"
    NUMBER_TYPED = "typed"  # the head types the number and date
    RETURN = "return"  # the head types a comment


class ApprovalCb(CallbackData, prefix="ap"):
    approval: int
    action: ApprovalAction


class ApprovalsListCb(CallbackData, prefix="al"):
    """Back to the list of what waits, in every organisation the head approves for."""


class ApprovalsSettingCb(CallbackData, prefix="as"):
    org: int
    on: bool
