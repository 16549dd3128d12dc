"""/meetings: plan a meeting (a day on the calendar, a time, a duration, the format, a place or link, the
topic, the plan item, once or weekly), answer one, move or cancel it (services.meetings)."""
from __future__ import annotations

from datetime import date, time, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.calendar import (
    CalendarAction,
    CalendarCb,
    TimeCb,
    calendar_markup,
    take_day,
    take_time,
    time_markup,
)
from bot.handlers.meetings.callbacks import MeetingAction, MeetingAnswerCb, MeetingCb, PlanChoiceCb, PlanField
from bot.handlers.meetings.states import PlanDialog, PlanForm, RetimeDialog, RetimeForm
from bot.handlers.meetings.views import (
    answered_text,
    cancel_prompt,
    durations,
    formats,
    items_menu,
    meetings_view,
    no_place,
    pairs_menu,
    repeats,
)
from bot.handlers.render import mark_answered
from bot.handlers.replies import buttons_expected, text_expected, typed_date
from bot.i18n import I18n, Translator
from bot.services import meetings as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import InvalidInput
from bot.services.mentorships import clean_text
from db.models import MeetingFormat

AHEAD_DAYS = 366


async def meetings_command(message: Message, session: AsyncSession, actor: Actor, t: Translator,
                           clock: Clock) -> None:
    cards = await svc.upcoming(session, actor, clock.now())
    text, markup = meetings_view(t, cards, bool(await svc.plannable(session, actor)))
    await message.answer(text, reply_markup=markup)


async def plan_pressed(callback: CallbackQuery, callback_data: MeetingCb, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, clock: Clock) -> None:
    pairs = await svc.plannable(session, actor)
    if not pairs:
        raise InvalidInput("meetings.no_pairs")
    chosen = callback_data.meeting or (pairs[0][0] if len(pairs) == 1 else 0)
    await callback.answer()
    if not chosen:
        text, markup = pairs_menu(t, pairs)
        await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]
        return
    plan = await svc.context(session, actor, chosen, clock.now())
    await state.set_state(PlanForm.day)
    await PlanDialog(mentorship=plan.mentorship_id).save(state, replace=True)
    await callback.bot.send_message(callback.from_user.id, t("meetings.ask_day"),  # type: ignore[union-attr]
                                    reply_markup=_days(t, plan.today))


def _days(t: Translator, today: date) -> InlineKeyboardMarkup:
    return calendar_markup(t, today, first=today, last=today + timedelta(days=AHEAD_DAYS), today=today)


async def _day_chosen(bot: Bot, chat_id: int, day: date, state: FSMContext, t: Translator) -> None:
    if await state.get_state() == PlanForm.day.state:
        await (await PlanDialog.load(state)).model_copy(update={"day": day}).save(state)
        await state.set_state(PlanForm.at)
    else:
        await (await RetimeDialog.load(state)).model_copy(update={"day": day}).save(state)
        await state.set_state(RetimeForm.at)
    await bot.send_message(chat_id, t("meetings.ask_time", day=day.strftime("%d.%m.%Y")), reply_markup=time_markup())


async def day_typed(message: Message, state: FSMContext, t: Translator, bot: Bot) -> None:
    await _day_chosen(bot, message.chat.id, typed_date(message, "meetings.bad_date"), state, t)


async def day_picked(callback: CallbackQuery, callback_data: CalendarCb, state: FSMContext, t: Translator,
                     bot: Bot) -> None:
    day = await take_day(callback, callback_data)
    await _day_chosen(bot, callback.from_user.id, day, state, t)


async def _time_chosen(bot: Bot, chat_id: int, at: time, session: AsyncSession, actor: Actor, state: FSMContext,
                       t: Translator, i18n: I18n, clock: Clock) -> None:
    if await state.get_state() == RetimeForm.at.state:
        dialog = await RetimeDialog.load(state)
        if dialog.day is None:
            raise InvalidInput("error.stale_button")
        await svc.retime(session, actor, dialog.meeting, dialog.day, at, clock.now(), i18n)
        await state.clear()
        await bot.send_message(chat_id, t("meetings.retime_sent"))
        return
    plan = await PlanDialog.load(state)
    if plan.day is None:
        raise InvalidInput("error.stale_button")
    await svc.check_start(session, actor, plan.mentorship, plan.day, at, clock.now())
    plan.at = at.strftime("%H:%M")
    await plan.save(state)
    await state.set_state(PlanForm.duration)
    await bot.send_message(chat_id, t("meetings.ask_duration"), reply_markup=durations(t))


