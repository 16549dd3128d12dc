"""/ask, /requests and the relayed conversation of situational mentoring."""
from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.help_requests.callbacks import (
    SKIP_COMMENT,
    HelpCloseCb,
    HelpRateCb,
    HelpReplyCb,
    HelpTakeCb,
    HelpTopicCb,
)
from bot.handlers.help_requests.states import Asking, Conversation, HeldMessage, HelpForm, Rating
from bot.handlers.help_requests.views import conversation_buttons, conversation_choices
from bot.handlers.render import Keyboard, from_pairs, label, mark_answered
from bot.handlers.replies import text_expected
from bot.i18n import I18n, Translator
from bot.services import help_requests as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.dates import local_time
from bot.services.errors import AccessDenied, InvalidInput
from bot.services.organizations import timezone_of
from db.models import HelpRequest, HelpRequestStatus, Role


def _attachment(message: Message) -> tuple[int, int] | None:
    return (message.chat.id, message.message_id) if (message.photo or message.document) else None


async def ask(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator) -> None:
    topics = await svc.topics(session, actor)
    await state.set_state(None)
    kb = Keyboard()
    for topic_id, title in topics:
        kb.button(text=label(title, 60), callback_data=HelpTopicCb(topic=topic_id))
    kb.button(text=t.plain("sit.other_topic"), callback_data=HelpTopicCb(topic=0))
    await message.answer(t("sit.pick_topic"), reply_markup=kb.adjust(1).as_markup())


async def topic_picked(callback: CallbackQuery, callback_data: HelpTopicCb, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator) -> None:
    if callback_data.topic and callback_data.topic not in {tid for tid, _ in await svc.topics(session, actor)}:
        raise AccessDenied()
    await state.set_state(HelpForm.text)
    await Asking(help_topic=callback_data.topic or None).save(state)
    await callback.answer()
    await mark_answered(callback)
    await callback.bot.send_message(callback.from_user.id, t("sit.ask_text"))  # type: ignore[union-attr]


async def request_text(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                       i18n: I18n, clock: Clock) -> None:
    asking = await Asking.load(state)
    created = await svc.start_request(session, actor, topic_id=asking.help_topic,
                                      text=message.text or message.caption or "", attachment=_attachment(message),
                                      now=clock.now(), i18n=i18n)
    await state.set_state(None)
    await Conversation(help_request=created.request_id).save(state)
    key = "sit.sent_own" if created.own_mentor else "sit.sent_pool" if created.offered else "sit.sent_curator"
    await message.answer(t(key, id=created.request_id, count=created.offered))


async def request_not_text(message: Message, t: Translator) -> None:
    await message.answer(t("sit.text_expected"))


async def take(callback: CallbackQuery, callback_data: HelpTakeCb, session: AsyncSession, actor: Actor,
               state: FSMContext, t: Translator, i18n: I18n, bot: Bot, clock: Clock) -> None:
    taken = await svc.take(session, actor, callback_data.request, clock.now(), i18n)
    await callback.answer()
    await Conversation(help_request=taken.request.id).save(state)
    await mark_answered(callback)
    await bot.send_message(callback.from_user.id, t("sit.taken_by_you", id=taken.request.id, name=taken.mentee_name,
                                                    text=taken.request.text or "—"),
                           reply_markup=conversation_buttons(t, taken.request.id))
    if taken.request.attachment_message_id:
        await bot.copy_message(callback.from_user.id, taken.request.attachment_chat_id,  # type: ignore[arg-type]
                               taken.request.attachment_message_id)
    for chat_id, message_id, locale in taken.withdrawn:
        with contextlib.suppress(TelegramBadRequest):  # too old to edit, or deleted by them: fine
            await bot.edit_message_text(i18n.get(locale)("sit.offer_taken", id=taken.request.id,
                                                         name=taken.mentor_name),
                                        chat_id=chat_id, message_id=message_id, reply_markup=None)






async def _relay_to(message_text: str | None, copy_of: tuple[int, int] | None, request: HelpRequest,
                    session: AsyncSession, actor: Actor, t: Translator, i18n: I18n, clock: Clock, bot: Bot,
                    chat_id: int) -> None:
    reached = await svc.relay(session, actor, request, text=message_text, copy_of=copy_of, now=clock.now(), i18n=i18n)
    await bot.send_message(chat_id, t("sit.relayed_to", id=request.id, name=reached))


async def reply_to(callback: CallbackQuery, callback_data: HelpReplyCb, session: AsyncSession, actor: Actor,
                   state: FSMContext, t: Translator, i18n: I18n, clock: Clock, bot: Bot) -> None:
    found = await svc.route(session, actor, callback_data.request)
    if found.target is None or found.target.id != callback_data.request:
        if found.closed == callback_data.request:
            raise InvalidInput("sit.closed_number", id=callback_data.request)
        raise AccessDenied()
    held = await HeldMessage.load(state)
    await HeldMessage.drop(state)
    await Conversation(help_request=found.target.id).save(state)
    await callback.answer(t.plain("sit.replying_to", id=found.target.id))
    if held is not None:  # the message that waited for this choice goes now
        await _relay_to(held.text, held.attachment, found.target, session, actor, t, i18n, clock, bot, callback.from_user.id)


