"""From the registry's card, the curator admits a mentor candidate and records a mentor's training
(services.mentorships.selection)."""
from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.calendar import CalendarAction, CalendarCb, calendar_markup, take_day
from bot.handlers.mentorships.callbacks import AdmitCb, TrainingCb, TrainingKindCb
from bot.handlers.mentorships.states import TrainingDraft, TrainingForm
from bot.handlers.mentorships.views import training_kinds
from bot.handlers.render import show
from bot.handlers.replies import text_expected, typed_date
from bot.i18n import I18n, Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import AccessDenied
from bot.services.organizations import timezone_of
from db.models import Role


async def admit_pressed(callback: CallbackQuery, callback_data: AdmitCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.admit(session, actor, callback_data.org, callback_data.person, clock.now(), i18n)
    await callback.answer(t.plain("selection.admitted"), show_alert=True)


async def training_pressed(callback: CallbackQuery, callback_data: TrainingCb, actor: Actor, t: Translator) -> None:
    if not actor.has_role(callback_data.org, Role.CURATOR):
        raise AccessDenied("pairs.only_curators")
    await callback.answer()
    await show(callback, *training_kinds(t, callback_data.org, callback_data.person))


async def kind_picked(callback: CallbackQuery, callback_data: TrainingKindCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, clock: Clock) -> None:
    if not actor.has_role(callback_data.org, Role.CURATOR):
        raise AccessDenied("pairs.only_curators")
    await state.set_state(TrainingForm.held_on)
    await TrainingDraft(org=callback_data.org, person=callback_data.person, kind=callback_data.kind).save(state)
    await callback.answer()
    today = svc.local_today(clock.now(), await timezone_of(session, callback_data.org))
    await callback.bot.send_message(callback.from_user.id, t("selection.ask_date"),  # type: ignore[union-attr]
                                    reply_markup=calendar_markup(t, today, first=today - timedelta(days=5 * 365),
                                                                 last=today, today=today))


async def date_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     bot: Bot, clock: Clock) -> None:
    await _recorded(bot, message.chat.id, typed_date(message, "selection.bad_date"), session, actor, state, t, clock)


async def date_picked(callback: CallbackQuery, callback_data: CalendarCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, bot: Bot, clock: Clock) -> None:
    held_on = await take_day(callback, callback_data)
    await _recorded(bot, callback.from_user.id, held_on, session, actor, state, t, clock)


async def _recorded(bot: Bot, chat_id: int, held_on: date, session: AsyncSession, actor: Actor, state: FSMContext,
                    t: Translator, clock: Clock) -> None:
    draft = await TrainingDraft.load(state)
    await svc.record_training(session, actor, draft.org, draft.person, draft.kind, held_on, clock.now())
    await state.clear()
    await bot.send_message(chat_id, t("selection.training_recorded", kind=t.plain(f"training.{draft.kind.value}"),
                                      date=held_on.strftime("%d.%m.%Y")))


def create_router() -> Router:
    router = Router(name="mentorships.selection")
    router.callback_query.register(admit_pressed, AdmitCb.filter())
    router.callback_query.register(training_pressed, TrainingCb.filter())
    router.callback_query.register(kind_picked, TrainingKindCb.filter())
    router.message.register(date_typed, TrainingForm.held_on, F.text, ~F.text.startswith("/"))
    router.callback_query.register(date_picked, TrainingForm.held_on, CalendarCb.filter(F.action == CalendarAction.PICK))
    router.message.register(text_expected, TrainingForm.held_on, ~F.text.startswith("/"))
    return router
