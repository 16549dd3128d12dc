"""/registry: the bank of mentors and mentees of the curator's organisation."""
from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.common.callbacks import OrgPickCb
from bot.handlers.common.views import org_pick
from bot.handlers.mentorships.views import mentor_buttons, mentor_standing_text
from bot.handlers.profile.views import person_text
from bot.handlers.registry.callbacks import PersonCardCb, RegistryCb, RegistryFilter, RegistrySearchCb
from bot.handlers.registry.states import RegistryForm, Searching
from bot.handlers.registry.views import card_back, history_text, registry_keyboard, registry_text
from bot.handlers.render import show
from bot.i18n import Translator
from bot.services import mentorships
from bot.services import registry as registry_service
from bot.services.actor import Actor
from bot.services.errors import AccessDenied
from db.models import Role


def _filter(code: RegistryFilter) -> tuple[Role | None, bool]:
    """The role a page lists (None: any), and whether only those who blocked the bot."""
    if code in (RegistryFilter.ALL, RegistryFilter.UNREACHABLE):
        return None, code == RegistryFilter.UNREACHABLE
    return Role(code.value), False


async def _page(session: AsyncSession, actor: Actor, state: FSMContext, org: int, code: str, page: int,
                search: bool) -> registry_service.RegistryPage:
    query = (await Searching.load(state)).registry_query if search else None
    role, unreachable = _filter(code)
    return await registry_service.registry_page(session, actor, org, role=role, query=query, page=page,
                                                unreachable=unreachable)


async def registry(message: Message, session: AsyncSession, actor: Actor, state: FSMContext,
                   t: Translator) -> None:
    orgs = actor.orgs_where(*registry_service.READERS)
    if not orgs:
        raise AccessDenied("registry.only_curators")
    if len(orgs) > 1:
        await message.answer(t("org.pick"), reply_markup=org_pick(orgs, "registry"))
        return
    page = await _page(session, actor, state, orgs[0][0], "all", 0, False)
    await message.answer(registry_text(t, page), reply_markup=registry_keyboard(t, page))


async def org_picked(callback: CallbackQuery, callback_data: OrgPickCb, session: AsyncSession, actor: Actor,
                     state: FSMContext, t: Translator) -> None:
    page = await _page(session, actor, state, callback_data.org, "all", 0, False)
    await callback.answer()
    await show(callback, registry_text(t, page), registry_keyboard(t, page))


async def navigate(callback: CallbackQuery, callback_data: RegistryCb, session: AsyncSession, actor: Actor,
                   state: FSMContext, t: Translator) -> None:
    page = await _page(session, actor, state, callback_data.org, callback_data.role, callback_data.page,
                       callback_data.search)
    await callback.answer()
    await show(callback, registry_text(t, page), registry_keyboard(t, page))


async def card(callback: CallbackQuery, callback_data: PersonCardCb, session: AsyncSession, actor: Actor,
               t: Translator) -> None:
    view = await registry_service.person_card(session, actor, callback_data.org, callback_data.person)
    history = await mentorships.history_for(session, callback_data.person, callback_data.org)
    standing = await mentorships.mentor_standing(session, actor, callback_data.org, callback_data.person)
    curator = actor.has_role(callback_data.org, Role.CURATOR)
    text = person_text(t, view, "registry.card_title") + history_text(t, history)
    extra: list[tuple[str, str]] = []
    if standing is not None:
        text += "\n" + mentor_standing_text(t, standing)
        extra = mentor_buttons(t, callback_data.org, callback_data.person, standing) if curator else []
    await callback.answer()
    await show(callback, text, card_back(t, callback_data, curator=curator, extra=extra))


async def ask_query(callback: CallbackQuery, callback_data: RegistrySearchCb, actor: Actor, state: FSMContext,
                    t: Translator) -> None:
    if not actor.has_role(callback_data.org, *registry_service.READERS):
        raise AccessDenied()
    await state.set_state(RegistryForm.query)
    await Searching(registry_org=callback_data.org, registry_role=callback_data.role).save(state)
    await callback.answer()
    await callback.bot.send_message(callback.from_user.id, t("registry.ask_query"))  # type: ignore[union-attr]


async def search(message: Message, session: AsyncSession, actor: Actor, state: FSMContext, t: Translator) -> None:
    query = registry_service.clean_query(message.text or "")
    searching = await Searching.load(state)
    await state.set_state(None)
    searching.registry_query = query
    await searching.save(state)
    page = await _page(session, actor, state, searching.registry_org, searching.registry_role, 0, True)
    await message.answer(registry_text(t, page), reply_markup=registry_keyboard(t, page))


async def search_not_text(message: Message, t: Translator) -> None:
    await message.answer(t("profile.text_expected"))


def create_router() -> Router:
    router = Router(name="registry")
    router.message.register(registry, Command("registry"))
    router.callback_query.register(org_picked, OrgPickCb.filter(F.purpose == "registry"))
    router.callback_query.register(navigate, RegistryCb.filter())
    router.callback_query.register(card, PersonCardCb.filter())
    router.callback_query.register(ask_query, RegistrySearchCb.filter())
    router.message.register(search, RegistryForm.query, F.text, ~F.text.startswith("/"))
    router.message.register(search_not_text, RegistryForm.query)
    return router