async def relay(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                i18n: I18n, clock: Clock, bot: Bot) -> None:
    found = await svc.route(session, actor, (await Conversation.load(state)).help_request)
    text, copy_of = message.text or message.caption, _attachment(message)
    if found.target is not None:
        await _relay_to(text, copy_of, found.target, session, actor, t, i18n, clock, bot, message.chat.id)
        return
    if found.closed is None and not found.choices:
        await message.answer(t("fallback.member") if actor.registered else t("start.stranger"))
        return
    # never a guess: the message waits (in memory only) for the sender to say where it goes
    await HeldMessage(text=text, attachment=copy_of).save(state)
    key = "sit.closed_pick" if found.closed is not None and found.choices else \
        "sit.closed_none" if found.closed is not None else "sit.pick_conversation"
    await message.answer(t(key, id=found.closed or 0), reply_markup=conversation_choices(t, found.choices))


async def close(callback: CallbackQuery, callback_data: HelpCloseCb, session: AsyncSession, actor: Actor,
                t: Translator, i18n: I18n, clock: Clock) -> None:
    role = await svc.close(session, actor, callback_data.request, clock.now(), i18n)
    await callback.answer()
    if role == Role.MENTEE:
        kb = Keyboard()
        for n in range(1, 6):
            kb.button(text=str(n), callback_data=HelpRateCb(request=callback_data.request, rating=n))
        await callback.bot.send_message(callback.from_user.id, t("sit.ask_rating", id=callback_data.request),  # type: ignore[union-attr]
                                        reply_markup=kb.adjust(5).as_markup())
    else:
        await callback.bot.send_message(callback.from_user.id, t("sit.closed_you", id=callback_data.request))  # type: ignore[union-attr]


async def rated(callback: CallbackQuery, callback_data: HelpRateCb, session: AsyncSession, actor: Actor,
                state: FSMContext, t: Translator) -> None:
    await svc.rate(session, actor, callback_data.request, callback_data.rating, None)
    await state.set_state(HelpForm.comment)
    await Rating(help_rated=callback_data.request).save(state)
    await callback.answer()
    await mark_answered(callback)
    kb = Keyboard()
    kb.button(text=t.plain("btn.skip"), callback_data=SKIP_COMMENT)
    await callback.bot.send_message(callback.from_user.id, t("sit.ask_comment"), reply_markup=kb.as_markup())  # type: ignore[union-attr]


async def comment(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator) -> None:
    rated_id = (await Rating.load(state)).help_rated
    await state.set_state(None)
    if rated_id is None:
        await message.answer(t("error.stale_button"))
        return
    # the comment belongs to the request the dialog names, whatever else is open
    await svc.rate(session, actor, rated_id, None, message.text or "")
    await message.answer(t("sit.thanks_comment", id=rated_id))


async def comment_skipped(callback: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.set_state(None)
    await callback.answer()
    await mark_answered(callback)
    await callback.bot.send_message(callback.from_user.id, t("sit.thanks"))  # type: ignore[union-attr]


async def requests(message: Message, session: AsyncSession, actor: Actor, t: Translator, clock: Clock) -> None:
    curated = actor.orgs_where(Role.CURATOR, Role.HEAD)
    if curated:
        figures = await svc.curator_figures(session, actor, curated[0][0], clock.now())
        zone = await timezone_of(session, curated[0][0])
        median = f"{figures.median_first_answer_minutes:.0f}" if figures.median_first_answer_minutes is not None \
            else "—"
        rating = f"{figures.mean_rating:.1f}" if figures.mean_rating is not None else "—"
        lines = [t("sit.figures", org=figures.organization_name, total=figures.total, open=figures.open,
                   taken=figures.taken, closed=figures.closed, overdue=figures.overdue, median=median,
                   rating=rating)]
        for line in figures.overdue_lines:
            lines.append(t("sit.line", id=line.id, name=line.mentee, status=t.plain(f"hstatus.{line.status.value}"),
                           date=local_time(line.created_at, zone), text=line.text))
        await message.answer("\n".join(lines))
        return
    lines = [t("sit.mine_title")]
    mine = await svc.mentor_requests(session, actor)
    zone = await timezone_of(session, actor.first_org_where(Role.MENTOR, denied="sit.only_mentors"))
    for line in mine:
        lines.append(t("sit.line", id=line.id, name=line.mentee, status=t.plain(f"hstatus.{line.status.value}"),
                       date=local_time(line.created_at, zone), text=line.text))
    if len(lines) == 1:
        lines.append(t("sit.none"))
    taken = [line.id for line in mine if line.status == HelpRequestStatus.TAKEN and line.mine]
    buttons = [(t.plain("sit.close_line", id=rid), HelpCloseCb(request=rid).pack()) for rid in taken]
    await message.answer("\n".join(lines), reply_markup=from_pairs(buttons) if buttons else None)


def create_router() -> Router:
    router = Router(name="help")
    router.message.register(ask, Command("ask"))
    router.message.register(requests, Command("requests"))
    router.callback_query.register(topic_picked, HelpTopicCb.filter())
    router.message.register(request_text, HelpForm.text, F.text & ~F.text.startswith("/") | F.photo | F.document)
    router.message.register(request_not_text, HelpForm.text, ~F.text.startswith("/"))
    router.callback_query.register(take, HelpTakeCb.filter())
    router.callback_query.register(reply_to, HelpReplyCb.filter())
    router.callback_query.register(close, HelpCloseCb.filter())
    router.callback_query.register(rated, HelpRateCb.filter())
    router.message.register(comment, HelpForm.comment, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, HelpForm.comment, ~F.text.startswith("/"))
    router.callback_query.register(comment_skipped, HelpForm.comment, F.data == SKIP_COMMENT)
    # anything else a participant of a taken request writes goes to the other side
    router.message.register(relay, StateFilter(None), F.text & ~F.text.startswith("/") | F.photo | F.document)
    return router
