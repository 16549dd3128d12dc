"""The profile dialog: onboarding walks all missing steps, /profile edits one."""
from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handlers.profile.callbacks import ProfileEditCb, StepChoiceCb, StepSkipCb, StepTopicCb
from bot.handlers.profile.states import ProfileForm, ProfileSteps
from bot.handlers.profile.views import capacity, categories, person_text, profile_edit, skip_keyboard, topics, yes_no
from bot.handlers.render import mark_answered
from bot.i18n import Translator
from bot.services import profile as profile_service
from bot.services.actor import Actor, load_actor
from bot.services.clock import Clock
from bot.services.errors import InvalidInput
from bot.services.numbers import is_whole, parse_whole
from bot.services.profile import (
    COMMON_STEPS,
    EDIT_ONLY_STEPS,
    OPTIONAL_STEPS,
    ROLE_STEPS,
    TEXT_STEPS,
    TOPIC_STEPS,
    split_step,
)
from bot.telegram.menus import help_text, set_chat_menu


async def begin(bot: Bot, chat_id: int, state: FSMContext, session: AsyncSession, actor: Actor,
                t: Translator, steps: list[str], mode: str, clock: Clock) -> None:
    """Start walking `steps`; with none left, finish at once."""
    await state.set_state(ProfileForm.step)
    await ProfileSteps(queue=steps, mode=mode).save(state)
    if steps:
        await ask(bot, chat_id, state, session, actor, t)
    else:
        await finish(bot, chat_id, state, session, actor, t, clock)


async def ask(bot: Bot, chat_id: int, state: FSMContext, session: AsyncSession, actor: Actor,
              t: Translator) -> None:
    steps = await ProfileSteps.load(state)
    step = steps.step
    if step is None:
        return
    name, _ = split_step(step)
    markup = None
    if name in ("under_35", "beyond"):
        markup = yes_no(t, step)
    elif name == "category":
        markup = categories(t, step)
    elif name == "capacity":
        markup = capacity(step)
    elif name in TOPIC_STEPS:
        choices, chosen = await profile_service.topic_choices(session, actor, step)
        selected = steps.selected
        if selected is None:
            selected = steps.selected = sorted(chosen)
            await steps.save(state)
        markup = topics(t, step, choices, set(selected))
    elif name in OPTIONAL_STEPS:
        markup = skip_keyboard(t, step)
    await bot.send_message(chat_id, t(f"ask.{name}"), reply_markup=markup)


async def finish(bot: Bot, chat_id: int, state: FSMContext, session: AsyncSession, actor: Actor,
                 t: Translator, clock: Clock) -> None:
    mode = (await ProfileSteps.load(state)).mode
    await state.clear()
    await profile_service.complete_profile(session, actor, clock.now())
    actor = await load_actor(session, actor.telegram_id)
    if mode == "edit":
        view = await profile_service.get_profile(session, actor)
        await bot.send_message(chat_id, t("profile.saved") + "\n\n" + person_text(t, view),
                               reply_markup=profile_edit(t, view))
        return
    await set_chat_menu(bot, chat_id, actor.role_set(), t)
    await bot.send_message(chat_id, t("onboarding.done") + "\n\n" + help_text(t, actor.role_set()))


async def _advance(bot: Bot, chat_id: int, state: FSMContext, session: AsyncSession, actor: Actor,
                   t: Translator, clock: Clock) -> None:
    steps = await ProfileSteps.load(state)
    if len(steps.queue) <= 1:
        await finish(bot, chat_id, state, session, actor, t, clock)
        return
    steps.queue, steps.selected = steps.queue[1:], None
    await steps.save(state)
    await ask(bot, chat_id, state, session, actor, t)


async def _current_step(state: FSMContext) -> str | None:
    return (await ProfileSteps.load(state)).step


async def typed_answer(message: Message, state: FSMContext, session: AsyncSession, actor: Actor,
                       t: Translator, bot: Bot, clock: Clock) -> None:
    step = await _current_step(state)
    if step is None:
        await state.clear()
        return
    name, _ = split_step(step)
    if name in TEXT_STEPS:
        value: object = profile_service.parse_text(name, message.text or "")
    elif name == "capacity":
        value = parse_whole(message.text)
        if value is None:
            raise InvalidInput("profile.bad_capacity", max=profile_service.CAPACITY_MAX)
    else:
        await message.answer(t("profile.use_buttons"))
        await ask(bot, message.chat.id, state, session, actor, t)
        return
    await profile_service.save_answer(session, actor, step, value)
    await _advance(bot, message.chat.id, state, session, actor, t, clock)


