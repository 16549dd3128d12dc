"""/help, /cancel and /language: they work everywhere, inside any dialog too."""
from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.common.callbacks import LanguageCb
from bot.handlers.common.views import languages
from bot.handlers.render import show
from bot.i18n import I18n, Translator
from bot.services import profile as profile_service
from bot.services.actor import Actor
from bot.services.errors import AccessDenied
from bot.telegram.menus import help_text, set_chat_menu


async def help_command(message: Message, actor: Actor, t: Translator) -> None:
    await message.answer(help_text(t, actor.role_set()))


async def cancel(message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    await state.clear()
    await message.answer(t("cancel.done") if current else t("cancel.nothing"))


async def language(message: Message, actor: Actor, t: Translator) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    await message.answer(t("language.pick"), reply_markup=languages())


async def language_set(callback: CallbackQuery, callback_data: LanguageCb, session: AsyncSession, actor: Actor,
                       i18n: I18n, bot: Bot) -> None:
    await profile_service.set_locale(session, actor, callback_data.code)
    t = i18n.get(callback_data.code)
    await callback.answer()
    await show(callback, t("language.set"))
    await set_chat_menu(bot, callback.from_user.id, actor.role_set(), t)


def create_router() -> Router:
    router = Router(name="common")
    router.message.register(help_command, Command("help"))
    router.message.register(cancel, Command("cancel"))
    router.message.register(language, Command("language"))
    router.callback_query.register(language_set, LanguageCb.filter())
    return router
