"""Texts and keyboards of common, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.common.callbacks import LanguageCb, OrgPickCb
from bot.handlers.render import Keyboard, label


def org_pick(orgs: list[tuple[int, str]], purpose: str) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for org_id, name in orgs:
        kb.button(text=label(name), callback_data=OrgPickCb(org=org_id, purpose=purpose))
    return kb.adjust(1).as_markup()


def languages() -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text="Русский", callback_data=LanguageCb(code="ru"))
    kb.button(text="English", callback_data=LanguageCb(code="en"))
    return kb.adjust(2).as_markup()
