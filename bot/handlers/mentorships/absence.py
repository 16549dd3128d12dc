"""From the registry's card, the curator records a participant's long absence (and return), dismissal
or transfer (services.mentorships.absence)."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.mentorships.callbacks import AbsenceAction, AbsenceCb
from bot.handlers.mentorships.views import absence_menu, departure_confirm
from bot.handlers.render import show
from bot.i18n import I18n, Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock


async def menu_pressed(callback: CallbackQuery, callback_data: AbsenceCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    standing = await svc.standing(session, actor, callback_data.org, callback_data.person)
    await callback.answer()
    await show(callback, *absence_menu(t, callback_data.org, standing))


async def depart_pressed(callback: CallbackQuery, callback_data: AbsenceCb, session: AsyncSession, actor: Actor,
                         t: Translator) -> None:
    standing = await svc.standing(session, actor, callback_data.org, callback_data.person)
    await callback.answer()
    await show(callback, *departure_confirm(t, callback_data.org, standing))


async def _after(callback: CallbackQuery, session: AsyncSession, actor: Actor, t: Translator, cb: AbsenceCb,
                 done: str) -> None:
    await callback.answer(done, show_alert=True)
    await show(callback, *absence_menu(t, cb.org, await svc.standing(session, actor, cb.org, cb.person)))


async def pause_pressed(callback: CallbackQuery, callback_data: AbsenceCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    count = await svc.record_absence(session, actor, callback_data.org, callback_data.person, clock.now(), i18n)
    await _after(callback, session, actor, t, callback_data, t.plain("absence.recorded", count=count))


async def return_pressed(callback: CallbackQuery, callback_data: AbsenceCb, session: AsyncSession, actor: Actor,
                         t: Translator, i18n: I18n, clock: Clock) -> None:
    count = await svc.end_absence(session, actor, callback_data.org, callback_data.person, clock.now(), i18n)
    await _after(callback, session, actor, t, callback_data, t.plain("absence.returned", count=count))


async def departure_confirmed(callback: CallbackQuery, callback_data: AbsenceCb, session: AsyncSession,
                              actor: Actor, t: Translator, i18n: I18n, clock: Clock) -> None:
    count = await svc.record_departure(session, actor, callback_data.org, callback_data.person, clock.now(), i18n)
    await callback.answer(t.plain("absence.departed", count=count), show_alert=True)
    await show(callback, t("absence.departed", count=count))


def create_router() -> Router:
    router = Router(name="mentorships.absence")
    router.callback_query.register(menu_pressed, AbsenceCb.filter(F.action == AbsenceAction.MENU))
    router.callback_query.register(depart_pressed, AbsenceCb.filter(F.action == AbsenceAction.DEPART))
    router.callback_query.register(pause_pressed, AbsenceCb.filter(F.action == AbsenceAction.PAUSE))
    router.callback_query.register(return_pressed, AbsenceCb.filter(F.action == AbsenceAction.RETURN))
    router.callback_query.register(departure_confirmed, AbsenceCb.filter(F.action == AbsenceAction.DEPART_CONFIRMED))
    return router
