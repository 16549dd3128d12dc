"""Dialog states of approvals."""
from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

from bot.handlers.dialogs import Durable


class ApprovalForm(StatesGroup):
    order = State()  # data: ApprovalDecision; the order's number and date
    comment = State()  # data: ApprovalDecision; why it goes back


class ApprovalDecision(Durable):
    approval: int = 0