async def time_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     i18n: I18n, bot: Bot, clock: Clock) -> None:
    await _time_chosen(bot, message.chat.id, svc.parse_time(message.text or ""), session, actor, state, t, i18n, clock)


async def time_picked(callback: CallbackQuery, callback_data: TimeCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, i18n: I18n, bot: Bot, clock: Clock) -> None:
    at = await take_time(callback, callback_data)
    await _time_chosen(bot, callback.from_user.id, at, session, actor, state, t, i18n, clock)


async def _set(state: FSMContext, **values: object) -> PlanDialog:
    dialog = (await PlanDialog.load(state)).model_copy(update=values)
    await dialog.save(state)
    return dialog


async def duration_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _set(state, duration=svc.parse_minutes(message.text or ""))
    await state.set_state(PlanForm.format)
    await message.answer(t("meetings.ask_format"), reply_markup=formats(t))


async def place_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _set(state, place=clean_text(message.text or "", svc.PLACE_MAX))
    await state.set_state(PlanForm.topic)
    await message.answer(t("meetings.ask_topic"))


async def topic_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      i18n: I18n, bot: Bot, clock: Clock) -> None:
    dialog = await _set(state, topic=clean_text(message.text or "", svc.TOPIC_MAX))
    plan = await svc.context(session, actor, dialog.mentorship, clock.now())
    if plan.items:
        await state.set_state(PlanForm.item)
        await message.answer(t("meetings.ask_item"), reply_markup=items_menu(t, plan.items))
        return
    await _after_item(bot, message.chat.id, session, actor, state, t, i18n, clock)


async def _after_item(bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, state: FSMContext,
                      t: Translator, i18n: I18n, clock: Clock) -> None:
    dialog = await PlanDialog.load(state)
    plan = await svc.context(session, actor, dialog.mentorship, clock.now())
    if plan.program_end is not None:
        await state.set_state(PlanForm.repeat)
        await bot.send_message(chat_id, t("meetings.ask_repeat", end=plan.program_end.strftime("%d.%m.%Y")),
                               reply_markup=repeats(t))
        return
    await _propose(bot, chat_id, None, session, actor, state, t, i18n, clock)


async def _propose(bot: Bot, chat_id: int, every_weeks: int | None, session: AsyncSession, actor: Actor,
                   state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    d = await PlanDialog.load(state)
    if d.day is None or d.at is None or d.duration is None or d.format is None:
        raise InvalidInput("error.stale_button")  # not this dialog's step any more
    draft = svc.MeetingDraft(day=d.day, at=svc.parse_time(d.at), duration_minutes=d.duration,
                             format=MeetingFormat(d.format), place=d.place, topic=d.topic, plan_item_id=d.item,
                             every_weeks=every_weeks)
    await svc.propose(session, actor, d.mentorship, draft, clock.now(), i18n)
    await state.clear()
    await bot.send_message(chat_id, t("meetings.proposal_sent"))


STEP = {PlanField.DURATION: PlanForm.duration, PlanField.FORMAT: PlanForm.format, PlanField.NO_PLACE: PlanForm.place,
        PlanField.ITEM: PlanForm.item, PlanField.REPEAT: PlanForm.repeat}


async def plan_choice(callback: CallbackQuery, callback_data: PlanChoiceCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, i18n: I18n, bot: Bot, clock: Clock) -> None:
    if await state.get_state() != STEP[callback_data.field].state:
        await callback.answer(t.plain("error.stale_button"), show_alert=True)
        return
    await callback.answer()
    await mark_answered(callback)
    chat_id, value = callback.from_user.id, callback_data.value
    if callback_data.field == PlanField.DURATION:
        await _set(state, duration=svc.parse_minutes(value))
        await state.set_state(PlanForm.format)
        await bot.send_message(chat_id, t("meetings.ask_format"), reply_markup=formats(t))
    elif callback_data.field == PlanField.FORMAT:
        fmt = MeetingFormat(value) if value in {f.value for f in MeetingFormat} else None
        if fmt is None:
            raise InvalidInput("error.stale_button")
        await _set(state, format=fmt.value)
        await state.set_state(PlanForm.place)
        await bot.send_message(chat_id, t(f"meetings.ask_place_{fmt.value}"), reply_markup=no_place(t))
    elif callback_data.field == PlanField.NO_PLACE:
        await _set(state, place=None)
        await state.set_state(PlanForm.topic)
        await bot.send_message(chat_id, t("meetings.ask_topic"))
    elif callback_data.field == PlanField.ITEM:
        await _set(state, item=int(value) if value.isdigit() and value != "0" else None)
        await _after_item(bot, chat_id, session, actor, state, t, i18n, clock)
    else:
        if value not in ("0", "1", "2"):
            raise InvalidInput("error.stale_button")
        await _propose(bot, chat_id, int(value) or None, session, actor, state, t, i18n, clock)


async def answer_pressed(callback: CallbackQuery, callback_data: MeetingAnswerCb, session: AsyncSession,
                         actor: Actor, t: Translator, i18n: I18n, clock: Clock) -> None:
    status = await svc.answer(session, actor, callback_data.meeting, callback_data.accept, clock.now(), i18n,
                              callback_data.version)
    await callback.answer()
    await mark_answered(callback)
    await callback.bot.send_message(callback.from_user.id,  # type: ignore[union-attr]
                                    answered_text(t, status, callback_data.accept))


async def retime_pressed(callback: CallbackQuery, callback_data: MeetingCb, session: AsyncSession, actor: Actor,
                         state: FSMContext, t: Translator, clock: Clock) -> None:
    card = next((c for c in await svc.upcoming(session, actor, clock.now()) if c.id == callback_data.meeting), None)
    if card is None or card.every_weeks or card.in_series:
        raise InvalidInput("meetings.not_open")
    plan = await svc.context(session, actor, card.mentorship_id, clock.now())
    await state.set_state(RetimeForm.day)
    await RetimeDialog(meeting=card.id).save(state, replace=True)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("meetings.ask_new_day"),  # type: ignore[union-attr]
                                    reply_markup=_days(t, plan.today))


