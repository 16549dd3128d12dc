"""Replies shared by the dialogs: what to do when the answer is of the wrong kind."""
from __future__ import annotations

from aiogram.types import Message

from bot.i18n import Translator


async def text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("profile.text_expected"))


async def buttons_expected(message: Message, t: Translator) -> None:
    await message.answer(t("profile.use_buttons"))
