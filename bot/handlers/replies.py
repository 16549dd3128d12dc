"""Replies shared by the dialogs: what to do when the answer is of the wrong kind."""
from __future__ import annotations

from datetime import date, datetime

from aiogram.types import Message

from bot.i18n import Translator
from bot.services.errors import InvalidInput


async def text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("profile.text_expected"))


async def buttons_expected(message: Message, t: Translator) -> None:
    await message.answer(t("profile.use_buttons"))


def typed_date(message: Message, error_key: str) -> date:
    """A date typed as ДД.ММ.ГГГГ; InvalidInput(error_key) for anything else."""
    try:
        return datetime.strptime((message.text or "").strip(), "%d.%m.%Y").date()
    except ValueError:
        raise InvalidInput(error_key) from None
