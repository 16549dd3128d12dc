"""/log and /journal: the mentor's meeting journal, confirmed by the mentees."""
from __future__ import annotations

from datetime import date, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.calendar import CalendarAction, CalendarCb, calendar_markup, take_day
from bot.handlers.journal.callbacks import JournalCb, LogChoiceCb, LogPairCb, MeetingConfirmCb, MeetingHeldCb
from bot.handlers.journal.states import Commenting, LogDialog, MeetingForm
from bot.handlers.journal.states import MeetingLog as LogDraft
from bot.handlers.journal.views import choice_data, journal_view
from bot.handlers.render import from_pairs, mark_answered, show
from bot.handlers.replies import buttons_expected, text_expected, typed_date
from bot.i18n import I18n, Translator
from bot.services import journal as svc
from bot.services import meetings, mentorships
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import InvalidInput
from bot.services.numbers import is_whole
from db.models import MeetingFormat, Role


async def log_command(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      bot: Bot) -> None:
    pairs = await svc.loggable(session, actor)
    if len(pairs) == 1:
        await _start(bot, message.chat.id, pairs[0][0], state, t)
        return
    await message.answer(t("journal.pick_pair"), reply_markup=from_pairs(
        [(title, LogPairCb(mentorship=mid).pack()) for mid, title in pairs]))


async def pair_picked(callback: CallbackQuery, callback_data: LogPairCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, bot: Bot) -> None:
    if callback_data.mentorship not in {mid for mid, _ in await svc.loggable(session, actor)}:
        raise InvalidInput("error.stale_button")
    await callback.answer()
    await mark_answered(callback)
    await _start(bot, callback.from_user.id, callback_data.mentorship, state, t)


async def _start(bot: Bot, chat_id: int, mentorship_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(MeetingForm.date)
    await LogDialog(log_mentorship=mentorship_id).save(state)
    await bot.send_message(chat_id, t("journal.ask_date"), reply_markup=from_pairs(
        [(t.plain("btn.today"), choice_data("date", "0")), (t.plain("btn.yesterday"), choice_data("date", "1")),
         (t.plain("btn.other_day"), choice_data("date", "pick"))], 2))


async def _set(state: FSMContext, **values: object) -> None:
    dialog = await LogDialog.load(state)
    dialog.log = dialog.log.model_copy(update=values)
    await dialog.save(state)


async def _date_chosen(bot: Bot, chat_id: int, held_on: date, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, clock: Clock) -> None:
    await svc.check_date(session, actor, (await LogDialog.load(state)).log_mentorship, held_on, clock.now())
    await _set(state, held_on=held_on)
    await state.set_state(MeetingForm.duration)
    await bot.send_message(chat_id, t("journal.ask_duration"), reply_markup=from_pairs(
        [(t.plain("btn.minutes", n=n), choice_data("duration", str(n))) for n in (30, 45, 60, 90)], 4))


async def date_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     bot: Bot, clock: Clock) -> None:
    held_on = typed_date(message, "program.bad_date")
    await _date_chosen(bot, message.chat.id, held_on, session, actor, state, t, clock)


async def date_picked(callback: CallbackQuery, callback_data: CalendarCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator, bot: Bot, clock: Clock) -> None:
    held_on = await take_day(callback, callback_data)
    await _date_chosen(bot, callback.from_user.id, held_on, session, actor, state, t, clock)


async def _ask_format(bot: Bot, chat_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(MeetingForm.format)
    await bot.send_message(chat_id, t("journal.ask_format"), reply_markup=from_pairs(
        [(t.plain(f"meeting_format.{f.value}"), choice_data("format", f.value)) for f in MeetingFormat], 2))


async def duration_typed(message: Message, state: FSMContext, t: Translator, bot: Bot) -> None:
    await _set(state, duration=svc.parse_duration(message.text or ""))
    await _ask_format(bot, message.chat.id, state, t)


async def channel_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _set(state, channel=mentorships.clean_text(message.text or "", 200))
    await state.set_state(MeetingForm.topic)
    await message.answer(t("journal.ask_topic"))


async def topic_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _set(state, topic=mentorships.clean_text(message.text or ""))
    await state.set_state(MeetingForm.summary)
    await message.answer(t("journal.ask_summary"))


async def summary_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await _set(state, summary=mentorships.clean_text(message.text or ""))
    await state.set_state(MeetingForm.next_steps)
    await message.answer(t("journal.ask_next"), reply_markup=from_pairs([(t.plain("btn.skip"), choice_data("next", "skip"))]))


async def _ask_item(bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                    i18n: I18n, clock: Clock) -> None:
    dialog = await LogDialog.load(state)
    if dialog.planned and dialog.planned_item is not None:  # the planned meeting named its plan item
        await _save(bot, chat_id, dialog.planned_item, session, actor, state, t, i18n, clock)
        return
    items = await svc.open_items(session, actor, dialog.log_mentorship, clock.now())
    if not items:
        await _save(bot, chat_id, None, session, actor, state, t, i18n, clock)
        return
    await state.set_state(MeetingForm.item)
    await bot.send_message(chat_id, t("journal.ask_item"), reply_markup=from_pairs(
        [(activity, choice_data("item", str(item_id))) for item_id, activity in items]
        + [(t.plain("btn.no_item"), choice_data("item", "0"))]))


async def next_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                     i18n: I18n, bot: Bot, clock: Clock) -> None:
    await _set(state, next_steps=mentorships.clean_text(message.text or ""))
    await _ask_item(bot, message.chat.id, session, actor, state, t, i18n, clock)


