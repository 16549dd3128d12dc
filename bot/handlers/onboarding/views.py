"""Texts and keyboards of onboarding, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.onboarding.callbacks import ConsentCb
from bot.handlers.render import Keyboard
from bot.i18n import Translator


def consent(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t.plain("btn.consent_accept"), callback_data=ConsentCb(accept=True))
    kb.button(text=t.plain("btn.consent_decline"), callback_data=ConsentCb(accept=False))
    return kb.adjust(1).as_markup()
