"""Callback data of the buttons of invites. Prefixes are short: callback_data is at most 64 bytes."""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from db.models import Role


class InviteRoleCb(CallbackData, prefix="ir"):
    org: int
    role: Role  # an Enum: a forged value does not match, and the fallback answers it
