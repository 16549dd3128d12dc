"""/start with an invite: the consent first (nothing is stored before it), then the profile."""
from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.onboarding.callbacks import ConsentCb
from bot.handlers.onboarding.states import Invitation, Onboarding
from bot.handlers.onboarding.views import consent
from bot.handlers.profile import router as profile
from bot.handlers.render import show
from bot.i18n import Translator
from bot.services import onboarding
from bot.services.actor import Actor, load_actor
from bot.services.clock import Clock
from bot.services.errors import InvalidInvite
from bot.services.profile import missing_steps
from bot.telegram.menus import help_text
from db.repositories import PersonRepo


def _invite_error(t: Translator, error: InvalidInvite, actor: Actor) -> str:
    params = dict(error.params)
    if "role" in params:
        params["role"] = t.plain(f"role.{params['role']}")
    text = t(error.key, **params)
    return text if actor.registered else text + "\n\n" + t("start.ask_curator")


async def start(message: Message, command: CommandObject, state: FSMContext, session: AsyncSession,
                actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    token = (command.args or "").strip()
    if not token:
        if not actor.registered:
            await message.answer(t("start.stranger"))
            return
        person = await PersonRepo(session).get(actor.person_id)  # type: ignore[arg-type]
        steps = missing_steps(person) if person else []
        if steps:
            await message.answer(t("onboarding.resume"))
            await profile.begin(bot, message.chat.id, state, session, actor, t, steps, "onboarding", clock)
            return
        await message.answer(t("start.welcome_back") + "\n\n" + help_text(t, actor.role_set()))
        return
    try:
        info = await onboarding.check_invite_for(session, actor, token, clock.now())
    except InvalidInvite as error:
        await message.answer(_invite_error(t, error, actor))
        return
    if await onboarding.needs_consent(session, actor, info.organization_id):
        await state.clear()
        await state.set_state(Onboarding.consent)
        await Invitation(token=token).save(state)
        await message.answer(
            t("consent.text", org=info.organization_name, role=t.plain(f"role.{info.role.value}"),
              version=onboarding.CONSENT_VERSION),
            reply_markup=consent(t),
        )
        return
    await _join(message.chat.id, token, False, state, session, actor, t, bot, clock)


async def _join(chat_id: int, token: str, consent_given: bool, state: FSMContext, session: AsyncSession,
                actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    try:
        result = await onboarding.join(session, actor, token, consent_given=consent_given, locale=actor.locale,
                                       now=clock.now())
    except InvalidInvite as error:
        await state.clear()
        await bot.send_message(chat_id, _invite_error(t, error, actor))
        return
    actor = await load_actor(session, actor.telegram_id)
    await bot.send_message(chat_id, t("onboarding.joined", role=t.plain(f"role.{result.role.value}"),
                                      org=result.organization_name))
    await profile.begin(bot, chat_id, state, session, actor, t, result.steps, "onboarding", clock)


async def consent_answer(callback: CallbackQuery, callback_data: ConsentCb, state: FSMContext,
                         session: AsyncSession, actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    invitation = await Invitation.load(state)
    token = invitation.token if invitation is not None else ""  # gone after a restart: the link is opened again
    await callback.answer()
    if not callback_data.accept:
        await state.clear()
        await show(callback, t("consent.declined"))
        return
    await show(callback, t("consent.accepted_note", version=onboarding.CONSENT_VERSION))
    await _join(callback.from_user.id, token, True, state, session, actor, t, bot, clock)


async def consent_pending(message: Message, t: Translator) -> None:
    await message.answer(t("consent.use_buttons"))


def create_router() -> Router:
    router = Router(name="onboarding")
    router.message.register(start, CommandStart())
    router.callback_query.register(consent_answer, Onboarding.consent, ConsentCb.filter())
    router.message.register(consent_pending, Onboarding.consent)
    return router
