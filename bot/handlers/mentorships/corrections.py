"""Correcting a program from its card: plan items edited and deleted, the goals, the form and kind,
and the history of changes (services.mentorships.corrections)."""
from __future__ import annotations

from datetime import date

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.calendar import CalendarAction, CalendarCb, calendar_markup, take_day
from bot.handlers.mentorships.callbacks import (
    FormChangeCb,
    ItemEditAction,
    ItemEditCb,
    KindChangeCb,
    ProgramAction,
    ProgramCb,
)
from bot.handlers.mentorships.states import GoalsEditing, GoalsForm, ItemEditForm, ItemEditing
from bot.handlers.mentorships.views import (
    correct_list,
    delete_confirm,
    form_choice,
    history_text,
    item_menu,
    kind_choice,
    program_actions,
    program_text,
)
from bot.handlers.render import show
from bot.handlers.replies import text_expected, typed_date
from bot.i18n import I18n, Translator
from bot.services import mentorships as svc
from bot.services.actor import Actor
from bot.services.clock import Clock
from bot.services.errors import AccessDenied, InvalidInput
from db.models import ProgramChangeKind, Role

FIELDS = {ItemEditAction.ACTIVITY: ProgramChangeKind.ITEM_ACTIVITY, ItemEditAction.DUE: ProgramChangeKind.ITEM_DUE,
          ItemEditAction.EXPECTED: ProgramChangeKind.ITEM_EXPECTED}
ASK = {ProgramChangeKind.ITEM_ACTIVITY: "correct.ask_activity", ProgramChangeKind.ITEM_DUE: "correct.ask_due",
       ProgramChangeKind.ITEM_EXPECTED: "correct.ask_expected"}


async def _card(session: AsyncSession, actor: Actor, mentorship_id: int, t: Translator, clock: Clock,
                done: str) -> tuple[str, InlineKeyboardMarkup | None]:
    v = await svc.view(session, actor, mentorship_id, clock.now())
    return t(done) + "\n\n" + program_text(t, v), program_actions(t, v)


