"""Texts and keyboards of consent, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.consent.callbacks import KEEP_CONSENT, WithdrawCb
from bot.handlers.render import Keyboard, label
from bot.i18n import Translator


def withdraw_keyboard(t: Translator, orgs: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for org_id, name in orgs:
        text = t.plain("btn.withdraw") if len(orgs) == 1 else f"{t.plain('btn.withdraw')} · {label(name, 24)}"
        kb.button(text=text, callback_data=WithdrawCb(org=org_id, confirm=False))
    return kb.adjust(1).as_markup()


def withdraw_confirm_keyboard(t: Translator, org_id: int) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.withdraw_confirm"), callback_data=WithdrawCb(org=org_id, confirm=True))
    kb.button(text=t.plain("btn.withdraw_keep"), callback_data=KEEP_CONSENT)
    return kb.adjust(1).as_markup()
