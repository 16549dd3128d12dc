"""Texts and keyboards of invites, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.invites.callbacks import InviteRoleCb
from bot.handlers.render import Keyboard
from bot.i18n import Translator
from db.models import Role


def invite_roles(t: Translator, org_id: int, roles: list[Role]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for role in roles:
        kb.button(text=t.plain(f"role.{role.value}"), callback_data=InviteRoleCb(org=org_id, role=role))
    return kb.adjust(2).as_markup()