# ------------------------------------------------------------------ from the program card
async def correct_pressed(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                          t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    if v.viewer_role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    await callback.answer()
    await show(callback, *correct_list(t, v))


async def goals_pressed(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                        state: FSMContext, t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    if v.viewer_role == Role.CURATOR:
        raise AccessDenied("program.participants_only")
    await state.set_state(GoalsForm.goals)
    await GoalsEditing(mentorship=v.id).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("correct.ask_goals", goals=v.goals or "—"))  # type: ignore[union-attr]


async def form_pressed(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                       t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    if v.viewer_role != Role.CURATOR:
        raise AccessDenied("pairs.only_curators")
    await callback.answer()
    await show(callback, *form_choice(t, v))


async def history_pressed(callback: CallbackQuery, callback_data: ProgramCb, session: AsyncSession, actor: Actor,
                          t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    entries, total = await svc.changes(session, actor, v.id)
    await callback.answer()
    await show(callback, *history_text(t, v, entries, total))


# ---------------------------------------------------------------------------- an item
async def item_menu_pressed(callback: CallbackQuery, callback_data: ItemEditCb, session: AsyncSession,
                            actor: Actor, t: Translator) -> None:
    card = await svc.item_card(session, actor, callback_data.item)
    await callback.answer()
    await show(callback, *item_menu(t, card))


async def item_field_pressed(callback: CallbackQuery, callback_data: ItemEditCb, session: AsyncSession,
                             actor: Actor, state: FSMContext, t: Translator, clock: Clock) -> None:
    card = await svc.item_card(session, actor, callback_data.item)
    field = FIELDS[callback_data.action]
    await state.set_state(ItemEditForm.value)
    await ItemEditing(item=card.id, mentorship=card.mentorship_id, field=field).save(state)
    await callback.answer()
    markup = None
    if field == ProgramChangeKind.ITEM_DUE:  # the new deadline on the calendar, within the program
        first, last, today = await svc.program_term(session, actor, card.program_id, clock.now())
        markup = calendar_markup(t, min(max(card.due_date, first), last), first=first, last=last, today=today)
    await callback.bot.send_message(callback.from_user.id, t(ASK[field]), reply_markup=markup)  # type: ignore[union-attr]


async def item_value_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                           t: Translator, i18n: I18n, clock: Clock) -> None:
    editing = await ItemEditing.load(state)
    value = typed_date(message, "program.bad_date") if editing.field == ProgramChangeKind.ITEM_DUE else (
        message.text or "")
    await _item_edited(message.bot, message.chat.id, value, session, actor, state, t, i18n, clock)  # type: ignore[arg-type]


async def item_due_picked(callback: CallbackQuery, callback_data: CalendarCb, session: AsyncSession, actor: Actor,
                          state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    editing = await ItemEditing.load(state)
    if editing.field != ProgramChangeKind.ITEM_DUE:
        raise InvalidInput("error.stale_button")
    due = await take_day(callback, callback_data)
    await _item_edited(callback.bot, callback.from_user.id, due, session, actor, state, t, i18n, clock)  # type: ignore[arg-type]


async def _item_edited(bot: Bot, chat_id: int, value: str | date, session: AsyncSession, actor: Actor,
                       state: FSMContext, t: Translator, i18n: I18n, clock: Clock) -> None:
    editing = await ItemEditing.load(state)
    mentorship = await svc.edit_item(session, actor, editing.item, editing.field, value, clock.now(), i18n)
    await state.clear()
    text, markup = await _card(session, actor, mentorship, t, clock, "correct.item_changed")
    await bot.send_message(chat_id, text, reply_markup=markup)


async def item_delete_pressed(callback: CallbackQuery, callback_data: ItemEditCb, session: AsyncSession,
                              actor: Actor, t: Translator) -> None:
    card = await svc.item_card(session, actor, callback_data.item)
    await callback.answer()
    await show(callback, *delete_confirm(t, card))


async def item_deleted(callback: CallbackQuery, callback_data: ItemEditCb, session: AsyncSession, actor: Actor,
                       t: Translator, i18n: I18n, clock: Clock) -> None:
    mentorship = await svc.delete_item(session, actor, callback_data.item, clock.now(), i18n)
    await callback.answer()
    await show(callback, *await _card(session, actor, mentorship, t, clock, "correct.item_deleted"))


# ------------------------------------------------------------------- goals, form and kind
async def goals_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      i18n: I18n, clock: Clock) -> None:
    editing = await GoalsEditing.load(state)
    await svc.change_goals(session, actor, editing.mentorship, message.text or "", clock.now(), i18n)
    await state.clear()
    text, markup = await _card(session, actor, editing.mentorship, t, clock, "correct.goals_changed")
    await message.answer(text, reply_markup=markup)


async def form_picked(callback: CallbackQuery, callback_data: FormChangeCb, session: AsyncSession, actor: Actor,
                      t: Translator, clock: Clock) -> None:
    v = await svc.view(session, actor, callback_data.mentorship, clock.now())
    if v.viewer_role != Role.CURATOR:
        raise AccessDenied("pairs.only_curators")
    await callback.answer()
    await show(callback, *kind_choice(t, v, callback_data.form))


async def kind_picked(callback: CallbackQuery, callback_data: KindChangeCb, session: AsyncSession, actor: Actor,
                      t: Translator, i18n: I18n, clock: Clock) -> None:
    await svc.change_form_kind(session, actor, callback_data.mentorship, callback_data.form, callback_data.kind,
                               clock.now(), i18n)
    await callback.answer()
    await show(callback, *await _card(session, actor, callback_data.mentorship, t, clock, "correct.form_changed"))


def create_router() -> Router:
    router = Router(name="mentorships.corrections")
    typed = (F.text, ~F.text.startswith("/"))
    for pressed, action in ((correct_pressed, ProgramAction.CORRECT), (goals_pressed, ProgramAction.GOALS),
                            (form_pressed, ProgramAction.FORM), (history_pressed, ProgramAction.HISTORY)):
        router.callback_query.register(pressed, ProgramCb.filter(F.action == action))
    router.callback_query.register(item_menu_pressed, ItemEditCb.filter(F.action == ItemEditAction.MENU))
    router.callback_query.register(item_field_pressed, ItemEditCb.filter(F.action.in_(set(FIELDS))))
    router.callback_query.register(item_delete_pressed, ItemEditCb.filter(F.action == ItemEditAction.DELETE))
    router.callback_query.register(item_deleted, ItemEditCb.filter(F.action == ItemEditAction.DELETE_CONFIRMED))
    router.callback_query.register(form_picked, FormChangeCb.filter())
    router.callback_query.register(kind_picked, KindChangeCb.filter())
    router.message.register(item_value_typed, ItemEditForm.value, *typed)
    router.callback_query.register(item_due_picked, ItemEditForm.value, CalendarCb.filter(F.action == CalendarAction.PICK))
    router.message.register(goals_typed, GoalsForm.goals, *typed)
    router.message.register(text_expected, ItemEditForm.value, ~F.text.startswith("/"))
    router.message.register(text_expected, GoalsForm.goals, ~F.text.startswith("/"))
    return router
