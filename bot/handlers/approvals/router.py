"""/approvals: the head approves pairs and groups, programs and replacements («Утверждаю»), with the
order's number and date, or returns them to the curator with a comment; and turns approval on or off."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.approvals.callbacks import ApprovalAction, ApprovalCb, ApprovalsListCb, ApprovalsSettingCb
from bot.handlers.approvals.states import ApprovalDecision, ApprovalForm
from bot.handlers.approvals.views import approval_actions, approval_text, numbering, pending_list
from bot.handlers.render import show
from bot.handlers.replies import text_expected
from bot.i18n import I18n, Translator
from bot.services import approvals
from bot.services.actor import Actor
from bot.services.clock import Clock


async def _list(session: AsyncSession, actor: Actor, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    cards = await approvals.pending(session, actor)
    settings = [(org_id, name, await approvals.approvals_setting(session, actor, org_id))
                for org_id, name in approvals.decider_orgs(actor)]
    return pending_list(t, cards, settings)


async def approvals_command(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    text, markup = await _list(session, actor, t)
    await message.answer(text, reply_markup=markup)


async def list_pressed(callback: CallbackQuery, session: AsyncSession, actor: Actor, t: Translator) -> None:
    text, markup = await _list(session, actor, t)
    await callback.answer()
    await show(callback, text, markup)


async def setting_pressed(callback: CallbackQuery, callback_data: ApprovalsSettingCb, session: AsyncSession,
                          actor: Actor, t: Translator) -> None:
    await approvals.set_approvals(session, actor, callback_data.org, callback_data.on)
    text, markup = await _list(session, actor, t)
    await callback.answer(t.plain("approvals.turned_on" if callback_data.on else "approvals.turned_off"))
    await show(callback, text, markup)


async def card_pressed(callback: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    card = await approvals.card(session, actor, callback_data.approval)
    await callback.answer()
    await show(callback, approval_text(t, card), approval_actions(t, card))


async def approve_pressed(callback: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, actor: Actor,
                          t: Translator) -> None:
    card = await approvals.card(session, actor, callback_data.approval)
    await callback.answer()
    await show(callback, *numbering(t, card))


async def numbered_by_bot(callback: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, actor: Actor,
                          t: Translator, i18n: I18n, clock: Clock) -> None:
    card = await approvals.approve(session, actor, callback_data.approval, clock.now(), i18n)
    await callback.answer(t.plain("approvals.done", number=card.order_number or "—"))
    await show(callback, approval_text(t, card), approval_actions(t, card))


async def ask_order(callback: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, actor: Actor,
                    state: FSMContext, t: Translator) -> None:
    await approvals.card(session, actor, callback_data.approval)  # may the actor decide it?
    await state.set_state(ApprovalForm.order)
    await ApprovalDecision(approval=callback_data.approval).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("approvals.ask_order"))  # type: ignore[union-attr]


async def ask_comment(callback: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator) -> None:
    await approvals.card(session, actor, callback_data.approval)
    await state.set_state(ApprovalForm.comment)
    await ApprovalDecision(approval=callback_data.approval).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("approvals.ask_comment"))  # type: ignore[union-attr]


async def order_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                      i18n: I18n, clock: Clock) -> None:
    decision = await ApprovalDecision.load(state)
    card = await approvals.approve(session, actor, decision.approval, clock.now(), i18n, order=message.text or "")
    await state.clear()
    await message.answer(approval_text(t, card), reply_markup=approval_actions(t, card))


async def comment_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator,
                        i18n: I18n, clock: Clock) -> None:
    decision = await ApprovalDecision.load(state)
    await approvals.return_to_curator(session, actor, decision.approval, message.text or "", clock.now(), i18n)
    await state.clear()
    text, markup = await _list(session, actor, t)
    await message.answer(t("approvals.returned_done") + "\n\n" + text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="approvals")
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(approvals_command, Command("approvals"))
    router.callback_query.register(list_pressed, ApprovalsListCb.filter())
    router.callback_query.register(setting_pressed, ApprovalsSettingCb.filter())
    router.callback_query.register(card_pressed, ApprovalCb.filter(F.action == ApprovalAction.SHOW))
    router.callback_query.register(approve_pressed, ApprovalCb.filter(F.action == ApprovalAction.APPROVE))
    router.callback_query.register(numbered_by_bot, ApprovalCb.filter(F.action == ApprovalAction.NUMBER_BY_BOT))
    router.callback_query.register(ask_order, ApprovalCb.filter(F.action == ApprovalAction.NUMBER_TYPED))
    router.callback_query.register(ask_comment, ApprovalCb.filter(F.action == ApprovalAction.RETURN))
    router.message.register(order_typed, ApprovalForm.order, *typed)
    router.message.register(comment_typed, ApprovalForm.comment, *typed)
    router.message.register(text_expected, ApprovalForm.order, ~F.text.startswith("/"))
    router.message.register(text_expected, ApprovalForm.comment, ~F.text.startswith("/"))
    return router
