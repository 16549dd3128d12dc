"""/sessions: speed mentoring — announce, sign up, waitlist, attendance, feedback."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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
    picked_day,
    picked_time,
    time_markup,
)
from bot.handlers.render import from_pairs, mark_answered, show
from bot.handlers.replies import buttons_expected, text_expected
from bot.handlers.speed_sessions.callbacks import SpeedAction, SpeedAttendCb, SpeedAudienceCb, SpeedCb, SpeedFeedbackCb
from bot.handlers.speed_sessions.states import Announcing, Draft, Moving, SpeedForm
from bot.handlers.speed_sessions.views import card_view
from bot.i18n import I18n, Translator
from bot.services import mentorships
from bot.services import speed_sessions as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.journal import parse_duration
from bot.services.mentorships import local_today
from bot.services.numbers import parse_whole
from bot.services.organizations import timezone_of
from db.models import MenteeCategory


async def sessions_command(message: Message, session: AsyncSession, actor: Actor, t: Translator,
                           clock: Clock) -> None:
    if not actor.registered:
        raise AccessDenied("error.not_registered")
    items = await svc.upcoming(session, actor, clock.now())
    buttons = [(f"{local_time(starts, tz)} · {topic}", SpeedCb(session=sid, action=SpeedAction.SHOW).pack())
               for sid, topic, starts, tz in items]
    if actor.orgs_where(*svc.HOSTS):
        buttons.append((t.plain("btn.speed_new"), SpeedCb(session=0, action=SpeedAction.NEW).pack()))
    await message.answer(t("speed.list") if items else t("speed.none"), reply_markup=from_pairs(buttons) if buttons else None)


async def new_pressed(callback: CallbackQuery, actor: Actor, state: FSMContext, t: Translator) -> None:
    if not actor.orgs_where(*svc.HOSTS):
        raise AccessDenied("speed.only_hosts")
    await state.set_state(SpeedForm.topic)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("speed.ask_topic"))  # type: ignore[union-attr]


async def join_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                       t: Translator, clock: Clock) -> None:
    status = await svc.join(session, actor, callback_data.session, clock.now())
    await callback.answer(t.plain(f"speed.you_{status.value}"), show_alert=True)
    await _show_card(callback, session, actor, callback_data.session, t)


async def leave_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                        t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.leave(session, actor, callback_data.session, clock.now(), i18n)
    await callback.answer(t.plain("speed.left"))
    await _show_card(callback, session, actor, callback_data.session, t)


async def cancel_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                         t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.cancel(session, actor, callback_data.session, clock.now(), i18n)
    await callback.answer(t.plain("speed.cancelled_you"))
    await _show_card(callback, session, actor, callback_data.session, t)


async def move_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.session)
    if not v.can_manage:
        raise AccessDenied("speed.only_host")
    await state.set_state(SpeedForm.move)
    await Moving(speed_session=callback_data.session).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("speed.ask_when"),  # type: ignore[union-attr]
                                    reply_markup=_calendar(t, v.timezone, clock.now()))


async def attendance_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                             t: Translator, clock: Clock) -> None:
    await _attendance(callback, session, actor, callback_data.session, t, clock.now())


async def show_pressed(callback: CallbackQuery, callback_data: SpeedCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    v = await svc.view(session, actor, callback_data.session)  # before the answer: a refusal is still said
    await callback.answer()
    await show(callback, *card_view(t, v))


async def _show_card(callback: CallbackQuery, session: AsyncSession, actor: Actor, sid: int, t: Translator) -> None:
    await show(callback, *card_view(t, await svc.view(session, actor, sid)))


async def _attendance(callback: CallbackQuery, session: AsyncSession, actor: Actor, sid: int, t: Translator,
                      now: datetime) -> None:
    v = await svc.view(session, actor, sid)
    if not v.can_manage:
        raise AccessDenied("speed.only_host")
    svc.check_started(v.starts_at, v.timezone, now)
    await callback.answer()
    buttons = [(("✅ " if attended else "▫️ ") + name, SpeedAttendCb(session=sid, person=pid).pack())
               for pid, name, attended in v.registered]
    buttons.append((t.plain("btn.speed_attendance_done"), SpeedAttendCb(session=sid, person=0).pack()))
    await show(callback, t("speed.mark_attendance", topic=v.topic), from_pairs(buttons))


async def attend(callback: CallbackQuery, callback_data: SpeedAttendCb, session: AsyncSession, actor: Actor,
                 t: Translator, i18n: I18n, clock: Clock) -> None:
    if callback_data.person == 0:
        count = await svc.finish_attendance(session, actor, callback_data.session, clock.now(), i18n)
        await callback.answer(t.plain("speed.attendance_saved", count=count))
        await show(callback, *card_view(t, await svc.view(session, actor, callback_data.session)))
        return
    await svc.toggle_attendance(session, actor, callback_data.session, callback_data.person, clock.now())
    await _attendance(callback, session, actor, callback_data.session, t, clock.now())


async def rate(callback: CallbackQuery, callback_data: SpeedFeedbackCb, session: AsyncSession, actor: Actor,
               t: Translator) -> None:
    await svc.feedback(session, actor, callback_data.session, callback_data.rating)
    await callback.answer(t.plain("sit.thanks"))
    await mark_answered(callback)


# ---------------------------------------------------------------------------- announcing
async def _zone(session: AsyncSession, actor: Actor) -> str:
    return await timezone_of(session, actor.first_org_where(*svc.HOSTS, denied="speed.only_hosts"))


def _parse_when(raw: str, zone: str, day: date | None = None) -> datetime:
    """«ДД.ММ.ГГГГ ЧЧ:ММ», or «ЧЧ:ММ» once the day was picked on the calendar."""
    text = " ".join(raw.split())
    try:
        local = datetime.strptime(text, "%d.%m.%Y %H:%M")
    except ValueError:
        if day is None:
            raise InvalidInput("speed.bad_when") from None
        try:
            local = datetime.combine(day, datetime.strptime(text.replace(".", ":"), "%H:%M").time())
        except ValueError:
            raise InvalidInput("speed.bad_time") from None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _calendar(t: Translator, zone: str, now: datetime) -> InlineKeyboardMarkup:
    today = local_today(now, zone)
    return calendar_markup(t, today, first=today, last=today + timedelta(days=366), today=today)


async def topic_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      clock: Clock) -> None:
    await Announcing(speed=Draft(topic=mentorships.clean_text(message.text or ""))).save(state)
    await state.set_state(SpeedForm.when)
    await message.answer(t("speed.ask_when"), reply_markup=_calendar(t, await _zone(session, actor), clock.now()))


async def when_day_picked(callback: CallbackQuery, callback_data: CalendarCb, state: FSMContext,
                          t: Translator) -> None:
    """A day on the calendar (announcing or moving): its time comes next, from the grid or typed."""
    day = picked_day(callback_data)
    if await state.get_state() == SpeedForm.move.state:
        await (await Moving.load(state)).model_copy(update={"day": day}).save(state)
    else:
        await _put(state, day=day)
    await callback.answer()
    await mark_answered(callback, day.strftime("%d.%m.%Y"))
    await callback.bot.send_message(callback.from_user.id, t("speed.ask_time", day=day.strftime("%d.%m.%Y")),  # type: ignore[union-attr]
                                    reply_markup=time_markup())


async def when_time_picked(callback: CallbackQuery, callback_data: TimeCb, session: AsyncSession, actor: Actor,
                           state: FSMContext, bot: Bot, t: Translator, i18n: I18n, clock: Clock) -> None:
    at = picked_time(callback_data)
    moving = await state.get_state() == SpeedForm.move.state
    day = (await Moving.load(state)).day if moving else (await Announcing.load(state)).speed.day
    if day is None:
        raise InvalidInput("error.stale_button")
    await callback.answer()
    await mark_answered(callback, at.strftime("%H:%M"))
    text = f"{day.strftime('%d.%m.%Y')} {at.strftime('%H:%M')}"
    if moving:
        await _moved(bot, callback.from_user.id, text, session, actor, state, t, i18n, clock)
    else:
        await _when_set(bot, callback.from_user.id, text, session, actor, state, t, clock)


async def _put(state: FSMContext, **values: object) -> None:
    announcing = await Announcing.load(state)
    announcing.speed = announcing.speed.model_copy(update=values)
    await announcing.save(state)


async def when_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     bot: Bot, clock: Clock) -> None:
    await _when_set(bot, message.chat.id, message.text or "", session, actor, state, t, clock)


async def _when_set(bot: Bot, chat_id: int, raw: str, session: AsyncSession, actor: Actor, state: FSMContext,
                    t: Translator, clock: Clock) -> None:
    draft = (await Announcing.load(state)).speed
    starts = _parse_when(raw, await _zone(session, actor), draft.day)
    if starts <= clock.now():
        raise InvalidInput("speed.past")
    await _put(state, starts=starts)
    await state.set_state(SpeedForm.duration)
    await bot.send_message(chat_id, t("speed.ask_duration"))


async def duration_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _put(state, duration=parse_duration(message.text or ""))
    await state.set_state(SpeedForm.place)
    await message.answer(t("speed.ask_place"))


async def place_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _put(state, place=mentorships.clean_text(message.text or "", 500))
    await state.set_state(SpeedForm.capacity)
    await message.answer(t("speed.ask_capacity"))


async def capacity_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                         t: Translator) -> None:
    capacity = parse_whole(message.text)
    if capacity is None or not 1 <= capacity <= svc.CAPACITY_MAX:
        raise InvalidInput("speed.bad_capacity", max=svc.CAPACITY_MAX)
    await _put(state, capacity=capacity)
    await state.set_state(SpeedForm.audience)
    topics = await svc.audience_topics(session, actor)
    buttons = [(t.plain("speed.audience_all"), SpeedAudienceCb(value="all").pack()),
               (t.plain("speed.audience_mentors"), SpeedAudienceCb(value="mentors").pack()),
               (t.plain("speed.audience_everyone"), SpeedAudienceCb(value="everyone").pack())]
    buttons += [(t.plain(f"category.{c.value}"), SpeedAudienceCb(value=f"category.{c.value}").pack())
                for c in MenteeCategory]
    buttons += [("⚑ " + title, SpeedAudienceCb(value=f"topic.{topic_id}").pack()) for topic_id, title in topics]
    await message.answer(t("speed.ask_audience"), reply_markup=from_pairs(buttons))


async def audience_picked(callback: CallbackQuery, callback_data: SpeedAudienceCb, session: AsyncSession,
                          actor: Actor, state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    draft = (await Announcing.load(state)).speed
    if draft.starts is None or draft.duration is None or draft.capacity is None:
        raise InvalidInput("error.stale_button")  # not this dialog's step any more
    sid = await svc.announce(session, actor, topic=draft.topic, starts_at=draft.starts, duration=draft.duration,
                             place=draft.place, capacity=draft.capacity, audience=callback_data.value,
                             now=clock.now(), i18n=i18n)
    await state.clear()
    await callback.answer()
    await mark_answered(callback)
    text, markup = card_view(t, await svc.view(session, actor, sid))
    await callback.bot.send_message(callback.from_user.id, t("speed.announced") + "\n\n" + text,  # type: ignore[union-attr]
                                    reply_markup=markup)


async def move_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     i18n: I18n, bot: Bot, clock: Clock) -> None:
    await _moved(bot, message.chat.id, message.text or "", session, actor, state, t, i18n, clock)


async def _moved(bot: Bot, chat_id: int, raw: str, session: AsyncSession, actor: Actor, state: FSMContext,
                 t: Translator, i18n: I18n, clock: Clock) -> None:
    moving = await Moving.load(state)
    v = await svc.view(session, actor, moving.speed_session)
    await svc.reschedule(session, actor, moving.speed_session, _parse_when(raw, v.timezone, moving.day), clock.now(),
                         i18n)
    await state.clear()
    text, markup = card_view(t, await svc.view(session, actor, moving.speed_session))
    await bot.send_message(chat_id, t("speed.moved_you") + "\n\n" + text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="speed_sessions")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(sessions_command, Command("sessions"))
    for pressed, act in ((new_pressed, SpeedAction.NEW), (join_pressed, SpeedAction.JOIN),
                         (leave_pressed, SpeedAction.LEAVE), (cancel_pressed, SpeedAction.CANCEL),
                         (move_pressed, SpeedAction.MOVE), (attendance_pressed, SpeedAction.ATTENDANCE),
                         (show_pressed, SpeedAction.SHOW)):
        router.callback_query.register(pressed, SpeedCb.filter(F.action == act))
    router.callback_query.register(attend, SpeedAttendCb.filter())
    router.callback_query.register(rate, SpeedFeedbackCb.filter())
    router.callback_query.register(audience_picked, SpeedForm.audience, SpeedAudienceCb.filter())
    router.message.register(topic_typed, SpeedForm.topic, *typed)
    router.message.register(when_typed, SpeedForm.when, *typed)
    for step in (SpeedForm.when, SpeedForm.move):
        router.callback_query.register(when_day_picked, step, CalendarCb.filter(F.action == CalendarAction.PICK))
        router.callback_query.register(when_time_picked, step, TimeCb.filter())
    router.message.register(duration_typed, SpeedForm.duration, *typed)
    router.message.register(place_typed, SpeedForm.place, *typed)
    router.message.register(capacity_typed, SpeedForm.capacity, *typed)
    router.message.register(move_typed, SpeedForm.move, *typed)
    for step in (SpeedForm.topic, SpeedForm.when, SpeedForm.duration, SpeedForm.place, SpeedForm.capacity,
                 SpeedForm.move):
        router.message.register(text_expected, step, ~F.text.startswith("/"))
    router.message.register(buttons_expected, SpeedForm.audience, ~F.text.startswith("/"))
    return router

