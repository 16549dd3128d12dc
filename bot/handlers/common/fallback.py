"""What no other router took: a polite word, never silence or a crash."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.handlers.common.callbacks import NOOP
from bot.i18n import Translator
from bot.services.actor import Actor


async def noop(callback: CallbackQuery) -> None:
    await callback.answer()


async def stale_button(callback: CallbackQuery, t: Translator) -> None:
    await callback.answer(t.plain("error.stale_button"), show_alert=True)


async def unknown_command(message: Message, actor: Actor, t: Translator) -> None:
    await message.answer(t("fallback.unknown_command") if actor.registered else t("start.stranger"))


async def anything(message: Message, actor: Actor, t: Translator) -> None:
    await message.answer(t("fallback.member") if actor.registered else t("start.stranger"))


def create_router() -> Router:
    router = Router(name="fallback")
    router.callback_query.register(noop, F.data == NOOP)
    router.callback_query.register(stale_button)
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(anything)
    return router
