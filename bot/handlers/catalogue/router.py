"""/catalogue: the curator's catalogue of difficulties and competencies: add, rename, retire, restore."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.catalogue.callbacks import CatalogueAction, CatalogueCb, TopicAction, TopicCb
from bot.handlers.catalogue.states import CatalogueForm, TitleEditing
from bot.handlers.catalogue.views import catalogue_page, entry_menu
from bot.handlers.common.callbacks import OrgPickCb
from bot.handlers.common.views import org_pick
from bot.handlers.render import show
from bot.handlers.replies import text_expected
from bot.i18n import Translator
from bot.services import catalogue
from bot.services.actor import Actor
from bot.services.errors import AccessDenied


async def catalogue_command(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    orgs = catalogue.editable_orgs(actor)
    if not orgs:
        raise AccessDenied("catalogue.only_curators")
    if len(orgs) > 1:
        await message.answer(t("catalogue.pick_org"), reply_markup=org_pick(orgs, "catalogue"))
        return
    text, markup = catalogue_page(t, orgs[0][0], await catalogue.entries(session, actor, orgs[0][0]))
    await message.answer(text, reply_markup=markup)


async def org_picked(callback: CallbackQuery, callback_data: OrgPickCb, session: AsyncSession, actor: Actor,
                     t: Translator) -> None:
    entries = await catalogue.entries(session, actor, callback_data.org)
    await callback.answer()
    await show(callback, *catalogue_page(t, callback_data.org, entries))


async def list_pressed(callback: CallbackQuery, callback_data: CatalogueCb, session: AsyncSession, actor: Actor,
                       t: Translator) -> None:
    entries = await catalogue.entries(session, actor, callback_data.org)
    await callback.answer()
    await show(callback, *catalogue_page(t, callback_data.org, entries))


async def add_pressed(callback: CallbackQuery, callback_data: CatalogueCb, session: AsyncSession, actor: Actor,
                      state: FSMContext, t: Translator) -> None:
    await catalogue.entries(session, actor, callback_data.org)  # may the actor edit it?
    await state.set_state(CatalogueForm.title)
    await TitleEditing(org=callback_data.org).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("catalogue.ask_new"))  # type: ignore[union-attr]


async def topic_pressed(callback: CallbackQuery, callback_data: TopicCb, session: AsyncSession, actor: Actor,
                        t: Translator) -> None:
    org_id, entry = await catalogue.entry(session, actor, callback_data.topic)
    await callback.answer()
    await show(callback, *entry_menu(t, org_id, entry))


async def rename_pressed(callback: CallbackQuery, callback_data: TopicCb, session: AsyncSession, actor: Actor,
                         state: FSMContext, t: Translator) -> None:
    org_id, entry = await catalogue.entry(session, actor, callback_data.topic)
    await state.set_state(CatalogueForm.title)
    await TitleEditing(org=org_id, topic=entry.id).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("catalogue.ask_rename", title=entry.title))  # type: ignore[union-attr]


async def retire_pressed(callback: CallbackQuery, callback_data: TopicCb, session: AsyncSession, actor: Actor,
                         t: Translator) -> None:
    retire = callback_data.action == TopicAction.RETIRE
    await catalogue.set_retired(session, actor, callback_data.topic, retire)
    org_id, entry = await catalogue.entry(session, actor, callback_data.topic)
    await callback.answer(t.plain("catalogue.retired" if retire else "catalogue.restored"))
    await show(callback, *entry_menu(t, org_id, entry))


async def title_typed(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator) -> None:
    editing = await TitleEditing.load(state)
    if editing.topic:
        org_id = await catalogue.rename(session, actor, editing.topic, message.text or "")
        done = "catalogue.renamed"
    else:
        org_id = editing.org
        await catalogue.add(session, actor, org_id, message.text or "")
        done = "catalogue.added"
    await state.clear()
    text, markup = catalogue_page(t, org_id, await catalogue.entries(session, actor, org_id))
    await message.answer(t(done) + "\n\n" + text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="catalogue")
    router.message.register(catalogue_command, Command("catalogue"))
    router.callback_query.register(org_picked, OrgPickCb.filter(F.purpose == "catalogue"))
    router.callback_query.register(list_pressed, CatalogueCb.filter(F.action == CatalogueAction.LIST))
    router.callback_query.register(add_pressed, CatalogueCb.filter(F.action == CatalogueAction.ADD))
    router.callback_query.register(topic_pressed, TopicCb.filter(F.action == TopicAction.SHOW))
    router.callback_query.register(rename_pressed, TopicCb.filter(F.action == TopicAction.RENAME))
    router.callback_query.register(retire_pressed, TopicCb.filter(F.action.in_({TopicAction.RETIRE,
                                                                                 TopicAction.RESTORE})))
    router.message.register(title_typed, CatalogueForm.title, F.text, ~F.text.startswith("/"))
    router.message.register(text_expected, CatalogueForm.title, ~F.text.startswith("/"))
    return router
