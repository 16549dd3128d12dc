"""/practices: the bank of practices — the latest, a search by words, a card with its files; a mentor or
curator submits one step by step; the curator approves or returns it; a coordinator features it for the
organisations below (services.practices)."""
from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.practices.callbacks import PracticeAction, PracticeCb, PracticeChoiceCb, PracticeStep
from bot.handlers.practices.states import PracticeDialog, PracticeForm, PracticeSearch
from bot.handlers.practices.views import bank_view, card_view, choices, files_done
from bot.handlers.render import mark_answered, show
from bot.handlers.replies import buttons_expected, text_expected
from bot.i18n import I18n, Translator
from bot.services import practices as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import InvalidInput
from bot.services.mentorships import clean_text


async def _bank(session: AsyncSession, actor: Actor, t: Translator,
                words: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    cards = await svc.browse(session, actor, words or "")
    waiting = len(await svc.pending(session, actor))
    return bank_view(t, cards, can_submit=bool(actor.orgs_where(*svc.AUTHORS)), waiting=waiting, found_for=words)


async def practices_command(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                            t: Translator) -> None:
    await state.clear()
    text, markup = await _bank(session, actor, t)
    await message.answer(text, reply_markup=markup)


async def show_pressed(callback: CallbackQuery, callback_data: PracticeCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    c = await svc.card(session, actor, callback_data.practice)
    await callback.answer()
    text, markup = card_view(t, c)
    await callback.bot.send_message(callback.from_user.id, text, reply_markup=markup)  # type: ignore[union-attr]


async def files_pressed(callback: CallbackQuery, callback_data: PracticeCb, session: AsyncSession, actor: Actor,
                        t: Translator, clock: Clock) -> None:
    count = await svc.send_files(session, actor, callback_data.practice, callback.from_user.id, clock.now())
    await callback.answer(t.plain("practices.files_coming", count=count))


async def decision_pressed(callback: CallbackQuery, callback_data: PracticeCb, session: AsyncSession, actor: Actor,
                           t: Translator, i18n: I18n, clock: Clock) -> None:
    if callback_data.action == PracticeAction.FEATURE:
        await svc.feature(session, actor, callback_data.practice, clock.now(), i18n)
    else:
        await svc.decide(session, actor, callback_data.practice, callback_data.action == PracticeAction.APPROVE,
                         clock.now(), i18n)
    await callback.answer(t.plain(f"practices.you_{callback_data.action.value}"), show_alert=True)
    await show(callback, *card_view(t, await svc.card(session, actor, callback_data.practice)))


async def post_pressed(callback: CallbackQuery, callback_data: PracticeCb, session: AsyncSession, actor: Actor,
                       t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.post_to_channel(session, actor, callback_data.practice, clock.now(), i18n)
    await callback.answer(t.plain("practices.you_post"), show_alert=True)


async def pending_pressed(callback: CallbackQuery, session: AsyncSession, actor: Actor, t: Translator) -> None:
    cards = await svc.pending(session, actor)
    await callback.answer()
    text, markup = bank_view(t, cards, can_submit=False, waiting=0, found_for=None)
    await callback.bot.send_message(callback.from_user.id, t("practices.pending") + "\n\n" + text,  # type: ignore[union-attr]
                                    reply_markup=markup)


async def search_pressed(callback: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.set_state(PracticeSearch.words)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("practices.ask_words"))  # type: ignore[union-attr]


async def words_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                      t: Translator) -> None:
    words = " ".join((message.text or "").split())[:100]
    if not words:
        raise InvalidInput("practices.ask_words")
    await state.clear()
    text, markup = await _bank(session, actor, t, words)
    await message.answer(text, reply_markup=markup)


# ------------------------------------------------------------------------------ submitting
async def new_pressed(callback: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext,
                      t: Translator) -> None:
    await svc.submission_context(session, actor)  # a mentor or curator, or refused
    await state.set_state(PracticeForm.title)
    await PracticeDialog().save(state, replace=True)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("practices.ask_title"))  # type: ignore[union-attr]


async def title_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await (await PracticeDialog.load(state)).model_copy(
        update={"title": clean_text(message.text or "", svc.TITLE_MAX)}).save(state)
    await state.set_state(PracticeForm.description)
    await message.answer(t("practices.ask_description"))


async def description_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                            t: Translator) -> None:
    await (await PracticeDialog.load(state)).model_copy(
        update={"description": clean_text(message.text or "", svc.DESCRIPTION_MAX)}).save(state)
    context = await svc.submission_context(session, actor)
    await state.set_state(PracticeForm.topic)
    await message.answer(t("practices.ask_topic"), reply_markup=choices(t, PracticeStep.TOPIC, context.topics))


