"""Texts and keyboards of help requests, made from the services' data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.help_requests.callbacks import (
    HelpCloseCb,
    HelpReplyCb,
)
from bot.handlers.render import from_pairs
from bot.i18n import Translator


def conversation_buttons(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    return from_pairs([(t.plain("btn.help_reply"), HelpReplyCb(request=request_id).pack()),
                       (t.plain("btn.help_close"), HelpCloseCb(request=request_id).pack())], 2)


def conversation_choices(t: Translator, choices: list[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    if not choices:
        return None
    return from_pairs([(t.plain("sit.choice", id=rid, name=name), HelpReplyCb(request=rid).pack())
                       for rid, name in choices])