async def choice(callback: CallbackQuery, callback_data: LogChoiceCb, session: AsyncSession, actor: Actor,
                 state: FSMContext, t: Translator, i18n: I18n, bot: Bot, clock: Clock) -> None:
    expected = {"date": MeetingForm.date, "duration": MeetingForm.duration, "format": MeetingForm.format,
                "next": MeetingForm.next_steps, "item": MeetingForm.item}.get(callback_data.field)
    if expected is None or await state.get_state() != expected.state:
        await callback.answer(t.plain("error.stale_button"), show_alert=True)
        return
    await callback.answer()
    await mark_answered(callback)
    chat_id, value = callback.from_user.id, callback_data.value
    if callback_data.field == "date":
        if value not in ("0", "1", "pick"):
            raise InvalidInput()
        today = mentorships.local_today(clock.now(), await _zone(session, state))
        if value == "pick":  # the calendar, over the year a meeting may be logged for
            await bot.send_message(chat_id, t("journal.pick_date"), reply_markup=calendar_markup(
                t, today, first=today - timedelta(days=svc.LOG_DAYS_BACK), last=today, today=today))
            return
        await _date_chosen(bot, chat_id, today - timedelta(days=int(value)), session, actor, state, t, clock)
    elif callback_data.field == "duration":
        await _set(state, duration=svc.parse_duration(value))
        await _ask_format(bot, chat_id, state, t)
    elif callback_data.field == "format":
        fmt = MeetingFormat(value)
        await _set(state, format=fmt)
        if fmt == MeetingFormat.ONLINE:
            await state.set_state(MeetingForm.channel)
            await bot.send_message(chat_id, t("journal.ask_channel"))
        else:
            await state.set_state(MeetingForm.topic)
            await bot.send_message(chat_id, t("journal.ask_topic"))
    elif callback_data.field == "next":
        await _ask_item(bot, chat_id, session, actor, state, t, i18n, clock)
    else:
        item_id = int(value) if is_whole(value) and value != "0" else None  # "0": no plan item
        await _save(bot, chat_id, item_id, session, actor, state, t, i18n, clock)


async def _zone(session: AsyncSession, state: FSMContext) -> str:
    return await svc.zone_of_pair(session, (await LogDialog.load(state)).log_mentorship)