async def choice_pressed(callback: CallbackQuery, callback_data: PracticeChoiceCb, session: AsyncSession,
                         actor: Actor, state: FSMContext, t: Translator, i18n: I18n, bot: Bot,
                         clock: Clock) -> None:
    expected = {PracticeStep.TOPIC: PracticeForm.topic, PracticeStep.PROGRAM: PracticeForm.program,
                PracticeStep.DONE: PracticeForm.files}[callback_data.step]
    if await state.get_state() != expected.state:
        raise InvalidInput("error.stale_button")
    await callback.answer()
    await mark_answered(callback)
    dialog = await PracticeDialog.load(state)
    chat = callback.from_user.id
    if callback_data.step == PracticeStep.TOPIC:
        await dialog.model_copy(update={"topic": callback_data.value or None}).save(state)
        context = await svc.submission_context(session, actor)
        if context.programs:
            await state.set_state(PracticeForm.program)
            await bot.send_message(chat, t("practices.ask_program"),
                                   reply_markup=choices(t, PracticeStep.PROGRAM, context.programs))
            return
        await _ask_files(bot, chat, state, t)
    elif callback_data.step == PracticeStep.PROGRAM:
        await dialog.model_copy(update={"program": callback_data.value or None}).save(state)
        await _ask_files(bot, chat, state, t)
    else:
        draft = svc.PracticeDraft(dialog.title, dialog.description, dialog.topic, dialog.program,
                                  [(c, m) for c, m in dialog.files])
        await svc.submit(session, actor, draft, clock.now(), i18n)
        await state.clear()
        await bot.send_message(chat, t("practices.sent"))


async def _ask_files(bot: Bot, chat_id: int, state: FSMContext, t: Translator) -> None:
    await state.set_state(PracticeForm.files)
    await bot.send_message(chat_id, t("practices.ask_files", max=svc.FILES_MAX), reply_markup=files_done(t, 0))


async def file_sent(message: Message, state: FSMContext, t: Translator) -> None:
    dialog = await PracticeDialog.load(state)
    if len(dialog.files) >= svc.FILES_MAX:
        raise InvalidInput("practices.too_many_files", max=svc.FILES_MAX)
    files = [*dialog.files, [message.chat.id, message.message_id]]
    await dialog.model_copy(update={"files": files}).save(state)
    await message.answer(t("practices.file_taken", count=len(files)), reply_markup=files_done(t, len(files)))


async def files_expected(message: Message, t: Translator) -> None:
    await message.answer(t("practices.files_expected"))


def create_router() -> Router:
    router = Router(name="practices")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(practices_command, Command("practices"))
    router.callback_query.register(show_pressed, PracticeCb.filter(F.action == PracticeAction.SHOW))
    router.callback_query.register(files_pressed, PracticeCb.filter(F.action == PracticeAction.FILES))
    router.callback_query.register(decision_pressed, PracticeCb.filter(F.action.in_(
        {PracticeAction.APPROVE, PracticeAction.RETURN, PracticeAction.FEATURE})))
    router.callback_query.register(post_pressed, PracticeCb.filter(F.action == PracticeAction.POST))
    router.callback_query.register(pending_pressed, PracticeCb.filter(F.action == PracticeAction.PENDING))
    router.callback_query.register(search_pressed, PracticeCb.filter(F.action == PracticeAction.SEARCH))
    router.callback_query.register(new_pressed, PracticeCb.filter(F.action == PracticeAction.NEW))
    router.callback_query.register(choice_pressed, PracticeChoiceCb.filter())
    router.message.register(words_typed, PracticeSearch.words, *typed)
    router.message.register(title_typed, PracticeForm.title, *typed)
    router.message.register(description_typed, PracticeForm.description, *typed)
    router.message.register(file_sent, PracticeForm.files, F.document | F.photo)
    router.message.register(files_expected, PracticeForm.files, ~F.text.startswith("/"))
    for step in (PracticeSearch.words, PracticeForm.title, PracticeForm.description):
        router.message.register(text_expected, step, ~F.text.startswith("/"))
    for step in (PracticeForm.topic, PracticeForm.program):
        router.message.register(buttons_expected, step, ~F.text.startswith("/"))
    return router
