"""/consent: what was agreed to, and withdrawal, which erases personal data."""
from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.consent.callbacks import KEEP_CONSENT, WithdrawCb
from bot.handlers.consent.views import withdraw_confirm_keyboard, withdraw_keyboard
from bot.handlers.render import show
from bot.i18n import I18n, Translator
from bot.services import consent as consent_service
from bot.services.actor import Actor, load_actor
from bot.services.clock import Clock
from bot.services.dates import local_time
from bot.services.onboarding import CONSENT_VERSION
from bot.telegram.menus import set_chat_menu


async def show_consents(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    consents = await consent_service.list_consents(session, actor)
    lines = [t("consent.list_title")]
    for c in consents:
        lines.append(t("consent.list_row", org=c.organization_name, version=c.version,
                       date=local_time(c.accepted_at, c.timezone)))
    lines += ["", t("consent.summary", version=CONSENT_VERSION), "", t("consent.withdraw_hint")]
    orgs = [(c.organization_id, c.organization_name) for c in consents]
    await message.answer("\n".join(lines), reply_markup=withdraw_keyboard(t, orgs) if orgs else None)


async def ask_confirmation(callback: CallbackQuery, callback_data: WithdrawCb, session: AsyncSession,
                           actor: Actor, t: Translator) -> None:
    consents = await consent_service.list_consents(session, actor)
    consent = next((c for c in consents if c.organization_id == callback_data.org), None)
    if consent is None:
        await callback.answer(t.plain("error.stale_button"), show_alert=True)
        return
    last = len(consents) == 1
    await callback.answer()
    await show(callback, t("consent.confirm_last" if last else "consent.confirm_one", org=consent.organization_name),
               withdraw_confirm_keyboard(t, callback_data.org))


async def withdraw(callback: CallbackQuery, callback_data: WithdrawCb, state: FSMContext, session: AsyncSession,
                   actor: Actor, t: Translator, i18n: I18n, bot: Bot, clock: Clock) -> None:
    erased = await consent_service.withdraw_consent(session, actor, callback_data.org, clock.now(), i18n)
    await state.clear()
    await callback.answer()
    actor = await load_actor(session, callback.from_user.id)
    await show(callback, t("consent.withdrawn_erased" if erased else "consent.withdrawn_org"))
    await set_chat_menu(bot, callback.from_user.id, actor.role_set(), t)


async def keep(callback: CallbackQuery, t: Translator) -> None:
    await callback.answer()
    await show(callback, t("consent.kept"))


def create_router() -> Router:
    router = Router(name="consent")
    router.message.register(show_consents, Command("consent"))
    router.callback_query.register(ask_confirmation, WithdrawCb.filter(~F.confirm))
    router.callback_query.register(withdraw, WithdrawCb.filter(F.confirm))
    router.callback_query.register(keep, F.data == KEEP_CONSENT)
    return router