async def cancel_pressed(callback: CallbackQuery, callback_data: MeetingCb, t: Translator) -> None:
    await callback.answer()
    text, markup = cancel_prompt(t, callback_data.meeting)
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def cancel_sure(callback: CallbackQuery, callback_data: MeetingCb, session: AsyncSession, actor: Actor,
                      t: Translator, i18n: I18n, clock: Clock) -> None:
    count = await svc.cancel(session, actor, callback_data.meeting, clock.now(), i18n)
    await callback.answer()
    await mark_answered(callback)
    done = t("meetings.you_cancelled", count=count)
    await callback.bot.send_message(callback.from_user.id, done)  # type: ignore[union-attr]


def create_router() -> Router:
    router = Router(name="meetings")
    typed = (F.text, ~F.text.startswith("/"))
    pick = CalendarCb.filter(F.action == CalendarAction.PICK)
    router.message.register(meetings_command, Command("meetings"))
    router.callback_query.register(plan_pressed, MeetingCb.filter(F.action == MeetingAction.PLAN))
    router.callback_query.register(retime_pressed, MeetingCb.filter(F.action == MeetingAction.RETIME))
    router.callback_query.register(cancel_pressed, MeetingCb.filter(F.action == MeetingAction.CANCEL))
    router.callback_query.register(cancel_sure, MeetingCb.filter(F.action == MeetingAction.CANCEL_SURE))
    router.callback_query.register(answer_pressed, MeetingAnswerCb.filter())
    for form in (PlanForm, RetimeForm):
        router.message.register(day_typed, form.day, *typed)
        router.callback_query.register(day_picked, form.day, pick)
        router.message.register(time_typed, form.at, *typed)
        router.callback_query.register(time_picked, form.at, TimeCb.filter())
    router.message.register(duration_typed, PlanForm.duration, *typed)
    router.message.register(place_typed, PlanForm.place, *typed)
    router.message.register(topic_typed, PlanForm.topic, *typed)
    router.callback_query.register(plan_choice, PlanChoiceCb.filter())
    for step in (PlanForm.day, PlanForm.at, PlanForm.duration, PlanForm.place, PlanForm.topic, RetimeForm.day,
                 RetimeForm.at):
        router.message.register(text_expected, step, ~F.text.startswith("/"))
    for step in (PlanForm.format, PlanForm.item, PlanForm.repeat):  # answered with buttons only
        router.message.register(buttons_expected, step, ~F.text.startswith("/"))
    return router