async def _save(bot: Bot, chat_id: int, item_id: int | None, session: AsyncSession, actor: Actor,
                state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    dialog = await LogDialog.load(state)
    log = dialog.log
    if log.held_on is None or log.duration is None or log.format is None:
        raise InvalidInput("error.stale_button")  # not this dialog's step any more
    draft = svc.MeetingDraft(
        held_on=log.held_on, duration_minutes=log.duration, format=log.format, channel=log.channel,
        topic=log.topic, summary=log.summary, next_steps=log.next_steps, plan_item_id=item_id,
        planned_meeting_id=dialog.planned or None)
    await svc.log_meeting(session, actor, dialog.log_mentorship, draft, clock.now(), i18n)
    await state.clear()
    page = await svc.journal(session, actor, dialog.log_mentorship)
    text, markup = journal_view(t, page)
    await bot.send_message(chat_id, t("journal.saved") + "\n\n" + text, reply_markup=markup)


async def held_pressed(callback: CallbackQuery, callback_data: MeetingHeldCb, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, bot: Bot, clock: Clock) -> None:
    """After a planned meeting: not held is recorded; held opens the journal entry with all but the summary
    filled in from the plan."""
    prefill = await meetings.held(session, actor, callback_data.meeting, callback_data.held, clock.now())
    await callback.answer()
    await mark_answered(callback)
    if prefill is None:
        await bot.send_message(callback.from_user.id, t("meetings.marked_missed"))
        return
    await state.set_state(MeetingForm.summary)
    await LogDialog(log_mentorship=prefill.mentorship_id, planned=prefill.meeting_id,
                    planned_item=prefill.plan_item_id,
                    log=LogDraft(held_on=prefill.held_on, duration=prefill.duration_minutes, format=prefill.format,
                                 channel=prefill.channel, topic=prefill.topic)).save(state, replace=True)
    await bot.send_message(callback.from_user.id, t("meetings.prefilled", date=prefill.held_on.strftime("%d.%m.%Y"),
                                                    minutes=prefill.duration_minutes, topic=prefill.topic)
                           + "\n\n" + t("journal.ask_summary"))


async def journal_command(message: Message, session: AsyncSession, actor: Actor, t: Translator,
                          clock: Clock) -> None:
    lines = []
    for org_id, _ in actor.orgs_where(Role.CURATOR, Role.HEAD)[:1]:
        quiet = await svc.quiet_pairs(session, actor, org_id, clock.now())
        lines.append(t("journal.quiet_title", days=svc.QUIET_DAYS))
        for _, title, last in quiet:
            lines.append(t("journal.quiet_line", title=title,
                           last=last.strftime("%d.%m.%Y") if last else t.plain("journal.never")))
        if not quiet:
            lines.append(t("journal.quiet_none"))
    pairs, page = await svc.my_journal(session, actor, open_single=not lines)
    if page is not None:
        text, markup = journal_view(t, page)
        await message.answer(text, reply_markup=markup)
        return
    if lines:
        lines.append("")
    lines.append(t("journal.pick_pair") if pairs else t("program.none"))
    await message.answer("\n".join(lines), reply_markup=from_pairs(
        [(title, JournalCb(mentorship=mid, page=0).pack()) for mid, title in pairs]) if pairs else None)


async def journal_page(callback: CallbackQuery, callback_data: JournalCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    page = await svc.journal(session, actor, callback_data.mentorship, callback_data.page)
    await callback.answer()
    await show(callback, *journal_view(t, page))


async def confirm(callback: CallbackQuery, callback_data: MeetingConfirmCb, session: AsyncSession, actor: Actor,
                  state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    if not callback_data.comment:
        await svc.confirm(session, actor, callback_data.meeting, comment=None, now=clock.now(), i18n=i18n)
        await callback.answer(t.plain("journal.confirmed"))
        await mark_answered(callback)
        return
    await svc.confirm_allowed(session, actor, callback_data.meeting)
    await state.set_state(MeetingForm.comment)
    await Commenting(meeting=callback_data.meeting).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("journal.ask_comment"))  # type: ignore[union-attr]


async def comment_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                        i18n: I18n, clock: Clock) -> None:
    meeting = (await Commenting.load(state)).meeting
    await svc.confirm(session, actor, meeting, comment=message.text or "", now=clock.now(), i18n=i18n)
    await state.clear()
    await message.answer(t("journal.comment_sent"))


def create_router() -> Router:
    router = Router(name="journal")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(log_command, Command("log"))
    router.message.register(journal_command, Command("journal"))
    router.callback_query.register(pair_picked, LogPairCb.filter())
    router.callback_query.register(choice, LogChoiceCb.filter())
    router.callback_query.register(journal_page, JournalCb.filter())
    router.callback_query.register(confirm, MeetingConfirmCb.filter())
    router.message.register(date_typed, MeetingForm.date, *typed)
    router.callback_query.register(date_picked, MeetingForm.date, CalendarCb.filter(F.action == CalendarAction.PICK))
    router.callback_query.register(held_pressed, MeetingHeldCb.filter())
    router.message.register(duration_typed, MeetingForm.duration, *typed)
    router.message.register(channel_typed, MeetingForm.channel, *typed)
    router.message.register(topic_typed, MeetingForm.topic, *typed)
    router.message.register(summary_typed, MeetingForm.summary, *typed)
    router.message.register(next_typed, MeetingForm.next_steps, *typed)
    router.message.register(comment_typed, MeetingForm.comment, *typed)
    for step in (MeetingForm.date, MeetingForm.duration, MeetingForm.channel, MeetingForm.topic,
                 MeetingForm.summary, MeetingForm.next_steps, MeetingForm.comment):
        router.message.register(text_expected, step, ~F.text.startswith("/"))
    for step in (MeetingForm.format, MeetingForm.item):  # answered with buttons only
        router.message.register(buttons_expected, step, ~F.text.startswith("/"))
    return router