async def not_text(message: Message, state: FSMContext, t: Translator) -> None:
    step = await _current_step(state)
    name = split_step(step)[0] if step else ""
    await message.answer(t("profile.use_buttons") if name and name not in TEXT_STEPS | {"capacity"}
                         else t("profile.text_expected"))


async def choice(callback: CallbackQuery, callback_data: StepChoiceCb, state: FSMContext,
                 session: AsyncSession, actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    if callback_data.step != await _current_step(state):
        await callback.answer(t.plain("error.stale_button"))
        return
    name, _ = split_step(callback_data.step)
    value: object = callback_data.value
    if name in ("under_35", "beyond"):
        value = callback_data.value == "1"
    elif name == "capacity":
        value = int(callback_data.value) if is_whole(callback_data.value) else 0
    await profile_service.save_answer(session, actor, callback_data.step, value)
    await callback.answer()
    await mark_answered(callback)
    await _advance(bot, callback.from_user.id, state, session, actor, t, clock)


async def topic_toggle(callback: CallbackQuery, callback_data: StepTopicCb, state: FSMContext,
                       session: AsyncSession, actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    step = callback_data.step
    if step != await _current_step(state):
        await callback.answer(t.plain("error.stale_button"))
        return
    choices, chosen = await profile_service.topic_choices(session, actor, step)
    steps = await ProfileSteps.load(state)
    kept = steps.selected
    selected = set(chosen if kept is None else kept)
    if callback_data.topic == 0:
        await profile_service.save_answer(session, actor, step, sorted(selected))
        await callback.answer()
        await mark_answered(callback)
        await _advance(bot, callback.from_user.id, state, session, actor, t, clock)
        return
    if callback_data.topic not in {topic_id for topic_id, _ in choices}:
        await callback.answer(t.plain("error.stale_button"))
        return
    selected ^= {callback_data.topic}
    steps.selected = sorted(selected)
    await steps.save(state)
    await callback.answer()
    if callback.message is not None and isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=topics(t, step, choices, selected))


async def skip(callback: CallbackQuery, callback_data: StepSkipCb, state: FSMContext, session: AsyncSession,
               actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    if callback_data.step != await _current_step(state) or split_step(callback_data.step)[0] not in OPTIONAL_STEPS:
        await callback.answer(t.plain("error.stale_button"))
        return
    await profile_service.save_answer(session, actor, callback_data.step, "")
    await callback.answer()
    await mark_answered(callback)
    await _advance(bot, callback.from_user.id, state, session, actor, t, clock)


async def show_profile(message: Message, session: AsyncSession, actor: Actor, t: Translator) -> None:
    view = await profile_service.get_profile(session, actor)
    await message.answer(person_text(t, view), reply_markup=profile_edit(t, view))


async def edit_field(callback: CallbackQuery, callback_data: ProfileEditCb, state: FSMContext,
                     session: AsyncSession, actor: Actor, t: Translator, bot: Bot, clock: Clock) -> None:
    if not actor.registered:
        await callback.answer(t.plain("error.not_registered"), show_alert=True)
        return
    name, membership_id = split_step(callback_data.step)
    membership = actor.membership(membership_id) if membership_id is not None else None
    allowed = COMMON_STEPS if membership_id is None else (
        ROLE_STEPS.get(membership.role, ()) + EDIT_ONLY_STEPS.get(membership.role, ()) if membership else ())
    if name not in allowed:
        await callback.answer(t.plain("error.access_denied"), show_alert=True)
        return
    await callback.answer()
    await begin(bot, callback.from_user.id, state, session, actor, t, [callback_data.step], "edit", clock)


def create_router() -> Router:
    router = Router(name="profile")
    router.message.register(typed_answer, ProfileForm.step, F.text, ~F.text.startswith("/"))
    router.message.register(not_text, ProfileForm.step, ~F.text)
    router.callback_query.register(choice, ProfileForm.step, StepChoiceCb.filter())
    router.callback_query.register(topic_toggle, ProfileForm.step, StepTopicCb.filter())
    router.callback_query.register(skip, ProfileForm.step, StepSkipCb.filter())
    router.message.register(show_profile, Command("profile"))
    router.callback_query.register(edit_field, ProfileEditCb.filter())
    return router
